/* compare: filled in by the compare page's module. */
