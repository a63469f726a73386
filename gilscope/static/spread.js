/* gilscope: how much a figure moved, and how busy the machine was. Pure: no document, no window, no Plotly
   (Node's tests import it).

   A figure measured once on a shared machine is one draw from a spread. The threads-vs-one-thread ratio comes
   with its own (the median of interleaved pairs, and their min and max); a lesson or a sweep that repeats its
   runs gets one from the repeats. These helpers turn either into what the page draws: a value with whiskers
   from lo to hi, and the words that say how it was measured. */

const num = x => (typeof x === "number" && Number.isFinite(x) ? x : null);

/* The median of the finite numbers in xs (the mean of the middle two for an even count), or null. */
export function median(xs) {
  const v = (xs || []).map(num).filter(x => x !== null).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/* Values measured several times: {value: their median, lo: min, hi: max, n}; lo and hi only with two or more. */
export function spreadOf(values) {
  const v = (values || []).map(num).filter(x => x !== null);
  if (!v.length) return {value: null, lo: null, hi: null, n: 0};
  return {value: median(v), lo: v.length > 1 ? Math.min(...v) : null, hi: v.length > 1 ? Math.max(...v) : null,
    n: v.length};
}

/* Plotly error bars for points {value, lo, hi}: whiskers from lo to hi where a point has a spread, none
   elsewhere; null when no point has one. */
export function errorBars(points) {
  const has = p => num(p.value) !== null && num(p.lo) !== null && num(p.hi) !== null;
  if (!points.some(has)) return null;
  return {type: "data", symmetric: false, visible: true,
    array: points.map(p => (has(p) ? Math.max(0, p.hi - p.value) : null)),
    arrayminus: points.map(p => (has(p) ? Math.max(0, p.value - p.lo) : null))};
}

/* What the threads-vs-one-thread figure draws from summary.baseline: both rounds' wall times, and the ratio
   (median of the pair ratios) with its min-max and the pairs behind it, and whether the machine's noise let it
   decide a 5% difference (conclusive; noise: identical rounds' difference in %, res: the smallest difference it
   tells apart, in %; a run recorded before they were measured counts as conclusive). null for a baseline without
   both wall times (a run recorded before they were measured: its old figures meant something else). */
export function baselineFigure(b) {
  if (!b || num(b.threaded_wall_s) === null || num(b.sequential_wall_s) === null) return null;
  const value = num(b.threaded_over_sequential);
  const lo = num(b.ratio_min), hi = num(b.ratio_max);
  return {
    threaded: b.threaded_wall_s, sequential: b.sequential_wall_s,
    ratio: {value, lo: value !== null ? lo : null, hi: value !== null ? hi : null},
    pairs: num(b.pairs) || 0,
    pairRatios: (b.pair_ratios || []).map(num).filter(x => x !== null),
    conclusive: b.conclusive !== false, noise: num(b.noise_pct), res: num(b.resolution_pct),
    busy: Boolean(b.machine && b.machine.disturbed),  // other processes took CPU while the rounds ran
  };
}

/* Where a run's pair ratios sit around the ratio's bar (x = 0, bar half-width w): spread evenly across it, so
   that equal ratios do not hide each other. */
export function dotOffsets(n, w = 0.25) {
  if (n <= 1) return n === 1 ? [0] : [];
  return Array.from({length: n}, (_, i) => Number((-w + 2 * w * i / (n - 1)).toFixed(6)));
}

/* What the page says about the machine's load, from summary.machine and summary.baseline.machine: a list of
   {kind, others, cpus} with kind "busy" (others took enough CPU during the run to disturb it), "busy_baseline"
   (during the comparison with one thread) or "unknown" (the load could not be read). Empty when all was quiet
   or the run predates the measurement. */
export function machineNotes(summary) {
  const out = [];
  if (!summary) return out;
  const phases = [["busy", summary.machine], ["busy_baseline", summary.baseline && summary.baseline.machine]];
  let unknown = false;
  for (const [kind, m] of phases) {
    if (!m) continue;
    if (m.ok === false) { unknown = true; continue; }
    if (m.disturbed) out.push({kind, others: num(m.others_cores), cpus: num(m.cpus), detail: m.detail || ""});
  }
  if (unknown && !out.length) {
    const m = [summary.machine, summary.baseline && summary.baseline.machine].find(x => x && x.ok === false);
    out.push({kind: "unknown", others: null, cpus: null, detail: m.detail || ""});
  }
  return out;
}

/* Where a group the server runs (GET /api/groups/{id}) stands: the string-table key and values that say which run
   is in flight (its place in its repeat, the repeat, the lesson run's label from labels, or a sweep point's
   interval in ms), or null when none is (the group waits for the queue, or is over). */
export function groupStep(group, labels = {}) {
  const runs = (group && group.runs) || [];
  const run = runs.find(r => r.id && r.id === group.current);
  if (!run) return null;
  const same = runs.filter(r => r.repeat === run.repeat);
  const k = same.indexOf(run) + 1, n = same.length, r = run.repeat + 1, R = Math.max(1, group.repeats || 1);
  if (group.kind === "sweep") {
    return {msg: R > 1 ? "sweep_run_rep" : "sweep_run", vars: {i: run.interval_s * 1000, k, n, r, R}};
  }
  return {msg: R > 1 ? "lesson_run_rep" : "lesson_run_n", vars: {i: k, n, r, R, label: labels[run.key] || run.key}};
}

/* The runs of a group that have ended since the last look (seen: a Set of their ids, updated). */
export function newlyEnded(group, seen) {
  const out = [];
  for (const r of (group && group.runs) || []) {
    if (r.id && ["done", "failed", "cancelled"].includes(r.status) && !seen.has(r.id)) {
      seen.add(r.id);
      out.push(r);
    }
  }
  return out;
}

/* The repeats of a verdict as chips ({n, verdict, figure}), and whether they disagree (the verdict is then
   "inconclusive" because noise moved the deciding figure across a threshold). */
export function repeatChips(verdict) {
  const reps = (verdict && verdict.repeats) || [];
  const chips = reps.map((r, k) => ({n: k + 1, verdict: r.verdict, figure: r.figure}));
  const kinds = new Set(chips.map(c => c.verdict));
  return {chips, disagree: kinds.size > 1};
}

/* The figures a sweep draws, each read from one run's summary as {value, samples}: samples are values measured
   inside the run (the baseline's pair ratios), pooled across repeats; undecided, for a comparison the machine's
   noise could not decide, {noise, res} in % (see baselineFigure). */
export const SWEEP_FIGURES = {
  handoffs: s => ({value: num(s.handoffs_per_s)}),
  throughput: s => ({value: num(s.throughput_units_per_s)}),
  wake: s => ({value: s.io_wake_latency_ms ? num(s.io_wake_latency_ms.p50) : null}),
  requests: s => ({value: s.network ? num(s.network.requests_per_s) : null}),
  ratio: s => {
    const b = s.baseline;
    if (!b) return {value: null};
    const pairs = (b.pair_ratios || []).map(num).filter(x => x !== null);
    const undecided = b.conclusive === false ? {noise: num(b.noise_pct), res: num(b.resolution_pct)} : null;
    return {value: num(b.threaded_over_sequential), samples: pairs, lo: num(b.ratio_min), hi: num(b.ratio_max),
      undecided};
  },
};

/* The comparisons behind a sweep point that the machine's noise could not decide: null when every one could, else
   {n: how many, noise, res: the largest of theirs, in %}. */
function undecidedOf(got) {
  const loud = got.map(g => g.undecided).filter(Boolean);
  if (!loud.length) return null;
  const most = k => Math.max(...loud.map(u => (u[k] === null ? -Infinity : u[k])));
  const noise = most("noise"), res = most("res");
  return {n: loud.length, noise: Number.isFinite(noise) ? noise : null, res: Number.isFinite(res) ? res : null};
}

/* One sweep point from its repeats' summaries: the median and min-max over the repeats; for a figure measured
   in pairs inside each run (the ratio), the median and min-max of every pair of every repeat, and undecided:
   null, or {n, noise, res} when n of its comparisons could not decide a 5% difference. */
export function sweepPoint(summaries, read) {
  const got = summaries.map(read).filter(g => g.value !== null);
  if (!got.length) return {value: null, lo: null, hi: null, n: 0};
  const pooled = got.flatMap(g => g.samples || []);
  if (pooled.length) {
    const s = spreadOf(pooled);
    const undecided = undecidedOf(got);
    return Object.assign({value: s.value, lo: s.lo, hi: s.hi, n: got.length}, undecided ? {undecided} : {});
  }
  if (got.length === 1 && num(got[0].lo) !== null && num(got[0].hi) !== null) {
    return {value: got[0].value, lo: got[0].lo, hi: got[0].hi, n: 1};
  }
  const s = spreadOf(got.map(g => g.value));
  return {value: s.value, lo: s.lo, hi: s.hi, n: got.length};
}

/* A sweep's curve for one figure: points is a Map (or entries) interval_ms -> [summary, ...]; x ascending, y the
   points' values, error_y their spread (null when no point has one), n the repeats behind each point, undecided
   per point (null, or the comparisons the noise could not decide: see sweepPoint). */
export function sweepSeries(points, read) {
  const entries = [...points].sort((a, b) => a[0] - b[0]);
  const pts = entries.map(([, summaries]) => sweepPoint(summaries, read));
  return {x: entries.map(e => e[0]), y: pts.map(p => p.value), error_y: errorBars(pts), n: pts.map(p => p.n),
    undecided: pts.map(p => p.undecided || null)};
}

/* A log axis's range (log10 units, as Plotly wants it) that holds every positive value of a curve and its
   whiskers and spans at least `decades`: a flat curve is drawn flat, and its small whiskers small, instead of
   being stretched over the whole height. null without a positive value. */
export function logRange(curve, decades = 1) {
  const vals = [];
  (curve.y || []).forEach((v, i) => {
    if (num(v) === null) return;
    const e = curve.error_y;
    vals.push(v);
    if (e && num(e.array[i]) !== null) vals.push(v + e.array[i]);
    if (e && num(e.arrayminus[i]) !== null) vals.push(v - e.arrayminus[i]);
  });
  const logs = vals.filter(v => v > 0).map(Math.log10);
  if (!logs.length) return null;
  const lo = Math.min(...logs), hi = Math.max(...logs), span = hi - lo;
  if (span < decades) {
    const mid = (lo + hi) / 2;
    return [mid - decades / 2, mid + decades / 2];
  }
  return [lo - 0.05 * span, hi + 0.05 * span];
}

/* Tick values for a log axis over range (log10 units): 1, 2 and 5 times each power of ten inside it, or every
   digit's multiple when that gives fewer than three (a range of about a decade). The page writes them with fmt,
   in its language, instead of Plotly's bare digits between powers of ten. */
export function logTicks(range) {
  if (!range || !(range[1] > range[0])) return [];
  const pick = mantissas => {
    const out = [];
    for (let k = Math.floor(range[0]); k <= Math.ceil(range[1]); k++) {
      for (const m of mantissas) {
        const v = Number((m * 10 ** k).toPrecision(12)), l = Math.log10(v);
        if (l >= range[0] - 1e-9 && l <= range[1] + 1e-9) out.push(v);
      }
    }
    return out;
  };
  const coarse = pick([1, 2, 5]);
  return coarse.length >= 3 ? coarse : pick([1, 2, 3, 4, 5, 6, 7, 8, 9]);
}
