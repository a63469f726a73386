/* gilscope: work in small slices, so the page keeps answering. Pure: the clock and the frame source are given to
   it (the page passes performance.now and a frame source, requestAnimationFrame after an optional delay; Node's
   tests pass fakes).

   Jobs (an incoming event to apply, say) wait in a queue; each frame runs queued jobs until its time budget is
   spent, at least one. Heavy single steps (a Plotly draw) are "chores": one per frame, alone, never before
   their time, and a chore asked for again before it ran is still one chore. */

export class FrameScheduler {
  constructor({now, frame, budgetMs = 4}) {
    this.now = now;
    this.frame = frame;
    this.budgetMs = budgetMs;
    this.jobs = [];
    this.head = 0;
    this.chores = new Map();  // key -> {fn, at}
    this.planned = false;
    this.plannedAt = Infinity;
    this.token = 0;
    this.busyMs = 0;  // time spent in jobs and chores, for tests and benchmarks
    this.longestMs = 0;
  }

  /* Runs fn in a later frame, after the jobs queued before it. */
  push(fn) {
    this.jobs.push(fn);
    this._plan();
  }

  get pending() {
    return this.jobs.length - this.head;
  }

  /* Runs fn once, in a frame of its own, no earlier than `at` (a time of now()); asking again for the same
     key before it ran moves it to the earlier of the two times and keeps the latest fn. */
  chore(key, fn, at = 0) {
    const had = this.chores.get(key);
    const when = had ? Math.min(had.at, at) : at;
    this.chores.set(key, {fn, at: when});
    this._plan(Math.max(0, when - this.now()));
  }

  cancel(key) {
    this.chores.delete(key);
  }

  /* Runs every queued job now, whatever the budget (for a page nobody sees: no frames come). */
  drain() {
    while (this.head < this.jobs.length) this._job();
    this._compact();
  }

  /* Asks for a frame: the next one, or (with only chores waiting) the first after delayMs. */
  _plan(delayMs = 0) {
    const at = this.now() + delayMs;
    if (this.planned && this.plannedAt <= at) return;
    this.planned = true;
    this.plannedAt = at;
    const token = ++this.token;
    this.frame(() => { if (token === this.token) this._frame(); }, delayMs);
  }

  _job() {
    const fn = this.jobs[this.head];
    this.jobs[this.head++] = undefined;
    fn();
  }

  _compact() {
    if (this.head > 1024 && this.head * 2 > this.jobs.length) {
      this.jobs = this.jobs.slice(this.head);
      this.head = 0;
    } else if (this.head === this.jobs.length) {
      this.jobs = [];
      this.head = 0;
    }
  }

  _frame() {
    this.planned = false;
    const start = this.now();
    try {
      const due = this._dueChore(start);
      if (due !== null) {
        // A chore that has waited for long enough takes its frame even while jobs keep coming.
        const c = this.chores.get(due);
        this.chores.delete(due);
        c.fn();
      } else {
        const end = start + this.budgetMs;
        let first = true;
        while (this.head < this.jobs.length && (first || this.now() < end)) { this._job(); first = false; }
        this._compact();
      }
    } finally {
      const spent = this.now() - start;
      this.busyMs += spent;
      this.longestMs = Math.max(this.longestMs, spent);
      if (this.pending) this._plan();
      else if (this.chores.size) this._plan(Math.max(0, Math.min(...[...this.chores.values()].map(c => c.at)) - this.now()));
    }
  }

  /* The key of the chore to run in this frame: the one most overdue, and only once the queue is empty unless
     it is overdue by a second or more. */
  _dueChore(t) {
    let best = null, bestAt = Infinity;
    for (const [key, c] of this.chores) if (c.at <= t && c.at < bestAt) { best = key; bestAt = c.at; }
    if (best === null) return null;
    return this.pending === 0 || t - bestAt >= 1000 ? best : null;
  }
}
