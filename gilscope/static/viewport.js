/* gilscope: the timeline's window onto a run, as numbers. Pure: no document, no window, no Plotly (Node's tests
   import it).

   The run view opens on a readable window (about twenty switch intervals: a handful of slices per thread, each
   wide enough to see), follows the tail while a run streams, and moves the way Perfetto's does: W and S zoom
   around the middle, A and D pan, one click spans one interval, ten, or the whole run. The axis ticks are
   ms or s with decimals, counted from the window's first tick when the window is far from zero (no
   "2004 2005 ... 2011": "+0 +1 ... +7 ms after 2.004 s"). */

import {niceStep} from "./traces.js";

export const OPEN_SLICES = 20;  // switch intervals in the window a run opens on
const MIN_WIDTH_MS = 0.005;  // the narrowest window: 5 µs

/* A window [a, b] of width w kept inside full [f0, f1] (shifted, not shrunk, unless full is narrower). */
export function clampWindow(a, b, full) {
  const [f0, f1] = full, w = Math.min(Math.max(b - a, MIN_WIDTH_MS), Math.max(f1 - f0, MIN_WIDTH_MS));
  let lo = a;
  if (lo + w > f1) lo = f1 - w;
  if (lo < f0) lo = f0;
  return [lo, lo + w];
}

/* The window a run opens on: `slices` switch intervals (the whole run when it is shorter), at the start, the
   tail (while it streams) or about the middle (a finished run: its start and end are threads starting and
   stopping). */
export function openWindow(intervalMs, full, where = "tail", slices = OPEN_SLICES) {
  const [f0, f1] = full, w = Math.min(Math.max(intervalMs, 1e-3) * slices, f1 - f0);
  if (!(w > 0)) return [f0, f1];
  if (where === "middle") return clampWindow((f0 + f1 - w) / 2, (f0 + f1 + w) / 2, full);
  if (where === "start") return [f0, f0 + w];
  return clampWindow(f1 - w, f1, full);
}

/* A one-click span: `n` switch intervals about the window's middle, or the whole run (n = null). */
export function spanWindow(n, intervalMs, win, full) {
  if (n === null || !(intervalMs > 0)) return full.slice();
  const mid = (win[0] + win[1]) / 2, w = n * intervalMs;
  return clampWindow(mid - w / 2, mid + w / 2, full);
}

/* W (zoom in), S (zoom out), A (earlier), D (later): the window after one press; null for another key. */
export function keyWindow(key, win, full) {
  const [a, b] = win, w = b - a, mid = (a + b) / 2;
  switch (key.toLowerCase()) {
    case "w": return clampWindow(mid - w / 3, mid + w / 3, full);  // a third narrower each side: x1.5
    case "s": return clampWindow(mid - w * 0.75, mid + w * 0.75, full);
    case "a": return clampWindow(a - w / 5, b - w / 5, full);
    case "d": return clampWindow(a + w / 5, b + w / 5, full);
    default: return null;
  }
}

/* Where a press or drag on the overview puts the window: centred on x, its width kept. */
export function centreWindow(x, win, full) {
  const w = win[1] - win[0];
  return clampWindow(x - w / 2, x + w / 2, full);
}

function decimals(step) {
  return Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
}

/* Ticks for the window [x0, x1] ms at px pixels: {vals, text, title}, about one every 90 px. In s when ticks are
   a second or more apart, else ms; relative to the first tick (with "+") when the window is far from zero,
   the first tick then saying where it is. fmtNum(x, fractionDigits) writes a number in the page's language. */
export function axisTicks(x0, x1, px, fmtNum, words) {
  const span = x1 - x0;
  if (!(span > 0)) return {vals: [], text: [], title: words.ms};
  const step = niceStep(span, Math.max(2, Math.floor(px / 90)));
  const first = Math.ceil(x0 / step - 1e-9) * step;
  const vals = [];
  for (let v = first; v <= x1 + 1e-9 * step && vals.length < 50; v += step) vals.push(Number(v.toPrecision(12)));
  const inS = step >= 1000;
  const unit = inS ? words.s : words.ms, k = inS ? 1000 : 1;
  const relative = vals.length > 0 && first >= 4 * span;
  if (!relative) {
    const d = decimals(step / k);
    return {vals, text: vals.map(v => fmtNum(v / k, d)), title: unit};
  }
  const origin = vals[0], d = decimals(step / k);
  const originText = fmtNum(origin / 1000, Math.max(3, decimals(step / 1000))) + " " + words.s;
  const text = vals.map((v, i) => (i === 0 ? originText : "+" + fmtNum((v - origin) / k, d)));
  return {vals, text, title: words.after.replace("{u}", unit).replace("{t}", originText)};
}

/* Index of the segment of lane that covers x, or -1. */
export function segmentAt(lane, x) {
  lane.ensureSorted();
  const i = lane.firstEndingAfter(x);
  return i < lane.n && lane.t0[i] <= x ? i : -1;
}

/* The nearest segment to x in lane within tol ms (a segment drawn a pixel wide may be narrower), or -1. */
export function segmentNear(lane, x, tol) {
  const at = segmentAt(lane, x);
  if (at >= 0 || lane.n === 0) return at;
  const i = lane.firstEndingAfter(x);
  let best = -1, dist = tol;
  for (const j of [i - 1, i]) {
    if (j < 0 || j >= lane.n) continue;
    const d = x < lane.t0[j] ? lane.t0[j] - x : x - lane.t1[j];
    if (d <= dist) { best = j; dist = d; }
  }
  return best;
}

/* The hand-offs around [a, b) on thread lane `self`: who held the GIL last before a (the holding segment of
   another thread lane that started before a, the latest to end: {lane, at: its end}) and who takes it next (the
   first holding segment of another lane starting after the segment's middle: {lane, at: its start}). From the
   probes (thread lanes 1..n); holding: the state code. */
export function handoffsAround(timeline, self, a, b, holding) {
  let before = null, after = null;
  const mid = (a + b) / 2;
  timeline.lanes.forEach((lane, row) => {
    if (row === 0 || row === self || lane.n === 0) return;
    lane.ensureSorted();
    for (let j = lane.firstStartingAt(a) - 1, k = 0; j >= 0 && k < 256; j--, k++) {
      if (lane.cat[j] !== holding) continue;
      if (!before || lane.t1[j] > before.at) before = {lane: row, at: lane.t1[j]};
      break;
    }
    for (let j = lane.firstStartingAt(mid), k = 0; j < lane.n && k < 256; j++, k++) {
      if (lane.cat[j] !== holding) continue;
      if (!after || lane.t0[j] < after.at) after = {lane: row, at: lane.t0[j]};
      break;
    }
  });
  return {before, after};
}

/* Where the holder lane says "free" while a thread's probes say it holds the GIL, in [x0, x1]: the sampler
   missed it (it reads the holder now and then; the probes see every acquire and release). Spans as [a, b]
   merged, at most `max` (the rest joins the last). */
export function freeWhileHeld(timeline, x0, x1, freeCat, holding, max = 4000) {
  const holder = timeline.lanes[0];
  if (!holder || holder.n === 0) return [];
  holder.ensureSorted();
  const out = [];
  const add = (a, b) => {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1e-9) { last[1] = Math.max(last[1], b); return; }
    if (out.length >= max) { last[1] = Math.max(last[1], b); return; }
    out.push([a, b]);
  };
  const spans = [];
  for (let i = holder.firstEndingAfter(x0); i < holder.n && holder.t0[i] < x1; i++) {
    if (holder.cat[i] === freeCat) spans.push([Math.max(x0, holder.t0[i]), Math.min(x1, holder.t1[i])]);
  }
  if (!spans.length) return [];
  const hits = [];
  for (let row = 1; row < timeline.lanes.length; row++) {
    const lane = timeline.lanes[row];
    if (!lane.n) continue;
    lane.ensureSorted();
    for (const [a, b] of spans) {
      for (let j = lane.firstEndingAfter(a); j < lane.n && lane.t0[j] < b; j++) {
        if (lane.cat[j] !== holding) continue;
        const lo = Math.max(a, lane.t0[j]), hi = Math.min(b, lane.t1[j]);
        if (hi > lo) hits.push([lo, hi]);
      }
    }
  }
  hits.sort((p, q) => p[0] - q[0]);
  for (const [a, b] of hits) add(a, b);
  return out;
}

/* What the holder lane saw, from a run's summary: {seen, handoffs, periodMs, fold, medianMs} or null when
   nothing was sampled. fold: the median slice is shorter than two sample periods (the samples cannot draw
   it: most hand-offs fall between two reads). */
export function holderSight(summary) {
  const sm = summary && summary.sampler;
  if (!sm || !sm.rate_hz) return null;
  const periodMs = 1000 / sm.rate_hz;
  const seen = sm.holder_handoffs ?? null;  // what the samples saw change hands (not the probes' count)
  const medianMs = summary.slice_ms ? summary.slice_ms.p50 : null;
  const fold = typeof medianMs === "number" && medianMs < 2 * periodMs;
  return {seen, handoffs: summary.handoffs ?? null, periodMs, fold, medianMs};
}

/* The interval to offer next: a tenth of this one (or ten times it when that is off the scale), the nearest
   stop. */
export function otherInterval(steps, ms) {
  const want = ms / 10 >= steps[0] ? ms / 10 : ms * 10;
  return steps.reduce((best, s) => (Math.abs(Math.log(s / want)) < Math.abs(Math.log(best / want)) ? s : best), steps[0]);
}
