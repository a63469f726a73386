/* gilscope: one card per claim of the notes. Running a lesson runs its preset experiments one after another
   through the ordinary run queue, then asks the server for the verdict judged from those runs' measurements. */
import {LANG, api, el, fmt, plural, tr} from "./page.js";
import {RunView} from "./runview.js";

const box = document.getElementById("lessons");
let busy = false;

const sleep = ms => new Promise(r => setTimeout(r, ms));

async function submit(spec, status) {
  for (;;) {
    const r = await fetch(api("/api/runs"), {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify(spec)});
    const data = await r.json();
    if (r.status === 202) return data.id;
    if (r.status === 429) { status.textContent = tr("retrying"); await sleep(3000); continue; }
    throw new Error(data.error || data.detail || r.status);
  }
}

function cell(v) {
  if (v === null || v === undefined) return "–";
  if (typeof v === "boolean") return tr(v ? "yes" : "no");
  if (typeof v === "number") return fmt(v);
  return String(v);
}

function table(rows) {
  if (!rows.length) return null;
  const skip = new Set(["label", "run"]);
  const cols = Object.keys(rows[0]).filter(k => !skip.has(k));
  const hasLabel = "label" in rows[0];  // the run's name, in the verdict's language
  const t = el("table", {class: "threads"});
  t.append(el("tr", {}, ...(hasLabel ? [el("th", {text: tr("col_label")})] : []),
    ...cols.map(c => el("th", {text: tr("col_" + c)}))));
  for (const row of rows) {
    t.append(el("tr", {}, ...(hasLabel ? [el("td", {text: row.label})] : []),
      ...cols.map(c => el("td", {text: cell(row[c])}))));
  }
  return t;
}

/* A log axis of switch intervals with a tick at each interval measured, not at every digit between. */
function intervalAxis(values, more = {}) {
  const ticks = [...new Set(values)].sort((a, b) => a - b);
  return Object.assign({type: "log", tickvals: ticks, ticktext: ticks.map(v => fmt(v)),
    title: {text: tr("interval_ms")}}, more);
}

function c8Plot(target, rows) {
  const byCpu = {};
  for (const r of rows) (byCpu[r.cpu_threads] = byCpu[r.cpu_threads] || []).push(r);
  const traces = Object.entries(byCpu).map(([n, rs]) => {
    rs.sort((a, b) => a.interval_ms - b.interval_ms);
    return {type: "scatter", mode: "lines+markers", name: plural("cpu_n", Number(n)),
      x: rs.map(r => r.interval_ms), y: rs.map(r => r.requests_per_s)};
  });
  const div = el("div", {class: "plot small"});
  target.append(div);
  Plotly.newPlot(div, traces, {title: {text: tr("c8_plot"), font: {size: 14}}, height: 300,
    margin: {l: 60, r: 10, t: 40, b: 45}, xaxis: intervalAxis(rows.map(r => r.interval_ms)),
    yaxis: {type: "log", dtick: "D2", title: {text: tr("requests_per_s")}}}, {displaylogo: false, responsive: true});
}

function showVerdict(card, v) {
  const out = card.querySelector(".verdict-box");
  out.replaceChildren();
  const box = el("div", {class: "verdict " + v.verdict},
    el("b", {class: "tag", text: `${tr("verdict")}: ${tr("v_" + v.verdict)}`}),
    v.figure ? el("span", {class: "figure", text: `${v.figure_label}: ${v.figure}`}) : null,
    el("p", {text: v.text}));
  out.append(box);
  const t = table(v.table);
  if (t) out.append(t);
  if (card.dataset.id === "C8" && v.table.length && "requests_per_s" in v.table[0]) c8Plot(out, v.table);
}

function viewOf(card) {
  if (!card.view) {
    const host = card.querySelector(".lesson-run");
    host.hidden = false;
    card.view = new RunView(host);
  }
  return card.view;
}

/* One lesson at a time: every lesson button waits while fn runs; an error ends up in the card's status. */
async function exclusive(card, fn) {
  if (busy) return;
  busy = true;
  const buttons = [...document.querySelectorAll(".lesson button")];
  buttons.forEach(b => b.disabled = true);
  const status = card.querySelector(".lesson-status");
  try {
    await fn(status);
  } catch (e) {
    status.textContent = tr("status_error", {e: String(e.message || e)});
  } finally {
    busy = false;
    buttons.forEach(b => b.disabled = false);
  }
}

function runLesson(card, lesson) {
  return exclusive(card, async status => {
    const ids = {};
    const view = viewOf(card);
    for (const [i, run] of lesson.runs.entries()) {
      status.textContent = tr("lesson_run_n", {i: i + 1, n: lesson.runs.length, label: run.label});
      const id = await submit(run.spec, status);
      ids[run.key] = id;
      await view.follow(id, run.spec);
    }
    status.textContent = tr("lesson_done");
    const r = await fetch(api(`/api/lessons/${lesson.id}/verdict`), {method: "POST",
      headers: {"Content-Type": "application/json"}, body: JSON.stringify({runs: ids, lang: LANG})});
    showVerdict(card, await r.json());
  });
}

function sweep(card, lesson, intervals) {
  return exclusive(card, async status => {
    const points = [];
    const view = viewOf(card);
    for (const [k, iv] of intervals.entries()) {
      const spec = Object.assign({}, lesson.sweep, {switch_interval_s: iv});
      status.textContent = tr("sweep_run", {i: fmt(iv * 1000), k: k + 1, n: intervals.length});
      const id = await submit(spec, status);
      const res = await view.follow(id, spec);
      if (res.status === "done") points.push([iv * 1000, res.summary]);
      drawSweep(card, points);
    }
    status.textContent = tr("status_done");
  });
}

function drawSweep(card, points) {
  const div = card.querySelector(".sweep-plot");
  div.hidden = false;
  const x = points.map(p => p[0]);
  const traces = [
    {name: tr("fig_handoffs"), y: points.map(p => p[1].handoffs_per_s), yaxis: "y"},
    {name: tr("throughput"), y: points.map(p => p[1].throughput_units_per_s), yaxis: "y2"},
    {name: tr("wake_ms"), y: points.map(p => p[1].io_wake_latency_ms ? p[1].io_wake_latency_ms.p50 : null), yaxis: "y3"},
  ];
  if (points.some(p => p[1].network)) {
    traces.push({name: tr("requests_per_s"), y: points.map(p => p[1].network ? p[1].network.requests_per_s : null), yaxis: "y2"});
  }
  for (const t of traces) Object.assign(t, {type: "scatter", mode: "lines+markers", x});
  Plotly.react(div, traces, {title: {text: tr("sweep_title"), font: {size: 14}}, height: 320,
    margin: {l: 60, r: 120, t: 40, b: 45}, legend: {orientation: "h", y: -0.3},
    xaxis: intervalAxis(x, {domain: [0, 0.85]}),
    yaxis: {title: {text: tr("fig_handoffs")}, type: "log", dtick: "D2"},
    yaxis2: {overlaying: "y", side: "right", type: "log", showgrid: false, dtick: "D2"},
    yaxis3: {overlaying: "y", side: "right", position: 0.95, anchor: "free", showgrid: false}},
    {displaylogo: false, responsive: true});
}

fetch(api("/api/lessons")).then(r => r.json()).then(data => {
  for (const lesson of data.lessons) {
    const run = el("button", {class: "primary", type: "button", text: tr("run_lesson")});
    const sw = lesson.sweep ? el("button", {type: "button", text: tr("run_sweep")}) : null;
    const english = LANG === "uk"
      ? el("details", {}, el("summary", {text: tr("claim_en")}), el("p", {text: lesson.claim_en}))
      : el("p", {}, el("b", {text: tr("claim_en") + ": "}), lesson.claim_en);
    const card = el("section", {class: "lesson", id: lesson.id, "data-id": lesson.id},
      el("h3", {text: `${lesson.id}. ${lesson.title}`}),
      el("blockquote", {lang: "uk"}, el("small", {text: tr("claim_notes") + ": "}), lesson.claim_notes_uk),
      english,
      el("p", {}, el("b", {text: tr("experiment") + ": "}), lesson.experiment),
      el("div", {class: "buttons"}, run, sw),
      el("p", {class: "status lesson-status", role: "status", "aria-live": "polite"}),
      el("div", {class: "verdict-box"}),
      el("div", {class: "plot sweep-plot", hidden: ""}),
      el("div", {class: "lesson-run", hidden: ""}));
    run.addEventListener("click", () => runLesson(card, lesson));
    if (sw) sw.addEventListener("click", () => sweep(card, lesson, data.sweep_intervals_s));
    box.append(card);
  }
});
