/* gilscope: one run, drawn live. RunView follows a run's Server-Sent Events and shows its swimlane timeline,
   per-thread progress, live figures and the after-run view. DOM, Plotly and the event stream only: the data
   and its decimation are in traces.js, the numbers and words in format.js.

   Nothing heavy happens where an event arrives. Each event is queued as it comes and applied in a later frame,
   a few milliseconds' worth per frame (page.js's scheduler); applying only stores segments. Drawing is a
   chore of its own frame, at most every 250 ms to 2 s (six times as long as the last draw took), and draws only
   what the plot's pixels can show of the visible window, in a budget of segments that follows what a draw costs
   on this machine (traces.js buildTraces): a zoom draws that window again from the kept full data.

   Every Plotly call has a frame of its own. The timeline and progress figures are made with the view, before
   any run (filling a made figure in is a plain redraw; the after-run figures are made at the end, in a frame
   each: making them ahead would save nothing, Plotly.react into an empty figure costs as much as newPlot). The
   timeline's legend is the page's own (an HTML list beside it): Plotly's legend was a third of every draw. */

import {CONFIG, SEPARATORS, api, el, fmt, plural, scheduler, tr} from "./page.js";
import {baselineFigure, dotOffsets, errorBars, machineNotes} from "./spread.js";
import {HoldersView} from "./holdersview.js";
import {buildTraces, DRAW_BUDGET, histogram, Progress, Timeline, traceLayout} from "./traces.js";
import {LivePanel} from "./live.js";

const LAYOUT = traceLayout(CONFIG);
const MIN_GAP_MS = 250, MAX_GAP_MS = 2000, GAP_PER_COST = 6;  // between two live draws of one view
// Segments one draw may hand Plotly: adjusted after every draw that used most of it, so that a draw takes
// about DRAW_TARGET_MS on this machine now (fewer while an experiment keeps its cores busy).
const DRAW_TARGET_MS = 50, MIN_BUDGET = 500, MAX_BUDGET = 4000;
const FINAL = new Set(["summary", "failed", "cancelled"]);
const PLOT_CONFIG = {responsive: true, displaylogo: false};
const PROGRESS_GAPS = 3;  // the progress lines are drawn this many times less often than the timeline
let views = 0;

/* An event's type from the start of its JSON, without parsing it (ticks can be large). */
function eventType(text) {
  const m = /"type"\s*:\s*"([a-z_]+)"/.exec(text.slice(0, 60));
  return m ? m[1] : "";
}

/* Hand-offs as a from (rows) x to (columns) table of counts, the threads in the run's order. */
function matrix(s) {
  const names = s.threads.map(t => t.name);
  for (const m of s.handoff_matrix) for (const n of [m.from, m.to]) if (!names.includes(n)) names.push(n);
  const count = new Map(s.handoff_matrix.map(m => [m.from + "\u0000" + m.to, m.count]));
  const top = Math.max(...s.handoff_matrix.map(m => m.count), 1);
  const table = el("table", {class: "matrix"});
  table.append(el("tr", {}, el("th", {}), ...names.map(n => el("th", {scope: "col", text: n}))));
  for (const from of names) {
    table.append(el("tr", {}, el("th", {scope: "row", text: from}), ...names.map(to => {
      const c = count.get(from + "\u0000" + to);
      // the busier a pair, the darker its cell
      return el("td", c ? {text: fmt(c), style: `background: rgba(58, 123, 213, ${(0.08 + 0.5 * c / top).toFixed(2)})`}
        : {text: ""});
    })));
  }
  return el("div", {class: "matrix-box"}, table);
}

/* A plot's legend as the page's own list beside it (Plotly's legend was a third of every draw): an entry per
   trace with lines drawn (as Plotly's did), or switched off; a click hides or shows its trace. */
class Legend {
  constructor(label, line) {
    this.root = el("ul", {class: "plot-legend" + (line ? " lines" : ""), "aria-label": label});
    this.hidden = new Set();  // traces switched off
    this.items = new Map();  // trace -> li
    this.toggle = () => {};  // (trace, hide): set by the view
  }

  /* entries: [{trace, name, colour}]; none shows until shows() says its trace has lines. */
  set(entries) {
    this.items = new Map();
    this.root.replaceChildren(...entries.map(({trace, name, colour}) => {
      const b = el("button", {type: "button", class: "legend-item", "aria-pressed": String(!this.hidden.has(trace))},
        el("span", {class: "swatch", style: `background: ${colour}`}), name);
      b.addEventListener("click", () => {
        const hide = !this.hidden.has(trace);
        if (hide) this.hidden.add(trace); else this.hidden.delete(trace);
        b.setAttribute("aria-pressed", String(!hide));
        this.toggle(trace, hide);
      });
      const li = el("li", {hidden: ""}, b);
      this.items.set(trace, li);
      return li;
    }));
  }

  shows(drawn) {
    for (const [i, li] of this.items) li.hidden = !(drawn(i) || this.hidden.has(i));
  }
}

/* Plotly's default hides a tick label past the figure's edge, measuring every label on every draw; ours fit. */
const AXIS = {ticklabeloverflow: "allow"};

export class RunView {
  constructor(root) {
    this.root = root;
    this.id = ++views;
    root.classList.add("run-view");
    this.status = el("p", {class: "status", role: "status", "aria-live": "polite"});
    this.figures = el("div", {class: "figures"});
    this.machine = el("div", {class: "machine-notes"});  // how busy the machine was: beside the figures it bends
    this.timelineEl = el("div", {class: "plot timeline"});
    this.legend = new Legend(tr("timeline"), false);
    this.progressLegend = new Legend(tr("progress"), true);
    this.progressEl = el("div", {class: "plot progress"});
    this.note = el("p", {class: "hint note"});
    this.after = el("div", {class: "after"});
    root.append(this.status, this.figures, this.machine,
      el("h3", {text: tr("timeline")}), el("p", {class: "hint", text: tr("timeline_hint")}),
      el("div", {class: "plot-box"}, this.timelineEl, this.legend.root),
      this.note, el("h3", {text: tr("progress")}),
      el("div", {class: "plot-box"}, this.progressEl, this.progressLegend.root), this.after);
    this.cards = {};
    for (const [key, hint] of [["fig_handoffs", "fig_handoffs_hint"], ["fig_slice", "fig_slice_hint"],
      ["fig_cores", "fig_cores_hint"], ["fig_wake", "fig_wake_hint"], ["fig_coverage", "fig_coverage_hint"],
      ["fig_sampler", "fig_sampler_hint"]]) {
      const value = el("strong", {text: "–"});
      const card = el("div", {class: "card", title: tr(hint, {i: "?"})}, value, el("span", {text: tr(key)}));
      this.cards[key] = {value, card, hint};
      this.figures.append(card);
    }
    this.data = new Timeline(LAYOUT);
    this.progress = new Progress();
    this.threads = [];
    this.generation = 0;
    this.window = null;  // the zoomed-in time window [ms, ms]; null: the whole run
    this.live = this.livePanel = null;  // a live look: its rolling window and counters (_liveHello)
    this.duration = 2;
    this.dropped = 0;
    this.drawnAt = this.progressAt = -Infinity;
    this.drawCost = this.progressCost = 0;
    this.drawLog = [];
    this.afterKeys = [];
    this.budget = DRAW_BUDGET;  // see DRAW_TARGET_MS
    this.traceIndex = Array.from({length: LAYOUT.count}, (_, i) => i);
    this._initPlots();
    this.holders = new HoldersView(this);  // where the GIL was held: under the timeline
  }

  /* Runs fn in a frame of its own, before any draw or other chore asked for (see the module's comment). */
  _soon(what, fn) {
    scheduler.chore(this._key(what), fn, -Infinity);
  }

  /* The timeline's legend: the states, the holder's free and other, and one entry per thread colour in use
     ("GIL: cpu-1"). */
  _legend(lanes = []) {
    const items = CONFIG.states.map((st, i) => ({trace: i, name: tr("st_" + st.name), colour: st.colour}));
    items.push({trace: LAYOUT.free, name: tr("holder_free"), colour: CONFIG.holder.free_colour});
    items.push({trace: LAYOUT.other, name: tr("holder_other"), colour: CONFIG.holder.other_colour});
    this.legend.set(items.concat(lanes));
  }

  _initPlots() {
    // SVG lines, not WebGL: without a GPU (a classroom VM, a headless browser) every WebGL frame is read back
    // synchronously on the page's main thread, which is what froze it. Decimated data keeps SVG cheap.
    const line = (name, color, more = {}) => Object.assign({type: "scatter", mode: "lines", name, x: [], y: [],
      hovertemplate: "%{x:.3f} " + tr("u_ms"), line: {color, width: 14, simplify: false}, connectgaps: false}, more);
    const traces = CONFIG.states.map(s => line(tr("st_" + s.name), s.colour));
    traces.push(line(tr("holder_free"), CONFIG.holder.free_colour));
    traces.push(line(tr("holder_other"), CONFIG.holder.other_colour));
    for (const c of CONFIG.thread_colours) traces.push(line("", c));
    this.baseNames = traces.map(t => t.name);
    this._legend();
    const visible = (gd, plot) => (trace, hide) => this._soon(`visible-${plot}-${trace}`,
      () => Plotly.restyle(gd, {visible: hide ? "legendonly" : true}, [trace]));
    this.legend.toggle = visible(this.timelineEl, "timeline");
    this.progressLegend.toggle = visible(this.progressEl, "progress");
    this.layout = {
      margin: {l: 150, r: 20, t: 30, b: 40}, height: 240, dragmode: "zoom", hovermode: "closest", showlegend: false,
      xaxis: {...AXIS, title: {text: tr("time_ms")}, zeroline: false, range: [0, 2000]},
      yaxis: {...AXIS, tickvals: [0], ticktext: [tr("lane_holder")], range: [0.6, -0.6], fixedrange: true, zeroline: false},
      plot_bgcolor: "#fbfbfb",
      hoverlabel: {namelength: -1}, separators: SEPARATORS,
    };
    // Each figure is made in a frame of its own, before anything else this view asks of Plotly (the page's
    // first frames after plotly.js loaded were one long task).
    this._soon("plot-timeline", () => {
      // A double click goes back to the whole run, drawn here (Plotly's own reset knows only the first range).
      Plotly.newPlot(this.timelineEl, traces, this.layout, Object.assign({}, PLOT_CONFIG,
        {modeBarButtonsToRemove: ["select2d", "lasso2d", "resetScale2d"], doubleClick: false}));
      this.timelineEl.on("plotly_relayout", e => this._onRelayout(e));
      this.timelineEl.on("plotly_doubleclick", () => { this.window = null; this.wantDraw(true); });
    });
    this._soon("plot-progress", () => Plotly.newPlot(this.progressEl, [], {margin: {l: 60, r: 10, t: 10, b: 40},
      height: 220, separators: SEPARATORS, showlegend: false, xaxis: {...AXIS, title: {text: tr("time_s")}, range: [0, 2]},
      yaxis: {...AXIS, title: {text: tr("units")}, rangemode: "tozero"}}, PLOT_CONFIG));
  }

  /* The progress figure's traces for a new run: after the timeline's first draw (it matters less), and before
     its lines are drawn. */
  _progressInit(fn, ready = false) {
    scheduler.chore(this._key("progress-init"), () => { fn(); this.progressReady = ready; }, performance.now() + 250);
  }

  /* The hello's lanes on the timeline, unless the first draw took them along. */
  _applyHello() {
    const h = this.helloLayout;
    if (!h) return;
    this.helloLayout = null;
    const none = () => this.traceIndex.map(() => []);
    const traces = this.drawnData ? {name: h.names} : {name: h.names, x: none(), y: none()};
    Plotly.update(this.timelineEl, traces, h.layout, this.traceIndex);
  }

  reset() {
    this.generation++;  // events still queued for the previous run are dropped
    this.drawnData = this.tickCame = this.progressReady = false;
    this.drawnAt = -Infinity;  // the run's first draw comes as soon as its data does
    this.helloLayout = null;
    for (const key of ["draw", "progress", "duration", ...this.afterKeys]) scheduler.cancel(this._key(key));
    this.afterKeys = [];
    this.threads = [];
    this.dropped = 0;
    this.duration = 1;
    this.window = null;
    this._liveHello({});
    this.data.clear(0);
    this.progress.clear(0);
    this.note.textContent = "";
    this.machine.replaceChildren();
    this.after.replaceChildren();
    this.holders.reset();
    for (const c of Object.values(this.cards)) c.value.textContent = "–";
    // The previous run's lines go, each plot in a frame of its own (the hello's layout and the first draw,
    // under the same keys, take their place if they come first).
    this.legend.shows(() => false);
    this.progressLegend.shows(() => false);
    const none = () => this.traceIndex.map(() => []);
    this._soon("timeline-init", () => Plotly.restyle(this.timelineEl, {x: none(), y: none()}, this.traceIndex));
    this._progressInit(() => Plotly.react(this.progressEl, [], this.progressEl.layout));
  }

  setStatus(text, kind = "") {
    this.status.textContent = text;
    this.status.className = "status " + kind;
  }

  _key(what) {
    return `view${this.id}-${what}`;
  }

  /* The whole run's time span, ms; a live look's: the kept window, its end following the tail while it runs. */
  _fullRange() {
    if (this.live) {
      const end = this.data.end();
      return this.live.following ? [Math.max(0, end - this.live.windowMs), Math.max(end, 1000)]
        : [this.data.start(), Math.max(end, this.data.start() + 1)];
    }
    return [0, Math.max(this.duration * 1000, this.data.end())];
  }

  /* A zoom (or pan) of the timeline draws its window again at full detail; autoscale goes back to the run. */
  _onRelayout(e) {
    let range = null;
    if (Array.isArray(e["xaxis.range"])) range = e["xaxis.range"];
    else if ("xaxis.range[0]" in e && "xaxis.range[1]" in e) range = [e["xaxis.range[0]"], e["xaxis.range[1]"]];
    if (e["xaxis.autorange"]) {
      this.window = null;
      this.wantDraw(true);
      return;
    }
    if (!range) return;
    const [a, b] = range.map(Number), [f0, f1] = this._fullRange();
    const whole = Math.abs(a - f0) < 1e-6 * (f1 - f0 || 1) && Math.abs(b - f1) < 1e-6 * (f1 - f0 || 1);
    this.window = whole ? null : [a, b];
    this.wantDraw(true);
  }

  /* Asks for a draw: soon (a zoom) or once the gap after the last draw has passed (streaming). */
  wantDraw(soon = false) {
    const gap = cost => Math.min(MAX_GAP_MS, Math.max(MIN_GAP_MS, GAP_PER_COST * cost));
    scheduler.chore(this._key("draw"), () => this.draw(), soon ? 0 : this.drawnAt + gap(this.drawCost));
    // The progress lines matter less while the timeline streams: less often.
    scheduler.chore(this._key("progress"), () => this.drawProgress(),
      soon ? 0 : this.progressAt + PROGRESS_GAPS * gap(this.progressCost));
  }

  /* Draws what the timeline's pixels can show of its window. */
  draw() {
    const t = performance.now();
    const el = this.timelineEl, xaxis = el._fullLayout && el._fullLayout.xaxis;
    const px = Math.max(100, (xaxis && xaxis._length) || el.clientWidth - 340);
    const full = this._fullRange();
    const [x0, x1] = this.window || full;
    const traces = buildTraces(this.data, x0, x1, px, this.budget);
    const update = {x: traces.x, y: traces.y}, relayout = {};
    if (this.helloLayout) {  // the hello's lanes, in this same call
      Object.assign(relayout, this.helloLayout.layout);
      update.name = this.helloLayout.names;
      this.helloLayout = null;
      scheduler.cancel(this._key("timeline-init"));
    }
    if (!this.window) {
      const now = el.layout.xaxis.range || [];
      if (now[0] !== full[0] || now[1] !== full[1]) relayout["xaxis.range"] = full;
    }
    const tb = performance.now();
    Plotly.update(el, update, relayout, this.traceIndex);
    this.legend.shows(i => traces.x[i].length > 0);
    this.drawnAt = performance.now();
    if (!this.drawnData && traces.segments > 0) {
      // The run's first timeline data on screen, for bench/first_pixels.py (its time from gilscope:run).
      this.drawnData = true;
      performance.mark("gilscope:first-timeline", {detail: {view: this.id}});
    }
    // For benchmarks and the curious: what each draw cost (ms) and drew (segments out of those kept).
    if (this.drawLog.length >= 500) this.drawLog.shift();
    this.drawLog.push({at: t, decimateMs: tb - t, plotMs: this.drawnAt - tb, drawn: traces.segments,
      kept: this.data.segments, budget: this.budget});
    this.drawCost = this.drawnAt - t;
    if (traces.segments > this.budget / 2 && this.drawCost > DRAW_TARGET_MS) {
      this.budget = Math.max(MIN_BUDGET, Math.round(this.budget * Math.max(0.5, DRAW_TARGET_MS / this.drawCost)));
    } else if (this.drawCost < DRAW_TARGET_MS / 2) {
      this.budget = Math.min(MAX_BUDGET, Math.round(this.budget * 1.25));
    }
  }

  drawProgress() {
    const t = performance.now();
    if (this.progressReady && (this.progressEl.data || []).length) {
      const p = this.progress.traces();
      Plotly.restyle(this.progressEl, p, p.x.map((_, i) => i));
      this.progressLegend.shows(i => p.x[i] && p.x[i].length > 0);
    }
    this.progressAt = performance.now();
    this.progressCost = this.progressAt - t;
  }

  onHello(ev, spec) {
    this._liveHello(ev);
    this.threads = ev.threads;
    this.interval = ev.interval_s;
    if (spec) this.duration = spec.duration_s;
    this.data.clear(this.threads.length);
    this.progress.clear(this.threads.length);
    const n = this.threads.length;
    const names = this.threads.map(t => t.name);
    // The holder lane's colours get a legend entry each: "GIL: cpu-1" (threads sharing a colour share it).
    const holders = CONFIG.thread_colours.map((_, c) => names.filter((_, i) => i % LAYOUT.colours === c));
    const laneName = c => "GIL: " + holders[c].join(", ");
    this._legend(holders.map((h, c) => ({trace: LAYOUT.firstThread + c, name: laneName(c), colour: CONFIG.thread_colours[c]}))
      .filter((_, c) => holders[c].length > 0));
    // One call sets the lanes and clears the previous run's lines (the reset's clearing is then not needed), or
    // the first draw sets them (see onTick).
    const traceNames = this.traceIndex.map(i =>
      (i >= LAYOUT.firstThread ? laneName(i - LAYOUT.firstThread) : this.baseNames[i]));
    const layout = {
      height: Math.max(240, 110 + 28 * (n + 1)), "xaxis.range": [0, this.duration * 1000],
      "yaxis.tickvals": [0, ...names.map((_, i) => i + 1)],
      "yaxis.ticktext": [tr("lane_holder"), ...names], "yaxis.range": [n + 0.6, -0.6],
    };
    this.helloLayout = {names: traceNames, layout};
    this._soon("timeline-init", () => this._applyHello());
    const progress = this.threads.map((t, i) => ({
      type: "scatter", mode: "lines", name: t.name, x: [], y: [],
      line: {color: CONFIG.thread_colours[i % LAYOUT.colours]}}));
    this.progressLegend.hidden.clear();  // new traces, all shown
    this.progressLegend.set(progress.map((t, i) => ({trace: i, name: t.name, colour: t.line.color})));
    this._progressInit(() => Plotly.react(this.progressEl, progress,
      Object.assign({}, this.progressEl.layout, {xaxis: {...AXIS, title: {text: tr("time_s")}, range: [0, this.duration]}})),
    true);
    this.cards.fig_slice.card.title = tr("fig_slice_hint", {i: fmt(ev.interval_s * 1000)});
    const inst = ev.instruments || {};
    const missing = [];
    if (!inst.locator) missing.push(tr("inst_locator") + ": " + inst.locator_detail);
    if (!inst.proc_sampler) missing.push(tr("inst_sampler") + ": " + inst.proc_sampler_detail);
    if (ev.python && ev.python.gil_enabled === false) missing.unshift(tr("free_note"));
    this.note.textContent = missing.length ? tr("missing") + ": " + missing.join("; ") : "";
  }

  /* A live look (gilscope attach/trace --live): a rolling window of its last seconds, and its counters. */
  _liveHello(ev) {
    if (this.livePanel) this.livePanel.root.remove();
    this.live = this.livePanel = null;
    if (!ev.live) return;
    this.live = {windowMs: ev.live.window_s * 1000, following: true, droppedAt: 0};
    this.duration = ev.live.window_s;
    this.livePanel = new LivePanel(ev.live.window_s);
    this.note.after(this.livePanel.root);
  }

  /* Threads a live look found after its hello: lanes of their own. */
  onThreads(ev) {
    const grown = ev.threads.slice(Math.max(0, this.threads.length - ev.first));
    if (!grown.length) return;
    this.threads = this.threads.concat(grown);
    const names = this.threads.map(t => t.name), n = names.length;
    const holders = CONFIG.thread_colours.map((_, c) => names.filter((_, i) => i % LAYOUT.colours === c));
    Plotly.update(this.timelineEl, {
      name: holders.map(h => "GIL: " + h.join(", ")), showlegend: holders.map(h => h.length > 0),
    }, {
      height: Math.max(240, 110 + 28 * (n + 1)), "yaxis.tickvals": [0, ...names.map((_, i) => i + 1)],
      "yaxis.ticktext": [tr("lane_holder"), ...names], "yaxis.range": [n + 0.6, -0.6],
    }, holders.map((_, c) => LAYOUT.firstThread + c));
  }

  onTick(ev) {
    if (this.live) this._liveTick(ev);
    if (this.helloLayout) scheduler.cancel(this._key("timeline-init"));  // the first draw sets the lanes
    if (ev.segments && ev.segments.length) this.data.addSegments(ev.segments);
    if (ev.holder && ev.holder.length) this.data.addHolder(ev.holder);
    if (ev.progress) this.progress.add(ev.t_s, ev.progress);
    this.wantDraw();
    if (ev.dropped_segments) {
      this.dropped += ev.dropped_segments;
      this.note.textContent = plural("dropped", this.dropped);
    }
    const f = ev.figures || {};
    if (f.handoffs_per_s !== null && f.handoffs_per_s !== undefined) this.cards.fig_handoffs.value.textContent = fmt(f.handoffs_per_s);
    if (f.cores_now !== null && f.cores_now !== undefined) this.cards.fig_cores.value.textContent = fmt(f.cores_now, 2);
    if (this.live) this.setStatus(tr("status_live", {t: fmt(ev.t_s, 3)}), "running");
    else this.setStatus(tr("status_running", {t: fmt(ev.t_s, 2), d: fmt(this.duration, 2)}), "running");
  }

  /* The page keeps a live look's last window (and a little more), whatever its length: what is older goes. */
  _liveTick(ev) {
    const now = ev.t_s * 1000, keep = this.live.windowMs * 1.1;
    if (now - this.live.droppedAt > 0.1 * this.live.windowMs) {
      this.live.droppedAt = now;
      this.data.dropBefore(now - keep);
    }
  }

  showSummary(s) {
    if (this.live) this.live.following = false;  // the look is over: what was kept, whole
    this.budget = Math.max(this.budget, DRAW_BUDGET);  // the experiment is over: its cores are free again
    this.wantDraw(true);
    const c = this.cards;
    c.fig_handoffs.value.textContent = s.handoffs_per_s === null ? tr("none") : fmt(s.handoffs_per_s);
    c.fig_slice.value.textContent = s.slice_ms.p50 === null ? "–" :
      fmt(s.slice_ms.p50) + " " + tr("u_ms") + " / " + fmt(s.interval_s * 1000) + " " + tr("u_ms");
    c.fig_cores.value.textContent = fmt(s.cores_used, 2);
    c.fig_wake.value.textContent = s.io_wake_latency_ms ? fmt(s.io_wake_latency_ms.p50) + " " + tr("u_ms") : "–";
    c.fig_coverage.value.textContent = s.handoffs ? fmt(s.timeline_handoffs) + " / " + fmt(s.handoffs) : "–";
    c.fig_sampler.value.textContent = s.sampler && s.sampler.rate_hz ?
      fmt((s.sampler.cpu_fraction || 0) * 100, 2) + "% · " + fmt(s.sampler.rate_hz, 2) + " " + tr("u_hz") : "–";
    this.showMachine(s);
    this.renderAfter(s);
    this.holders.onSummary(s);
  }

  /* Other processes' load during the run (and during its comparison with one thread), where it may have bent
     the figures; a quiet note when the load could not be read. */
  showMachine(s) {
    const notes = machineNotes(s).map(n => {
      if (n.kind === "unknown") {
        return el("p", {class: "hint machine-unknown", title: n.detail, text: tr("machine_unknown")});
      }
      const text = plural(n.kind === "busy" ? "machine_busy" : "machine_busy_baseline", n.cpus, {x: fmt(n.others, 2)});
      return el("p", {class: "machine-warning", role: "note"},
        el("span", {class: "icon", "aria-hidden": "true", text: "⚠"}), " ", text);
    });
    this.machine.replaceChildren(...notes);
  }

  renderAfter(s) {
    const a = this.after;
    a.replaceChildren(el("h3", {text: tr("after")}));
    if (s.reading) a.append(el("h4", {text: tr("reading")}), el("p", {class: "reading", text: s.reading}));
    const plots = el("div", {class: "after-plots"});
    a.append(plots);
    const layout = (title, more) => Object.assign({title: {text: title, font: {size: 14}}, height: 240,
      margin: {l: 50, r: 10, t: 40, b: 40}, separators: SEPARATORS}, more);
    // Every box is placed first, so that each plot takes its final column's width; each plot is drawn in a frame
    // of its own.
    const draws = [];
    const plot = (draw) => {
      const box = el("div", {class: "plot small"});
      plots.append(box);
      draws.push(() => draw(box));
    };
    const dist = s.distributions || {};
    const hist = (values, title) => plot(box => {
      const h = histogram(values, 40), ms = " " + tr("u_ms");
      const bars = [{type: "bar", x: h.x, y: h.y, width: h.width, marker: {color: CONFIG.states[2].colour},
        hovertemplate: "%{x}" + ms + ": %{y}<extra></extra>"}];
      if (h.over) {  // the longest 1 %, one bar past the others
        bars.push({type: "bar", x: [h.overFrom + 1.5 * h.width], y: [h.over], width: 2 * h.width,
          marker: {color: "#1d3f73"}, hovertemplate: `≥ ${fmt(h.overFrom)}${ms}: %{y}<extra></extra>`});
      }
      const notes = h.over ? [{x: h.overFrom + 1.5 * h.width, y: h.over, yanchor: "bottom", showarrow: false,
        text: "≥ " + fmt(h.overFrom), font: {size: 11, color: "#1d3f73"}}] : [];
      Plotly.newPlot(box, bars, layout(title, {bargap: 0, showlegend: false, annotations: notes,
        xaxis: {title: {text: tr("u_ms")}}, yaxis: {title: {text: tr("count")}}}), PLOT_CONFIG);
    });
    if (dist.slice_ms && dist.slice_ms.length) hist(dist.slice_ms, tr("hist_slice"));
    if (dist.wake_ms && dist.wake_ms.length) hist(dist.wake_ms, tr("hist_wake"));
    const cmp = baselineFigure(s.baseline);
    if (cmp) {
      const fig = el("figure", {class: "compare-fig"});
      plots.append(fig);
      draws.push(() => this._drawCompare(fig, cmp, layout));
    }
    this.afterKeys = draws.map((_, i) => "after" + i);
    draws.forEach((draw, i) => scheduler.chore(this._key("after" + i), draw));
    const table = el("table", {class: "threads"});
    table.append(el("tr", {}, ...[tr("thread"), tr("kind"), tr("units"), tr("units_per_s"), tr("cpu_s"),
      tr("gil_wait_s"), tr("fig_wake")].map(h => el("th", {text: h}))));
    for (const t of s.threads) {
      table.append(el("tr", {}, ...[t.name, t.kind, fmt(t.progress), fmt(t.units_per_s), fmt(t.cpu_s),
        fmt(t.gil_wait_s), t.wake_latency_ms ? fmt(t.wake_latency_ms.p50) + " " + tr("u_ms") : "–"]
        .map(v => el("td", {text: v}))));
    }
    a.append(table);
    if (s.handoff_matrix && s.handoff_matrix.length) a.append(el("h4", {text: tr("matrix")}), matrix(s));
    const inst = s.instruments || {};
    a.append(el("p", {class: "hint", text: `${tr("instruments")}: ${tr("inst_locator")} ${inst.locator ? "✓" : "✗"} · ` +
      `${tr("inst_sampler")} ${inst.proc_sampler ? "✓" : "✗"} · ${tr("inst_schedstat")} ${inst.schedstat ? "✓" : "✗"} · ` +
      `${tr("python")} ${s.python ? s.python.version : "?"}`}));
  }

  /* Threads against one thread: both rounds' wall times as bars, beside them the ratio (the median of the
     interleaved pairs) with whiskers from the lowest pair's ratio to the highest and a dot per pair, and a
     caption that says so. */
  _drawCompare(fig, cmp, layout) {
    const box = el("div", {class: "plot small"});
    const r = cmp.ratio, s = " " + tr("u_s");
    fig.replaceChildren(box);
    const traces = [{type: "bar", x: [tr("threaded"), tr("sequential")], y: [cmp.threaded, cmp.sequential],
      marker: {color: [CONFIG.states[1].colour, CONFIG.states[0].colour]}, showlegend: false,
      text: [fmt(cmp.threaded) + s, fmt(cmp.sequential) + s], textposition: "auto",
      hovertemplate: "%{x}: %{y:.3f}" + s + "<extra></extra>"}];
    const more = {showlegend: false, bargap: 0.3,
      xaxis: {domain: [0, 0.56], fixedrange: true}, yaxis: {title: {text: tr("wall_s")}, rangemode: "tozero"}};
    if (r.value !== null) {
      const bar = {type: "bar", x: [0], y: [r.value], width: [0.7], xaxis: "x2", yaxis: "y2", name: tr("c_ratio"),
        marker: {color: cmp.conclusive ? "#9fb6de" : "#d5d8de"}, hovertemplate: tr("c_ratio") + ": %{y:.3f}<extra></extra>"};
      const whiskers = errorBars([r]);
      if (whiskers) bar.error_y = Object.assign(whiskers, {color: "#1d3f73", thickness: 1.5, width: 10});
      traces.push(bar);
      if (cmp.pairRatios.length) {
        traces.push({type: "scatter", mode: "markers", xaxis: "x2", yaxis: "y2", x: dotOffsets(cmp.pairRatios.length),
          y: cmp.pairRatios, marker: {size: 5, color: "rgba(29, 63, 115, 0.55)"},
          text: cmp.pairRatios.map((_, i) => tr("pair_n", {i: i + 1})),
          hovertemplate: "%{text}: %{y:.3f}<extra></extra>"});
      }
      const top = Math.max(1, r.hi === null ? r.value : r.hi, ...cmp.pairRatios);
      Object.assign(more, {
        xaxis2: {domain: [0.7, 1], anchor: "y2", range: [-0.6, 0.6], tickvals: [0], ticktext: [tr("c_ratio")],
          fixedrange: true},
        yaxis2: {anchor: "x2", range: [0, 1.12 * top]},
        // 1: the threads took as long as one thread did
        shapes: [{type: "line", xref: "x2 domain", x0: 0, x1: 1, yref: "y2", y0: 1, y1: 1,
          line: {color: "#5b6472", width: 1, dash: "dot"}}],
      });
    }
    Plotly.newPlot(box, traces, layout(tr("compare"), more), PLOT_CONFIG);
    if (r.value !== null) {
      const words = r.lo !== null && r.hi !== null
        ? plural("ratio_hint", cmp.pairs, {r: fmt(r.value), lo: fmt(r.lo), hi: fmt(r.hi)})
        : tr("ratio_hint_one", {r: fmt(r.value)});
      fig.append(el("figcaption", {class: "hint", text: words}));
      // the machine's own noise, measured between identical rounds: too much, and the ratio decides nothing
      const noise = {noise: fmt(cmp.noise, 2) + "%", res: fmt(cmp.res, 2) + "%"};
      if (!cmp.conclusive) {
        fig.append(el("p", {class: "machine-warning ratio-inconclusive", role: "note"},
          el("span", {class: "icon", "aria-hidden": "true", text: "⚠"}), " ",
          tr(cmp.noise === null ? "ratio_inconclusive_res" : "ratio_inconclusive", noise)));
      } else if (cmp.noise !== null && cmp.res !== null) {
        fig.append(el("p", {class: "hint ratio-noise", text: tr("ratio_noise", noise)}));
      }
    }
  }

  /* One streamed event, applied in a frame of the scheduler's. */
  _apply(text, spec, finish) {
    const ev = JSON.parse(text);
    if (ev.type === "tick") this.onTick(ev);
    else if (ev.type === "queue") this.setStatus(tr("status_queued", {pos: ev.position}), "queued");
    else if (ev.type === "hello") this.onHello(ev, spec);
    else if (ev.type === "threads") this.onThreads(ev);
    else if (ev.type === "holders") { if (this.livePanel) this.livePanel.update(ev); }
    else if (ev.type === "stacks") this.holders.onStacks(ev);
    else if (ev.type === "phase" && ev.phase === "baseline") this.setStatus(tr("status_baseline"), "running");
    else if (ev.type === "summary") {
      this.setStatus(tr("status_done"), "done");
      this.showSummary(ev.summary);
      finish({status: "done", summary: ev.summary});
    } else if (ev.type === "failed") {
      if (this.live) this.live.following = false;
      this.wantDraw(true);
      this.setStatus(tr("status_failed", {e: ev.error}), "failed");
      finish({status: "failed", error: ev.error});
    } else if (ev.type === "cancelled") {
      this.wantDraw(true);
      this.setStatus(tr("status_cancelled"), "failed");
      finish({status: "cancelled"});
    }
  }

  /* The run's length, once known: the time axes span it. */
  _setDuration(seconds) {
    this.duration = seconds;
    this._soon("duration", () => {
      if ((this.progressEl.data || []).length) Plotly.relayout(this.progressEl, {"xaxis.range": [0, seconds]});
    });
    if (!this.window) this.wantDraw(true);
  }

  /* Follows a run to its end (spec: the run's, or null to ask the server). Resolves with {status, summary,
     error}. */
  follow(runId, spec) {
    if (this.source) this.source.close();
    this.reset();
    const generation = this.generation;
    this.duration = spec ? spec.duration_s : 2;
    if (!spec) {
      fetch(api(`/api/runs/${encodeURIComponent(runId)}`)).then(r => r.json()).then(run => {
        if (generation === this.generation && run.spec) this._setDuration(run.spec.duration_s);
      }).catch(() => {});
    }
    return new Promise(resolve => {
      const es = new EventSource(api(`/api/runs/${encodeURIComponent(runId)}/events`));
      this.source = es;
      const finish = (result) => {
        if (this.source === es) this.source = null;
        resolve(result);
      };
      es.onmessage = (m) => {
        const text = m.data, type = eventType(text);
        // The last event: no reconnection after it (the stream ends there).
        if (FINAL.has(type)) es.close();
        if (type === "tick" && !this.tickCame) {  // for bench/first_pixels.py: the first tick's arrival
          this.tickCame = true;
          performance.mark("gilscope:first-tick", {detail: {view: this.id}});
        }
        scheduler.push(() => { if (generation === this.generation) this._apply(text, spec, finish); });
        if (document.hidden) scheduler.drain();  // no frames come to a hidden page
      };
      // On a dropped connection EventSource reconnects by itself with Last-Event-ID: nothing lost, nothing twice.
      // A stream refused outright (an unknown run) is closed for good: the run is over for this view.
      es.onerror = () => {
        if (es.readyState !== EventSource.CLOSED || this.source !== es) return;
        scheduler.push(() => {
          if (generation !== this.generation) return;
          this.setStatus(tr("status_failed", {e: runId}), "failed");
          finish({status: "failed", error: "no event stream"});
        });
      };
    });
  }
}
