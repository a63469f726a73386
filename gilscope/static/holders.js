/* gilscope: where the GIL was held, as data for the page. Pure: no document, no window, no Plotly (Node's tests
   import it).

   The run's `stacks` event carries the GIL holder's sampled Python stacks: a frame table ("function (file:line)")
   and timed samples [t_ms, thread index (-1: none of the named threads), in a C call 0/1, [frame ids, outermost
   first]], each standing for sample_ms of the run. From them: which code held the GIL at a moment of the
   timeline (the nearest sample within one sample period, or none), the icicle of GIL-held time by stack, and the
   times a chosen frame was on the holder's stack. The summary's waits_behind and long_holds become a waiters x
   lines grid and marks on the timeline's lanes. Nothing here guesses: no sample near a moment means no answer. */

export const ROOT = "\u0001";  // the icicle's root id: no thread or frame is called that
export const C_CALL = "[C call]";  // the folded stacks' marker for C code called from the leaf line

/* "function (file:line)" -> {fn, file, line}; a string that is not one is all function. */
export function parseFrame(text) {
  const m = /^(.*?) \((.*):(\d+|\?)\)$/.exec(String(text));
  if (!m) return {fn: String(text), file: "", line: null};
  return {fn: m[1], file: m[2], line: m[3] === "?" ? null : Number(m[3])};
}

export function basename(path) {
  const s = String(path || "");
  return s.slice(Math.max(s.lastIndexOf("/"), s.lastIndexOf("\\")) + 1);
}

/* "hogs.py:22": where a line is, short (the file's base name); "hogs.py" without a line. */
export function where(file, line) {
  const base = basename(file);
  return line === null || line === undefined ? base : `${base}:${line}`;
}

/* A thread index's name: -1 (or any index outside the list) is "other", as in the folded stacks. */
export function threadName(names, i) {
  return i >= 0 && i < names.length ? names[i] : "other";
}

/* The timed samples, indexed by time and by thread. */
export class StackIndex {
  constructor(ev, names) {
    this.names = names || [];
    this.frames = (ev && ev.frames) || [];
    this.sampleMs = Number((ev && ev.sample_ms) || 0);
    const rows = ((ev && ev.samples) || [])
      .filter(s => Array.isArray(s) && s.length >= 4 && Array.isArray(s[3]) && s[3].length)  // a stack, not none
      .map(([t, thread, inC, ids]) => ({t: Number(t), thread: Number(thread), inC: Boolean(inC), ids}))
      .sort((a, b) => a.t - b.t);
    this.samples = rows;
    this.times = Float64Array.from(rows, s => s.t);
    this.byThread = new Map();
    for (const s of rows) {
      if (!this.byThread.has(s.thread)) this.byThread.set(s.thread, []);
      this.byThread.get(s.thread).push(s);
    }
    for (const [k, list] of this.byThread) this.byThread.set(k, {list, times: Float64Array.from(list, s => s.t)});
  }

  get size() {
    return this.samples.length;
  }

  /* The sample nearest to t (ms) of thread i (null: of whichever thread held the GIL), if it lies within one
     sample period of t; else null. */
  at(t, i = null) {
    if (!(this.sampleMs > 0)) return null;
    let list = this.samples, times = this.times;
    if (i !== null) {
      const own = this.byThread.get(i);
      if (!own) return null;
      ({list, times} = own);
    }
    const k = nearest(times, t);
    if (k < 0 || Math.abs(times[k] - t) > this.sampleMs) return null;
    return list[k];
  }

  /* A sample's leaf: {fn, file, line, inC, thread (name)}. */
  leaf(s) {
    const f = parseFrame(this.frames[s.ids[s.ids.length - 1]]);
    return Object.assign(f, {inC: s.inC, thread: threadName(this.names, s.thread)});
  }

  /* A sample's path as the icicle's node id: thread;frame;...;[C call] (the folded stacks' own form). */
  path(s) {
    const parts = [threadName(this.names, s.thread), ...s.ids.map(id => this.frames[id])];
    if (s.inC) parts.push(C_CALL);
    return parts.join(";");
  }

  /* The samples whose stack passes through the icicle node `id` (the root: every sample). */
  matching(id) {
    if (id === ROOT) return this.samples;
    return this.samples.filter(s => {
      const p = this.path(s);
      return p === id || p.startsWith(id + ";");
    });
  }
}

/* The index of the value in a sorted array nearest to x; -1 for an empty one. */
export function nearest(sorted, x) {
  const n = sorted.length;
  if (!n) return -1;
  let lo = 0, hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1; else hi = mid;
  }
  return lo > 0 && x - sorted[lo - 1] <= sorted[lo] - x ? lo - 1 : lo;
}

/* The icicle of GIL-held time: a root, a box per thread, then each frame outermost first, and "[C call]" under
   a leaf line whose C code held the GIL. Values are sample counts (whole numbers: Plotly's "total" branch values
   refuse a parent a rounding below its children's sum), seconds the samples x sample_ms. labels: {root, cCall}; colourOf(threadName) the colour of a thread's boxes. */
export function icicle(index, labels, colourOf) {
  const nodes = new Map();  // id -> {parent, label, frame, samples, thread}
  const add = (id, parent, label, frame, thread) => {
    let n = nodes.get(id);
    if (!n) nodes.set(id, n = {parent, label, frame, samples: 0, thread});
    n.samples++;
  };
  for (const s of index.samples) {
    const thread = threadName(index.names, s.thread);
    add(ROOT, "", labels.root, "", "");
    let id = thread;
    add(id, ROOT, thread, thread, thread);
    for (const fid of s.ids) {
      const frame = index.frames[fid], parent = id;
      id = id + ";" + frame;
      const f = parseFrame(frame);
      add(id, parent, f.file ? `${f.fn} · ${where(f.file, f.line)}` : f.fn, frame, thread);
    }
    if (s.inC) add(id + ";" + C_CALL, id, labels.cCall, labels.cCall, thread);
  }
  // depth: the levels from the root (1) to the deepest leaf (an "in a C call" box under its frame included)
  const out = {ids: [], parents: [], labels: [], values: [], seconds: [], frames: [], colours: [], depth: 0};
  for (const [id, n] of nodes) {
    out.depth = Math.max(out.depth, id === ROOT ? 1 : id.split(";").length + 1);
    out.ids.push(id);
    out.parents.push(n.parent);
    out.labels.push(n.label);
    out.values.push(n.samples);
    out.seconds.push(n.samples * index.sampleMs / 1000);
    out.frames.push(n.frame);
    out.colours.push(colourOf(n.thread));
  }
  return out;
}

/* The times the given samples cover, each standing for one sample period centred on it, merged where they
   touch, per lane: [{lane, t0, t1}] (lane 0 the holder lane, i + 1 thread i's; a sample of no named thread
   only on lane 0). */
export function spans(samples, sampleMs) {
  const half = sampleMs / 2, open = new Map(), out = [];
  const put = (lane, t) => {
    const cur = open.get(lane);
    if (cur && t - half <= cur.t1 + 1e-9) {
      cur.t1 = t + half;
      return;
    }
    const next = {lane, t0: t - half, t1: t + half};
    open.set(lane, next);
    out.push(next);
  };
  for (const s of [...samples].sort((a, b) => a.t - b.t)) {
    put(0, s.t);
    if (s.thread >= 0) put(s.thread + 1, s.t);
  }
  return out;
}

/* Spans as one Plotly line trace's x and y: a bar per span along its lane, broken by nulls. */
export function spanLines(list) {
  const x = [], y = [];
  for (const s of list) x.push(s.t0, s.t1, null), y.push(s.lane, s.lane, null);
  return {x, y};
}

/* Outlines of rectangles around lanes from t0 to t1, as one line trace's x and y (h: half a lane's height). */
export function boxLines(boxes, h = 0.42) {
  const x = [], y = [];
  for (const b of boxes) {
    x.push(b.t0, b.t1, b.t1, b.t0, b.t0, null);
    y.push(b.lane - h, b.lane - h, b.lane + h, b.lane + h, b.lane - h, null);
  }
  return {x, y};
}

/* The long holds as boxes on the holder lane and on the holding thread's lane. */
export function longHoldBoxes(longs, names) {
  const out = [];
  for (const h of longs || []) {
    const t0 = Number(h.start_ms), t1 = t0 + Number(h.held_ms);
    out.push({lane: 0, t0, t1, hold: h});
    const i = names.indexOf(h.thread);
    if (i >= 0) out.push({lane: i + 1, t0, t1, hold: h});
  }
  return out;
}

/* waits_behind as a grid: columns the waiting threads, rows the holders' lines (thread, function, file, line),
   heaviest row first, at most maxRows; z[row][col] seconds waited, null where none. */
export function waitsGrid(waits, maxRows = 12) {
  const cols = [], rows = new Map();
  for (const w of waits || []) {
    if (!cols.includes(w.waiter)) cols.push(w.waiter);
    const key = [w.holder_thread, w.function, w.file, w.line].join("\u0000");
    let r = rows.get(key);
    if (!r) rows.set(key, r = {thread: w.holder_thread, fn: w.function, file: w.file, line: w.line, total: 0,
      cells: new Map()});
    r.total += Number(w.waited_s) || 0;
    r.cells.set(w.waiter, (r.cells.get(w.waiter) || 0) + (Number(w.waited_s) || 0));
  }
  const kept = [...rows.values()].sort((a, b) => b.total - a.total).slice(0, maxRows);
  return {
    waiters: cols,
    rows: kept.map(({thread, fn, file, line, total}) => ({thread, fn, file, line, total})),
    z: kept.map(r => cols.map(c => (r.cells.has(c) ? r.cells.get(c) : null))),
    more: Math.max(0, rows.size - kept.length),
  };
}

/* How long a hold must be to be listed (the engine's rule: holders.py long_hold_threshold_s). */
export function longHoldMs(config, intervalS) {
  const m = (config && config.marks) || {};
  return Math.max(Number(m.long_hold_min_ms) || 0, (Number(m.long_hold_intervals) || 0) * (Number(intervalS) || 0)
    * 1000);
}
