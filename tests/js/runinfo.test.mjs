// runinfo.js: the history's filters in the address, paging, what ran, figures and their differences, and a
// stored run's event stream read back.
import {test} from "node:test";
import assert from "node:assert/strict";
import {compareLink, decided, difference, differenceText, figureOf, filtersFromQuery, intervalMs, langHref, listingPath, mixDetail,
  mixText, pageInfo, parseSSE, queryFromFilters, replay, whenText, whiskers} from "../../gilscope/static/runinfo.js";

test("filters: read from the address, unknown and empty ones left out, page 1 by default", () => {
  assert.deepEqual(filtersFromQuery("?kind=cpu&interval_ms=5&status=&lang=uk&page=3"),
    {filters: {kind: "cpu", interval_ms: "5"}, page: 3});
  assert.deepEqual(filtersFromQuery(""), {filters: {}, page: 1});
  assert.deepEqual(filtersFromQuery("?page=0&interval_ms=abc"), {filters: {}, page: 1});
  assert.deepEqual(filtersFromQuery("?page=-2&lesson=C3&source=trace").filters, {lesson: "C3", source: "trace"});
});

test("filters: written back into the address, round trip, other parameters kept", () => {
  const f = {kind: "cpu", interval_ms: "0.5", status: "done", lesson: "C3", source: "run"};
  const q = queryFromFilters(f, 2, {lang: "uk"});
  assert.equal(q, "?lang=uk&kind=cpu&interval_ms=0.5&status=done&lesson=C3&source=run&page=2");
  assert.deepEqual(filtersFromQuery(q), {filters: f, page: 2});
  assert.equal(queryFromFilters({}, 1), "");
  assert.equal(queryFromFilters({kind: ""}, 1, {lang: null}), "");
});

test("langHref: the language switch keeps the page's query", () => {
  assert.equal(langHref("?runs=a,b&lang=en", "uk"), "?runs=a%2Cb&lang=uk");
  assert.equal(langHref("", "en"), "?lang=en");
  assert.equal(langHref("?kind=cpu&page=2", "uk"), "?kind=cpu&page=2&lang=uk");
});

test("listingPath: the API's names and units, the page as an offset", () => {
  assert.equal(listingPath({kind: "cpu", interval_ms: "5"}, 3, 20),
    "/api/runs?kind=cpu&interval_s=0.005&limit=20&offset=40");
  assert.equal(listingPath({interval_ms: "0.05"}, 1, 20), "/api/runs?interval_s=0.00005&limit=20&offset=0");
  assert.equal(listingPath({}, 1, 20), "/api/runs?limit=20&offset=0");
});

test("pageInfo: rows from..to of total, and where the pages are", () => {
  assert.deepEqual(pageInfo(0, 20, 45), {from: 1, to: 20, total: 45, page: 1, pages: 3, hasPrev: false, hasNext: true});
  assert.deepEqual(pageInfo(40, 20, 45), {from: 41, to: 45, total: 45, page: 3, pages: 3, hasPrev: true, hasNext: false});
  assert.deepEqual(pageInfo(0, 20, 0), {from: 0, to: 0, total: 0, page: 1, pages: 1, hasPrev: false, hasNext: false});
  assert.deepEqual(pageInfo(20, 20, 40, 20).hasNext, false);
  assert.equal(pageInfo(60, 20, 45).from, 0);  // past the end (runs were deleted meanwhile): nothing shown
});

test("compareLink: 2 to max runs, in the order picked", () => {
  assert.equal(compareLink(["a"], 8), null);
  assert.equal(compareLink(new Set(["b", "a"]), 8), "/compare?runs=b,a");
  assert.equal(compareLink("abcdefghi".split(""), 8), null);
});

test("mixText: kinds and threads, or a traced program's command line", () => {
  const run = {source: "run", spec: {mix: [{kind: "cpu", threads: 2, params: {chunk: 1000}},
    {kind: "sleep", threads: 1, params: {}}], switch_interval_s: 0.005}};
  assert.equal(mixText(run), "cpu×2 + sleep×1");
  assert.equal(mixDetail(run), "cpu×2 (chunk=1000) + sleep×1");
  assert.equal(mixDetail({spec: {mix: [{kind: "zlib", threads: 1, params: {level: 0.5}}]}}, "uk"), "zlib×1 (level=0,5)");
  const traced = {source: "trace", spec: {mix: [{kind: "trace", threads: 3}], program: ["python", "app.py", "-v"]}};
  assert.equal(mixText(traced), "python app.py -v");
  assert.equal(mixDetail(traced), "python app.py -v");
  const venv = {source: "trace", spec: {program: ["/srv/app/.venv/bin/python3", "-m", "pytest"]}};
  assert.equal(mixText(venv), "python3 -m pytest");
  assert.equal(mixDetail(venv), "/srv/app/.venv/bin/python3 -m pytest");
  assert.equal(mixText({}), "");
});

test("intervalMs: the spec's seconds as readable milliseconds", () => {
  assert.equal(intervalMs({switch_interval_s: 0.005}), 5);
  assert.equal(intervalMs({switch_interval_s: 0.00005}), 0.05);
  assert.equal(intervalMs({switch_interval_s: 0.0001}), 0.1);
  assert.equal(intervalMs({}), null);
});

test("whenText: a date and time in the page's language, the year only when it is not this one", () => {
  const t = Date.UTC(2026, 11, 6, 18, 5, 9) / 1000, later = Date.UTC(2026, 11, 31) / 1000;
  assert.match(whenText(t, "en", "UTC", later), /^6 Dec,? 18:05:09$/);
  assert.match(whenText(t, "uk", "UTC", later), /^6 груд\.,? 18:05:09$/);
  const nextYear = Date.UTC(2027, 0, 2) / 1000;
  assert.match(whenText(t, "en", "UTC", nextYear), /6 Dec 2026.*18:05:09/);
  assert.match(whenText(t, "uk", "UTC", nextYear), /6 груд\. 2026.*18:05:09/);
  assert.equal(whenText(null), "–");
});

test("figureOf: the comparison's figures from a summary, spreads where measured", () => {
  const s = {handoffs_per_s: 156, slice_ms: {p50: 5.4, p90: 6, n: 10}, cores_used: 0.9, io_wake_latency_ms: null,
    baseline: {threaded_over_sequential: 1.02, ratio_min: 0.83, ratio_max: 1.37, pairs: 5}};
  const plain = {conclusive: null, noise: null, res: null, busy: false};
  assert.deepEqual(figureOf(s, "handoffs_per_s"), {value: 156, lo: null, hi: null, pairs: null, ...plain});
  assert.equal(figureOf(s, "slice_p50").value, 5.4);
  assert.equal(figureOf(s, "wake_p50").value, null);
  assert.deepEqual(figureOf(s, "ratio"), {value: 1.02, lo: 0.83, hi: 1.37, pairs: 5, ...plain});
  assert.equal(figureOf({}, "ratio").value, null);
  assert.equal(figureOf(null, "ratio").value, null);
  assert.equal(figureOf(s, "nope").value, null);
});

test("figureOf and decided: a comparison its noise could not decide is marked, and no difference is read", () => {
  const loud = {baseline: {threaded_over_sequential: 0.74, ratio_min: 0.37, ratio_max: 2.4, pairs: 25,
    noise_pct: 17.3, resolution_pct: 26.2, conclusive: false}};
  const calm = {baseline: {threaded_over_sequential: 1.01, ratio_min: 0.97, ratio_max: 1.06, pairs: 25,
    noise_pct: 1.2, resolution_pct: 2.1, conclusive: true}};
  const a = figureOf(loud, "ratio"), b = figureOf(calm, "ratio");
  assert.equal(a.conclusive, false);
  assert.equal(a.noise, 17.3);
  assert.equal(a.res, 26.2);
  assert.equal(b.conclusive, true);
  assert.equal(decided(a, b), false);
  assert.equal(decided(b, a), false);
  assert.equal(decided(b, b), true);
  assert.equal(decided(figureOf(calm, "cores_used"), figureOf(loud, "cores_used")), true);
});

test("difference: absolute and relative to the first run, in words", () => {
  assert.deepEqual(difference(150, 100), {abs: 50, rel: 0.5});
  assert.deepEqual(difference(1, 0), {abs: 1, rel: null});
  assert.equal(difference(null, 100), null);
  assert.equal(differenceText(difference(150, 100)), "+50 (+50 %)");
  assert.equal(differenceText(difference(0.8, 1.2)), "−0.4 (−33 %)");
  assert.equal(differenceText(difference(0.75, 1.5), "uk"), "−0,75 (−50 %)");
  assert.equal(differenceText(difference(2, 2)), "±0");
  assert.equal(differenceText(null), "");
});

test("whiskers: from lo to hi where a run has a spread, none elsewhere", () => {
  const f = [{value: 1, lo: 0.8, hi: 1.5}, {value: 2, lo: null, hi: null}, {value: null, lo: null, hi: null}];
  const w = whiskers(f);
  assert.deepEqual(w.array.map(x => x === null ? null : Number(x.toFixed(6))), [0.5, null, null]);
  assert.deepEqual(w.arrayminus.map(x => x === null ? null : Number(x.toFixed(6))), [0.2, null, null]);
  assert.equal(w.symmetric, false);
  assert.equal(whiskers([{value: 1, lo: null, hi: null}]), null);
});

test("parseSSE: one string per event, multi-line data joined, comments and ids skipped", () => {
  const text = 'data: {"type": "queue"}\nid: 1\n\n: a comment\ndata: {"a":\ndata: 1}\nid: 2\r\n\r\ndata:x\n';
  assert.deepEqual(parseSSE(text), ['{"type": "queue"}', '{"a":\n1}', "x"]);
  assert.deepEqual(parseSSE(""), []);
});

test("replay: threads, segments and holder into the sink, the summary and how it ended", () => {
  const got = {segments: [], holder: []};
  const sink = {addSegments: s => got.segments.push(...s), addHolder: h => got.holder.push(...h)};
  const events = [
    JSON.stringify({type: "queue", position: 1}),
    JSON.stringify({type: "hello", threads: [{name: "cpu-1"}, {name: "cpu-2"}]}),
    JSON.stringify({type: "tick", t_s: 0.1, segments: [[0, 0, 0, 5], [1, 1, 0, 5]], holder: [[0, 5, 0]]}),
    "not json",
    JSON.stringify({type: "tick", t_s: 0.2, segments: [[1, 0, 5, 9.5]], holder: []}),
    JSON.stringify({type: "summary", summary: {handoffs: 1}}),
  ];
  const r = replay(events, sink);
  assert.deepEqual(r.threads, ["cpu-1", "cpu-2"]);
  assert.equal(got.segments.length, 3);
  assert.equal(got.holder.length, 1);
  assert.equal(r.endMs, 9.5);
  assert.deepEqual([r.status, r.error, r.summary], ["done", null, {handoffs: 1}]);
  const failed = replay([JSON.stringify({type: "failed", error: "boom"})], sink);
  assert.deepEqual([failed.status, failed.error, failed.threads], ["failed", "boom", []]);
  assert.equal(replay([], sink).status, null);
});
