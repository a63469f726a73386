// rangefigures.js: a timeline window's own figures, from the segments the page holds.
import {test} from "node:test";
import assert from "node:assert/strict";
import {Timeline, traceLayout} from "../../gilscope/static/traces.js";
import {counterBetween, windowFigures} from "../../gilscope/static/rangefigures.js";

const CONFIG = {
  states: [{code: 0, name: "holding", colour: "#2e9d58"}, {code: 1, name: "waiting", colour: "#e4572e"},
    {code: 2, name: "io", colour: "#3a7bd5"}, {code: 3, name: "native", colour: "#9b59b6"}],
  holder: {free: -1, other: -2, free_colour: "#d0d0d0", other_colour: "#555555"},
  thread_colours: ["#111111", "#222222"],
};
const HOLDING = 0, WAITING = 1, IO = 2;

/* Two CPU threads taking turns every 5 ms from 0 to 100 ms (thread 0 first), and a sleeper from 50 ms. */
function turns() {
  const t = new Timeline(traceLayout(CONFIG));
  t.clear(3);
  const segs = [];
  for (let k = 0; k < 20; k++) {
    const a = 5 * k, b = a + 5, who = k % 2;
    segs.push([who, HOLDING, a, b], [1 - who, WAITING, a, b]);
  }
  for (let a = 50; a < 100; a += 2) segs.push([2, IO, a, a + 1.5], [2, WAITING, a + 1.5, a + 2]);
  t.addSegments(segs);
  return t;
}

const near = (x, y, eps = 1e-9) => assert.ok(Math.abs(x - y) <= eps, `${x} vs ${y}`);

test("each thread's held, waiting and other milliseconds are its segments clipped to the window", () => {
  const f = windowFigures(turns(), 12, 32, HOLDING, WAITING);
  assert.equal(f.start, 12);
  assert.equal(f.end, 32);
  assert.equal(f.width, 20);
  const [t0, t1, sleeper] = f.threads;
  // thread 0 holds 10-15, 20-25, 30-35: 3 + 5 + 2 in the window; waits the rest
  near(t0.heldMs, 10);
  near(t0.waitingMs, 10);
  near(t1.heldMs, 10);
  near(t0.heldShare + t0.waitingShare + t0.otherShare, 1);
  assert.equal(sleeper.heldMs + sleeper.waitingMs + sleeper.otherMs, 0);  // not started: no segment, no share
  assert.deepEqual(f.threads.map(t => t.lane), [1, 2, 3]);
});

test("hand-offs inside the window: a holding segment after another thread's, the one before the window counts", () => {
  const t = turns();
  assert.equal(windowFigures(t, 12, 32, HOLDING, WAITING).handoffs, 4);  // at 15, 20, 25, 30
  assert.equal(windowFigures(t, 15, 20, HOLDING, WAITING).handoffs, 1);  // at 15: thread 0 held until then
  assert.equal(windowFigures(t, 15.5, 19.5, HOLDING, WAITING).handoffs, 0);  // inside one slice
  assert.equal(windowFigures(t, 0, 100, HOLDING, WAITING).handoffs, 19);
  // the same thread taking the GIL again (after I/O) is no hand-off
  const again = new Timeline(traceLayout(CONFIG));
  again.clear(2);
  again.addSegments([[0, HOLDING, 0, 5], [0, IO, 5, 6], [0, HOLDING, 6, 10], [1, WAITING, 0, 10], [1, HOLDING, 10, 12]]);
  assert.equal(windowFigures(again, 0, 12, HOLDING, WAITING).handoffs, 1);
});

test("shares never pass 100 % and an empty or too busy window says so", () => {
  const t = turns();
  for (const [a, b] of [[0, 100], [3.3, 7.7], [49, 51], [90, 140]]) {
    for (const th of windowFigures(t, a, b, HOLDING, WAITING).threads) {
      assert.ok(th.heldShare + th.waitingShare + th.otherShare <= 1 + 1e-9, `${a}..${b}`);
    }
  }
  assert.deepEqual(windowFigures(t, 5, 5, HOLDING, WAITING).threads, []);
  const busy = windowFigures(t, 0, 100, HOLDING, WAITING, 10);
  assert.equal(busy.tooMany, 20 + 20 + 50);
});

test("the switch counter between the first and last tick inside the window, or nothing", () => {
  const ticks = [[100, 10], [200, 30], [300, 55], [400, 80]];
  assert.deepEqual(counterBetween(ticks, 150, 420), {from: 200, to: 400, count: 50});
  assert.equal(counterBetween(ticks, 150, 250), null);  // one tick: no interval
  assert.equal(counterBetween([[100, null], [200, null]], 0, 300), null);
});
