/* history: filled in by the history page's module. */
