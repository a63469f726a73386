/* gilscope: one card per claim of the notes. Running a lesson runs its preset experiments one after another
   through the ordinary run queue, each of them `repeats` times (every run once, then every run again), then asks
   the server for the verdict judged from those runs' measurements: one verdict per repeat, and "inconclusive"
   when noise made the repeats disagree. A lesson's runs, and a sweep's, share one group id: one submission
   against the per-client cap, stored together. */
import {LANG, SEPARATORS, api, el, fmt, plural, scheduler, tr} from "./page.js";
import {RunView} from "./runview.js";
import {groupId, lessonPlan, logRange, logTicks, repeatChips, SWEEP_FIGURES, sweepSeries} from "./spread.js";

const box = document.getElementById("lessons");
let busy = false;

const sleep = ms => new Promise(r => setTimeout(r, ms));

/* A fresh group id. Random bytes, not crypto.randomUUID(): a classroom server on a LAN address over plain HTTP
   is not a secure context, and randomUUID exists only in one. */
function newGroup(prefix) {
  const hex = Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, "0")).join("");
  return groupId(prefix, hex);
}

/* Submits one run of a group (and of a lesson, when given); a refusal for now (429: the queue is full, or the
   per-minute limit) is said in the server's words and tried again. */
async function submit(spec, status, group, lesson = null) {
  const query = "?group=" + encodeURIComponent(group) + (lesson ? "&lesson=" + encodeURIComponent(lesson) : "");
  for (;;) {
    const said = status.textContent;
    const r = await fetch(api("/api/runs" + query), {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify(spec)});
    const data = await r.json();
    if (r.status === 202) return data.id;
    if (r.status === 429) {
      status.textContent = data.detail ? tr("retry_detail", {e: data.detail}) : tr("retrying");
      await sleep(3000);
      status.textContent = said;
      continue;
    }
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
  Plotly.newPlot(div, traces, {title: {text: tr("c8_plot"), font: {size: 14}}, height: 300, separators: SEPARATORS,
    margin: {l: 60, r: 10, t: 40, b: 45}, xaxis: intervalAxis(rows.map(r => r.interval_ms)),
    yaxis: {type: "log", dtick: "D2", title: {text: tr("requests_per_s")}}}, {displaylogo: false, responsive: true});
}

/* Each repeat's verdict and deciding figure, a chip each; when they disagree, a line that says the spread, not
   the physics, decided. */
function repeatsBox(v) {
  const {chips, disagree} = repeatChips(v);
  if (!chips.length) return null;
  const list = el("ul", {class: "chips", "aria-label": tr("repeats")});
  for (const c of chips) {
    list.append(el("li", {class: "chip " + c.verdict, title: tr("repeat_n", {n: c.n}) + ": " + tr("v_" + c.verdict)},
      el("span", {class: "chip-n", text: "#" + c.n}), " ", tr("v_" + c.verdict),
      c.figure && c.figure !== "-" ? " " : null,
      c.figure && c.figure !== "-" ? el("span", {class: "chip-figure", text: c.figure}) : null));
  }
  return el("div", {class: "repeats" + (disagree ? " disagree" : "")},
    el("span", {class: "repeats-label", text: tr("repeats") + ":"}), list,
    disagree ? el("p", {class: "spread-note"}, el("span", {class: "icon", "aria-hidden": "true", text: "⚠"}), " ",
      tr("repeats_disagree")) : null);
}

function showVerdict(card, v) {
  const out = card.querySelector(".verdict-box");
  out.replaceChildren();
  const reps = repeatsBox(v);
  const spread = reps && reps.classList.contains("disagree");
  const box = el("div", {class: "verdict " + v.verdict + (spread ? " spread" : "")},
    el("b", {class: "tag", text: `${tr("verdict")}: ${tr("v_" + v.verdict)}`}),
    v.figure ? el("span", {class: "figure", text: `${v.figure_label}: ${v.figure}`}) : null,
    reps,
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
    const group = newGroup("lesson"), repeats = lesson.repeats || 1, n = lesson.runs.length;
    for (const {run, i, r} of lessonPlan(lesson.runs, repeats)) {
      status.textContent = repeats > 1
        ? tr("lesson_run_rep", {i: i + 1, n, r: r + 1, R: repeats, label: run.label})
        : tr("lesson_run_n", {i: i + 1, n, label: run.label});
      const id = await submit(run.spec, status, group, lesson.id);
      (ids[run.key] = ids[run.key] || []).push(id);
      await view.follow(id, run.spec);
    }
    status.textContent = tr("lesson_done");
    const r = await fetch(api(`/api/lessons/${lesson.id}/verdict`), {method: "POST",
      headers: {"Content-Type": "application/json"}, body: JSON.stringify({runs: ids, lang: LANG})});
    const v = await r.json();
    if (!r.ok) throw new Error(v.detail || r.status);
    showVerdict(card, v);
  });
}

/* The sweep runs every interval once, then again, `repeats` times: the curves are whole after the first pass, and
   each later pass adds to every point's spread. */
function sweep(card, lesson, intervals) {
  return exclusive(card, async status => {
    const points = new Map();  // interval, ms -> the summaries of its repeats
    const view = viewOf(card);
    const group = newGroup("sweep"), repeats = lesson.repeats || 1, n = intervals.length;
    for (let r = 0; r < repeats; r++) {
      for (const [k, iv] of intervals.entries()) {
        const spec = Object.assign({}, lesson.sweep, {switch_interval_s: iv});
        const vars = {i: fmt(iv * 1000), k: k + 1, n, r: r + 1, R: repeats};
        status.textContent = repeats > 1 ? tr("sweep_run_rep", vars) : tr("sweep_run", vars);
        const id = await submit(spec, status, group);
        const res = await view.follow(id, spec);
        if (res.status === "done") {
          if (!points.has(iv * 1000)) points.set(iv * 1000, []);
          points.get(iv * 1000).push(res.summary);
        }
        const snapshot = new Map([...points].map(([x, ss]) => [x, ss.slice()]));
        scheduler.chore("sweep-" + lesson.id, () => drawSweep(card, snapshot));
      }
    }
    status.textContent = tr("status_done");
  });
}

const PLOT = {displaylogo: false, responsive: true};
const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"];

/* The error bars of the curves on one axis, laid end to end like their y values. */
function mergedErrors(traces) {
  if (!traces.some(t => t.error_y)) return null;
  const cat = f => traces.flatMap(t => (t.error_y ? t.error_y[f] : t.y.map(() => null)));
  return {array: cat("array"), arrayminus: cat("arrayminus")};
}
const WHISKER = {color: "#1d3f73", thickness: 1.2, width: 5};  // the sweep's curves give theirs their colour

/* A sweep's curves: each point the median of its repeats, with whiskers from their min to max where it has more
   than one; threads against one thread, with its pairs' spread, in a plot of its own when the sweep measures it. */
function drawSweep(card, points) {
  const div = card.querySelector(".sweep-plot");
  div.hidden = false;
  const curve = (key, name, yaxis) => {
    const s = sweepSeries(points, SWEEP_FIGURES[key]);
    const t = {type: "scatter", mode: "lines+markers", name, x: s.x, y: s.y, yaxis};
    if (s.error_y) t.error_y = Object.assign(s.error_y, WHISKER);
    return t;
  };
  const traces = [curve("handoffs", tr("fig_handoffs"), "y"), curve("throughput", tr("throughput"), "y2")];
  const wake = curve("wake", tr("wake_ms"), "y3");
  if (wake.y.some(v => v !== null)) traces.push(wake);
  const requests = curve("requests", tr("requests_per_s"), "y2");
  if (requests.y.some(v => v !== null)) traces.push(requests);
  const x = traces[0].x;
  // Every axis in its curves' colour, its ticks written in the page's language; a log axis at least a decade
  // tall, so that a curve that barely moves is drawn flat and its whiskers as small as they are. (An overlaying
  // axis would otherwise put its ticks level with the first axis's, at values nobody reads.)
  const colour = i => PALETTE[i % PALETTE.length];
  traces.forEach((t, i) => {
    Object.assign(t, {line: {color: colour(i)}, marker: {color: colour(i)}});
    if (t.error_y) t.error_y.color = colour(i);
  });
  const axis = (name, log, more) => {
    const ts = traces.filter(t => t.yaxis === name);
    const c = ts.length === 1 ? colour(traces.indexOf(ts[0])) : "#444";
    const out = {showgrid: name === "y", tickfont: {color: c},
      title: {text: ts.map(t => t.name).join(", "), font: {color: c}}};
    const range = log ? logRange({y: ts.flatMap(t => t.y), error_y: mergedErrors(ts)}) : null;
    if (range) {
      const ticks = logTicks(range);
      Object.assign(out, {type: "log", range, tickmode: "array", tickvals: ticks, ticktext: ticks.map(v => fmt(v))});
    } else {
      Object.assign(out, {type: log ? "log" : "linear", tickmode: "auto", rangemode: log ? undefined : "tozero"});
    }
    return Object.assign(out, more);
  };
  const third = traces.some(t => t.yaxis === "y3");
  const layout = {title: {text: tr("sweep_title"), font: {size: 14}}, height: 340, separators: SEPARATORS,
    margin: {l: 70, r: third ? 40 : 80, t: 40, b: 45}, legend: {orientation: "h", y: -0.3},
    xaxis: intervalAxis(x, {domain: [0, third ? 0.8 : 1]}),
    yaxis: axis("y", true, {}),
    yaxis2: axis("y2", true, {overlaying: "y", side: "right"})};
  if (third) layout.yaxis3 = axis("y3", false, {overlaying: "y", side: "right", anchor: "free", position: 0.92});
  Plotly.react(div, traces, layout, PLOT);
  const most = Math.max(0, ...[...points.values()].map(ss => ss.length));
  const hint = card.querySelector(".sweep-hint");
  hint.hidden = most < 2;
  hint.textContent = most < 2 ? "" : plural("sweep_hint", most);

  const ratio = curve("ratio", tr("c_ratio"), "y");
  const box = card.querySelector(".sweep-ratio");
  if (!ratio.y.some(v => v !== null)) return;
  box.hidden = false;
  const top = Math.max(1, ...ratio.y.map((v, i) =>
    (v === null ? 0 : v + (ratio.error_y && ratio.error_y.array[i] !== null ? ratio.error_y.array[i] : 0))));
  Plotly.react(box.querySelector(".plot"), [Object.assign(ratio, {showlegend: false, marker: {color: "#2457c5"}})], {
    title: {text: tr("sweep_ratio_title"), font: {size: 14}}, height: 280, separators: SEPARATORS,
    margin: {l: 60, r: 20, t: 40, b: 45},
    xaxis: intervalAxis(x), yaxis: {title: {text: tr("c_ratio")}, range: [0, 1.1 * top]},
    shapes: [{type: "line", xref: "paper", x0: 0, x1: 1, yref: "y", y0: 1, y1: 1,
      line: {color: "#5b6472", width: 1, dash: "dot"}}]}, PLOT);
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
      el("p", {class: "hint sweep-hint", hidden: ""}),
      el("figure", {class: "sweep-ratio", hidden: ""}, el("div", {class: "plot"}),
        el("figcaption", {class: "hint", text: tr("sweep_ratio_hint")})),
      el("div", {class: "lesson-run", hidden: ""}));
    run.addEventListener("click", () => runLesson(card, lesson));
    if (sw) sw.addEventListener("click", () => sweep(card, lesson, data.sweep_intervals_s));
    box.append(card);
  }
});
