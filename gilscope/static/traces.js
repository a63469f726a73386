/* gilscope: a run's timeline as data, and the Plotly traces that draw what can be seen of it. Pure: no document,
   no window, no Plotly (Node's tests import it).

   Every segment a run streams is kept, in full, in one columnar Lane per swimlane (lane 0: the sampled GIL
   holder; lane i + 1: thread i). A draw never hands Plotly all of it: buildTraces() takes the visible window at
   the plot's pixel width and a budget of segments, keeps a lane's segments as they are while they are few
   enough (its share of the budget, at most about one per pixel), and otherwise bins the lane into columns (a
   pixel each, or a few when many lanes share the budget) and draws each column in the category (state, or
   holder) that filled most of it, merging neighbours of one category into one segment. Zoomed in, the same
   call gives full detail again from the kept data. */

/* Which Plotly trace draws what: the states first, then "GIL free", "another thread", one per thread colour. */
export function traceLayout(config) {
  const nStates = config.states.length;
  const colours = config.thread_colours.length;
  return {
    nStates, colours, free: nStates, other: nStates + 1, firstThread: nStates + 2, count: nStates + 2 + colours,
    freeCode: config.holder.free, otherCode: config.holder.other,
  };
}

/* The trace of a GIL-holder sample: free, another thread, or the holding thread's colour. */
export function holderTrace(layout, who) {
  if (who === layout.freeCode) return layout.free;
  if (who === layout.otherCode || who < 0) return layout.other;
  return layout.firstThread + (who % layout.colours);
}

/* One swimlane's segments, [t0, t1) in ms with a trace index each, in growable typed arrays. */
export class Lane {
  constructor(capacity = 256) {
    this.t0 = new Float64Array(capacity);
    this.t1 = new Float64Array(capacity);
    this.cat = new Uint8Array(capacity);
    this.n = 0;
    this.sorted = true;
    this.maxCat = 0;
    this.end = -Infinity;
  }

  push(a, b, cat) {
    if (!(b > a)) return;
    if (this.n === this.t0.length) this._grow();
    const i = this.n++;
    if (i && a < this.t0[i - 1]) this.sorted = false;
    this.t0[i] = a;
    this.t1[i] = b;
    this.cat[i] = cat;
    if (cat > this.maxCat) this.maxCat = cat;
    if (b > this.end) this.end = b;
  }

  _grow() {
    const size = this.t0.length * 2;
    for (const k of ["t0", "t1"]) { const a = new Float64Array(size); a.set(this[k]); this[k] = a; }
    const c = new Uint8Array(size); c.set(this.cat); this.cat = c;
  }

  /* Segments arrive in time order per lane; should one not, the lane is sorted once before the next draw. */
  ensureSorted() {
    if (this.sorted) return;
    const idx = Array.from({length: this.n}, (_, i) => i).sort((i, j) => this.t0[i] - this.t0[j]);
    const t0 = this.t0.slice(0, this.n), t1 = this.t1.slice(0, this.n), cat = this.cat.slice(0, this.n);
    idx.forEach((from, to) => { this.t0[to] = t0[from]; this.t1[to] = t1[from]; this.cat[to] = cat[from]; });
    this.sorted = true;
  }

  /* Lets go of the segments that end before x (a live look keeps a rolling window); returns how many. */
  dropBefore(x) {
    this.ensureSorted();
    const k = this.firstEndingAfter(x);
    if (!k) return 0;
    for (const a of [this.t0, this.t1, this.cat]) a.copyWithin(0, k, this.n);
    this.n -= k;
    return k;
  }

  /* Index of the first segment that ends after x (segments do not overlap, so t1 ascends with t0). */
  firstEndingAfter(x) {
    let lo = 0, hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.t1[mid] <= x) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /* Index of the first segment that starts at or after x. */
  firstStartingAt(x) {
    let lo = 0, hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.t0[mid] < x) lo = mid + 1; else hi = mid;
    }
    return lo;
  }
}

/* A run's whole timeline: the holder lane and one lane per thread. */
export class Timeline {
  constructor(layout) {
    this.layout = layout;
    this.clear(0);
  }

  clear(threads) {
    this.lanes = Array.from({length: threads + 1}, () => new Lane());
    this.segments = 0;
  }

  lane(i) {
    while (this.lanes.length <= i) this.lanes.push(new Lane());
    return this.lanes[i];
  }

  /* segments: [[thread, state, t0_ms, t1_ms], ...] as a tick streams them. */
  addSegments(segments) {
    for (const [thread, state, a, b] of segments) this.lane(thread + 1).push(a, b, state);
    this.segments += segments.length;
  }

  /* holder: [[t0_ms, t1_ms, who], ...]: who is a thread index or a holder code. */
  addHolder(holder) {
    const lane = this.lane(0);
    for (const [a, b, who] of holder) lane.push(a, b, holderTrace(this.layout, who));
    this.segments += holder.length;
  }

  /* Lets go of what ends before x (ms) in every lane. */
  dropBefore(x) {
    for (const lane of this.lanes) this.segments -= lane.dropBefore(x);
  }

  /* The earliest time any lane keeps (ms), or 0. */
  start() {
    const kept = this.lanes.filter(l => l.n > 0).map(l => l.t0[0]);
    return kept.length ? Math.max(0, Math.min(...kept)) : 0;
  }

  /* The latest time any lane reaches (ms), or 0. */
  end() {
    return Math.max(0, ...this.lanes.map(l => l.end));
  }
}

/* Segments one draw may hand Plotly, all lanes together: an SVG draw of two thousand takes a few tens of ms,
   a few times that on a machine the run itself keeps busy. */
export const DRAW_BUDGET = 2000;
const MIN_SHARE = 32;  // segments a lane may always have

let scratch = new Float64Array(0);

/* Calls emit(t0, t1, cat) for what lane shows in [x0, x1] at px pixels, in at most about maxOut segments: its own
   segments when they are few enough and two pixels wide on average, else the lane binned into columns, each
   column drawn as its categories side by side, each as long as the time it had in the column (so a thread
   that held the GIL a sixteenth of the time shows a sixteenth of green, not nothing). Columns alternate their
   order so that neighbours of one category join. Returns how many segments it emitted. */
export function decimateLane(lane, x0, x1, px, maxOut, emit) {
  px = Math.floor(px);
  if (!(x1 > x0) || px < 1 || lane.n === 0) return 0;
  lane.ensureSorted();
  const i0 = lane.firstEndingAfter(x0), i1 = lane.firstStartingAt(x1);
  if (i1 <= i0) return 0;
  const spanned = (Math.min(x1, lane.t1[i1 - 1]) - Math.max(x0, lane.t0[i0])) / (x1 - x0) * px;
  if (i1 - i0 <= maxOut && 2 * (i1 - i0) <= Math.max(1, spanned)) {
    for (let i = i0; i < i1; i++) emit(lane.t0[i], lane.t1[i], lane.cat[i]);
    return i1 - i0;
  }
  let columns = Math.max(1, Math.min(px, maxOut)), out = binLane(lane, i0, i1, x0, x1, columns);
  for (let tries = 0; out.length > maxOut && columns > 1 && tries < 4; tries++) {
    columns = Math.max(1, Math.floor(columns * maxOut / out.length));
    out = binLane(lane, i0, i1, x0, x1, columns);
  }
  for (const [a, b, c] of out) emit(a, b, c);
  return out.length;
}

/* Segments i0..i1 of lane binned into `columns` columns of [x0, x1]: each column's time per category, laid
   side by side from the column's start. */
function binLane(lane, i0, i1, x0, x1, columns) {
  const ncat = lane.maxCat + 1, w = (x1 - x0) / columns;
  if (scratch.length < columns * ncat) scratch = new Float64Array(columns * ncat);
  const acc = scratch;
  acc.fill(0, 0, columns * ncat);
  for (let i = i0; i < i1; i++) {
    const a = Math.max(lane.t0[i], x0), b = Math.min(lane.t1[i], x1), c = lane.cat[i];
    if (!(b > a)) continue;
    const p0 = Math.min(columns - 1, Math.floor((a - x0) / w)), p1 = Math.min(columns - 1, Math.floor((b - x0) / w));
    if (p0 === p1) { acc[p0 * ncat + c] += b - a; continue; }
    acc[p0 * ncat + c] += x0 + (p0 + 1) * w - a;
    for (let p = p0 + 1; p < p1; p++) acc[p * ncat + c] += w;
    acc[p1 * ncat + c] += b - (x0 + p1 * w);
  }
  const out = [], join = 1e-9 * w;
  for (let p = 0; p < columns; p++) {
    let t = x0 + p * w;
    for (let k = 0; k < ncat; k++) {
      const c = p % 2 ? ncat - 1 - k : k, d = acc[p * ncat + c];
      if (!(d > 0)) continue;
      const last = out[out.length - 1];
      if (last && last[2] === c && Math.abs(last[1] - t) <= join) last[1] = t + d;
      else out.push([t, t + d, c]);
      t += d;
    }
  }
  return out;
}

/* The timeline's Plotly data for the window [x0, x1] at px pixels: x and y arrays per trace (segments as
   a, b, null with the lane's y), and how many segments they hold. At most about `budget` segments in all, an
   equal share per lane. minPx: no segment drawn narrower than that many pixels (a slice of a microsecond
   stays visible: its end moves, never its start). */
export function buildTraces(timeline, x0, x1, px, budget = DRAW_BUDGET, minPx = 0) {
  const n = timeline.layout.count;
  const x = Array.from({length: n}, () => []), y = Array.from({length: n}, () => []);
  const share = Math.max(MIN_SHARE, Math.floor(budget / Math.max(1, timeline.lanes.length)));
  const minW = px > 0 ? minPx * (x1 - x0) / px : 0;
  let segments = 0;
  timeline.lanes.forEach((lane, row) => {
    segments += decimateLane(lane, x0, x1, px, share, (a, b, c) => {
      const tx = x[c], ty = y[c];
      tx.push(a, b - a < minW ? a + minW : b, null);
      ty.push(row, row, null);
    });
  });
  return {x, y, segments};
}

/* Progress lines: units done per thread against time (s), as ticks stream them. */
export class Progress {
  constructor(threads = 0) { this.clear(threads); }

  clear(threads) {
    this.t = [];
    this.units = Array.from({length: threads}, () => []);
  }

  add(t_s, values) {
    if (!values || !values.length) return;
    this.t.push(t_s);
    this.units.forEach((u, i) => u.push(values[i] === undefined ? null : values[i]));
  }

  /* Plotly restyle data: the same time axis for every thread. */
  traces() {
    return {x: this.units.map(() => this.t.slice()), y: this.units.map(u => u.slice())};
  }
}

/* A "nice" bin width (1, 2 or 5 x 10^k) that cuts span into about `bins` bins. */
export function niceStep(span, bins) {
  if (!(span > 0) || !(bins > 0)) return 1;
  const raw = span / bins, mag = 10 ** Math.floor(Math.log10(raw));
  const m = raw / mag;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * mag;
}

/* Values counted into about `bins` bins of a nice width, as a bar trace's data: bin centres, counts and the
   bins' width (the page's Plotly has bars, not histograms). The bins span the values up to the `clip` quantile;
   the few above it (a long tail would squeeze every other bin into one) are counted apart: `over` of them, from
   `overFrom` on. */
export function histogram(values, bins = 40, clip = 0.99) {
  const xs = values.filter(v => typeof v === "number" && Number.isFinite(v)).sort((a, b) => a - b);
  if (!xs.length) return {x: [], y: [], width: 1, over: 0, overFrom: null};
  const lo = xs[0];
  let hi = xs[Math.floor(Math.min(1, Math.max(0, clip)) * (xs.length - 1))];
  if (!(hi > lo)) hi = xs[xs.length - 1];
  const width = niceStep(hi - lo, bins);
  const start = Math.floor(lo / width) * width;
  const n = Math.max(1, Math.floor((hi - start) / width) + 1);
  const end = start + n * width;
  const y = new Array(n).fill(0);
  let over = 0;
  for (const v of xs) {
    if (v >= end) over++;
    else y[Math.min(n - 1, Math.floor((v - start) / width))]++;
  }
  const x = y.map((_, i) => Number((start + (i + 0.5) * width).toPrecision(12)));
  return {x, y, width, over, overFrom: over ? Number(end.toPrecision(12)) : null};
}
