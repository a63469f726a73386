/* gilscope: the figures of a time window of the timeline, from the segments the page already holds. Pure: no
   document, no window, no Plotly (Node's tests import it).

   Per thread, the window's milliseconds in each state as the in-thread probes drew them (holding the GIL,
   waiting for it, the rest: I/O, sleep or native code), each clipped to the window, and its share of the
   window; what is left is time the thread has no segment for (not started yet, ended, or not seen). The
   hand-offs inside the window are those the timeline shows: a holding segment that begins in the window after
   another thread's holding segment (the same definition as the tooltip's "held until"). The switch counter's own
   count comes with the ticks, every 100 ms or so: counterBetween() gives it between the first and last tick
   inside the window, never more finely than that. */

export const MAX_SEGMENTS = 400000;  // more in the window than this: not counted here (the page stays responsive)

/* The window [a, b] ms of timeline (lane 0: the holder, lanes 1..n: threads): {start, end, width, threads:
   [{lane, heldMs, waitingMs, otherMs, heldShare, waitingShare, otherShare}], handoffs, segments}, or
   {tooMany: n} when the window holds more than `max` thread segments. holding, waiting: the state codes. */
export function windowFigures(timeline, a, b, holding, waiting, max = MAX_SEGMENTS) {
  const width = b - a;
  const out = {start: a, end: b, width, threads: [], handoffs: 0, segments: 0};
  if (!(width > 0)) return out;
  const lanes = timeline.lanes;
  const ranges = [];  // per thread lane: [first, end) indices of its segments that meet the window
  let total = 0;
  for (let row = 1; row < lanes.length; row++) {
    const lane = lanes[row];
    lane.ensureSorted();
    const i0 = lane.firstEndingAfter(a), i1 = lane.firstStartingAt(b);
    ranges.push([i0, Math.max(i0, i1)]);
    total += Math.max(0, i1 - i0);
  }
  if (total > max) return {tooMany: total, start: a, end: b, width};
  out.segments = total;
  for (let row = 1; row < lanes.length; row++) {
    const lane = lanes[row], [i0, i1] = ranges[row - 1];
    let held = 0, wait = 0, other = 0;
    for (let i = i0; i < i1; i++) {
      const d = Math.min(b, lane.t1[i]) - Math.max(a, lane.t0[i]);
      if (!(d > 0)) continue;
      if (lane.cat[i] === holding) held += d; else if (lane.cat[i] === waiting) wait += d; else other += d;
    }
    out.threads.push({lane: row, heldMs: held, waitingMs: wait, otherMs: other,
      heldShare: held / width, waitingShare: wait / width, otherShare: other / width});
  }
  out.handoffs = handoffsIn(lanes, ranges, a, holding);
  return out;
}

/* Hand-offs between threads that the thread lanes show inside the window: the lanes' holding segments merged in
   time order (each lane is sorted), counting each that begins at or after a and follows another lane's. The
   holder before the window is the lane whose last holding segment before a began latest. */
function handoffsIn(lanes, ranges, a, holding) {
  let last = -1, lastStart = -Infinity;
  const at = [];  // per lane: the next index to look at
  ranges.forEach(([i0], k) => {
    const lane = lanes[k + 1];
    for (let j = i0, n = 0; j >= 0 && n < 256; j--, n++) {  // the latest holding segment that began before a
      if (j >= lane.n || lane.t0[j] >= a || lane.cat[j] !== holding) continue;
      if (lane.t0[j] > lastStart) { lastStart = lane.t0[j]; last = k; }
      break;
    }
    at.push(i0);
  });
  let count = 0;
  for (;;) {
    let pick = -1, t = Infinity;
    for (let k = 0; k < ranges.length; k++) {
      const lane = lanes[k + 1];
      let i = at[k];
      while (i < ranges[k][1] && (lane.cat[i] !== holding || lane.t0[i] < a)) i++;
      at[k] = i;
      if (i < ranges[k][1] && lane.t0[i] < t) { t = lane.t0[i]; pick = k; }
    }
    if (pick < 0) return count;
    if (last >= 0 && pick !== last) count++;
    last = pick;
    at[pick]++;
  }
}

/* The switch counter's hand-offs between the first and the last tick inside [a, b]: samples are [t_ms,
   handoffs so far] in time order (a tick's figures.handoffs). {from, to, count}, or null when fewer than two
   ticks fall inside the window (or the counter was not read). */
export function counterBetween(samples, a, b) {
  let first = null, last = null;
  for (const s of samples) {
    if (s[0] < a || s[1] === null || s[1] === undefined) continue;
    if (s[0] > b) break;
    if (!first) first = s;
    last = s;
  }
  if (!first || last === first || !(last[0] > first[0])) return null;
  return {from: first[0], to: last[0], count: Math.max(0, last[1] - first[1])};
}
