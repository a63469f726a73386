/* gilscope: one card per claim of the notes. Running a lesson (or its sweep) asks the server to run it: the server
   holds the plan (which runs, how many repeats) and feeds the runs to the ordinary queue as one group, to the end,
   whether or not this page stays open. The card follows the group (GET /api/groups/{id}, about once a second),
   draws the run in flight from its event stream, and shows the verdict the server judged once every run has
   ended: one verdict per repeat, and "inconclusive" when noise made the repeats disagree. A reloaded page picks
   up a group still running (its id is kept in localStorage), and shows each lesson's last verdict as the server
   keeps it (GET /api/lessons/last: it outlives a restart) with when it was reached and its runs as tabs; the
   picture under a verdict is a run of the repeat the verdict's figure comes from. */
import {LANG, SEPARATORS, api, el, fmt, plural, scheduler, tr} from "./page.js";
import {RunView} from "./runview.js";
import {whenText} from "./runinfo.js";
import {groupStep, logRange, logTicks, newlyEnded, repeatChips, SWEEP_FIGURES, sweepSeries} from "./spread.js";

const box = document.getElementById("lessons");
let busy = false;
const POLL_MS = 1000;

const sleep = ms => new Promise(r => setTimeout(r, ms));
const KEPT = id => "gilscope-group-" + id;  // localStorage: the card's group, while the page has not shown its end

function keep(lessonId, group) {
  try { localStorage.setItem(KEPT(lessonId), group); } catch (e) { /* storage off: no pick-up after a reload */ }
}
function kept(lessonId) {
  try { return localStorage.getItem(KEPT(lessonId)); } catch (e) { return null; }
}
function forget(lessonId) {
  try { localStorage.removeItem(KEPT(lessonId)); } catch (e) { /* nothing kept */ }
}

/* Asks the server to run the lesson's plan (or its sweep) as one group; a refusal for now (429: the queue is full,
   the per-minute limit, or this browser's cap) is said in the server's words and tried again. */
async function startGroup(lesson, sweep, status) {
  for (;;) {
    const said = status.textContent;
    const r = await fetch(api(`/api/lessons/${encodeURIComponent(lesson.id)}/runs`), {method: "POST",
      headers: {"Content-Type": "application/json"}, body: JSON.stringify({sweep, lang: LANG})});
    const data = await r.json();
    if (r.status === 202) return data;
    if (r.status === 429) {
      status.textContent = data.detail ? tr("retry_detail", {e: data.detail}) : tr("retrying");
      await sleep(3000);
      status.textContent = said;
      continue;
    }
    throw new Error(data.error || data.detail || r.status);
  }
}

/* Follows a group to its end: the status line says which run is in flight, the card's run view draws it, and
   onEnded gets each run that has ended (once). Resolves with the group's last view. */
async function followGroup(card, lesson, group, status, onEnded) {
  const view = viewOf(card);
  const labels = Object.fromEntries(lesson.runs.map(r => [r.key, r.label]));
  const seen = new Set();
  let following = null;
  let g = group;
  for (;;) {
    const step = groupStep(g, labels);
    if (step) {
      if (g.kind === "sweep") step.vars.i = fmt(step.vars.i);
      status.textContent = tr(step.msg, step.vars);
    } else if (g.waiting) {
      status.textContent = tr("retry_detail", {e: g.waiting});
    }
    if (g.current && g.current !== following) {
      following = g.current;
      const run = g.runs.find(r => r.id === g.current);
      view.follow(run.id, run.spec);  // not awaited: the group's view says when to move on
    }
    for (const run of newlyEnded(g, seen)) await onEnded(run);
    if (g.status === "done") return g;
    await sleep(POLL_MS);
    const r = await fetch(api(`/api/groups/${encodeURIComponent(g.id)}?lang=${LANG}`));
    const next = await r.json();
    if (!r.ok) throw new Error(next.detail || r.status);
    g = next;
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

/* A verdict the server kept (or just reached): when, the verdict, and its runs as tabs. The picture under it is a
   run of the repeat the verdict's figure comes from (the run it is about), drawn when the card comes into view:
   a reloaded page does not replay ten runs at once. */
function showLast(card, last, now = false) {
  const v = last.verdict;
  showVerdict(card, v);
  const out = card.querySelector(".verdict-box");
  if (last.finished) {
    const when = el("p", {class: "hint verdict-when", title: new Date(last.finished * 1000).toISOString(),
      text: tr("verdict_when", {when: whenText(last.finished, LANG)})});
    out.prepend(when);
  }
  const runs = last.runs.filter(r => r.id);
  if (!runs.length) return;
  const many = (v.repeats || []).length > 1;
  const decides = v.repeat || 0;
  const tabs = el("div", {class: "run-tabs", role: "tablist", "aria-label": tr("verdict_runs")});
  const pick = (run, button) => {
    for (const b of tabs.children) b.setAttribute("aria-selected", String(b === button));
    viewOf(card).follow(run.id, null);
  };
  let first = null;
  for (const run of runs) {
    const b = el("button", {type: "button", role: "tab", "aria-selected": "false", "data-run": run.id,
      class: "run-tab " + run.status + (many && run.repeat === decides ? " decides" : ""),
      text: run.label + (many ? " #" + (run.repeat + 1) : "")});
    b.addEventListener("click", () => pick(run, b));
    tabs.append(b);
    if (!first && run.repeat === decides) first = [run, b];
  }
  out.append(el("div", {class: "verdict-runs"}, el("span", {class: "repeats-label", text: tr("verdict_runs") + ":"}),
    tabs, many ? el("span", {class: "hint", text: tr("verdict_repeat", {n: decides + 1})}) : null));
  if (!first) return;
  if (now || !("IntersectionObserver" in window)) { pick(...first); return; }
  const seen = new IntersectionObserver(entries => {
    if (!entries.some(e => e.isIntersecting)) return;
    seen.disconnect();
    if (!tabs.querySelector('[aria-selected="true"]')) pick(...first);
  });
  seen.observe(out);
}

/* How long "Run" takes, as the server estimates it from the plan; said to be an estimate. */
function estimateText(lesson) {
  const t = lesson.estimate_s;
  if (typeof t !== "number" || t <= 0) return "";
  const words = t < 90 ? fmt(Math.round(t)) + " " + tr("u_s") : fmt(Math.round(t / 60)) + " " + tr("u_min");
  return plural("estimate", lesson.repeats, {t: words});
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

function runLesson(card, lesson, resumed = null) {
  return exclusive(card, async status => {
    const group = resumed || await startGroup(lesson, false, status);
    keep(lesson.id, group.id);
    const g = await followGroup(card, lesson, group, status, async () => {});
    forget(lesson.id);
    status.textContent = tr("lesson_done");
    const labels = Object.fromEntries(lesson.runs.map(r => [r.key, r.label]));
    if (g.verdict) {
      showLast(card, {verdict: g.verdict, finished: Date.now() / 1000, runs: g.runs.map(r =>
        ({id: r.id, key: r.key, label: labels[r.key] || r.key, repeat: r.repeat, status: r.status}))}, true);
    }
  });
}

/* The sweep runs every interval once, then again, `repeats` times: the curves are whole after the first pass, and
   each later pass adds to every point's spread. Each point is drawn as its run ends. */
function sweep(card, lesson, resumed = null) {
  return exclusive(card, async status => {
    const points = new Map();  // interval, ms -> the summaries of its repeats
    const group = resumed || await startGroup(lesson, true, status);
    keep(lesson.id, group.id);
    await followGroup(card, lesson, group, status, async run => {
      if (run.status !== "done") return;
      const r = await fetch(api(`/api/runs/${encodeURIComponent(run.id)}`));
      if (!r.ok) return;
      const {summary} = await r.json();
      if (!summary) return;
      const x = run.interval_s * 1000;
      if (!points.has(x)) points.set(x, []);
      points.get(x).push(summary);
      const snapshot = new Map([...points].map(([k, ss]) => [k, ss.slice()]));
      scheduler.chore("sweep-" + lesson.id, () => drawSweep(card, snapshot));
    });
    forget(lesson.id);
    status.textContent = tr("status_done");
  });
}

/* A group this browser started before a reload: followed again while the server still knows it (a lesson's
   verdict is shown once even when it ended while the page was closed). Otherwise (and beside a sweep) the card
   shows the lesson's last verdict the server kept, if any. */
async function pickUp(card, lesson, last) {
  const id = kept(lesson.id);
  const r = id ? await fetch(api(`/api/groups/${encodeURIComponent(id)}?lang=${LANG}`)) : null;
  if (r && !r.ok) forget(lesson.id);
  const g = r && r.ok ? await r.json() : null;
  if (last && (!g || g.kind === "sweep")) showLast(card, last);
  if (g) (g.kind === "sweep" ? sweep : runLesson)(card, lesson, g);
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
  // a point whose comparison the machine's noise could not decide: hollow, and why in its hover
  const loud = sweepSeries(points, SWEEP_FIGURES.ratio).undecided;
  const marker = {color: "#2457c5", size: 8, symbol: loud.map(u => (u ? "circle-open" : "circle"))};
  ratio.text = loud.map(u => (u ? tr("sweep_point_inconclusive", {noise: fmt(u.noise, 2) + "%", res: fmt(u.res, 2) + "%"}) : ""));
  ratio.hovertemplate = "%{x} " + tr("u_ms") + ": %{y:.3f}<br>%{text}<extra></extra>";
  Plotly.react(box.querySelector(".plot"), [Object.assign(ratio, {showlegend: false, marker})], {
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
      el("p", {class: "hint lesson-estimate", text: estimateText(lesson)}),
      el("p", {class: "status lesson-status", role: "status", "aria-live": "polite"}),
      el("div", {class: "verdict-box"}),
      el("div", {class: "plot sweep-plot", hidden: ""}),
      el("p", {class: "hint sweep-hint", hidden: ""}),
      el("figure", {class: "sweep-ratio", hidden: ""}, el("div", {class: "plot"}),
        el("figcaption", {class: "hint", text: tr("sweep_ratio_hint")})),
      el("div", {class: "lesson-run", hidden: ""}));
    run.addEventListener("click", () => runLesson(card, lesson));
    if (sw) sw.addEventListener("click", () => sweep(card, lesson));
    box.append(card);
  }
  return fetch(api("/api/lessons/last")).then(r => (r.ok ? r.json() : {last: {}})).catch(() => ({last: {}}))
    .then(kept => {
      for (const lesson of data.lessons) {
        pickUp(document.getElementById(lesson.id), lesson, kept.last[lesson.id]).catch(() => {});
      }
    });
});
