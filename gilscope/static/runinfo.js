/* gilscope: stored runs in words and numbers, for the history, a run's permalink and the comparison. Pure: no
   document, no window, no Plotly (Node's tests import it).

   A stored run as GET /api/runs lists it: {id, created, status, error, spec, lesson, group_id, source, figures};
   GET /api/runs/{id} adds its whole summary. A traced program (source "trace") has spec.program instead of a
   mix of workload kinds. */

import {fmt} from "./format.js";

/* The history's filters, as the page's address carries them (?kind=cpu&interval_ms=5&status=done&lesson=C3
   &source=trace&page=2): a filtered view is a link. */
export const FILTERS = ["kind", "interval_ms", "status", "lesson", "source"];

/* Filters and page (1-based) from a query string ("?kind=cpu&page=2"); unknown and empty values left out. */
export function filtersFromQuery(search) {
  const q = new URLSearchParams(search || "");
  const filters = {};
  for (const k of FILTERS) {
    const v = (q.get(k) || "").trim();
    if (v) filters[k] = v;
  }
  if (filters.interval_ms !== undefined && !(Number(filters.interval_ms) > 0)) delete filters.interval_ms;
  const page = Math.floor(Number(q.get("page")));
  return {filters, page: page >= 1 ? page : 1};
}

/* The page's query string for filters and page ("" when neither is set); `keep` holds other parameters to keep
   (the language, say). */
export function queryFromFilters(filters, page = 1, keep = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(keep)) if (v !== undefined && v !== null && v !== "") q.set(k, v);
  for (const k of FILTERS) if (filters[k]) q.set(k, filters[k]);
  if (page > 1) q.set("page", String(page));
  const s = q.toString();
  return s ? "?" + s : "";
}

/* The language switch's address on a page whose query matters (filters, the runs compared): the same query with
   ?lang= set to the other language. */
export function langHref(search, lang) {
  const q = new URLSearchParams(search || "");
  q.set("lang", lang);
  return "?" + q.toString();
}

/* GET /api/runs for one page of the filtered history: the interval in seconds, as the API takes it. */
export function listingPath(filters, page, limit) {
  const q = new URLSearchParams();
  for (const k of FILTERS) {
    if (!filters[k]) continue;
    if (k === "interval_ms") q.set("interval_s", String(Number((Number(filters[k]) / 1000).toPrecision(12))));
    else q.set(k, filters[k]);
  }
  q.set("limit", String(limit));
  q.set("offset", String(Math.max(0, (page - 1) * limit)));
  return "/api/runs?" + q.toString();
}

/* Where a page of `limit` rows starting at `offset` sits among `total`: rows from..to (1-based; 0..0 when there
   are none), the page's number, the number of pages, and whether there is a page before and after. */
export function pageInfo(offset, limit, total, shown = null) {
  const n = shown === null ? Math.max(0, Math.min(limit, total - offset)) : shown;
  const from = n > 0 ? offset + 1 : 0, to = n > 0 ? offset + n : 0;
  return {from, to, total, page: Math.floor(offset / limit) + 1, pages: Math.max(1, Math.ceil(total / limit)),
    hasPrev: offset > 0, hasNext: offset + limit < total};
}

/* The selected runs for /compare: 2 to max of them, in the order they were picked. */
export function compareLink(ids, max) {
  const list = [...ids];
  if (list.length < 2 || list.length > max) return null;
  return "/compare?runs=" + list.map(encodeURIComponent).join(",");
}

/* What ran: "cpu×2 + sleep×1", or for a traced program its command line (the interpreter by its name, not its
   whole path: mixDetail has that). */
export function mixText(run) {
  const spec = (run && run.spec) || {};
  if (run && run.source === "trace" && Array.isArray(spec.program)) {
    const [first, ...rest] = spec.program;
    return [String(first || "").split("/").pop(), ...rest].join(" ");
  }
  return (spec.mix || []).map(g => `${g.kind}×${g.threads}`).join(" + ");
}

/* The same with each group's parameters, for a tooltip: "hashlib×2 (buffer_bytes=1024)". */
export function mixDetail(run, lang = "en") {
  const spec = (run && run.spec) || {};
  if (run && run.source === "trace") return Array.isArray(spec.program) ? spec.program.join(" ") : "";
  return (spec.mix || []).map(g => {
    const params = Object.entries(g.params || {}).map(([k, v]) => `${k}=${plainNumber(v, lang)}`);
    return `${g.kind}×${g.threads}` + (params.length ? ` (${params.join(", ")})` : "");
  }).join(" + ");
}

/* A parameter as it would be typed: no grouping, the language's decimal mark. */
function plainNumber(x, lang) {
  const s = String(x);
  return lang === "uk" ? s.replace(".", ",") : s;
}

/* The switch interval set for the run, ms (null when the spec has none). */
export function intervalMs(spec) {
  const s = spec && spec.switch_interval_s;
  return typeof s === "number" ? Number((s * 1000).toPrecision(12)) : null;
}

const LOCALES = {en: "en-GB", uk: "uk-UA"};
const dates = new Map();

/* When a run was created (seconds since the epoch), as a date and time in the page's language; the year only
   when it is not this year (now: seconds since the epoch). */
export function whenText(seconds, lang = "en", timeZone = undefined, now = Date.now() / 1000) {
  if (typeof seconds !== "number" || !Number.isFinite(seconds)) return "–";
  const withYear = yearOf(seconds, timeZone) !== yearOf(now, timeZone);
  const key = [lang, timeZone || "", withYear].join("|");
  let f = dates.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALES[lang] || lang, {year: withYear ? "numeric" : undefined, month: "short",
      day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone});
    dates.set(key, f);
  }
  return f.format(new Date(seconds * 1000));
}

function yearOf(seconds, timeZone) {
  return new Intl.DateTimeFormat("en", {year: "numeric", timeZone}).format(new Date(seconds * 1000));
}

/* The figures a comparison shows, each as the string-table key of its name, its unit key (or null) and how to
   read it (value, and the spread where the run measured one) from a run's summary. */
export const FIGURES = [
  {key: "handoffs_per_s", label: "fig_handoffs", unit: null,
    read: s => ({value: s.handoffs_per_s})},
  {key: "slice_p50", label: "fig_slice", unit: "u_ms",
    read: s => ({value: s.slice_ms ? s.slice_ms.p50 : null})},
  {key: "cores_used", label: "fig_cores", unit: null,
    read: s => ({value: s.cores_used})},
  {key: "wake_p50", label: "fig_wake", unit: "u_ms",
    read: s => ({value: s.io_wake_latency_ms ? s.io_wake_latency_ms.p50 : null})},
  {key: "ratio", label: "c_ratio", unit: null, prefix: "×",  // a ratio carries its unit: "×1.8"
    read: s => {
      const b = s.baseline || {};
      return {value: b.threaded_over_sequential, lo: b.ratio_min, hi: b.ratio_max, pairs: b.pairs,
        conclusive: typeof b.conclusive === "boolean" ? b.conclusive : null, noise: b.noise_pct,
        res: b.resolution_pct, busy: Boolean(b.machine && b.machine.disturbed)};
    }},
];

const num = x => (typeof x === "number" && Number.isFinite(x) ? x : null);

/* One figure of a summary: {value, lo, hi, pairs, noise, res}, each a finite number or null, and `conclusive`:
   false when the run's own noise could not decide the figure (a comparison with one thread), else true or null. */
export function figureOf(summary, key) {
  const f = FIGURES.find(x => x.key === key);
  const none = {value: null, lo: null, hi: null, pairs: null, conclusive: null, noise: null, res: null, busy: false};
  if (!f || !summary) return none;
  const r = f.read(summary);
  return {value: num(r.value), lo: num(r.lo), hi: num(r.hi), pairs: num(r.pairs),
    conclusive: typeof r.conclusive === "boolean" ? r.conclusive : null, noise: num(r.noise), res: num(r.res),
    busy: r.busy === true};
}

/* Whether two figures' difference means anything: not when either was left undecided by its run's noise. */
export function decided(f, base) {
  return f.conclusive !== false && base.conclusive !== false;
}

/* value against base: the difference and, when base is not zero, the relative difference (0.5 = 50 % more). */
export function difference(value, base) {
  if (num(value) === null || num(base) === null) return null;
  const abs = value - base;
  return {abs, rel: base !== 0 ? abs / Math.abs(base) : null};
}

/* A difference in words: "+45 (+17 %)", "−0.2 ms (−8.3 %)" with the figure's unit, "±0" for none. */
export function differenceText(d, lang = "en", unit = "") {
  if (!d) return "";
  if (d.abs === 0) return "±0";
  const sign = x => (x > 0 ? "+" : "−");
  let out = sign(d.abs) + fmt(Math.abs(d.abs), 3, lang) + (unit ? " " + unit : "");
  if (d.rel !== null) out += ` (${sign(d.rel)}${fmt(Math.abs(d.rel) * 100, 2, lang)} %)`;
  return out;
}

/* A ratio with its unit, "×1.8" ("–" for none). */
export function ratioText(x, lang = "en") {
  return num(x) === null ? "–" : "×" + fmt(x, 3, lang);
}

/* Plotly's error bars for a bar per run: whiskers from lo to hi where a run has a spread, none elsewhere. */
export function whiskers(figures) {
  const has = figures.some(f => f.value !== null && f.lo !== null && f.hi !== null);
  if (!has) return null;
  return {type: "data", symmetric: false, visible: true,
    array: figures.map(f => (f.value !== null && f.hi !== null ? Math.max(0, f.hi - f.value) : null)),
    arrayminus: figures.map(f => (f.value !== null && f.lo !== null ? Math.max(0, f.value - f.lo) : null))};
}

/* The data lines of a Server-Sent Events stream, one string per event (its data: lines joined). */
export function parseSSE(text) {
  const out = [];
  let data = null;
  for (const raw of String(text).split(/\r\n|\r|\n/)) {
    if (raw === "") {
      if (data !== null) out.push(data);
      data = null;
      continue;
    }
    if (raw.startsWith(":")) continue;
    const colon = raw.indexOf(":");
    const field = colon < 0 ? raw : raw.slice(0, colon);
    let value = colon < 0 ? "" : raw.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data = data === null ? value : data + "\n" + value;
  }
  if (data !== null) out.push(data);
  return out;
}

/* A run's recorded events replayed into a sink (a traces.js Timeline: addSegments, addHolder). Returns the run's
   threads (from its hello), its summary, how it ended ("done", "failed", "cancelled" or null when the stream
   stops before its end) with the error, and the latest time its timeline reaches, ms. */
export function replay(events, sink) {
  const out = {threads: [], summary: null, status: null, error: null, endMs: 0};
  for (const text of events) {
    let ev;
    try { ev = JSON.parse(text); } catch (e) { continue; }
    if (ev.type === "hello") {
      out.threads = (ev.threads || []).map(t => t.name);
    } else if (ev.type === "tick") {
      if (ev.segments && ev.segments.length) {
        sink.addSegments(ev.segments);
        for (const s of ev.segments) if (s[3] > out.endMs) out.endMs = s[3];
      }
      if (ev.holder && ev.holder.length) {
        sink.addHolder(ev.holder);
        for (const h of ev.holder) if (h[1] > out.endMs) out.endMs = h[1];
      }
    } else if (ev.type === "summary") {
      out.summary = ev.summary;
      out.status = "done";
    } else if (ev.type === "failed" || ev.type === "cancelled") {
      out.status = ev.type;
      out.error = ev.error || null;
    }
  }
  return out;
}
