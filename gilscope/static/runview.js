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

import {CONFIG, LANG, SEPARATORS, api, el, fmt, plural, scheduler, tr} from "./page.js";
import {baselineFigure, dotOffsets, errorBars, machineNotes} from "./spread.js";
import {HoldersView} from "./holdersview.js";
import {buildTraces, DRAW_BUDGET, histogram, Progress, Timeline, traceLayout} from "./traces.js";
import {LivePanel} from "./live.js";
import {counterBetween, windowFigures} from "./rangefigures.js";
import {mixText} from "./runinfo.js";
import {axisTicks, centreWindow, clampWindow, freeWhileHeld, handoffsAround, holderSight, keyWindow, openWindow,
  segmentNear, spanWindow} from "./viewport.js";

const LAYOUT = traceLayout(CONFIG);
const MIN_GAP_MS = 250, MAX_GAP_MS = 2000, GAP_PER_COST = 6;  // between two live draws of one view
// Segments one draw may hand Plotly: adjusted after every draw that used most of it, so that a draw takes
// about DRAW_TARGET_MS on this machine now (fewer while an experiment keeps its cores busy).
const DRAW_TARGET_MS = 50, MIN_BUDGET = 500, MAX_BUDGET = 4000;
const FINAL = new Set(["summary", "failed", "cancelled"]);
const PLOT_CONFIG = {responsive: true, displaylogo: false};
const PROGRESS_GAPS = 3;  // the progress lines are drawn this many times less often than the timeline
let views = 0;
const allViews = [];  // W A S D move the first view on the page, or the one that has the focus
const HOLDING = CONFIG.states.find(st => st.name === "holding").code;
const WAITING = CONFIG.states.find(st => st.name === "waiting").code;
// Two traces past the layout's: the holder lane's reads that saw a change (ticks), and where it has no sample.
const SAMPLES = LAYOUT.count, NO_SAMPLE = LAYOUT.count + 1;
const NO_SAMPLE_COLOUR = "#6b7280";
// Segments the overview may draw (the whole run at its pixels): fewer after a draw that took long.
const OVERVIEW_BUDGET = 1200, OVERVIEW_MIN = 300, OVERVIEW_TARGET_MS = 40;
const NEUTRAL = ["#7d8797", "#b4bcc8"];  // comparison bars: not the states' red and green
const numbers = new Map();
/* x with exactly d decimals in the page's language (axis ticks). */
function fixed(x, d) {
  let f = numbers.get(d);
  if (!f) numbers.set(d, f = new Intl.NumberFormat(LANG === "uk" ? "uk-UA" : "en-US",
    {minimumFractionDigits: d, maximumFractionDigits: d}));
  return f.format(x);
}
const TICK_WORDS = {ms: tr("u_ms"), s: tr("u_s"), after: tr("ticks_after")};
const presenting = () => document.documentElement.classList.contains("present");
const laneHeight = () => (presenting() ? 40 : 28);
const laneWidth = () => (presenting() ? 26 : 14);  // a segment's thickness, px
const leftMargin = () => (presenting() ? 240 : 150);  // the lane names' room (the overview's too: aligned)
/* Is a text field being typed in (the keys are its, not the timeline's)? */
function typing() {
  const a = document.activeElement;
  if (!a) return false;
  if (a.isContentEditable) return true;
  if (a.tagName === "TEXTAREA" || a.tagName === "SELECT") return true;
  return a.tagName === "INPUT" && !["button", "checkbox", "radio", "range", "submit"].includes(a.type);
}
document.addEventListener("keydown", e => {
  if (e.ctrlKey || e.metaKey || e.altKey || typing() || !"wasdWASD".includes(e.key) || e.key.length !== 1) return;
  const live = allViews.filter(v => v.root.isConnected);
  const view = live.find(v => v.root.contains(document.activeElement)) || live[0];
  if (view && view.onKey(e.key)) e.preventDefault();
});

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
    this.entries = [];
    this.items = new Map();  // trace -> li
    this.toggle = () => {};  // (trace, hide): set by the view
  }

  /* entries: [{trace, name, colour}]; none shows until shows() says its trace has lines. */
  set(entries) {
    this.entries = entries;
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

  /* The entries stay whatever a window draws (a legend whose entries come and go with the zoom says nothing). */
  shows() {
    for (const li of this.items.values()) li.hidden = false;
  }

  /* The entries shown, for the view's image: [{name, colour}]. */
  shown() {
    return this.entries.filter(e => !this.hidden.has(e.trace)).map(({name, colour}) => ({name, colour}));
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
    this.timelineEl = el("div", {class: "plot timeline", "data-gilscope": "timeline", tabindex: "0",
      "aria-label": tr("timeline") + ". " + tr("keys_hint")});
    this.overviewEl = el("div", {class: "plot overview", "data-gilscope": "overview"});
    this.lens = el("div", {class: "lens", "aria-hidden": "true"});
    this.tip = el("div", {class: "timeline-tip", role: "tooltip", hidden: ""});
    this.chips = el("div", {class: "lane-chips", "aria-hidden": "true"});
    this.holderNote = el("div", {class: "holder-note hint"});
    // the window's own figures (rangefigures.js), under the timeline
    this.rangeBox = el("section", {class: "range-figures", "data-gilscope": "range", "aria-live": "polite",
      "aria-label": tr("range_title")});
    this.rangeKey = "";
    this.counter = [];  // [t_ms, hand-offs so far] from each tick's switch counter
    this.readout = el("span", {class: "window-readout hint"});
    const span = (key, n) => {
      const b = el("button", {type: "button", class: "span-btn", "data-span": key, text: tr(key)});
      b.addEventListener("click", () => this.setSpan(n));
      return b;
    };
    this.followBtn = el("button", {type: "button", class: "span-btn", "data-span": "follow", text: tr("span_follow"),
      hidden: ""});
    this.followBtn.addEventListener("click", () => { this.following = true; this.followBtn.hidden = true; this.wantDraw(true); });
    this.tools = el("div", {class: "timeline-tools"}, span("span_one", 1), span("span_ten", 10), span("span_all", null),
      this.followBtn, this.readout);
    this.legend = new Legend(tr("timeline"), false);
    this.progressLegend = new Legend(tr("progress"), true);
    this.progressEl = el("div", {class: "plot progress"});
    this.note = el("p", {class: "hint note"});
    this.after = el("div", {class: "after"});
    this.overviewBox = el("div", {class: "overview-box", title: tr("overview")}, this.overviewEl, this.lens);
    this.bar = el("div", {class: "run-bar-slot"});  // the page's offers once a run is done (runbar.js)
    this.imageBtn = el("button", {type: "button", class: "image-btn", "data-gilscope": "image", text: tr("img_button"),
      title: tr("img_title"), disabled: ""});
    this.imageBtn.addEventListener("click", () => this.exportImage());
    this.imageNote = el("span", {class: "hint image-note", role: "status"});
    root.append(el("div", {class: "view-head"}, this.status, this.imageBtn, this.imageNote), this.bar, this.figures, this.machine,
      el("h3", {text: tr("timeline")}), el("p", {class: "hint", text: tr("timeline_hint") + " " + tr("keys_hint")}),
      this.tools, el("div", {class: "overview-row"}, this.overviewBox, el("div", {class: "legend-spacer"})),
      el("div", {class: "plot-box timeline-box"}, this.timelineEl, this.legend.root, this.tip, this.chips),
      this.rangeBox, this.holderNote, this.note, el("h3", {text: tr("progress")}),
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
    this.window = null;  // the time window drawn [ms, ms]; null: the whole run
    this.following = false;  // the window keeps to the newest data (a run streaming)
    this.interval = null;  // the switch interval, s (the hello's)
    this.holderFolded = false;
    this.overviewAt = -Infinity;
    this.overviewCost = 0;
    this.overviewBudget = OVERVIEW_BUDGET;
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
    this._initWindow();
    allViews.push(this);
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
    items.push({trace: NO_SAMPLE, name: tr("no_sample"),
      colour: `repeating-linear-gradient(90deg, ${NO_SAMPLE_COLOUR} 0 3px, ${CONFIG.holder.free_colour} 3px 6px)`});
    items.push({trace: SAMPLES, name: tr("sample_tick"),
      colour: "linear-gradient(90deg, transparent 42%, #1d2430 42% 58%, transparent 58%)"});
    this.legend.set(items.concat(lanes));
    this.legend.shows();
  }

  _initPlots() {
    // SVG lines, not WebGL: without a GPU (a classroom VM, a headless browser) every WebGL frame is read back
    // synchronously on the page's main thread, which is what froze it. Decimated data keeps SVG cheap.
    const line = (name, color, more = {}) => Object.assign({type: "scatter", mode: "lines", name, x: [], y: [],
      hoverinfo: "skip", line: {color, width: laneWidth(), simplify: false}, connectgaps: false}, more);
    const traces = CONFIG.states.map(s => line(tr("st_" + s.name), s.colour));
    traces.push(line(tr("holder_free"), CONFIG.holder.free_colour));
    traces.push(line(tr("holder_other"), CONFIG.holder.other_colour));
    for (const c of CONFIG.thread_colours) traces.push(line("", c));
    traces.push({type: "scatter", mode: "markers", name: tr("sample_tick"), x: [], y: [], hoverinfo: "skip",
      marker: {symbol: "line-ns-open", size: 16, color: "#1d2430", line: {width: 1.5, color: "#1d2430"}}});
    traces.push(line(tr("no_sample"), NO_SAMPLE_COLOUR, {line: {color: NO_SAMPLE_COLOUR, width: laneWidth(), dash: "3px,3px",
      simplify: false}}));
    this.traceIndex = traces.map((_, i) => i);
    this.baseNames = traces.map(t => t.name);
    this._legend();
    const visible = (gd, plot) => (trace, hide) => this._soon(`visible-${plot}-${trace}`,
      () => Plotly.restyle(gd, {visible: hide ? "legendonly" : true}, [trace]));
    this.legend.toggle = visible(this.timelineEl, "timeline");
    this.progressLegend.toggle = visible(this.progressEl, "progress");
    this.layout = {
      margin: {l: leftMargin(), r: 20, t: 10, b: 44}, height: 240, dragmode: "zoom", hovermode: "closest", showlegend: false,
      font: {size: presenting() ? 17 : 12},
      xaxis: {...AXIS, title: {text: tr("u_ms"), standoff: 6}, zeroline: false, range: [0, 2000], tickmode: "array",
        tickvals: [], ticktext: []},
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
      this.timelineEl.on("plotly_doubleclick", () => this.setSpan(null));
      this.timelineEl.on("plotly_afterplot", () => this._placeChips());
    });
    this._soon("plot-overview", () => {
      const lines = LAYOUT.count;
      const thin = Array.from({length: lines}, (_, i) => ({type: "scatter", mode: "lines", x: [], y: [],
        hoverinfo: "skip", line: {width: 5, simplify: false, color: traces[i].line.color}, connectgaps: false}));
      Plotly.newPlot(this.overviewEl, thin, this._overviewLayout(1, [0, 2000]),
        Object.assign({}, PLOT_CONFIG, {staticPlot: true}));
    });
    this._soon("plot-progress", () => Plotly.newPlot(this.progressEl, [], {margin: {l: 60, r: 10, t: 10, b: 40},
      height: 220, separators: SEPARATORS, showlegend: false, xaxis: {...AXIS, title: {text: tr("time_s")}, range: [0, 2]},
      yaxis: {...AXIS, title: {text: tr("units")}, rangemode: "tozero"}}, PLOT_CONFIG));
  }

  /* The progress figure's traces for a new run: after the timeline's first draw (it matters less), and before
     its lines are drawn. Lines that came meanwhile (a stored run replays in one go) are drawn once it is ready. */
  _progressInit(fn, ready = false) {
    scheduler.chore(this._key("progress-init"), () => {
      fn();
      this.progressReady = ready;
      if (ready) scheduler.chore(this._key("progress"), () => this.drawProgress(), 0);
    }, performance.now() + 250);
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
    for (const key of ["draw", "progress", "overview", "duration", "range", ...this.afterKeys]) scheduler.cancel(this._key(key));
    this.afterKeys = [];
    this.threads = [];
    this.imageBtn.disabled = true;
    this.imageNote.textContent = "";
    this.counter = [];
    this.rangeKey = "";
    this.rangeBox.replaceChildren();
    this.dropped = 0;
    this.duration = 1;
    this.window = null;
    this.following = this.running = true;
    this.followBtn.hidden = true;
    this.holderFolded = false;
    this.holderNote.replaceChildren();
    this.overviewStale = false;
    this.overviewAt = -Infinity;
    this._liveHello({});
    this.data.clear(0);
    this.progress.clear(0);
    this.note.textContent = "";
    this.bar.replaceChildren();
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
    this._soon("overview-init", () => Plotly.restyle(this.overviewEl, {x: none().slice(0, LAYOUT.count),
      y: none().slice(0, LAYOUT.count)}, this.traceIndex.slice(0, LAYOUT.count)));
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
      this.setSpan(null);
      return;
    }
    if (!range) return;
    const [a, b] = range.map(Number), [f0, f1] = this._fullRange();
    const whole = Math.abs(a - f0) < 1e-6 * (f1 - f0 || 1) && Math.abs(b - f1) < 1e-6 * (f1 - f0 || 1);
    this.window = whole ? null : clampWindow(a, b, [f0, f1]);
    this._stopFollowing();
    this._placeLens();
    this.wantDraw(true);
  }

  _overviewLayout(n, range) {
    return {margin: {l: leftMargin(), r: 20, t: 2, b: 20}, height: Math.max(56, 24 + 7 * (n + 1)), showlegend: false,
      hovermode: false, dragmode: false, plot_bgcolor: "#f3f4f7", paper_bgcolor: "rgba(0,0,0,0)", separators: SEPARATORS,
      font: {size: presenting() ? 14 : 10},
      xaxis: {...AXIS, range, fixedrange: true, zeroline: false, showgrid: false, ticks: "outside", ticklen: 3,
        ticksuffix: " " + tr("u_ms")},
      yaxis: {range: [n + 0.6, -0.6], fixedrange: true, showticklabels: false, showgrid: false, zeroline: false}};
  }

  /* The window's run length in switch intervals and where it is: the overview's lens, the readout, and the
     overview's handles: a press on it centres the window there, a drag moves it. The timeline's tooltip. */
  _initWindow() {
    let grab = null;  // while dragging: ms between the pointer and the window's start
    const xAt = e => {
      const ax = this.overviewEl._fullLayout && this.overviewEl._fullLayout.xaxis;
      if (!ax || !ax._length) return null;
      const r = this.overviewEl.getBoundingClientRect(), [r0, r1] = ax.range.map(Number);
      return r0 + (e.clientX - r.left - ax._offset) / ax._length * (r1 - r0);
    };
    const move = e => {
      const x = xAt(e);
      if (x === null) return;
      const full = this._fullRange(), win = this.window || full;
      this.window = grab === null ? centreWindow(x, win, full) : clampWindow(x - grab, x - grab + win[1] - win[0], full);
      this._stopFollowing();
      this._placeLens();
      this.wantDraw(true);
    };
    this.overviewBox.addEventListener("pointerdown", e => {
      const x = xAt(e), win = this.window;
      if (x === null) return;
      grab = win && x >= win[0] && x <= win[1] ? x - win[0] : null;
      move(e);
      if (grab === null && this.window) grab = x - this.window[0];
      this.overviewBox.setPointerCapture(e.pointerId);
      e.preventDefault();
    }, true);
    this.overviewBox.addEventListener("pointermove", e => { if (grab !== null && e.buttons) move(e); });
    const drop = () => { grab = null; };
    this.overviewBox.addEventListener("pointerup", drop);
    this.overviewBox.addEventListener("pointercancel", drop);
    let pending = null;
    this.timelineEl.addEventListener("mousemove", e => {
      const first = pending === null;
      pending = e;
      if (first) requestAnimationFrame(() => { const ev = pending; pending = null; this._showTip(ev); });
    });
    this.timelineEl.addEventListener("mouseleave", () => { this.tip.hidden = true; });
    document.addEventListener("gilscope:present", () => this._soon("present", () => this._relayoutSizes()));
  }

  /* The heights and type sizes of the timeline and overview for the page's mode (presentation or not). */
  _relayoutSizes() {
    const n = this.threads.length;
    const lines = this.traceIndex.filter(i => i !== SAMPLES);
    Plotly.update(this.timelineEl, {"line.width": laneWidth()}, {height: this._timelineHeight(n),
      "font.size": presenting() ? 17 : 12, "margin.l": leftMargin()}, lines);
    this._soon("present-overview", () => {
      Plotly.relayout(this.overviewEl, {"font.size": presenting() ? 14 : 10, "margin.l": leftMargin()});
      this._placeLens();
    });
  }

  _timelineHeight(n) {
    const h = 110 + laneHeight() * (n + 1);
    return presenting() ? Math.max(h, Math.round(window.innerHeight * 0.6)) : Math.max(240, h);
  }

  _stopFollowing() {
    this.following = false;
    this.followBtn.hidden = !(this.running || (this.live && this.live.following));
  }

  /* A chip of each thread's colour (the colour its GIL spans, legend entry and progress line have) just left of
     its lane's name: the page's own elements, placed where Plotly drew the names. */
  _placeChips() {
    const names = this.threads.map(t => t.name);
    const labels = [...this.timelineEl.querySelectorAll(".ytick text")].filter(t => names.includes(t.textContent));
    const box = this.chips.parentElement.getBoundingClientRect();
    const want = labels.map(t => {
      const r = t.getBoundingClientRect();
      return {i: names.indexOf(t.textContent), left: r.left - box.left - 14, top: r.top - box.top + r.height / 2 - 5};
    });
    const n = want.length;
    while (this.chips.children.length > n) this.chips.lastChild.remove();
    while (this.chips.children.length < n) this.chips.append(el("span", {class: "lane-chip"}));
    want.forEach(({i, left, top}, k) => {
      const c = this.chips.children[k];
      c.style.cssText = `left: ${left}px; top: ${top}px; background: ${CONFIG.thread_colours[i % LAYOUT.colours]}`;
      c.dataset.thread = this.threads[i].name;
    });
  }

  /* One click: `n` switch intervals about the window's middle, or the whole run (n: null). */
  setSpan(n) {
    const full = this._fullRange();
    if (n === null) {
      this.window = null;
      this._stopFollowing();
    } else {
      this.window = spanWindow(n, (this.interval || 0.005) * 1000, this.window || full, full);
      if (!this.following) this._stopFollowing();
    }
    this._placeLens();
    this.wantDraw(true);
  }

  /* W S zoom, A D pan; true when the key was the timeline's. */
  onKey(key) {
    const full = this._fullRange();
    const win = keyWindow(key, this.window || full, full);
    if (!win) return false;
    this.window = win;
    if ("aAdD".includes(key)) this._stopFollowing();
    this._placeLens();
    this.wantDraw(true);
    return true;
  }

  /* The window while it follows the newest data: as wide as it is, ending at the newest segment. */
  _tailWindow(full) {
    const w = this.window ? this.window[1] - this.window[0] : (this.interval || 0.005) * 1000 * 20;
    const end = Math.max(this.data.end(), full[0]);
    return clampWindow(end - w, end, [full[0], Math.max(full[1], end)]);
  }

  /* The overview's lens over the window (the page's own element: moving it costs no Plotly call). */
  _placeLens() {
    const ax = this.overviewEl._fullLayout && this.overviewEl._fullLayout.xaxis;
    const size = this.overviewEl._fullLayout && this.overviewEl._fullLayout._size;
    if (!ax || !ax._length || !size) { this.lens.hidden = true; return; }
    const [r0, r1] = ax.range.map(Number), [a, b] = this.window || this._fullRange();
    const px = x => ax._offset + (Math.min(Math.max(x, r0), r1) - r0) / (r1 - r0 || 1) * ax._length;
    const left = px(a), width = Math.max(3, px(b) - left);
    Object.assign(this.lens.style, {left: left + "px", width: width + "px", top: size.t + "px", height: size.h + "px"});
    this.lens.hidden = false;
    const iv = (this.interval || 0) * 1000, w = b - a;
    this.readout.textContent = tr("window_now", {w: this._msText(w) + (iv ? ` (${fmt(w / iv, 2)} × ${fmt(iv)} ${tr("u_ms")})` : ""),
      t: this._msText(this._fullRange()[1] - this._fullRange()[0])});
  }

  /* One PNG of the view for slides (snapshot.js, loaded on the first press): the run's title and spec line, its
     figures, the timeline and the other plots stacked, each with its legend; downloaded as gilscope-<run>.png. */
  async exportImage() {
    if (this.imageBtn.disabled) return;
    this.imageBtn.disabled = true;
    this.imageNote.textContent = tr("img_making");
    try {
      const {viewImage} = await import("./snapshot.js");
      const run = this.run || {}, spec = run.spec || {};
      const what = mixText(run) || this.threads.map(t => t.name).join(", ");
      const parts = [what];
      const iv = typeof spec.switch_interval_s === "number" ? spec.switch_interval_s * 1000 : (this.interval || 0) * 1000;
      if (iv) parts.push(tr("now_interval", {i: fmt(iv) + " " + tr("u_ms")}));
      if (typeof spec.duration_s === "number") parts.push(tr("now_duration", {d: fmt(spec.duration_s) + " " + tr("u_s")}));
      const lines = [];
      if (this.runId) lines.push(tr("img_run", {id: this.runId, status: this.status.textContent}));
      const figures = Object.entries(this.cards).filter(([, c]) => c.value.textContent !== "–")
        .map(([key, c]) => `${tr(key)}: ${c.value.textContent}`);
      if (figures.length) lines.push(figures.join(" · "));
      if (this.window) lines.push(this.readout.textContent);
      // every plot and table in the view in the page's order, under the last heading before it; not the overview
      const blocks = [];
      let heading = "";
      for (const node of this.root.querySelectorAll("h3, h4, .js-plotly-plot, table")) {
        if (node.tagName === "H3" || node.tagName === "H4") { heading = node.textContent; continue; }
        if (node === this.overviewEl) continue;
        if (node.tagName === "TABLE") {
          if (node.offsetParent) blocks.push({heading, table: node});
          heading = "";
          continue;
        }
        const legend = node === this.timelineEl ? this.legend.shown() : node === this.progressEl ? this.progressLegend.shown() : [];
        blocks.push({heading, gd: node, legend});
        heading = "";
      }
      const blob = await viewImage({title: "gilscope · " + parts.join(" · "), lines, blocks});
      const url = URL.createObjectURL(blob);
      const a = el("a", {href: url, download: `gilscope-${this.runId || "view"}.png`});
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      this.imageNote.textContent = tr("img_done");
    } catch (e) {
      this.imageNote.textContent = tr("img_failed", {e: String(e && e.message || e)});
    } finally {
      this.imageBtn.disabled = false;
    }
  }

  /* The window's own figures under the timeline, from the segments this page holds (rangefigures.js); when the
     whole run is shown, a line that says so. Only when the window or the data changed since the last time. */
  _showRange() {
    const full = this._fullRange(), win = this.window;
    const whole = !win || win[1] - win[0] >= (full[1] - full[0]) * (1 - 1e-6);
    const key = whole ? "whole" : `${win[0]}:${win[1]}:${this.data.segments}:${this.threads.length}`;
    if (key === this.rangeKey) return;
    this.rangeKey = key;
    const box = this.rangeBox;
    box.dataset.whole = String(whole);
    if (whole) {
      delete box.dataset.start;
      delete box.dataset.end;
      box.replaceChildren(el("p", {class: "hint range-whole", text: tr("range_whole")}));
      return;
    }
    const [a, b] = win, w = b - a;
    const d = Math.max(0, Math.min(5, 3 - Math.ceil(Math.log10(w))));  // the bounds to about a thousandth of w
    const ms = x => fixed(x, d) + " " + tr("u_ms");
    box.dataset.start = String(a);
    box.dataset.end = String(b);
    const head = el("h4", {text: tr("range_title")});
    const source = el("p", {class: "hint range-source", text: tr("range_source", {a: ms(a), b: ms(b), w: this._msText(w)})});
    const f = windowFigures(this.data, a, b, HOLDING, WAITING);
    if (f.tooMany) {
      box.replaceChildren(head, source, el("p", {class: "hint range-too-many", text: tr("range_too_many", {n: fmt(f.tooMany)})}));
      return;
    }
    box.dataset.handoffs = String(f.handoffs);
    const handoffs = el("p", {class: "range-handoffs"}, tr("range_handoffs") + ": ",
      el("strong", {text: fmt(f.handoffs, 6)}));
    const c = counterBetween(this.counter, a, b);
    if (c) handoffs.append(el("span", {class: "hint range-counter", text: " · " + tr("range_counter",
      {from: this._msText(c.from), to: this._msText(c.to), n: fmt(c.count, 6)})}));
    const cell = (v, share) => el("td", {text: `${fmt(v)} ${tr("u_ms")} (${fmt(share * 100, 3)}%)`});
    const names = this.threads.map(t => t.name);
    const table = el("table", {class: "range-table"},
      el("tr", {}, ...[tr("thread"), tr("range_held"), tr("range_waiting"), tr("range_other")].map(h => el("th", {scope: "col", text: h}))));
    for (const t of f.threads) {
      const row = el("tr", {"data-thread": names[t.lane - 1] || String(t.lane), "data-held-ms": String(t.heldMs),
        "data-waiting-ms": String(t.waitingMs), "data-other-ms": String(t.otherMs)},
      el("th", {scope: "row", text: names[t.lane - 1] || "?"}), cell(t.heldMs, t.heldShare),
      cell(t.waitingMs, t.waitingShare), cell(t.otherMs, t.otherShare));
      table.append(row);
    }
    box.replaceChildren(head, source, handoffs, el("div", {class: "range-table-box"}, table),
      el("p", {class: "hint range-rest", text: tr("range_rest")}));
  }

  _msText(ms) {
    return ms >= 1000 ? fmt(ms / 1000) + " " + tr("u_s") : fmt(ms) + " " + tr("u_ms");
  }

  /* The whole run at the overview's pixels: a frame of its own, less often than the timeline. */
  drawOverview() {
    const t = performance.now();
    const ov = this.overviewEl, ax = ov._fullLayout && ov._fullLayout.xaxis;
    if (!ax) return;
    const full = this._fullRange(), px = Math.max(100, ax._length || ov.clientWidth - 170);
    const traces = buildTraces(this._drawnData(), full[0], full[1], px, this.overviewBudget, 1);
    const n = Math.max(0, this.data.lanes.length - 1);
    const lay = {"xaxis.range": full, "yaxis.range": [n + 0.6, -0.6], height: Math.max(56, 24 + 7 * (n + 1))};
    Plotly.update(ov, {x: traces.x, y: traces.y}, lay, traces.x.map((_, i) => i));
    this.overviewAt = performance.now();
    this.overviewCost = this.overviewAt - t;
    if (this.overviewCost > OVERVIEW_TARGET_MS && traces.segments > this.overviewBudget / 2) {
      this.overviewBudget = Math.max(OVERVIEW_MIN, Math.round(this.overviewBudget * OVERVIEW_TARGET_MS / this.overviewCost));
    }
    this._placeLens();
  }

  /* The data the timeline draws: the holder lane left out while it is folded. */
  _drawnData() {
    if (!this.holderFolded) return this.data;
    const lanes = this.data.lanes.slice();
    lanes[0] = {n: 0, ensureSorted() {}};
    return {layout: this.data.layout, lanes};
  }

  /* The holder lane's honest extras in [x0, x1]: its reads that saw a change (ticks, when they are a few pixels
     apart), and where it has no sample for what the probes show: "free" while a thread holds, or no read at all. */
  _holderExtras(x0, x1, px) {
    const none = {sx: [], sy: [], nx: [], ny: []};
    if (this.holderFolded) return none;
    const lane = this.data.lanes[0];
    if (!lane || lane.n === 0) {
      // no read at all: where the threads have data, the lane says so
      const any = this.data.lanes.some((l, i) => i > 0 && l.n > 0);
      const lo = Math.max(x0, this.data.start()), hi = Math.min(x1, this.data.end());
      return any && hi > lo ? {sx: [], sy: [], nx: [lo, hi, null], ny: [0, 0, null]} : none;
    }
    lane.ensureSorted();
    const i0 = lane.firstEndingAfter(x0), i1 = lane.firstStartingAt(x1);
    const out = {sx: [], sy: [], nx: [], ny: []};
    if (i1 - i0 > 0 && (i1 - i0) * 4 <= px) {
      for (let i = i0; i < i1; i++) if (lane.t0[i] >= x0) { out.sx.push(lane.t0[i]); out.sy.push(0); }
    }
    const gaps = freeWhileHeld(this.data, x0, x1, LAYOUT.free, HOLDING, Math.max(50, Math.floor(px / 2)));
    // before the first read and after the last: the probes saw threads, the sampler had not read yet
    const first = lane.t0[0], last = lane.end, start = this.data.start(), end = this.data.end();
    if (start < first && x0 < first) gaps.unshift([Math.max(x0, start), Math.min(x1, first)]);
    if (end > last && x1 > last) gaps.push([Math.max(x0, last), Math.min(x1, end)]);
    const minW = (x1 - x0) / px;
    for (const [a, b] of gaps) if (b > a) out.nx.push(a, Math.max(b, a + minW), null), out.ny.push(0, 0, null);
    return out;
  }

  /* A segment under the pointer: thread, state, start, duration and the hand-offs around it. */
  _showTip(e) {
    const gd = this.timelineEl, fl = gd._fullLayout;
    if (!e || !fl || !fl.xaxis || !fl.xaxis._length) return;
    const r = gd.getBoundingClientRect(), xa = fl.xaxis, ya = fl.yaxis;
    const px = e.clientX - r.left - xa._offset, py = e.clientY - r.top - ya._offset;
    if (px < 0 || px > xa._length || py < 0 || py > ya._length) { this.tip.hidden = true; return; }
    const [x0, x1] = xa.range.map(Number), [y0, y1] = ya.range.map(Number);
    // the y axis is reversed (lane 0 on top): range[1] is at the top
    const x = x0 + px / xa._length * (x1 - x0), row = Math.round(y1 + py / ya._length * (y0 - y1));
    const lane = this._drawnData().lanes[row];
    const i = lane && lane.n ? segmentNear(lane, x, 3 * (x1 - x0) / xa._length) : -1;
    if (i < 0) { this.tip.hidden = true; return; }
    const a = lane.t0[i], b = lane.t1[i], c = lane.cat[i], names = this.threads.map(t => t.name);
    const who = k => names[k - 1] || "?";
    const ms = v => fixed(v, v >= 100 ? 3 : 4) + " " + tr("u_ms");
    let title, state, before, after;
    if (row === 0) {
      title = tr("lane_holder");
      state = c === LAYOUT.free ? tr("holder_free") : c === LAYOUT.other ? tr("holder_other")
        : tr("tip_holder_is", {who: names.filter((_, k) => k % LAYOUT.colours === c - LAYOUT.firstThread).join(", ")});
      const holderName = j => (j < 0 || j >= lane.n ? null : lane.cat[j] === LAYOUT.free ? tr("holder_free")
        : lane.cat[j] === LAYOUT.other ? tr("holder_other")
          : names.filter((_, k) => k % LAYOUT.colours === lane.cat[j] - LAYOUT.firstThread).join(", "));
      const p = holderName(i - 1), n = holderName(i + 1);
      before = p ? tr("tip_until", {who: p, t: fixed(a, 3)}) : tr("tip_none");
      after = n ? tr("tip_from", {who: n, t: fixed(b, 3)}) : tr("tip_none");
    } else {
      title = who(row);
      const st = CONFIG.states.find(s => s.code === c);
      state = st ? tr("st_" + st.name) : String(c);
      const h = handoffsAround(this.data, row, a, b, HOLDING);
      before = h.before ? tr("tip_held_until", {who: who(h.before.lane), t: fixed(h.before.at, 3)}) : tr("tip_none");
      after = h.after ? tr("tip_takes_at", {who: who(h.after.lane), t: fixed(h.after.at, 3)}) : tr("tip_none");
    }
    const line = (field, label, value) => el("div", {"data-field": field}, el("span", {class: "k", text: label + ": "}), value);
    this.tip.replaceChildren(el("div", {"data-field": "thread", class: "tip-title", text: title}),
      line("state", tr("tip_state"), state), line("start", tr("tip_start"), ms(a)),
      line("duration", tr("tip_duration"), ms(b - a)), line("before", tr("tip_before"), before),
      line("after", tr("tip_after"), after));
    const box = this.tip.parentElement.getBoundingClientRect();
    this.tip.hidden = false;
    const left = Math.min(e.clientX - box.left + 14, box.width - this.tip.offsetWidth - 4);
    Object.assign(this.tip.style, {left: Math.max(0, left) + "px", top: (e.clientY - box.top + 16) + "px"});
  }

  /* Asks for a draw: soon (a zoom) or once the gap after the last draw has passed (streaming). */
  wantDraw(soon = false) {
    const gap = cost => Math.min(MAX_GAP_MS, Math.max(MIN_GAP_MS, GAP_PER_COST * cost));
    scheduler.chore(this._key("draw"), () => this.draw(), soon ? 0 : this.drawnAt + gap(this.drawCost));
    // The progress lines matter less while the timeline streams: less often.
    scheduler.chore(this._key("progress"), () => this.drawProgress(),
      soon ? 0 : this.progressAt + PROGRESS_GAPS * gap(this.progressCost));
    // the overview: the whole run, as often as the progress lines (a move of the window needs none: its lens)
    if (this.overviewStale) {
      scheduler.chore(this._key("overview"), () => { this.overviewStale = false; this.drawOverview(); },
        soon && !this.running ? 0 : this.overviewAt + PROGRESS_GAPS * gap(this.overviewCost));
    }
  }

  /* Draws what the timeline's pixels can show of its window. */
  draw() {
    const t = performance.now();
    const el = this.timelineEl, xaxis = el._fullLayout && el._fullLayout.xaxis;
    const px = Math.max(100, (xaxis && xaxis._length) || el.clientWidth - 340);
    const full = this._fullRange();
    if (this.following) this.window = this._tailWindow(full);
    const [x0, x1] = this.window || full;
    const traces = buildTraces(this._drawnData(), x0, x1, px, this.budget, 1);
    const extras = this._holderExtras(x0, x1, px);
    traces.x.push(extras.sx, extras.nx);
    traces.y.push(extras.sy, extras.ny);
    const ticks = axisTicks(x0, x1, px, fixed, TICK_WORDS);
    const update = {x: traces.x, y: traces.y}, relayout = {"xaxis.tickvals": ticks.vals, "xaxis.ticktext": ticks.text,
      "xaxis.title.text": ticks.title};
    if (this.helloLayout) {  // the hello's lanes, in this same call
      Object.assign(relayout, this.helloLayout.layout);
      update.name = this.helloLayout.names;
      this.helloLayout = null;
      scheduler.cancel(this._key("timeline-init"));
    }
    const now = el.layout.xaxis.range || [];
    if (now[0] !== x0 || now[1] !== x1) relayout["xaxis.range"] = [x0, x1];
    const tb = performance.now();
    Plotly.update(el, update, relayout, this.traceIndex);
    this._placeLens();
    scheduler.chore(this._key("range"), () => this._showRange(), 0);  // the window's figures: a frame of their own
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
    this.imageBtn.disabled = false;
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
      (i >= LAYOUT.firstThread && i < LAYOUT.count ? laneName(i - LAYOUT.firstThread) : this.baseNames[i]));
    // The window opens on about twenty switch intervals and follows the newest data while the run streams.
    this.window = openWindow((this.interval || 0.005) * 1000, [0, this.live ? 1000 : this.duration * 1000], "start");
    this.following = true;
    const layout = {
      height: this._timelineHeight(n), "xaxis.range": this.window,
      "yaxis.tickvals": [0, ...names.map((_, i) => i + 1)],
      "yaxis.ticktext": [tr("lane_holder"), ...names], "yaxis.range": [n + 0.6, -0.6],
    };
    this.helloLayout = {names: traceNames, layout};
    this._soon("timeline-init", () => this._applyHello());
    // Progress as small multiples, one per kind of work, each on its own scale (a sleeper's few units do not lie
    // flat at 0 under a CPU thread's millions).
    const kinds = [...new Set(this.threads.map(t => t.kind || ""))];
    const progress = this.threads.map((t, i) => {
      const k = kinds.indexOf(t.kind || "");
      return {type: "scatter", mode: "lines", name: t.name, x: [], y: [], xaxis: "x", yaxis: k ? "y" + (k + 1) : "y",
        line: {color: CONFIG.thread_colours[i % LAYOUT.colours]}};
    });
    this.progressLegend.hidden.clear();  // new traces, all shown
    this.progressLegend.set(progress.map((t, i) => ({trace: i, name: t.name, colour: t.line.color})));
    this.progressLegend.shows();
    const each = 1 / Math.max(1, kinds.length), gap = kinds.length > 1 ? 0.06 : 0;
    const playout = {margin: {l: 60, r: 10, t: 10, b: 40}, height: Math.max(220, 60 + 110 * kinds.length),
      separators: SEPARATORS, showlegend: false, font: {size: presenting() ? 15 : 12},
      xaxis: {...AXIS, title: {text: tr("time_s")}, range: [0, this.duration], anchor: kinds.length > 1 ? "y" + kinds.length : "y"}};
    kinds.forEach((kind, k) => {
      playout[k ? "yaxis" + (k + 1) : "yaxis"] = {...AXIS, domain: [Math.max(0, 1 - (k + 1) * each + gap / 2),
        Math.min(1, 1 - k * each - gap / 2)], rangemode: "tozero", anchor: "x",
      title: {text: kind || tr("units"), font: {size: presenting() ? 14 : 11}}};
    });
    this._progressInit(() => Plotly.react(this.progressEl, progress, playout), true);
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
      height: this._timelineHeight(n), "yaxis.tickvals": [0, ...names.map((_, i) => i + 1)],
      "yaxis.ticktext": [tr("lane_holder"), ...names], "yaxis.range": [n + 0.6, -0.6],
    }, holders.map((_, c) => LAYOUT.firstThread + c));
  }

  onTick(ev) {
    if (this.live) this._liveTick(ev);
    if (this.helloLayout) scheduler.cancel(this._key("timeline-init"));  // the first draw sets the lanes
    if (ev.segments && ev.segments.length) this.data.addSegments(ev.segments);
    if (ev.holder && ev.holder.length) this.data.addHolder(ev.holder);
    if (ev.progress) this.progress.add(ev.t_s, ev.progress);
    if ((ev.segments && ev.segments.length) || (ev.holder && ev.holder.length)) this.overviewStale = true;
    this.wantDraw();
    if (ev.dropped_segments) {
      this.dropped += ev.dropped_segments;
      this.note.textContent = plural("dropped", this.dropped);
    }
    const f = ev.figures || {};
    if (typeof f.handoffs === "number" && typeof ev.t_s === "number") this.counter.push([ev.t_s * 1000, f.handoffs]);
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

  /* The run is over: the window stops following, and a window that followed it moves to the run's middle
     (its start and end are threads starting and stopping). */
  _ended(toMiddle) {
    if (this.live) this.live.following = false;
    this.running = false;
    this.overviewStale = true;
    if (this.following && toMiddle) {
      const full = this._fullRange();
      this.window = openWindow((this.interval || 0.005) * 1000, full, "middle");
    }
    this.following = false;
    this.followBtn.hidden = true;
    this.wantDraw(true);
  }

  /* What the holder lane saw, said under it; folded when its samples cannot draw the slices. */
  _holderNote(s) {
    const sight = holderSight(s);
    if (!sight) { this.holderNote.replaceChildren(); return; }
    const p = fmt(sight.periodMs, 2);
    const parts = [];
    if (sight.seen !== null && sight.handoffs !== null) {
      parts.push(el("span", {class: "holder-seen", text: plural("holder_seen", sight.handoffs, {seen: fmt(sight.seen),
        n: fmt(sight.handoffs), p})}));
    }
    if (sight.fold) {
      this.holderFolded = true;
      const words = el("span", {class: "holder-folded", text: " " + tr("holder_folded", {m: fmt(sight.medianMs, 2), p})});
      const b = el("button", {type: "button", class: "link-btn holder-toggle", text: tr("holder_unfold")});
      b.addEventListener("click", () => {
        this.holderFolded = !this.holderFolded;
        b.textContent = tr(this.holderFolded ? "holder_unfold" : "holder_fold");
        words.hidden = !this.holderFolded;
        this._soon("fold", () => this._laneLabel(this.holderFolded ? "lane_folded" : "lane_holder"));
        this.overviewStale = true;
        this.wantDraw(true);
      });
      parts.push(words, " ", b);
      this._soon("fold", () => this._laneLabel("lane_folded"));
    }
    this.holderNote.replaceChildren(...parts);
  }

  _laneLabel(key) {
    const text = ((this.timelineEl.layout.yaxis || {}).ticktext || [""]).slice();
    text[0] = tr(key);
    Plotly.relayout(this.timelineEl, {"yaxis.ticktext": text});
  }

  showSummary(s) {
    this.budget = Math.max(this.budget, DRAW_BUDGET);  // the experiment is over: its cores are free again
    this.overviewBudget = OVERVIEW_BUDGET;
    this._holderNote(s);
    this._ended(true);
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
    if (s.race && typeof s.race.expected === "number") {  // the race workload's shared counter, as it ended
      a.append(el("p", {class: "race-result", text: plural("race_lost", s.race.lost,
        {expected: fmt(s.race.expected), actual: fmt(s.race.actual), n: fmt(s.race.lost)})}));
    }
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
      const bars = [{type: "bar", x: h.x, y: h.y, width: h.width, marker: {color: NEUTRAL[0]},
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
      marker: {color: NEUTRAL}, showlegend: false,
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
          tr(cmp.busy ? "ratio_inconclusive_busy" : cmp.noise === null ? "ratio_inconclusive_res" : "ratio_inconclusive",
            noise)));
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
      this._ended(false);
      this.setStatus(tr("status_failed", {e: ev.error}), "failed");
      finish({status: "failed", error: ev.error});
    } else if (ev.type === "cancelled") {
      this._ended(false);
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
    this.runId = runId;
    this.run = spec ? {spec} : null;  // for the image's title line
    this.duration = spec ? spec.duration_s : 2;
    fetch(api(`/api/runs/${encodeURIComponent(runId)}`)).then(r => r.json()).then(run => {
      if (generation === this.generation) this.run = run;
    }).catch(() => {});
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
