/* gilscope: where the GIL was held, on a run's view. A line under the timeline names the code that held the GIL
   where the pointer is (the nearest stack sample of that lane's thread within one sample period, or "no stack
   sampled here"); after the run, an icicle of GIL-held time by stack (a click marks the chosen frame's samples
   on the timeline), who waited behind which line, and the long holds, boxed on the timeline and listed.
   Everything comes from the run's `stacks` event and its summary (stacks, waits_behind, long_holds); when the
   stacks could not be read, one line says why and nothing is drawn. The data work is in holders.js. */

import {CONFIG, SEPARATORS, el, fmt, plural, scheduler, tr} from "./page.js";
import {boxLines, icicle, longHoldBoxes, longHoldMs, parseFrame, ROOT, spanLines, spans, StackIndex, waitsGrid,
  where} from "./holders.js";

const ICE_LEVELS = 14;  // the icicle's levels shown at once (deeper ones open on a click)

const PLOT_CONFIG = {responsive: true, displaylogo: false};
const LONG_ROWS = 10;  // long holds listed; the timeline boxes them all
const stateColour = name => (CONFIG.states.find(s => s.name === name) || CONFIG.states[0]).colour;

/* "render() at app.py:22" (", in a C call" when C code called from that line held the GIL). */
function lineText(fn, file, line, inC) {
  const text = tr("wh_line", {fn: fn || "?", where: where(file, line)});
  return inC ? tr("wh_line_c", {line: text}) : text;
}

export class HoldersView {
  constructor(view) {
    this.view = view;
    this.readout = el("p", {class: "hint stack-at"});
    this.section = el("section", {class: "holders"});
    this.section.hidden = true;
    this.readout.hidden = true;
    view.timelineEl.after(this.readout);
    view.note.after(this.section);
    this.index = null;
    this.overlay = null;  // the timeline's trace indices: [long holds, chosen frame]
    this.pending = null;
    view.timelineEl.addEventListener("mousemove", e => this._pointer(e));
    view.timelineEl.addEventListener("mouseleave", () => { this.pending = null; this._idle(); });
  }

  _key(what) {
    return this.view._key("holders-" + what);
  }

  reset() {
    for (const k of ["icicle", "waits", "overlay"]) scheduler.cancel(this._key(k));
    this.index = null;
    this.readout.hidden = true;
    this.section.hidden = true;
    this.section.replaceChildren();
    if (this.overlay) {
      const gd = this.view.timelineEl;
      if (gd.data && gd.data.length >= this.overlay[1] + 1) Plotly.deleteTraces(gd, this.overlay);
      this.overlay = null;
    }
  }

  /* The stacks event: just before the summary. */
  onStacks(ev) {
    this.droppedSamples = ev.dropped_samples || 0;  // thinned by the server: say so rather than "none sampled"
    this.index = new StackIndex(ev, this.view.threads.map(t => t.name));
    if (this.index.size) this._idle();
  }

  onSummary(s) {
    const sec = this.section;
    sec.hidden = false;
    sec.replaceChildren(el("h3", {text: tr("wh_title")}));
    const st = s.stacks;
    if (!st || !st.ok) {
      this.index = null;
      this.readout.hidden = true;
      sec.append(el("p", {class: "hint stacks-off", text: st ? tr("wh_off", {detail: st.detail || "?"}) : tr("wh_absent")}));
      return;
    }
    if (this.droppedSamples) {
      sec.append(el("p", {class: "hint stacks-dropped", text: tr("wh_dropped")}));
    }
    const index = this.index;
    if (!index || !index.size) {
      if (!this.droppedSamples) sec.append(el("p", {class: "hint stacks-off", text: tr("wh_empty")}));
      return;
    }
    // The icicle, then (side by side where there is room) who waited behind whom; the long holds below.
    const grid = el("div", {class: "holders-plots"});
    const ice = el("figure", {class: "holders-icicle"});
    const iceBox = el("div", {class: "plot holders-ice"});
    this.marked = el("p", {class: "hint marked", text: tr("wh_mark_hint")});
    ice.append(iceBox, el("figcaption", {class: "hint", text: plural("wh_icicle_hint", index.size,
      {ms: fmt(index.sampleMs, 2)})}), this.marked);
    grid.append(ice);
    sec.append(grid);
    scheduler.chore(this._key("icicle"), () => this._drawIcicle(iceBox));
    const waits = waitsGrid(s.waits_behind);
    const wfig = el("figure", {class: "holders-waits"});
    if (waits.rows.length) {
      const box = el("div", {class: "plot holders-wait"});
      wfig.append(box, el("figcaption", {class: "hint", text: tr("wh_waits_hint")}));
      scheduler.chore(this._key("waits"), () => this._drawWaits(box, waits));
    } else {
      wfig.append(el("p", {class: "hint", text: tr("wh_waits_none")}));
    }
    grid.append(wfig);
    sec.append(this._longTable(s));
    scheduler.chore(this._key("overlay"), () => this._drawOverlay(s));
  }

  /* What held the GIL at the pointer, on the line under the timeline. */
  _pointer(e) {
    if (!this.index || !this.index.size) return;
    const first = this.pending === null;
    this.pending = e;
    if (first) requestAnimationFrame(() => {
      const ev = this.pending;
      this.pending = null;
      if (ev) this._readAt(ev);
    });
  }

  _readAt(e) {
    const gd = this.view.timelineEl, fl = gd._fullLayout, svg = gd.querySelector(".main-svg");
    if (!fl || !fl.xaxis || !fl.yaxis || !svg) return;
    const r = svg.getBoundingClientRect(), size = fl._size;
    const px = e.clientX - r.left - size.l, py = e.clientY - r.top - size.t;
    if (px < 0 || py < 0 || px > size.w || py > size.h) return this._idle();
    const t = fl.xaxis.p2c(px), lane = Math.round(fl.yaxis.p2c(py));
    const names = this.index.names;
    if (!(lane >= 0 && lane <= names.length)) return this._idle();
    const s = this.index.at(t, lane === 0 ? null : lane - 1);
    const laneName = lane === 0 ? tr("lane_holder") : names[lane - 1];
    if (!s) {
      this.readout.textContent = tr("hov_none", {t: fmt(t), lane: laneName});
      this.readout.dataset.fn = "";
      return;
    }
    const f = this.index.leaf(s);
    this.readout.textContent = tr("hov_held", {t: fmt(t), thread: f.thread, line: lineText(f.fn, f.file, f.line, f.inC)});
    this.readout.dataset.fn = f.fn;
  }

  _idle() {
    if (!this.index || !this.index.size) return;
    this.readout.hidden = false;
    this.readout.textContent = plural("hov_idle", this.index.size);
    this.readout.dataset.fn = "";
  }

  _colourOf(thread) {
    if (!thread) return stateColour("holding");
    const i = this.index.names.indexOf(thread);
    return i < 0 ? CONFIG.holder.other_colour : CONFIG.thread_colours[i % CONFIG.thread_colours.length];
  }

  _drawIcicle(box) {
    const index = this.index;
    if (!index) return;
    const ice = icicle(index, {root: tr("wh_root"), cCall: tr("wh_c_call")}, t => this._colourOf(t));
    this.iceData = ice;
    const s = " " + tr("u_s");
    Plotly.newPlot(box, [{
      type: "icicle", ids: ice.ids, parents: ice.parents, labels: ice.labels, values: ice.values,
      branchvalues: "total", customdata: ice.frames.map((f, i) => [f || tr("wh_root"), fmt(ice.seconds[i])]),
      maxdepth: Math.min(ICE_LEVELS, ice.depth),  // every level of a usual stack, down to "in a C call"
      marker: {colors: ice.colours, line: {color: "#ffffff", width: 1}}, tiling: {orientation: "v"},
      pathbar: {visible: true}, textinfo: "label", insidetextfont: {size: 12},
      hovertemplate: "%{customdata[0]}<br>%{customdata[1]}" + s + " · %{percentRoot:.1%}<extra></extra>",
    }], {
      title: {text: tr("wh_icicle"), font: {size: 14}}, height: Math.max(360, 60 + 34 * Math.min(ICE_LEVELS, ice.depth)),
      margin: {l: 10, r: 10, t: 40, b: 10},
      separators: SEPARATORS,
    }, PLOT_CONFIG);
    box.on("plotly_click", e => {
      const p = e && e.points && e.points[0];
      if (p && typeof p.id === "string") this.mark(p.id);
    });
  }

  /* Marks the samples whose stack passes through an icicle node on the timeline (the root: none). */
  mark(id) {
    const index = this.index, gd = this.view.timelineEl;
    if (!index || !this.overlay) return;
    const chosen = id === ROOT ? [] : index.matching(id);
    const lines = spanLines(spans(chosen, index.sampleMs));
    Plotly.restyle(gd, {x: [lines.x], y: [lines.y]}, [this.overlay[1]]);
    if (!chosen.length) {
      this.marked.textContent = tr("wh_mark_hint");
      this.marked.dataset.samples = "0";
      return;
    }
    const last = id.split(";").pop();
    const f = parseFrame(last);
    const label = last === "[C call]" ? tr("wh_c_call") : f.file ? lineText(f.fn, f.file, f.line, false) : f.fn;
    this.marked.textContent = plural("wh_marked", chosen.length, {frame: label, s: fmt(chosen.length * index.sampleMs / 1000)});
    this.marked.dataset.samples = String(chosen.length);
  }

  _drawWaits(box, g) {
    const s = " " + tr("u_s");
    const rows = g.rows.map(r => `${r.fn}() · ${where(r.file, r.line)} [${r.thread}]`);
    const text = g.rows.map((r, i) => g.waiters.map((w, j) => g.z[i][j] === null ? "" : tr("wh_cell",
      {waiter: w, s: fmt(g.z[i][j]), line: lineText(r.fn, r.file, r.line, false), thread: r.thread})));
    Plotly.newPlot(box, [{
      type: "heatmap", x: g.waiters, y: rows, z: g.z, text, zmin: 0, hoverongaps: false,
      colorscale: [[0, "#ffffff"], [1, stateColour("waiting")]], colorbar: {title: {text: tr("u_s")}, thickness: 12},
      texttemplate: "%{z:.2f}", hovertemplate: "%{text}<extra></extra>", xgap: 2, ygap: 2,
    }], {
      title: {text: tr("wh_waits"), font: {size: 14}}, height: Math.max(220, 110 + 30 * rows.length),
      margin: {l: 10, r: 10, t: 40, b: 60}, separators: SEPARATORS,
      xaxis: {title: {text: tr("wh_waiter")}, automargin: true, fixedrange: true, type: "category"},
      yaxis: {automargin: true, autorange: "reversed", fixedrange: true, type: "category"},
    }, PLOT_CONFIG);
  }

  /* Long holds boxed on the timeline (holder lane and the holder's own), and an empty trace for marked frames;
     neither in the legend (the section below the timeline says what they are), which keeps the states'. */
  _drawOverlay(s) {
    const gd = this.view.timelineEl;
    if (this.overlay || !gd.data) return;
    const names = this.index ? this.index.names : this.view.threads.map(t => t.name);
    const boxes = longHoldBoxes(s.long_holds, names);
    const lines = boxLines(boxes);
    const text = [];
    for (const b of boxes) {
      const h = b.hold, words = tr("wh_long_box", {ms: fmt(h.held_ms), thread: h.thread,
        line: lineText(h.function, h.file, h.line, h.in_c_call)});
      text.push(words, words, words, words, words, null);
    }
    const colour = CONFIG.marks.colour;
    const n = gd.data.length;
    Plotly.addTraces(gd, [
      {type: "scatter", mode: "lines", x: lines.x, y: lines.y, text, name: tr("wh_long_legend",
        {ms: fmt(longHoldMs(CONFIG, s.interval_s))}), showlegend: false, connectgaps: false,
      line: {color: colour, width: 2}, hovertemplate: "%{text}<extra></extra>"},
      {type: "scatter", mode: "lines", x: [], y: [], name: tr("wh_mark_legend"), showlegend: false,
        connectgaps: false, line: {color: colour, width: 5}, opacity: 0.85, hoverinfo: "skip"},
    ]);
    this.overlay = [n, n + 1];
  }

  _longTable(s) {
    const box = el("div", {class: "long-holds"});
    const longs = s.long_holds || [];
    const limit = longHoldMs(CONFIG, s.interval_s);
    box.append(el("h4", {text: tr("wh_long", {ms: fmt(limit)})}));
    if (!longs.length) {
      box.append(el("p", {class: "hint", text: tr("wh_long_none", {ms: fmt(limit)})}));
      return box;
    }
    const table = el("table", {class: "threads long-holds-table"});
    table.append(el("tr", {}, ...[tr("thread"), tr("wh_col_line"), tr("wh_col_start"), tr("wh_col_held"), ""]
      .map(h => el("th", {text: h}))));
    for (const h of longs.slice(0, LONG_ROWS)) {
      const show = el("button", {type: "button", class: "link", text: tr("wh_show")});
      show.addEventListener("click", () => this._zoomTo(h));
      table.append(el("tr", {}, el("td", {text: h.thread}),
        el("td", {class: "code", text: lineText(h.function, h.file, h.line, h.in_c_call)}),
        el("td", {text: fmt(h.start_ms)}), el("td", {text: fmt(h.held_ms)}), el("td", {}, show)));
    }
    box.append(table);
    if (longs.length > LONG_ROWS) {
      box.append(el("p", {class: "hint", text: plural("wh_long_more", longs.length - LONG_ROWS)}));
    }
    box.append(el("p", {class: "hint", text: tr("wh_long_hint")}));
    return box;
  }

  /* The timeline zoomed to a hold, with as much again on either side (the run view shifts the window back inside
     the run when the hold is near its start or end: the width stays three holds). */
  _zoomTo(h) {
    const gd = this.view.timelineEl, a = Number(h.start_ms), d = Number(h.held_ms);
    Plotly.relayout(gd, {"xaxis.range": [a - d, a + 2 * d]});
    gd.scrollIntoView({block: "nearest", behavior: "smooth"});
  }
}
