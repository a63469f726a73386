// traces.js: segments to Plotly trace arrays, and what decimation keeps of them.
import {test} from "node:test";
import assert from "node:assert/strict";
import {buildTraces, decimateLane, DRAW_BUDGET, histogram, holderTrace, Lane, niceStep, Progress, Timeline,
  traceLayout} from "../../gilscope/static/traces.js";

// The shape of GET /api/page-config (gilscope/web/page_config.py); values as the server has them.
const CONFIG = {
  states: [{code: 0, name: "holding", colour: "#2e9d58"}, {code: 1, name: "waiting", colour: "#e4572e"},
    {code: 2, name: "io", colour: "#3a7bd5"}, {code: 3, name: "native", colour: "#9b59b6"}],
  holder: {free: -1, other: -2, free_colour: "#d0d0d0", other_colour: "#555555"},
  thread_colours: Array.from({length: 16}, (_, i) => "#0000" + String(i).padStart(2, "0")),
  lanes: 16,
};
const L = traceLayout(CONFIG);
const HOLDING = 0, WAITING = 1, IO = 2;

function collect(lane, x0, x1, px, maxExact) {
  const out = [];
  const n = decimateLane(lane, x0, x1, px, maxExact, (a, b, c) => out.push([a, b, c]));
  assert.equal(n, out.length);
  return out;
}

test("traceLayout: states, then free, other, one trace per thread colour", () => {
  assert.deepEqual([L.nStates, L.free, L.other, L.firstThread, L.count], [4, 4, 5, 6, 22]);
  assert.equal(holderTrace(L, -1), L.free);
  assert.equal(holderTrace(L, -2), L.other);
  assert.equal(holderTrace(L, 0), 6);
  assert.equal(holderTrace(L, 15), 21);
  assert.equal(holderTrace(L, 17), 7);  // more threads than colours: the colours repeat
});

test("buildTraces: each segment a, b, null on its lane's row, in its state's trace", () => {
  const t = new Timeline(L);
  t.clear(2);
  t.addSegments([[0, HOLDING, 0, 10], [1, WAITING, 0, 10], [0, WAITING, 10, 12], [1, HOLDING, 10, 12]]);
  t.addHolder([[0, 10, 0], [10, 11, -1], [11, 12, 1]]);
  const {x, y, segments} = buildTraces(t, 0, 100, 1000);
  assert.equal(segments, 7);
  assert.equal(x.length, 22);
  assert.deepEqual(x[HOLDING], [0, 10, null, 10, 12, null]);
  assert.deepEqual(y[HOLDING], [1, 1, null, 2, 2, null]);
  assert.deepEqual(x[WAITING], [10, 12, null, 0, 10, null]);
  assert.deepEqual(y[WAITING], [1, 1, null, 2, 2, null]);
  assert.deepEqual([x[L.firstThread], y[L.firstThread]], [[0, 10, null], [0, 0, null]]);
  assert.deepEqual(x[L.free], [10, 11, null]);
  assert.deepEqual(x[L.firstThread + 1], [11, 12, null]);
  assert.deepEqual(x[IO], []);
  assert.equal(t.end(), 12);
  assert.equal(t.segments, 7);
});

test("buildTraces: only the window, and segments that cross its edges", () => {
  const t = new Timeline(L);
  t.clear(1);
  t.addSegments([[0, HOLDING, 0, 10], [0, WAITING, 10, 20], [0, HOLDING, 20, 30], [0, IO, 30, 40]]);
  const {x} = buildTraces(t, 15, 25, 500);
  assert.deepEqual(x[WAITING], [10, 20, null]);
  assert.deepEqual(x[HOLDING], [20, 30, null]);
  assert.deepEqual(x[IO], []);
  assert.equal(buildTraces(t, 50, 60, 500).segments, 0);
  assert.equal(buildTraces(t, 10, 10, 500).segments, 0);
});

/* Time per category in segments [[a, b, cat], ...]. */
function timeIn(segs) {
  const t = {};
  for (const [a, b, c] of segs) t[c] = (t[c] || 0) + (b - a);
  return t;
}
const near = (a, b, eps = 1e-6) => Math.abs(a - b) <= eps;

test("decimation: segments shorter than a pixel become columns that keep each state's time", () => {
  const lane = new Lane(4);
  // 1000 ms alternating: 0.1 ms holding, 0.3 ms waiting (a thread among four at a tiny interval)
  for (let k = 0; k < 2500; k++) { lane.push(0.4 * k, 0.4 * k + 0.1, HOLDING); lane.push(0.4 * k + 0.1, 0.4 * k + 0.4, WAITING); }
  const out = collect(lane, 0, 1000, 100, 1000);
  assert.ok(out.length <= 102, out.length);  // about one per column: not 5000
  const t = timeIn(out);
  assert.ok(near(t[HOLDING], 250) && near(t[WAITING], 750), JSON.stringify(t));  // a quarter held, as it was
  // each 10 ms column: 2.5 ms holding and 7.5 waiting side by side, the order alternating so neighbours join
  assert.deepEqual(out.slice(0, 3).map(([a, b, c]) => [+a.toFixed(6), +b.toFixed(6), c]),
    [[0, 2.5, HOLDING], [2.5, 17.5, WAITING], [17.5, 22.5, HOLDING]]);
});

test("decimation: long segments span columns, gaps stay gaps, a column's states lie side by side", () => {
  const lane = new Lane();
  lane.push(0, 4, HOLDING);     // column 0 (10 ms): 4 ms holding, 6 ms io
  lane.push(4, 10, IO);
  lane.push(10, 45, HOLDING);   // columns 1-4 holding ...
  lane.push(45, 46, WAITING);   // ... with 1 ms waiting and 0.5 ms io in column 4
  lane.push(46, 46.5, IO);
  lane.push(70, 100, WAITING);  // columns 5-6: nothing; 7-9 waiting
  const out = collect(lane, 0, 100, 10, 10);  // 6 segments on 10 px: too narrow to keep, binned
  const round = out.map(([a, b, c]) => [+a.toFixed(6), +b.toFixed(6), c]);
  assert.deepEqual(round, [[0, 4, HOLDING], [4, 10, IO], [10, 45, HOLDING], [45, 46, WAITING], [46, 46.5, IO],
    [70, 100, WAITING]]);
});

test("decimation: few segments in the window are kept exactly (zoomed in: full detail)", () => {
  const lane = new Lane();
  for (let t = 0; t < 10000; t += 4) { lane.push(t, t + 1, HOLDING); lane.push(t + 1, t + 4, WAITING); }
  const out = collect(lane, 1000, 1020, 1000, 1000);
  assert.deepEqual(out.slice(0, 3), [[1000, 1001, HOLDING], [1001, 1004, WAITING], [1004, 1005, HOLDING]]);
  assert.equal(out.length, 10);
  // The same window at 5 pixels: binned, a quarter holding in each 4 ms column
  const binned = collect(lane, 1000, 1020, 5, 5);
  assert.ok(binned.length <= 6, binned.length);
  assert.ok(near(timeIn(binned)[HOLDING], 5));
});

test("decimation caps what a lane gives Plotly at about one segment per pixel", () => {
  const t = new Timeline(L);
  t.clear(16);
  let k = 0;
  const segs = [];
  for (let ms = 0; ms < 10000; ms += 0.05, k++) {
    for (let th = 0; th < 16; th++) segs.push([th, th === k % 16 ? HOLDING : WAITING, ms, ms + 0.05]);
  }
  t.addSegments(segs);
  assert.equal(t.segments, segs.length);  // 3.2 million kept ...
  const px = 1000;
  const {x, segments} = buildTraces(t, 0, 10000, px);
  assert.ok(segments <= DRAW_BUDGET, segments);  // ... a budget's worth drawn, however many lanes
  const points = x.reduce((n, a) => n + a.length, 0);
  assert.ok(points <= 3 * 17 * px, points);
  // Zoomed to 2 ms: every segment in it, as it is.
  const zoom = buildTraces(t, 5000, 5002, px);
  assert.ok(zoom.segments >= 16 * 40 && zoom.segments <= 16 * 42, zoom.segments);
});

test("few segments, but narrower than pixels (a run's first tick on its whole time axis), are binned", () => {
  const lane = new Lane();
  for (let t = 0; t < 100; t += 1) { lane.push(t, t + 0.25, HOLDING); lane.push(t + 0.25, t + 1, WAITING); }
  // 200 segments in 100 ms of a 4000 ms axis 1000 px wide: 25 px of data, so a few dozen segments, not 200
  const out = collect(lane, 0, 4000, 1000, 1000);
  assert.ok(out.length <= 30, out.length);
  assert.ok(near(timeIn(out)[HOLDING], 25));
  // the same segments zoomed to their 100 ms: 10 px each, drawn as they are
  assert.equal(collect(lane, 0, 100, 2000, 1000).length, 200);
});

test("lanes grow, and a segment out of order is sorted in before a draw", () => {
  const lane = new Lane(2);
  lane.push(10, 20, HOLDING);
  lane.push(0, 10, WAITING);
  lane.push(20, 30, IO);
  lane.push(5, 5, IO);  // empty: ignored
  assert.equal(lane.n, 3);
  assert.equal(lane.sorted, false);
  assert.deepEqual(collect(lane, 0, 30, 300, 10), [[0, 10, WAITING], [10, 20, HOLDING], [20, 30, IO]]);
  assert.equal(lane.sorted, true);
});

test("Progress: one time axis for every thread", () => {
  const p = new Progress(2);
  p.add(0.1, [5, 7]);
  p.add(0.2, [9]);
  p.add(0.3, null);
  assert.deepEqual(p.traces(), {x: [[0.1, 0.2], [0.1, 0.2]], y: [[5, 9], [7, null]]});
});

test("histogram: nice bins, every value counted once, centres and width for a bar trace", () => {
  const {x, y, width, over} = histogram([0.1, 0.2, 0.25, 4.9, 5, 5.1, 9.99], 10, 1);
  assert.equal(width, 1);
  assert.equal(over, 0);
  assert.equal(y.reduce((a, b) => a + b, 0), 7);
  assert.deepEqual(x, [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5]);
  assert.deepEqual(y, [3, 0, 0, 0, 1, 2, 0, 0, 0, 1]);
  assert.equal(niceStep(100, 40), 5);
  assert.equal(niceStep(0.03, 40), 0.001);
  assert.deepEqual(histogram([], 10), {x: [], y: [], width: 1, over: 0, overFrom: null});
  const one = histogram([3, 3, 3], 40);  // no spread: one bin
  assert.deepEqual(one.y, [3]);
  assert.deepEqual(histogram([1, null, NaN, 2], 1).y.reduce((a, b) => a + b, 0), 2);
});

test("histogram: a long tail past the 99th percentile is counted apart, not squeezing the bins", () => {
  const values = Array.from({length: 990}, (_, i) => 0.1 + (i % 100) / 1000);  // 0.1 .. 0.199 ms
  for (let i = 0; i < 10; i++) values.push(12 + i);  // ten slices of 12 ms and more
  const h = histogram(values, 40);
  assert.equal(h.over, 10);
  assert.equal(h.width, 0.005);  // bins for 0.1 .. 0.2 ms, not for 0.1 .. 21 ms
  assert.equal(h.y.reduce((a, b) => a + b, 0) + h.over, 1000);
  assert.ok(h.overFrom > 0.199 && h.overFrom <= 0.205, h.overFrom);
});

test("dropBefore: a live look keeps its window; what ends earlier goes, in every lane", () => {
  const t = new Timeline(L);
  t.clear(1);
  t.addSegments([[0, HOLDING, 0, 10], [0, WAITING, 10, 25], [0, HOLDING, 25, 40]]);
  t.addHolder([[0, 12, 0], [12, 40, -1]]);
  assert.equal(t.segments, 5);
  t.dropBefore(20);
  assert.equal(t.segments, 3);  // [10, 25) still reaches into the window: kept whole
  assert.deepEqual([t.lanes[1].n, t.lanes[1].t0[0], t.lanes[0].n, t.lanes[0].t0[0]], [2, 10, 1, 12]);
  assert.equal(t.start(), 10);
  assert.equal(t.end(), 40);
  t.dropBefore(100);
  assert.equal(t.segments, 0);
  assert.equal(t.start(), 0);
});
