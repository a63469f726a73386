// viewport.js: the timeline's window, its ticks, the tooltip's look-ups and the holder lane's honesty.
import {test} from "node:test";
import assert from "node:assert/strict";
import {Timeline, buildTraces, traceLayout} from "../../gilscope/static/traces.js";
import {axisTicks, centreWindow, clampWindow, freeWhileHeld, handoffsAround, holderSight, keyWindow, openWindow,
  otherInterval, segmentNear, spanWindow} from "../../gilscope/static/viewport.js";

const CONFIG = {
  states: [{code: 0, name: "holding", colour: "#2e9d58"}, {code: 1, name: "waiting", colour: "#e4572e"},
    {code: 2, name: "io", colour: "#3a7bd5"}, {code: 3, name: "native", colour: "#9b59b6"}],
  holder: {free: -1, other: -2, free_colour: "#d0d0d0", other_colour: "#555555"},
  thread_colours: ["#111111", "#222222"],
};
const L = traceLayout(CONFIG);
const HOLDING = 0, WAITING = 1;
const WORDS = {ms: "ms", s: "s", after: "{u} after {t}"};
const num = (x, d) => x.toFixed(d);

test("a run opens on twenty switch intervals: at its tail while it streams, about its middle once done", () => {
  assert.deepEqual(openWindow(5, [0, 3000], "tail"), [2900, 3000]);
  assert.deepEqual(openWindow(5, [0, 3000], "middle"), [1450, 1550]);
  assert.deepEqual(openWindow(0.1, [0, 3000], "start"), [0, 2]);
  assert.deepEqual(openWindow(100, [0, 1000], "middle"), [0, 1000]);  // shorter than twenty intervals: all of it
  for (const iv of [5, 0.1, 0.05, 100]) {
    const [a, b] = openWindow(iv, [0, 10000], "middle");
    assert.ok((b - a) / iv >= 10 && (b - a) / iv <= 80, `${iv} ms: ${a}..${b}`);
  }
});

test("the window stays inside the run, its width kept", () => {
  assert.deepEqual(clampWindow(-50, 50, [0, 1000]), [0, 100]);
  assert.deepEqual(clampWindow(950, 1050, [0, 1000]), [900, 1000]);
  assert.deepEqual(clampWindow(0, 5000, [0, 1000]), [0, 1000]);
  assert.deepEqual(centreWindow(500, [0, 100], [0, 1000]), [450, 550]);
});

test("one click spans one interval, ten, or the whole run, about the window's middle", () => {
  assert.deepEqual(spanWindow(1, 5, [100, 200], [0, 3000]), [147.5, 152.5]);
  assert.deepEqual(spanWindow(10, 5, [100, 200], [0, 3000]), [125, 175]);
  assert.deepEqual(spanWindow(null, 5, [100, 200], [0, 3000]), [0, 3000]);
});

test("W and S zoom about the middle, A and D pan, other keys are not the timeline's", () => {
  const full = [0, 1000], w = [400, 600];
  const zin = keyWindow("w", w, full), zout = keyWindow("S", w, full);
  assert.ok(zin[1] - zin[0] < 200 && Math.abs((zin[0] + zin[1]) / 2 - 500) < 1e-9, zin);
  assert.ok(zout[1] - zout[0] > 200 && Math.abs((zout[0] + zout[1]) / 2 - 500) < 1e-9, zout);
  assert.ok(keyWindow("a", w, full)[0] < 400 && keyWindow("d", w, full)[0] > 400);
  assert.equal(keyWindow("x", w, full), null);
  assert.deepEqual(keyWindow("a", [0, 200], full), [0, 200]);  // at the start: stays
});

test("ticks: ms with decimals, relative to the window far from zero, never year-like", () => {
  const near = axisTicks(0, 100, 900, num, WORDS);
  assert.equal(near.title, "ms");
  assert.ok(near.vals.length >= 5 && near.text[0] === "0" && near.text.includes("50"), near.text);
  const far = axisTicks(2004, 2011, 900, num, WORDS);
  assert.equal(far.text[0], "2.004 s");
  assert.ok(far.text.slice(1).every(t => t.startsWith("+")), far.text);
  assert.equal(far.title, "ms after 2.004 s");
  assert.ok(!far.text.some(t => /^20\d\d$/.test(t)), far.text);
  const fine = axisTicks(1509.5, 1511.5, 900, num, WORDS);
  assert.ok(fine.text.includes("+0.2"), fine.text);
  const secs = axisTicks(0, 30000, 900, num, WORDS);
  assert.equal(secs.title, "s");
  assert.ok(secs.text.includes("10"), secs.text);
});

function timeline() {
  const t = new Timeline(L);
  t.clear(2);
  // thread 0 holds 0-5, waits 5-10, holds 10-15; thread 1 waits 0-5, holds 5-10, waits 10-15
  t.addSegments([[0, HOLDING, 0, 5], [0, WAITING, 5, 10], [0, HOLDING, 10, 15],
    [1, WAITING, 0, 5], [1, HOLDING, 5, 10], [1, WAITING, 10, 15]]);
  // the sampler saw thread 0, then free 4.8-6 (it missed thread 1's start), then thread 1, then thread 0
  t.addHolder([[0, 4.8, 0], [4.8, 6, -1], [6, 10.2, 1], [10.2, 15, 0]]);
  return t;
}

test("the tooltip's segment and the hand-offs around it", () => {
  const t = timeline();
  assert.equal(segmentNear(t.lanes[2], 7, 0.1), 1);
  assert.equal(segmentNear(t.lanes[2], 15.05, 0.1), 2);  // a pixel past the end still finds it
  assert.equal(segmentNear(t.lanes[2], 16, 0.1), -1);
  const h = handoffsAround(t, 2, 5, 10, HOLDING);
  assert.deepEqual(h.before, {lane: 1, at: 5});  // thread 0 held it until 5
  assert.deepEqual(h.after, {lane: 1, at: 10});  // and takes it back at 10
});

test("the holder lane never says free where a probe says holding without a sampling gap", () => {
  const t = timeline();
  assert.deepEqual(freeWhileHeld(t, 0, 15, L.free, HOLDING), [[4.8, 6]]);
  assert.deepEqual(freeWhileHeld(t, 5.5, 15, L.free, HOLDING), [[5.5, 6]]);
  assert.deepEqual(freeWhileHeld(t, 7, 15, L.free, HOLDING), []);
});

test("what the holder lane saw, and when it folds", () => {
  const s = {handoffs: 11600, slice_ms: {p50: 0.35}, sampler: {rate_hz: 2700, holder_handoffs: 2833}};
  const sight = holderSight(s);
  assert.equal(sight.seen, 2833);
  assert.equal(sight.handoffs, 11600);
  assert.ok(Math.abs(sight.periodMs - 0.37) < 0.01);
  assert.equal(sight.fold, true);  // 0.35 ms slices, a read every 0.37 ms
  assert.equal(holderSight({...s, slice_ms: {p50: 5}}).fold, false);
  assert.equal(holderSight({handoffs: 3, sampler: {rate_hz: null}}), null);
});

test("no slice is drawn narrower than a pixel", () => {
  const t = new Timeline(L);
  t.clear(1);
  t.addSegments([[0, HOLDING, 10, 10.001]]);
  const tr = buildTraces(t, 0, 100, 100, 2000, 1);
  assert.deepEqual(tr.x[HOLDING].slice(0, 2), [10, 11]);
  const exact = buildTraces(t, 0, 100, 100, 2000);
  assert.deepEqual(exact.x[HOLDING].slice(0, 2), [10, 10.001]);
});

test("run again at a tenth of the interval, or ten times it at the bottom of the scale", () => {
  const steps = [0.05, 0.07, 0.1, 0.5, 1, 5, 10, 50, 100];
  assert.equal(otherInterval(steps, 5), 0.5);
  assert.equal(otherInterval(steps, 0.1), 1);
  assert.equal(otherInterval(steps, 0.05), 0.5);
});
