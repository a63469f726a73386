/* gilscope: one run, drawn live. RunView follows a run's Server-Sent Events and draws its swimlane timeline
   (WebGL line traces, created once and extended), per-thread progress, live figures and the after-run view. */
"use strict";

const STATE_COLORS = ["#2e9d58", "#e4572e", "#3a7bd5", "#9b59b6"];  // holding, waiting, io, native
const STATE_KEYS = ["st_holding", "st_waiting", "st_io", "st_native"];
// Thread colours for the GIL-holder lane and the progress lines: none of them a state colour.
const THREAD_COLORS = ["#393b79", "#e377c2", "#bcbd22", "#17becf", "#8c564b", "#7f7f7f", "#843c39", "#637939",
  "#ad494a", "#5254a3", "#8c6d31", "#7b4173", "#9edae5", "#dbdb8d", "#c49c94", "#222222"];
const MAX_LANES = 16;
const DRAW_EVERY_MS = 400;

function fmt(x, digits = 3) {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString(window.LANG === "uk" ? "uk-UA" : "en-US");
  return Number(x.toPrecision(digits)).toString();
}
function tr(key, vars = {}) {
  let s = (window.T && window.T[key]) || key;
  for (const [k, v] of Object.entries(vars)) s = s.split("{" + k + "}").join(v);
  return s;
}
function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  for (const kid of kids) if (kid !== null && kid !== undefined) e.append(kid);
  return e;
}

class RunView {
  constructor(root) {
    this.root = root;
    root.classList.add("run-view");
    this.status = el("p", {class: "status", role: "status", "aria-live": "polite"});
    this.figures = el("div", {class: "figures"});
    this.timelineEl = el("div", {class: "plot timeline"});
    this.progressEl = el("div", {class: "plot progress"});
    this.note = el("p", {class: "hint note"});
    this.after = el("div", {class: "after"});
    root.append(this.status, this.figures,
      el("h3", {text: tr("timeline")}), el("p", {class: "hint", text: tr("timeline_hint")}), this.timelineEl,
      this.note, el("h3", {text: tr("progress")}), this.progressEl, this.after);
    this.cards = {};
    for (const [key, hint] of [["fig_handoffs", "fig_handoffs_hint"], ["fig_slice", "fig_slice_hint"],
      ["fig_cores", "fig_cores_hint"], ["fig_wake", "fig_wake_hint"], ["fig_coverage", "fig_coverage_hint"],
      ["fig_sampler", "fig_sampler_hint"]]) {
      const value = el("strong", {text: "–"});
      const card = el("div", {class: "card", title: tr(hint, {i: "?"})}, value, el("span", {text: tr(key)}));
      this.cards[key] = {value, card, hint};
      this.figures.append(card);
    }
    this.threads = [];
    this.dropped = 0;
    this._initPlots();
  }

  _initPlots() {
    // All traces exist from the start (the first WebGL plot is the expensive part); runs only extend them.
    const traces = STATE_KEYS.map((k, i) => ({
      type: "scattergl", mode: "lines", name: tr(k), x: [], y: [], hoverinfo: "x+name",
      line: {color: STATE_COLORS[i], width: 14}, connectgaps: false}));
    traces.push({type: "scattergl", mode: "lines", name: tr("holder_free"), x: [], y: [], hoverinfo: "x+name",
      line: {color: "#d0d0d0", width: 14}, showlegend: true});
    traces.push({type: "scattergl", mode: "lines", name: tr("holder_other"), x: [], y: [], hoverinfo: "x+name",
      line: {color: "#555", width: 14}, showlegend: true});
    for (let i = 0; i < MAX_LANES; i++) {
      traces.push({type: "scattergl", mode: "lines", name: "", x: [], y: [], hoverinfo: "x+name",
        line: {color: THREAD_COLORS[i], width: 14}, showlegend: false});
    }
    this.layout = {
      margin: {l: 150, r: 190, t: 10, b: 40}, height: 220, dragmode: "zoom", hovermode: "closest",
      xaxis: {title: {text: tr("time_ms")}, zeroline: false, range: [0, 2000]},
      yaxis: {tickvals: [0], ticktext: [tr("lane_holder")], range: [0.6, -0.6], fixedrange: true, zeroline: false},
      legend: {x: 1.01, y: 1, xanchor: "left", font: {size: 11}}, plot_bgcolor: "#fbfbfb",
    };
    // WebGL starts up on a trace's first point (about half a second): do it now, off-screen, and empty again.
    for (const t of traces) { t.x = [-1e9, -1e9 + 1]; t.y = [0, 0]; }
    Plotly.newPlot(this.timelineEl, traces, this.layout, {responsive: true, displaylogo: false,
      modeBarButtonsToRemove: ["select2d", "lasso2d"]});
    const n = traces.length;
    Plotly.restyle(this.timelineEl, {x: Array.from({length: n}, () => []), y: Array.from({length: n}, () => [])});
    Plotly.newPlot(this.progressEl, [], {margin: {l: 60, r: 10, t: 10, b: 40}, height: 220,
      xaxis: {title: {text: tr("time_s")}, range: [0, 2]}, yaxis: {title: {text: tr("units")}, rangemode: "tozero"}},
      {responsive: true, displaylogo: false});
  }

  reset() {
    this.pending = null;
    this.drawnAt = 0;
    this.threads = [];
    this.dropped = 0;
    this.duration = 1;
    this.note.textContent = "";
    this.after.replaceChildren();
    for (const c of Object.values(this.cards)) c.value.textContent = "–";
    const n = this.timelineEl.data.length;
    Plotly.restyle(this.timelineEl, {x: Array.from({length: n}, () => []), y: Array.from({length: n}, () => [])});
    Plotly.react(this.progressEl, [], this.progressEl.layout);
  }

  setStatus(text, kind = "") {
    this.status.textContent = text;
    this.status.className = "status " + kind;
  }

  onHello(ev, spec) {
    this.threads = ev.threads;
    this.interval = ev.interval_s;
    this.duration = spec ? spec.duration_s : 2;
    const n = this.threads.length;
    const names = this.threads.map(t => t.name);
    Plotly.relayout(this.timelineEl, {
      height: Math.max(220, 90 + 28 * (n + 1)), "xaxis.range": [0, this.duration * 1000],
      "yaxis.tickvals": [0, ...names.map((_, i) => i + 1)],
      "yaxis.ticktext": [tr("lane_holder"), ...names], "yaxis.range": [n + 0.6, -0.6],
    });
    // The holder lane's colours get a legend entry each: "GIL: cpu-1".
    const lanes = Array.from({length: MAX_LANES}, (_, i) => 6 + i);
    Plotly.restyle(this.timelineEl, {name: lanes.map((_, i) => "GIL: " + (names[i] || "")),
      showlegend: lanes.map((_, i) => i < n)}, lanes);
    Plotly.react(this.progressEl, this.threads.map((t, i) => ({
      type: "scatter", mode: "lines", name: t.name, x: [], y: [], line: {color: THREAD_COLORS[i % 16]}})),
      Object.assign({}, this.progressEl.layout, {xaxis: {title: {text: tr("time_s")}, range: [0, this.duration]}}));
    this.cards.fig_slice.card.title = tr("fig_slice_hint", {i: fmt(ev.interval_s * 1000)});
    const inst = ev.instruments || {};
    const missing = [];
    if (!inst.locator) missing.push(tr("inst_locator") + ": " + inst.locator_detail);
    if (!inst.proc_sampler) missing.push(tr("inst_sampler") + ": " + inst.proc_sampler_detail);
    if (ev.python && ev.python.gil_enabled === false) missing.unshift(tr("free_note"));
    this.note.textContent = missing.length ? tr("missing") + ": " + missing.join("; ") : "";
  }

  onTick(ev) {
    // Segments are buffered and drawn a few times a second: the browser often shares the machine with the
    // experiment, and every redraw it saves is CPU the measured threads keep.
    const pend = this.pending || (this.pending = {x: Array.from({length: 6 + MAX_LANES}, () => []),
      y: Array.from({length: 6 + MAX_LANES}, () => []), px: [], py: []});
    for (const [thread, state, a, b] of ev.segments) {
      pend.x[state].push(a, b, null); pend.y[state].push(thread + 1, thread + 1, null);
    }
    for (const [a, b, who] of ev.holder) {
      const k = 4 + (who === -1 ? 0 : who === -2 ? 1 : 2 + (who % MAX_LANES));
      pend.x[k].push(a, b, null); pend.y[k].push(0, 0, null);
    }
    if (ev.progress) { pend.px.push(ev.t_s); pend.py.push(ev.progress); }
    const now = performance.now();
    if (!this.drawnAt || now - this.drawnAt > DRAW_EVERY_MS) this.flush();
    if (ev.dropped_segments) {
      this.dropped += ev.dropped_segments;
      this.note.textContent = tr("dropped", {n: this.dropped});
    }
    const f = ev.figures || {};
    this.lastTick = ev;
    if (f.handoffs_per_s !== null && f.handoffs_per_s !== undefined) this.cards.fig_handoffs.value.textContent = fmt(f.handoffs_per_s);
    if (f.cores_now !== null && f.cores_now !== undefined) this.cards.fig_cores.value.textContent = fmt(f.cores_now, 2);
    this.setStatus(tr("status_running", {t: fmt(ev.t_s, 2), d: fmt(this.duration, 2)}), "running");
  }

  flush() {
    const pend = this.pending;
    this.pending = null;
    this.drawnAt = performance.now();
    if (!pend) return;
    const idx = [], ux = [], uy = [];
    pend.x.forEach((x, i) => { if (x.length) { idx.push(i); ux.push(x); uy.push(pend.y[i]); } });
    if (idx.length) Plotly.extendTraces(this.timelineEl, {x: ux, y: uy}, idx);
    const n = this.progressEl.data.length;
    if (pend.px.length && n) {
      const ids = Array.from({length: n}, (_, i) => i);
      Plotly.extendTraces(this.progressEl, {x: ids.map(() => pend.px), y: ids.map(i => pend.py.map(p => p[i]))}, ids);
    }
  }

  showSummary(s) {
    this.flush();
    const c = this.cards;
    c.fig_handoffs.value.textContent = s.handoffs_per_s === null ? tr("none") : fmt(s.handoffs_per_s);
    c.fig_slice.value.textContent = s.slice_ms.p50 === null ? "–" :
      fmt(s.slice_ms.p50) + " " + tr("u_ms") + " / " + fmt(s.interval_s * 1000) + " " + tr("u_ms");
    c.fig_cores.value.textContent = fmt(s.cores_used, 2);
    c.fig_wake.value.textContent = s.io_wake_latency_ms ? fmt(s.io_wake_latency_ms.p50) + " " + tr("u_ms") : "–";
    c.fig_coverage.value.textContent = s.handoffs ? fmt(s.timeline_handoffs) + " / " + fmt(s.handoffs) : "–";
    c.fig_sampler.value.textContent = s.sampler && s.sampler.rate_hz ?
      fmt((s.sampler.cpu_fraction || 0) * 100, 2) + "% · " + fmt(s.sampler.rate_hz, 2) + " " + tr("u_hz") : "–";
    this.renderAfter(s);
  }

  renderAfter(s) {
    const a = this.after;
    a.replaceChildren(el("h3", {text: tr("after")}));
    a.append(el("h4", {text: tr("reading")}), el("p", {class: "reading", text: reading(s)}));
    const plots = el("div", {class: "after-plots"});
    a.append(plots);
    const draws = [];  // every box is placed first, so that each plot takes its final column's width
    const hist = (values, title) => {
      const box = el("div", {class: "plot small"});
      plots.append(box);
      draws.push(() => Plotly.newPlot(box, [{type: "histogram", x: values, marker: {color: "#3a7bd5"}, nbinsx: 40}],
        {title: {text: title, font: {size: 14}}, height: 240, margin: {l: 50, r: 10, t: 40, b: 40},
          xaxis: {title: {text: tr("u_ms")}}, yaxis: {title: {text: tr("count")}}},
        {displaylogo: false, responsive: true}));
    };
    if (s.distributions.slice_ms.length) hist(s.distributions.slice_ms, tr("hist_slice"));
    if (s.distributions.wake_ms.length) hist(s.distributions.wake_ms, tr("hist_wake"));
    if (s.baseline && s.baseline.sequential_wall_s) {
      const box = el("div", {class: "plot small"});
      plots.append(box);
      draws.push(() => Plotly.newPlot(box, [{type: "bar", x: [tr("threaded"), tr("sequential")],
        y: [s.wall_s, s.baseline.sequential_wall_s], marker: {color: ["#e4572e", "#2e9d58"]},
        text: [fmt(s.wall_s) + " " + tr("u_s"), fmt(s.baseline.sequential_wall_s) + " " + tr("u_s")], textposition: "auto"}],
        {title: {text: tr("compare"), font: {size: 14}}, height: 240, margin: {l: 50, r: 10, t: 40, b: 40},
          yaxis: {title: {text: tr("wall_s")}}}, {displaylogo: false, responsive: true}));
    }
    draws.forEach(draw => draw());
    const table = el("table", {class: "threads"});
    table.append(el("tr", {}, ...[tr("thread"), tr("kind"), tr("units"), tr("units_per_s"), tr("cpu_s"),
      tr("gil_wait_s"), tr("fig_wake")].map(h => el("th", {text: h}))));
    for (const t of s.threads) {
      table.append(el("tr", {}, ...[t.name, t.kind, fmt(t.progress), fmt(t.units_per_s), fmt(t.cpu_s),
        fmt(t.gil_wait_s), t.wake_latency_ms ? fmt(t.wake_latency_ms.p50) + " " + tr("u_ms") : "–"].map(v => el("td", {text: v}))));
    }
    a.append(table);
    if (s.handoff_matrix.length) {
      a.append(el("h4", {text: tr("matrix")}), el("p", {class: "matrix",
        text: s.handoff_matrix.map(m => `${m.from} → ${m.to}: ${m.count}`).join(" · ")}));
    }
    const inst = s.instruments;
    a.append(el("p", {class: "hint", text: `${tr("instruments")}: ${tr("inst_locator")} ${inst.locator ? "✓" : "✗"} · ` +
      `${tr("inst_sampler")} ${inst.proc_sampler ? "✓" : "✗"} · ${tr("inst_schedstat")} ${inst.schedstat ? "✓" : "✗"} · ` +
      `${tr("python")} ${s.python.version}`}));
  }

  /* Follows a run to its end. Resolves with {status, summary, error}. */
  follow(runId, spec) {
    if (this.source) this.source.close();
    this.reset();
    return new Promise(resolve => {
      const es = new EventSource(`/api/runs/${runId}/events`);
      this.source = es;
      const finish = (result) => { es.close(); this.source = null; resolve(result); };
      es.onmessage = (m) => {
        const ev = JSON.parse(m.data);
        if (ev.type === "queue") this.setStatus(tr("status_queued", {pos: ev.position}), "queued");
        else if (ev.type === "hello") this.onHello(ev, spec);
        else if (ev.type === "tick") this.onTick(ev);
        else if (ev.type === "phase" && ev.phase === "baseline") this.setStatus(tr("status_baseline"), "running");
        else if (ev.type === "summary") {
          this.setStatus(tr("status_done"), "done");
          this.showSummary(ev.summary);
          finish({status: "done", summary: ev.summary});
        } else if (ev.type === "failed") {
          this.flush();
          this.setStatus(tr("status_failed", {e: ev.error}), "failed");
          finish({status: "failed", error: ev.error});
        } else if (ev.type === "cancelled") {
          this.flush();
          this.setStatus(tr("status_cancelled"), "failed");
          finish({status: "cancelled"});
        }
      };
      // On a dropped connection EventSource reconnects by itself with Last-Event-ID: nothing lost, nothing twice.
    });
  }
}

function reading(s) {
  const parts = [];
  const n = s.threads.length, wall = fmt(s.wall_s), i = fmt(s.interval_s * 1000);
  if (s.python.gil_enabled === false || s.handoffs === null) parts.push(tr("read_nogil"));
  else if (s.handoffs === 0) parts.push(tr("read_lone", {n, wall, i}));
  else parts.push(tr("read_handoffs", {n, wall, i, h: fmt(s.handoffs), hs: fmt(s.handoffs_per_s),
    p50: fmt(s.slice_ms.p50)}));
  if (s.cores_used !== null) parts.push(tr(s.cores_used > 1.3 ? "read_parallel" : "read_one_core", {c: fmt(s.cores_used, 2)}));
  if (s.io_wake_latency_ms) {
    const w = s.io_wake_latency_ms.p50;
    parts.push(tr(w > 0.5 * s.interval_s * 1000 && w > 0.2 ? "read_convoy" : "read_wake", {w: fmt(w)}));
  }
  if (s.baseline && s.baseline.threaded_over_sequential) {
    parts.push(tr("read_baseline", {s: fmt(s.baseline.sequential_wall_s), r: fmt(s.baseline.threaded_over_sequential)}));
  }
  if (s.handoffs) parts.push(tr("read_coverage", {th: fmt(s.timeline_handoffs), h: fmt(s.handoffs)}));
  if (s.sampler && s.sampler.rate_hz) parts.push(tr("read_observer", {hz: fmt(s.sampler.rate_hz), cpu: fmt(s.sampler.cpu_fraction * 100, 2)}));
  return parts.join(" ");
}

window.RunView = RunView;
window.gil = {fmt, tr, el};
