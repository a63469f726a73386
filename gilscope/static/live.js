/* gilscope: a program watched live (gilscope attach/trace --live). The run view draws its lanes as for a run, in
   a rolling window; this panel shows what the watcher counts since the start, from its `holders` events: hand-offs,
   each thread's seconds in each state, the code that held the GIL most so far and the latest long holds. A table
   each: the holder icicle and long-hold markers of a finished run are holders.js's. */

import {el, fmt, tr} from "./page.js";

const LONG_ROWS = 8;  // of the latest long holds the watcher sends

function table(head, rows) {
  const t = el("table", {class: "threads live-table"});
  t.append(el("tr", {}, ...head.map(h => el("th", {text: h}))));
  for (const r of rows) t.append(el("tr", {}, ...r.map(v => el("td", {text: v}))));
  return t;
}

function where(h) {
  if (!h.function) return "–";
  const file = (h.file || "").split("/").pop();
  return `${h.function} (${file}:${h.line === null || h.line === undefined ? "?" : h.line})` +
    (h.in_c_call ? " " + tr("live_in_c") : "");
}

export class LivePanel {
  constructor(windowS) {
    this.root = el("section", {class: "live-panel", "aria-live": "off"});
    this.counters = el("div", {class: "figures live-figures"});
    this.cards = {};
    for (const key of ["live_elapsed", "live_handoffs", "live_rate", "live_long"]) {
      const value = el("strong", {text: "–"});
      this.cards[key] = value;
      this.counters.append(el("div", {class: "card"}, value, el("span", {text: tr(key)})));
    }
    this.threads = el("div", {class: "table-box"});
    this.holders = el("div", {class: "table-box"});
    this.long = el("div", {class: "table-box"});
    this.root.append(el("h3", {text: tr("live_title")}),
      el("p", {class: "hint", text: tr("live_hint", {w: fmt(windowS)})}), this.counters,
      el("h4", {text: tr("live_threads")}), this.threads,
      el("h4", {text: tr("live_holders")}), this.holders,
      el("h4", {text: tr("live_long_title")}), this.long);
  }

  update(ev) {
    this.cards.live_elapsed.textContent = fmt(ev.t_s, 3) + " " + tr("u_s");
    this.cards.live_handoffs.textContent = fmt(ev.handoffs);
    this.cards.live_rate.textContent = fmt(ev.handoffs_per_s);
    this.cards.live_long.textContent = fmt(ev.long_holds_total);
    const s = v => fmt(v, 3);
    this.threads.replaceChildren(table(
      [tr("thread"), tr("st_holding"), tr("st_waiting"), tr("live_blocked"), tr("st_native")],
      ev.threads.map(t => [t.name, s(t.holding_s), s(t.waiting_s), s(t.blocked_s), s(t.native_s)])));
    if (ev.gil_holders.length) {
      this.holders.replaceChildren(table(
        [tr("live_code"), tr("live_held_s"), tr("live_share"), tr("live_by")],
        ev.gil_holders.map(h => [where(h), s(h.held_s), fmt(h.share * 100, 2) + " %", h.threads.join(", ")])));
      this.holders.lastChild.querySelectorAll("tr").forEach((tr_, i) => {
        if (i > 0) tr_.title = ev.gil_holders[i - 1].stack.join("\n");
      });
    } else {
      this.holders.replaceChildren(el("p", {class: "hint",
        text: ev.stacks_detail ? tr("live_no_stacks", {why: ev.stacks_detail}) : tr("live_none_yet")}));
    }
    this.long.replaceChildren(ev.long_holds.length ? table(
      [tr("thread"), tr("live_code"), tr("live_held_ms"), tr("live_at_s")],
      ev.long_holds.slice(0, LONG_ROWS).map(h => [h.thread, where(h), fmt(h.held_ms), fmt(h.start_ms / 1000)]))
      : el("p", {class: "hint", text: tr("live_no_long")}));
  }
}
