/* gilscope: runs side by side. Each run's recorded event stream is read whole (fetch, parsed as Server-Sent
   Events) into a timeline of its own; the timelines are drawn one above the other on one shared time axis (a
   zoom zooms them all, and draws the window again at full detail from the kept data); the key figures from each
   run's summary are set side by side with their differences to run 1; one chosen figure is drawn as bars, with
   whiskers where the run measured a spread. */

import {CONFIG, LANG, api, el, fmt, tr} from "./page.js";
import {decided, difference, differenceText, FIGURES, figureOf, intervalMs, langHref, mixDetail, mixText, parseSSE, replay,
  whenText, whiskers} from "./runinfo.js";
import {buildTraces, DRAW_BUDGET, Timeline, traceLayout} from "./traces.js";
import {openWindow, spanWindow} from "./viewport.js";

const LAYOUT = traceLayout(CONFIG);
const IDS = document.getElementById("compare").dataset.runs.split(",").filter(Boolean);
const STATUS = {done: tr("s_done"), failed: tr("s_failed"), cancelled: tr("s_cancelled"), running: tr("s_running"),
  queued: tr("s_queued"), cancelling: tr("s_cancelling")};
const PLOT_CONFIG = {responsive: true, displaylogo: false};
const LANE_PX = 15, HEAD_PX = 26, MARGIN = {l: 150, r: 20, t: 10, b: 44};
const PARALLEL = 3;  // event streams read at once (a browser may hold 12)
const statusEl = document.getElementById("compare-status");
const timelinesEl = document.getElementById("timelines");

/* A trace index's colour and legend name: the states, "GIL free", "another thread", then the thread colours. */
function traceStyle(c) {
  if (c < LAYOUT.nStates) return {colour: CONFIG.states[c].colour, name: tr("st_" + CONFIG.states[c].name)};
  if (c === LAYOUT.free) return {colour: CONFIG.holder.free_colour, name: tr("holder_free")};
  if (c === LAYOUT.other) return {colour: CONFIG.holder.other_colour, name: tr("holder_other")};
  return {colour: CONFIG.thread_colours[c - LAYOUT.firstThread], name: null};
}

function label(i) {
  return "#" + (i + 1);
}

function runTitle(i, run) {
  const interval = intervalMs(run.info.spec);
  return `${label(i)} · ${mixText(run.info)}` + (interval === null ? "" : ` · ${fmt(interval)} ${tr("u_ms")}`);
}

async function loadRun(id) {
  const run = {id, info: {spec: {}}, timeline: new Timeline(LAYOUT), replayed: null, error: null};
  try {
    const [info, stream] = await Promise.all([
      fetch(api(`/api/runs/${encodeURIComponent(id)}`)).then(r => r.json()),
      fetch(api(`/api/runs/${encodeURIComponent(id)}/events`)).then(r => {
        if (!r.ok) throw new Error(String(r.status));
        return r.text();
      }),
    ]);
    run.info = info;
    run.replayed = replay(parseSSE(stream), run.timeline);
  } catch (e) {
    run.error = String(e.message || e);
  }
  return run;
}

/* Every run, PARALLEL at a time, in the order asked. */
async function loadAll(ids) {
  const runs = new Array(ids.length);
  let nextIndex = 0, done = 0;
  const worker = async () => {
    while (nextIndex < ids.length) {
      const i = nextIndex++;
      runs[i] = await loadRun(ids[i]);
      statusEl.textContent = tr("c_loading", {i: ++done, n: ids.length});
    }
  };
  await Promise.all(Array.from({length: Math.min(PARALLEL, ids.length)}, worker));
  return runs;
}

function legend(runs) {
  const body = document.querySelector("#legend tbody");
  body.replaceChildren(...runs.map((run, i) => {
    const spec = run.info.spec || {};
    const interval = intervalMs(spec);
    const what = el("td", {class: run.info.source === "trace" ? "what program" : "what", title: mixDetail(run.info, LANG),
      text: mixText(run.info) || run.id});
    const status = el("td", {}, el("span", {class: "state " + (run.info.status || ""),
      text: run.error ? tr("c_failed_load", {e: run.error}) : STATUS[run.info.status] || run.info.status || "–"}));
    if (run.info.error) status.title = run.info.error;
    return el("tr", {},
      el("th", {scope: "row"}, el("a", {href: "/runs/" + encodeURIComponent(run.id), text: label(i)})),
      what,
      el("td", {class: "num", text: interval === null ? "–" : fmt(interval) + " " + tr("u_ms")}),
      el("td", {class: "num", text: typeof spec.duration_s === "number" ? fmt(spec.duration_s) + " " + tr("u_s") : "–"}),
      el("td", {text: whenText(run.info.created, LANG)}),
      status);
  }));
}

/* The stacked timelines: one y axis per run (its lanes: the GIL holder, then its threads), one x axis for all. */
class Timelines {
  constructor(box, runs) {
    this.box = box;
    this.runs = runs;
    this.end = Math.max(1, ...runs.map(r => Math.max(r.replayed ? r.replayed.endMs : 0,
      1000 * ((r.info.spec && r.info.spec.duration_s) || 0))));
    // They open as a run's page does, on twenty switch intervals (the longest interval among them, so that every
    // run shows slices one can tell apart), in the middle of the shortest recorded run (every run has data there).
    const intervals = runs.map(r => intervalMs(r.info.spec)).filter(ms => ms !== null && ms > 0);
    this.interval = intervals.length ? Math.max(...intervals) : null;
    const ends = runs.filter(r => r.replayed && r.replayed.endMs > 0).map(r => r.replayed.endMs);
    this.window = this.interval === null ? null
      : this._unlessWhole(openWindow(this.interval, [0, ends.length ? Math.min(...ends) : this.end], "middle"));
    const lanes = runs.map(r => 1 + (r.replayed ? Math.max(r.replayed.threads.length, r.timeline.lanes.length - 1) : 0));
    const plotPx = lanes.reduce((a, n) => a + n * LANE_PX + HEAD_PX, 0);
    this.height = plotPx + MARGIN.t + MARGIN.b;
    this.layout = {height: this.height, margin: MARGIN, showlegend: true, dragmode: "zoom", hovermode: "closest",
      legend: {orientation: "h", x: 0, y: 1, yanchor: "bottom", font: {size: 11}}, plot_bgcolor: "#fbfbfb",
      hoverlabel: {namelength: -1}, annotations: []};
    this.layout.margin = Object.assign({}, MARGIN, {t: 34});
    this.layout.height += 24;
    let top = 1;
    runs.forEach((run, k) => {
      const n = lanes[k], axis = k ? "yaxis" + (k + 1) : "yaxis";
      const head = HEAD_PX / plotPx, span = n * LANE_PX / plotPx;
      const domain = [Math.max(0, top - head - span), top - head];
      const names = run.replayed ? run.replayed.threads : [];
      this.layout[axis] = {domain, range: [n - 0.5, -0.5], fixedrange: true, zeroline: false, showgrid: false,
        tickvals: Array.from({length: n}, (_, i) => i),
        // each thread's lane name with a chip of its colour: the colour its GIL spans have in the holder lane
        ticktext: [tr("lane_holder"), ...Array.from({length: n - 1}, (_, i) => (names[i] ? escapeHtml(names[i]) +
          ` <span style="color:${CONFIG.thread_colours[i % CONFIG.thread_colours.length]}">■</span>` : ""))],
        tickfont: {size: 10}, anchor: "x"};
      this.layout.annotations.push({xref: "paper", yref: "paper", x: 0, y: top - head / 2, xanchor: "left",
        yanchor: "middle", showarrow: false, align: "left", font: {size: 12, color: "#1d2430"},
        text: `<b>${escapeHtml(runTitle(k, run))}</b>` + (run.error || !run.replayed ? " – " + escapeHtml(
          run.error ? tr("c_failed_load", {e: run.error}) : tr("c_no_timeline")) : "")});
      top = domain[0];
    });
    this.layout.xaxis = {anchor: runs.length > 1 ? "y" + runs.length : "y", title: {text: tr("time_ms")},
      range: [0, this.end], zeroline: false};
  }

  traces() {
    const px = Math.max(100, (this.box.clientWidth || 900) - MARGIN.l - MARGIN.r);
    const [x0, x1] = this.window || [0, this.end];
    const budget = Math.max(300, Math.floor(2 * DRAW_BUDGET / this.runs.length));
    const out = [], inLegend = new Set();
    this.runs.forEach((run, k) => {
      const t = buildTraces(run.timeline, x0, x1, px, budget);
      t.x.forEach((xs, c) => {
        if (!xs.length) return;
        const style = traceStyle(c);
        const first = style.name !== null && !inLegend.has(c);
        if (first) inLegend.add(c);
        out.push({type: "scatter", mode: "lines", x: xs, y: t.y[c], xaxis: "x", yaxis: k ? "y" + (k + 1) : "y",
          name: style.name || "", legendgroup: "c" + c, showlegend: first, connectgaps: false,
          line: {color: style.colour, width: 10, simplify: false},
          hovertemplate: `${escapeHtml(label(k))} %{x:.3f} ${tr("u_ms")}<extra>${escapeHtml(style.name || "")}</extra>`});
      });
    });
    return out;
  }

  _unlessWhole(win) {
    return win[0] <= 0 && win[1] >= this.end ? null : win;
  }

  /* The span buttons (ten of the longest interval about the window's middle, or all of it) and the window in
     words, above the plot. */
  tools() {
    const span = (key, n) => {
      const b = el("button", {type: "button", class: "span-btn", "data-span": key, text: tr(key)});
      b.addEventListener("click", () => {
        this.window = this._unlessWhole(spanWindow(n, this.interval, this.window || [0, this.end], [0, this.end]));
        this.draw();
      });
      return b;
    };
    this.readout = el("span", {class: "window-readout hint"});
    const buttons = this.interval === null ? [] : [span("span_ten", 10)];
    this.box.before(el("div", {class: "timeline-tools"}, ...buttons, span("span_all", null), this.readout));
  }

  draw() {
    const [a, b] = this.window || [0, this.end];
    if (this.readout) {
      this.readout.textContent = tr("c_window", {a: fmt(a, 4), b: fmt(b, 4), end: fmt(this.end, 4)});
      this.readout.dataset.whole = String(this.window === null);
    }
    const layout = Object.assign({}, this.layout, {xaxis: Object.assign({}, this.layout.xaxis,
      {range: this.window || [0, this.end]})});
    Plotly.react(this.box, this.traces(), layout, Object.assign({}, PLOT_CONFIG,
      {modeBarButtonsToRemove: ["select2d", "lasso2d", "resetScale2d", "autoScale2d"], doubleClick: false}));
  }

  show() {
    this.tools();
    this.draw();
    this.box.on("plotly_relayout", e => {
      let range = null;
      if (Array.isArray(e["xaxis.range"])) range = e["xaxis.range"];
      else if ("xaxis.range[0]" in e && "xaxis.range[1]" in e) range = [e["xaxis.range[0]"], e["xaxis.range[1]"]];
      if (e["xaxis.autorange"]) range = [0, this.end];
      if (!range) return;
      const [a, b] = range.map(Number);
      const whole = a <= 0 && b >= this.end;
      const next = whole ? null : [a, b];
      if (JSON.stringify(next) === JSON.stringify(this.window)) return;
      this.window = next;
      requestAnimationFrame(() => this.draw());
    });
    this.box.on("plotly_doubleclick", () => {
      this.window = null;
      this.draw();
    });
  }
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]));
}

/* Why a figure decides nothing: the resolution its run's own noise left, where measured. */
function undecidedText(f) {
  if (f.busy) return tr("c_inconclusive_busy");
  return f.res === null ? tr("c_inconclusive") : tr("c_inconclusive_res", {res: fmt(f.res, 2) + "%"});
}

function figureText(f, unit, prefix = "") {
  if (f.value === null) return "–";
  const pre = prefix || "";
  let text = pre + fmt(f.value) + (unit ? " " + tr(unit) : "");
  if (f.lo !== null && f.hi !== null) text += ` [${fmt(f.lo)}–${fmt(f.hi)}]`;
  return text;
}

function figuresTable(runs) {
  const table = document.getElementById("figures-table");
  const summaries = runs.map(r => r.info.summary || (r.replayed && r.replayed.summary) || null);
  table.replaceChildren(el("thead", {}, el("tr", {}, el("th", {scope: "col", text: tr("c_figure")}),
    ...runs.map((run, i) => el("th", {scope: "col", class: "num", title: runTitle(i, run)},
      el("a", {href: "/runs/" + encodeURIComponent(run.id), text: label(i)}))))));
  const body = el("tbody");
  for (const def of FIGURES) {
    const values = summaries.map(s => figureOf(s, def.key));
    body.append(el("tr", {"data-figure": def.key}, el("th", {scope: "row", text: tr(def.label)}),
      ...values.map((f, i) => {
        const td = el("td", {class: "num"}, el("span", {class: "value", text: figureText(f, def.unit, def.prefix)}));
        // a comparison its run's own noise could not decide says so, and no difference is drawn from it
        if (f.conclusive === false) {
          td.classList.add("inconclusive");
          td.append(el("small", {class: "undecided", text: undecidedText(f)}));
        }
        if (i > 0 && f.value !== null && values[0].value !== null && !decided(f, values[0])) {
          td.append(el("small", {class: "diff", text: tr("c_diff_undecided")}));
        } else if (i > 0) {
          const d = differenceText(difference(f.value, values[0].value), LANG, def.unit ? tr(def.unit) : "");
          if (d) td.append(el("small", {class: "diff", text: d}));
        }
        return td;
      })));
  }
  table.append(body);
  return summaries;
}

function bars(runs, summaries) {
  const pick = document.getElementById("figure-pick"), box = document.getElementById("bars");
  pick.replaceChildren(...FIGURES.map(def => el("option", {value: def.key, text: tr(def.label)})));
  // The first figure every run has; the ratio when the runs compared threads with one thread.
  const all = key => summaries.every(s => figureOf(s, key).value !== null);
  pick.value = all("ratio") ? "ratio" : (FIGURES.find(def => all(def.key)) || FIGURES[0]).key;
  const draw = () => {
    const def = FIGURES.find(d => d.key === pick.value);
    const figures = summaries.map(s => figureOf(s, def.key));
    const unit = def.unit ? " " + tr(def.unit) : "";
    // an undecided comparison is drawn pale and hatched, and its hover says why
    const undecided = figures.map(f => f.conclusive === false);
    const bar = {type: "bar", x: runs.map((_, i) => label(i)), y: figures.map(f => f.value),
      marker: {color: undecided.map(u => (u ? "#c9ced6" : "#7d8797")),
        pattern: {shape: undecided.map(u => (u ? "/" : "")), fgcolor: "#8e96a3", solidity: 0.25}},
      text: figures.map(f => (f.value === null ? "" : (def.prefix || "") + fmt(f.value) + unit)),
      cliponaxis: false, insidetextanchor: "middle",
      customdata: figures.map(f => figureText(f, def.unit, def.prefix) + (f.conclusive === false
        ? " · " + undecidedText(f) : "")),
      hovertext: runs.map((run, i) => runTitle(i, run)), hovertemplate: "%{hovertext}: %{customdata}<extra></extra>"};
    const w = whiskers(figures);
    // The values over the bars, or inside them where whiskers stand over them.
    Object.assign(bar, w ? {textposition: "inside", textfont: {color: undecided.map(u => (u ? "#1d2430" : "#fff"))}}
      : {textposition: "outside"});
    if (w) Object.assign(bar, {error_y: Object.assign(w, {color: "#1d3f73", thickness: 1.5, width: 8})});
    const shapes = def.key === "ratio" ? [{type: "line", xref: "paper", x0: 0, x1: 1, y0: 1, y1: 1,
      line: {color: "#888", dash: "dot", width: 1}}] : [];
    Plotly.react(box, [bar], {height: 300, margin: {l: 60, r: 20, t: 30, b: 40}, showlegend: false, shapes,
      xaxis: {type: "category"}, yaxis: {title: {text: tr(def.label) + unit}, rangemode: "tozero"}}, PLOT_CONFIG);
  };
  pick.addEventListener("change", draw);
  draw();
}

async function main() {
  const langLink = document.querySelector("header .lang");  // the switch keeps the runs compared
  if (langLink) langLink.href = langHref(location.search, langLink.getAttribute("hreflang"));
  statusEl.textContent = tr("c_loading", {i: 0, n: IDS.length});
  const runs = await loadAll(IDS);
  legend(runs);
  const failed = runs.filter(r => r.error);
  statusEl.textContent = failed.length ? failed.map(r => `${r.id}: ${tr("c_failed_load", {e: r.error})}`).join("; ") : "";
  statusEl.className = "status" + (failed.length ? " failed" : "");
  new Timelines(timelinesEl, runs).show();
  bars(runs, figuresTable(runs));
}

main();
