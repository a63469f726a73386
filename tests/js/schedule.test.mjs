// schedule.js: queued jobs run within a per-frame budget; chores (draws) take a frame of their own.
import {test} from "node:test";
import assert from "node:assert/strict";
import {FrameScheduler} from "../../gilscope/static/schedule.js";

/* A fake clock and frame source: frames run when the test says so. */
function fake(budgetMs = 4) {
  const clock = {t: 0};
  const frames = [];
  const s = new FrameScheduler({now: () => clock.t, frame: (cb, delay) => frames.push({cb, at: clock.t + (delay || 0)}),
    budgetMs});
  const runFrame = () => {
    frames.sort((a, b) => a.at - b.at);
    const f = frames.shift();
    if (!f) return false;
    clock.t = Math.max(clock.t, f.at);
    f.cb();
    clock.t += 16;  // the rest of the frame
    return true;
  };
  return {s, clock, frames, runFrame};
}

test("jobs run in order, a budget's worth per frame, at least one", () => {
  const {s, clock, runFrame} = fake(4);
  const done = [];
  for (let i = 0; i < 10; i++) s.push(() => { clock.t += 1.5; done.push(i); });
  assert.equal(done.length, 0);  // nothing runs where it is queued
  runFrame();
  assert.deepEqual(done, [0, 1, 2]);  // 4.5 ms: the third job crossed the 4 ms budget
  runFrame();
  assert.deepEqual(done, [0, 1, 2, 3, 4, 5]);
  s.push(() => { clock.t += 50; done.push("big"); });
  while (runFrame());
  assert.equal(done.length, 11);
  assert.equal(s.pending, 0);
});

test("a chore waits for its time and the empty queue, then takes a frame alone", () => {
  const {s, clock, runFrame} = fake(4);
  const log = [];
  s.chore("draw", () => log.push("draw"), 100);
  s.push(() => log.push("job"));
  runFrame();
  assert.deepEqual(log, ["job"]);
  while (runFrame());
  assert.deepEqual(log, ["job", "draw"]);
  assert.ok(clock.t >= 100);
});

test("asking for the same chore again keeps one, at the earlier time, with the latest function", () => {
  const {s, runFrame} = fake();
  const log = [];
  s.chore("draw", () => log.push("first"), 500);
  s.chore("draw", () => log.push("second"), 1000);
  s.chore("draw", () => log.push("third"), 0);
  while (runFrame());
  assert.deepEqual(log, ["third"]);
});

test("a chore overdue by a second runs even while jobs keep coming", () => {
  const {s, clock, runFrame} = fake(4);
  const log = [];
  s.chore("draw", () => log.push("draw"), 0);
  const flood = () => s.push(() => { clock.t += 5; s.push(flood); });
  flood();
  flood();
  for (let i = 0; i < 200 && !log.length; i++) runFrame();
  assert.deepEqual(log, ["draw"]);
  assert.ok(clock.t >= 1000 && clock.t < 1100, clock.t);
});

test("cancel drops a chore; drain runs every job at once", () => {
  const {s, runFrame} = fake();
  const log = [];
  s.chore("draw", () => log.push("draw"));
  s.cancel("draw");
  for (let i = 0; i < 3; i++) s.push(() => log.push(i));
  s.drain();
  assert.deepEqual(log, [0, 1, 2]);
  while (runFrame());
  assert.deepEqual(log, [0, 1, 2]);
});

test("with only a later chore waiting, the next frame is asked for when it is due", () => {
  const {s, frames} = fake();
  s.chore("draw", () => {}, 300);
  assert.equal(frames.length, 1);
  assert.equal(frames[0].at, 300);
  s.chore("other", () => {}, 0);  // an earlier need asks for an earlier frame
  assert.equal(frames.length, 2);
  assert.equal(frames[1].at, 0);
});

test("chores asked for at -Infinity run first, in the order asked, even while jobs wait", () => {
  const {s, runFrame} = fake(4);
  const log = [];
  s.chore("draw", () => log.push("draw"), 0);
  s.chore("make", () => log.push("make"), -Infinity);
  s.chore("clear", () => log.push("clear"), -Infinity);
  s.chore("make", () => log.push("make2"), -Infinity);  // asked again: its place and the latest fn
  for (let i = 0; i < 3; i++) s.push(() => log.push("job"));
  runFrame();
  assert.deepEqual(log, ["make2"]);  // a frame of its own, before the queued jobs
  runFrame();
  assert.deepEqual(log, ["make2", "clear"]);
  while (runFrame());
  assert.deepEqual(log, ["make2", "clear", "job", "job", "job", "draw"]);
});
