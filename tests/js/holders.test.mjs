// holders.js: which code held the GIL at a moment, the icicle of GIL-held time, marked spans, waits and long holds.
import {test} from "node:test";
import assert from "node:assert/strict";
import {basename, boxLines, C_CALL, icicle, longHoldBoxes, longHoldMs, nearest, parseFrame, ROOT, spanLines, spans,
  StackIndex, threadName, waitsGrid, where} from "../../gilscope/static/holders.js";

// A stacks event as the engine sends it (gilscope/analysis/holders.py stacks_event): two threads and "other".
const FRAMES = ["Thread.run (/usr/lib/python3.11/threading.py:982)", "grind (/tmp/hogs.py:17)",
  "backtrack (/tmp/hogs.py:22)", "main (app.py:5)"];
const EVENT = {
  type: "stacks", folded: [], frames: FRAMES, sample_ms: 5,
  samples: [
    [10, 0, 0, [0, 1]], [15, 0, 0, [0, 1]], [20, 1, 1, [0, 2]], [25, 1, 1, [0, 2]], [30, 1, 1, [0, 2]],
    [50, 0, 0, [0, 1]], [5, -1, 0, [3]], [40, 1, 0, []],  // out of order; an empty stack is no sample
  ],
};
const NAMES = ["grind", "backtrack"];

test("parseFrame, basename and where: the engine's frame strings, short", () => {
  assert.deepEqual(parseFrame("backtrack (/tmp/hogs.py:22)"), {fn: "backtrack", file: "/tmp/hogs.py", line: 22});
  assert.deepEqual(parseFrame("f (a (b).py:?)"), {fn: "f", file: "a (b).py", line: null});
  assert.deepEqual(parseFrame("[C call]"), {fn: "[C call]", file: "", line: null});
  assert.equal(basename("/a/b/app.py"), "app.py");
  assert.equal(basename("C:\\x\\app.py"), "app.py");
  assert.equal(where("/srv/app.py", 22), "app.py:22");
  assert.equal(where("/srv/app.py", null), "app.py");
  assert.equal(threadName(NAMES, 1), "backtrack");
  assert.equal(threadName(NAMES, -1), "other");
});

test("nearest: the closest of a sorted array, ties to the earlier", () => {
  const a = Float64Array.from([0, 10, 20]);
  assert.equal(nearest(a, -5), 0);
  assert.equal(nearest(a, 4), 0);
  assert.equal(nearest(a, 5), 0);
  assert.equal(nearest(a, 6), 1);
  assert.equal(nearest(a, 99), 2);
  assert.equal(nearest(new Float64Array(0), 1), -1);
});

test("StackIndex.at: the nearest sample of a lane's thread within one sample period, else nothing", () => {
  const ix = new StackIndex(EVENT, NAMES);
  assert.equal(ix.size, 7);  // the empty stack is left out
  const s = ix.at(21, 1);
  assert.equal(s.t, 20);
  assert.deepEqual(ix.leaf(s), {fn: "backtrack", file: "/tmp/hogs.py", line: 22, inC: true, thread: "backtrack"});
  assert.equal(ix.at(35, 1).t, 30);  // one period (5 ms) away: still that sample
  assert.equal(ix.at(36, 1), null);  // further: nothing sampled here (backtrack's 40 ms sample had no stack)
  assert.equal(ix.at(22, 0), null);  // grind's nearest is 15 ms, 7 ms away
  assert.equal(ix.at(12, 0).t, 10);
  assert.equal(ix.at(100, 0), null);
  // the holder lane: whichever thread held it
  assert.equal(ix.leaf(ix.at(6, null)).thread, "other");
  assert.equal(ix.leaf(ix.at(26, null)).fn, "backtrack");
  assert.equal(ix.at(500, null), null);
  assert.equal(new StackIndex({samples: [[1, 0, 0, [0]]], frames: FRAMES}, NAMES).at(1, 0), null);  // no period
  assert.equal(new StackIndex(null, NAMES).size, 0);
});

test("icicle: a root, a box per thread, frames outermost first and a C call under its line, in seconds", () => {
  const ix = new StackIndex(EVENT, NAMES);
  const colours = {grind: "#g", backtrack: "#b", other: "#o", "": "#root"};
  const ice = icicle(ix, {root: "GIL held", cCall: "in a C call"}, t => colours[t]);
  const node = id => {
    const i = ice.ids.indexOf(id);
    assert.ok(i >= 0, id);
    return {parent: ice.parents[i], label: ice.labels[i], value: ice.values[i], colour: ice.colours[i],
      seconds: ice.seconds[i], frame: ice.frames[i]};
  };
  assert.deepEqual(node(ROOT), {parent: "", label: "GIL held", value: 7, colour: "#root", seconds: 0.035, frame: ""});
  assert.equal(node("backtrack").value, 3);
  assert.equal(node("backtrack").parent, ROOT);
  const line = "backtrack;" + FRAMES[0] + ";" + FRAMES[2];
  assert.equal(node(line).label, "backtrack · hogs.py:22");
  assert.equal(node(line).parent, "backtrack;" + FRAMES[0]);
  assert.equal(node(line + ";" + C_CALL).label, "in a C call");
  assert.equal(node(line + ";" + C_CALL).colour, "#b");
  assert.equal(ice.depth, 5);  // root, thread, two frames, the C call: every level is drawn at once
  assert.equal(node("grind;" + FRAMES[0] + ";" + FRAMES[1]).value, 3);
  assert.ok(Math.abs(node("grind;" + FRAMES[0] + ";" + FRAMES[1]).seconds - 0.015) < 1e-12);
  assert.equal(node("other;" + FRAMES[3]).label, "main · app.py:5");
  // every parent holds at least its children's total (branchvalues "total": whole counts, no rounding)
  for (let i = 0; i < ice.ids.length; i++) {
    const kids = ice.ids.map((_, j) => j).filter(j => ice.parents[j] === ice.ids[i]);
    assert.ok(Number.isInteger(ice.values[i]) && kids.reduce((a, j) => a + ice.values[j], 0) <= ice.values[i]);
  }
});

test("matching and spans: a node's samples as merged stretches on the holder lane and the thread's own", () => {
  const ix = new StackIndex(EVENT, NAMES);
  assert.equal(ix.matching(ROOT).length, 7);
  assert.equal(ix.matching("backtrack").length, 3);
  assert.equal(ix.matching("backtrack;" + FRAMES[0] + ";" + FRAMES[2] + ";" + C_CALL).length, 3);
  assert.equal(ix.matching("grind;" + FRAMES[0]).length, 3);
  assert.equal(ix.matching("grin").length, 0);  // a prefix of a name is not a node
  const sp = spans(ix.matching("grind"), 5);
  assert.deepEqual(sp, [{lane: 0, t0: 7.5, t1: 17.5}, {lane: 1, t0: 7.5, t1: 17.5}, {lane: 0, t0: 47.5, t1: 52.5},
    {lane: 1, t0: 47.5, t1: 52.5}]);
  assert.deepEqual(spans(ix.matching("other"), 5), [{lane: 0, t0: 2.5, t1: 7.5}]);  // no lane of its own
  assert.deepEqual(spanLines(sp.slice(0, 1)), {x: [7.5, 17.5, null], y: [0, 0, null]});
});

test("long holds: boxed on the holder lane and the holder's lane; the threshold is the engine's rule", () => {
  const longs = [{thread: "backtrack", function: "backtrack", file: "/tmp/hogs.py", line: 22, in_c_call: true,
    start_ms: 100, held_ms: 160}, {thread: "ghost", function: null, file: null, line: null, in_c_call: false,
    start_ms: 5, held_ms: 60}];
  const boxes = longHoldBoxes(longs, NAMES);
  assert.deepEqual(boxes.map(b => [b.lane, b.t0, b.t1]), [[0, 100, 260], [2, 100, 260], [0, 5, 65]]);
  const lines = boxLines(boxes.slice(1, 2), 0.4);
  assert.deepEqual(lines.x, [100, 260, 260, 100, 100, null]);
  assert.deepEqual(lines.y, [1.6, 1.6, 2.4, 2.4, 1.6, null]);
  const config = {marks: {long_hold_min_ms: 50, long_hold_intervals: 10}};
  assert.equal(longHoldMs(config, 0.005), 50);
  assert.equal(longHoldMs(config, 0.02), 200);
  assert.equal(longHoldMs({}, 0.02), 0);
});

test("waitsGrid: waiters as columns, the holders' lines as rows, heaviest first, gaps as null", () => {
  const w = (waiter, holder, fn, line, s) => ({waiter, holder_thread: holder, function: fn, file: "/tmp/hogs.py",
    line, waited_s: s, stack: []});
  const g = waitsGrid([w("dozer", "backtrack", "backtrack", 22, 2.4), w("grind", "backtrack", "backtrack", 22, 2.3),
    w("dozer", "grind", "grind", 17, 0.2), w("backtrack", "grind", "grind", 17, 0.2), w("dozer", "grind", "grind", 16, 0.05)]);
  assert.deepEqual(g.waiters, ["dozer", "grind", "backtrack"]);
  assert.deepEqual(g.rows.map(r => [r.thread, r.fn, r.line]), [["backtrack", "backtrack", 22], ["grind", "grind", 17],
    ["grind", "grind", 16]]);
  assert.deepEqual(g.z, [[2.4, 2.3, null], [0.2, null, 0.2], [0.05, null, null]]);
  assert.equal(g.more, 0);
  const top = waitsGrid([w("a", "b", "f", 1, 1), w("a", "b", "g", 2, 2), w("a", "b", "h", 3, 3)], 2);
  assert.deepEqual(top.rows.map(r => r.fn), ["h", "g"]);
  assert.equal(top.more, 1);
  assert.deepEqual(waitsGrid(undefined), {waiters: [], rows: [], z: [], more: 0});
});
