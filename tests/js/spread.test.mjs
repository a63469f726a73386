// spread.js: medians and whiskers, the baseline's figure, the machine's load, a group's progress and a sweep's points.
import {test} from "node:test";
import assert from "node:assert/strict";
import {baselineFigure, dotOffsets, errorBars, groupStep, machineNotes, median, newlyEnded, repeatChips, spreadOf,
  logRange, logTicks, SWEEP_FIGURES, sweepPoint, sweepSeries} from "../../gilscope/static/spread.js";

const close = (a, b) => assert.ok(Math.abs(a - b) < 1e-9, `${a} != ${b}`);

test("median: odd and even counts, non-numbers skipped, none is null", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([5, null, "7", NaN, Infinity]), 5);
  assert.equal(median([]), null);
  assert.equal(median(undefined), null);
});

test("spreadOf: min and max only from two values on", () => {
  assert.deepEqual(spreadOf([2, 8, 3]), {value: 3, lo: 2, hi: 8, n: 3});
  assert.deepEqual(spreadOf([2]), {value: 2, lo: null, hi: null, n: 1});
  assert.deepEqual(spreadOf([null]), {value: null, lo: null, hi: null, n: 0});
});

test("errorBars: whiskers from lo to hi around the value, none where a point has no spread", () => {
  const e = errorBars([{value: 1, lo: 0.5, hi: 1.6}, {value: 2, lo: null, hi: null}, {value: null, lo: 1, hi: 2}]);
  assert.equal(e.type, "data");
  assert.equal(e.symmetric, false);
  close(e.array[0], 0.6);
  close(e.arrayminus[0], 0.5);
  assert.deepEqual([e.array[1], e.arrayminus[1], e.array[2]], [null, null, null]);
  assert.equal(errorBars([{value: 1, lo: null, hi: null}]), null);
  assert.equal(errorBars([]), null);
});

test("errorBars: a value outside its own min-max gets no negative whisker", () => {
  const e = errorBars([{value: 1, lo: 1.2, hi: 2}]);
  assert.equal(e.arrayminus[0], 0);
  close(e.array[0], 1);
});

const BASELINE = {threaded_over_sequential: 0.98, ratio_min: 0.42, ratio_max: 1.58, pairs: 4,
  pair_ratios: [1.01, 1.58, null, 0.42], threaded_wall_s: 1.1, sequential_wall_s: 1.19};

test("baselineFigure: both rounds' wall times, the ratio with its min-max, the pairs", () => {
  const f = baselineFigure(BASELINE);
  assert.equal(f.threaded, 1.1);
  assert.equal(f.sequential, 1.19);
  assert.deepEqual(f.ratio, {value: 0.98, lo: 0.42, hi: 1.58});
  assert.equal(f.pairs, 4);
  assert.deepEqual(f.pairRatios, [1.01, 1.58, 0.42]);
});

test("baselineFigure: nothing to draw without both wall times (runs recorded before they were measured)", () => {
  assert.equal(baselineFigure(undefined), null);
  assert.equal(baselineFigure({sequential_wall_s: 1.2}), null);  // the old shape: compared with summary.wall_s
  const noRatio = baselineFigure({threaded_wall_s: 1, sequential_wall_s: 2, threaded_over_sequential: null,
    ratio_min: 0.5, ratio_max: 2, pairs: 0});
  assert.deepEqual(noRatio.ratio, {value: null, lo: null, hi: null});
});

test("dotOffsets: spread evenly across the bar, symmetric, one dot in the middle", () => {
  assert.deepEqual(dotOffsets(0), []);
  assert.deepEqual(dotOffsets(1), [0]);
  assert.deepEqual(dotOffsets(3, 0.2), [-0.2, 0, 0.2]);
  const d = dotOffsets(10);
  assert.equal(d.length, 10);
  close(d[0], -d[9]);
});

const quiet = {ok: true, detail: "", cpus: 2, busy_cores: 1, run_cores: 0.9, others_cores: 0.1, others_share: 0.05,
  disturbed: false};
const busy = Object.assign({}, quiet, {others_cores: 1.08, others_share: 0.54, disturbed: true});
const unknown = {ok: false, detail: "no /proc/stat: the machine's load is unknown", cpus: 2, busy_cores: null,
  run_cores: null, others_cores: null, others_share: null, disturbed: null};

test("machineNotes: a quiet machine says nothing; a busy one says how busy, in which phase", () => {
  assert.deepEqual(machineNotes({machine: quiet}), []);
  assert.deepEqual(machineNotes({}), []);  // a run recorded before the load was measured
  assert.deepEqual(machineNotes(null), []);
  assert.deepEqual(machineNotes({machine: busy}), [{kind: "busy", others: 1.08, cpus: 2, detail: ""}]);
  assert.deepEqual(machineNotes({machine: quiet, baseline: {machine: busy}}),
    [{kind: "busy_baseline", others: 1.08, cpus: 2, detail: ""}]);
  assert.deepEqual(machineNotes({machine: busy, baseline: {machine: busy}}).map(n => n.kind), ["busy", "busy_baseline"]);
});

test("machineNotes: an unreadable load is one quiet note, unless a warning already stands", () => {
  assert.deepEqual(machineNotes({machine: unknown}), [{kind: "unknown", others: null, cpus: null, detail: unknown.detail}]);
  assert.deepEqual(machineNotes({machine: unknown, baseline: {machine: unknown}}).map(n => n.kind), ["unknown"]);
  assert.deepEqual(machineNotes({machine: unknown, baseline: {machine: busy}}).map(n => n.kind), ["busy_baseline"]);
});

const GROUP = {kind: "lesson", repeats: 2, current: "r3", runs: [
  {id: "r1", key: "a", repeat: 0, status: "done"}, {id: "r2", key: "b", repeat: 0, status: "failed"},
  {id: "r3", key: "a", repeat: 1, status: "running"}, {id: null, key: "b", repeat: 1, status: "planned"}]};

test("groupStep: the run in flight, its place in its repeat and its label", () => {
  assert.deepEqual(groupStep(GROUP, {a: "Run A"}),
    {msg: "lesson_run_rep", vars: {i: 1, n: 2, r: 2, R: 2, label: "Run A"}});
  assert.deepEqual(groupStep({...GROUP, repeats: 1}, {}).msg, "lesson_run_n");
  assert.equal(groupStep({...GROUP, current: null}), null);  // waiting for the queue, or over
  const sweep = {kind: "sweep", repeats: 1, current: "s2", runs: [
    {id: "s1", key: "0.1ms", repeat: 0, interval_s: 0.0001}, {id: "s2", key: "0.5ms", repeat: 0, interval_s: 0.0005}]};
  const step = groupStep(sweep);
  assert.equal(step.msg, "sweep_run");
  assert.deepEqual([step.vars.k, step.vars.n], [2, 2]);
  assert.ok(Math.abs(step.vars.i - 0.5) < 1e-12);
});

test("newlyEnded: each ended run once", () => {
  const seen = new Set();
  assert.deepEqual(newlyEnded(GROUP, seen).map(r => r.id), ["r1", "r2"]);
  assert.deepEqual(newlyEnded(GROUP, seen), []);
  const later = {...GROUP, runs: GROUP.runs.map(r => (r.id === "r3" ? {...r, status: "done"} : r))};
  assert.deepEqual(newlyEnded(later, seen).map(r => r.id), ["r3"]);
});

test("repeatChips: a chip per repeat, numbered; disagreement when the verdicts differ", () => {
  const v = {verdict: "inconclusive", repeats: [{verdict: "confirmed", figure: "1.9×"}, {verdict: "nuanced", figure: "1.4×"}]};
  const r = repeatChips(v);
  assert.deepEqual(r.chips, [{n: 1, verdict: "confirmed", figure: "1.9×"}, {n: 2, verdict: "nuanced", figure: "1.4×"}]);
  assert.equal(r.disagree, true);
  assert.equal(repeatChips({repeats: [{verdict: "confirmed", figure: "1"}, {verdict: "confirmed", figure: "2"}]}).disagree, false);
  assert.deepEqual(repeatChips({verdict: "confirmed"}), {chips: [], disagree: false});
});

const run = (handoffs, ratio) => ({handoffs_per_s: handoffs, throughput_units_per_s: 100, io_wake_latency_ms: null,
  baseline: ratio ? {threaded_over_sequential: ratio[0], ratio_min: Math.min(...ratio), ratio_max: Math.max(...ratio),
    pair_ratios: ratio, pairs: ratio.length, threaded_wall_s: 1, sequential_wall_s: 1} : undefined});

test("sweepPoint: one repeat has no spread; several give median and min-max", () => {
  assert.deepEqual(sweepPoint([run(200)], SWEEP_FIGURES.handoffs), {value: 200, lo: null, hi: null, n: 1});
  assert.deepEqual(sweepPoint([run(200), run(180), run(260)], SWEEP_FIGURES.handoffs), {value: 200, lo: 180, hi: 260, n: 3});
  assert.deepEqual(sweepPoint([run(200)], SWEEP_FIGURES.wake), {value: null, lo: null, hi: null, n: 0});
});

test("sweepPoint: the ratio pools every pair of every repeat", () => {
  assert.deepEqual(sweepPoint([run(1, [1.0, 1.2, 0.9])], SWEEP_FIGURES.ratio), {value: 1.0, lo: 0.9, hi: 1.2, n: 1});
  assert.deepEqual(sweepPoint([run(1, [1.0, 1.2, 0.9]), run(1, [1.5, 1.1])], SWEEP_FIGURES.ratio),
    {value: 1.1, lo: 0.9, hi: 1.5, n: 2});
  assert.deepEqual(sweepPoint([run(1)], SWEEP_FIGURES.ratio), {value: null, lo: null, hi: null, n: 0});
});

test("sweepPoint: a ratio without its pairs still has its own min-max", () => {
  const s = {baseline: {threaded_over_sequential: 1.1, ratio_min: 0.9, ratio_max: 1.3}};
  assert.deepEqual(sweepPoint([s], SWEEP_FIGURES.ratio), {value: 1.1, lo: 0.9, hi: 1.3, n: 1});
});

test("sweepSeries: x ascending, whiskers only when some point has a spread", () => {
  const once = sweepSeries(new Map([[5, [run(200)]], [0.1, [run(9000)]]]), SWEEP_FIGURES.handoffs);
  assert.deepEqual(once.x, [0.1, 5]);
  assert.deepEqual(once.y, [9000, 200]);
  assert.equal(once.error_y, null);
  const twice = sweepSeries([[0.1, [run(9000), run(8000)]], [5, [run(200)]]], SWEEP_FIGURES.handoffs);
  assert.deepEqual(twice.y, [8500, 200]);
  assert.deepEqual(twice.error_y.array, [500, null]);
  assert.deepEqual(twice.error_y.arrayminus, [500, null]);
  assert.deepEqual(twice.n, [2, 1]);
});

test("logRange: a flat curve spans a decade around its middle; a steep one its own span, padded", () => {
  const flat = logRange({y: [25000, 30000], error_y: null});
  close(flat[1] - flat[0], 1);
  close((flat[0] + flat[1]) / 2, (Math.log10(25000) + Math.log10(30000)) / 2);
  const steep = logRange({y: [2750, 20], error_y: null});
  close(steep[0], Math.log10(20) - 0.05 * (Math.log10(2750) - Math.log10(20)));
  assert.equal(logRange({y: [null, 0], error_y: null}), null);
});

test("logRange: whiskers are inside the range; a whisker down to zero or below is left out", () => {
  const r = logRange({y: [100, 10], error_y: {array: [900, 0], arrayminus: [99, 10]}}, 1);
  assert.ok(r[1] >= 3 && r[0] <= 0, r);  // 1000 and 1 inside; 10 - 10 = 0 has no logarithm
});

test("logTicks: 1-2-5 per decade, every digit over about a decade, none for no range", () => {
  assert.deepEqual(logTicks([Math.log10(15), Math.log10(3000)]), [20, 50, 100, 200, 500, 1000, 2000]);
  assert.deepEqual(logTicks([Math.log10(15000), Math.log10(45000)]), [20000, 30000, 40000]);
  assert.deepEqual(logTicks([-1, 0]), [0.1, 0.2, 0.5, 1]);
  assert.deepEqual(logTicks(null), []);
});

test("baselineFigure: whether the machine's noise let the comparison decide, and the noise", () => {
  const loud = baselineFigure(Object.assign({}, BASELINE, {conclusive: false, noise_pct: 24, resolution_pct: 11.5}));
  assert.deepEqual([loud.conclusive, loud.noise, loud.res], [false, 24, 11.5]);
  const quiet = baselineFigure(Object.assign({}, BASELINE, {conclusive: true, noise_pct: 2.1, resolution_pct: 1.4}));
  assert.deepEqual([quiet.conclusive, quiet.noise, quiet.res], [true, 2.1, 1.4]);
  const old = baselineFigure(BASELINE);  // recorded before the noise was measured: nothing says it is noise
  assert.deepEqual([old.conclusive, old.noise, old.res], [true, null, null]);
});

test("sweepSeries: a point from a comparison the noise could not decide carries why; the others null", () => {
  const loud = (ratio, noise, res) => {
    const r = run(1, ratio);
    Object.assign(r.baseline, {conclusive: false, noise_pct: noise, resolution_pct: res});
    return r;
  };
  const s = sweepSeries(new Map([[5, [run(1, [1.0, 1.02])]], [0.1, [loud([1.1, 1.6], 20, 30), loud([1.2], 35, 12)]]]),
    SWEEP_FIGURES.ratio);
  assert.deepEqual(s.x, [0.1, 5]);
  assert.deepEqual(s.undecided, [{n: 2, noise: 35, res: 30}, null]);
  assert.equal(sweepSeries(new Map([[5, [run(200)]]]), SWEEP_FIGURES.handoffs).undecided[0], null);
});
