/* gilscope: the history of stored runs. One page of GET /api/runs at a time, newest first, filtered by the
   form's selects; the filters and the page live in the address (a filtered view is a link, Back goes back).
   Runs ticked for a comparison stay ticked across pages and filters, until the page is left. */

import {LANG, api, el, fmt, plural, tr} from "./page.js";
import {compareLink, filtersFromQuery, intervalMs, langHref, listingPath, mixDetail, mixText, pageInfo, queryFromFilters,
  ratioText, whenText} from "./runinfo.js";

const form = document.getElementById("filters");
const table = document.getElementById("runs");
const body = table.querySelector("tbody");
const empty = document.getElementById("empty");
const range = document.getElementById("range");
const prev = document.getElementById("prev"), next = document.getElementById("next");
const compareBtn = document.getElementById("compare-picked"), clearPicked = document.getElementById("clear-picked");
const pickHint = document.getElementById("pick-hint"), clearFilters = document.getElementById("clear-filters");
const PAGE_SIZE = Number(table.dataset.pageSize) || 20;
const MAX = Number(table.dataset.max) || 8;
const STATUS = {done: tr("s_done"), failed: tr("s_failed"), cancelled: tr("s_cancelled"), running: tr("s_running"),
  queued: tr("s_queued"), cancelling: tr("s_cancelling")};

const picked = new Map();  // id -> what ran, in the order ticked
// A lesson's or a sweep's runs fold into one row; ?groups=all (the form's box unticked) lists every run.
const foldBox = document.getElementById("fold");
let folded = new URLSearchParams(location.search).get("groups") !== "all";
let state = filtersFromQuery(location.search);
let loading = 0;

function selects() {
  return [...form.querySelectorAll("select")];
}

function showFilters() {
  for (const s of selects()) {
    const v = state.filters[s.name] || "";
    if (v && ![...s.options].some(o => o.value === v)) s.append(el("option", {value: v, text: v}));
    s.value = v;
  }
  clearFilters.hidden = !Object.keys(state.filters).length;
}

/* The address for the current state, keeping ?lang= when the visitor came with it. */
function address() {
  const keep = {lang: new URLSearchParams(location.search).get("lang"), groups: folded ? null : "all"};
  return location.pathname + queryFromFilters(state.filters, state.page, keep);
}

/* The language switch keeps the filters and the page. */
function showLangLink() {
  const link = document.querySelector("header .lang");
  if (link) link.href = langHref(location.search, link.getAttribute("hreflang"));
}

function go(newState, push = true) {
  state = newState;
  if (push) history.pushState(null, "", address());
  showLangLink();
  showFilters();
  load();
}

foldBox.addEventListener("change", () => {
  folded = foldBox.checked;
  go({filters: state.filters, page: 1});
});
form.addEventListener("change", () => {
  const filters = {};
  for (const s of selects()) if (s.value) filters[s.name] = s.value;
  go({filters, page: 1});
});
form.addEventListener("submit", e => { e.preventDefault(); });
clearFilters.addEventListener("click", () => go({filters: {}, page: 1}));
prev.addEventListener("click", () => go({filters: state.filters, page: Math.max(1, state.page - 1)}));
next.addEventListener("click", () => go({filters: state.filters, page: state.page + 1}));
window.addEventListener("popstate", () => {
  folded = new URLSearchParams(location.search).get("groups") !== "all";
  foldBox.checked = folded;
  go(filtersFromQuery(location.search), false);
});

function showPicked() {
  const n = picked.size;
  compareBtn.textContent = n ? plural("h_compare", n) : tr("h_compare_none");
  compareBtn.disabled = !compareLink(picked.keys(), MAX);
  clearPicked.hidden = n === 0;
  pickHint.textContent = n > MAX ? tr("h_too_many", {max: MAX}) : n < 2 ? tr("h_pick", {max: MAX}) :
    [...picked.values()].join(" · ");
}

compareBtn.addEventListener("click", () => {
  const link = compareLink(picked.keys(), MAX);
  if (link) location.href = link;
});
clearPicked.addEventListener("click", () => {
  picked.clear();
  for (const box of body.querySelectorAll("input[type=checkbox]")) box.checked = false;
  showPicked();
});

const cell = (text, cls = "", title = "") => el("td", Object.assign({text}, cls ? {class: cls} : {},
  title ? {title} : {}));

/* A group in words: "Lesson C3" or "Sweep · C8" (a sweep is tagged with the lesson it was started from). */
function groupTitle(run) {
  const g = run.group || {};
  const lesson = g.lesson || run.lesson;
  if (g.kind === "sweep") return tr("h_sweep_group");
  if (lesson) return tr("h_lesson_group", {id: lesson});
  return tr("h_group_plain");
}

function lessonCell(run) {
  const td = el("td");
  const lesson = run.lesson || (run.group && run.group.lesson);
  if (lesson) td.append(el("a", {href: "/lessons#" + lesson, class: run.lesson ? "" : "tag lesson-tag", text: lesson}));
  return td;
}

function whatCell(run, what) {
  const td = cell(what, run.source === "trace" ? "what program" : "what", mixDetail(run, LANG));
  if (run.source === "trace") td.prepend(el("span", {class: "tag", text: tr("h_traced")}), " ");
  if (run.name) td.prepend(el("b", {class: "run-name", text: run.name}), " ");
  if (run.note) td.title = (td.title ? td.title + "\n" : "") + run.note;
  return td;
}

/* A group folded into one row: its title, how many runs, the newest's time; a button shows its runs. */
function groupRow(run) {
  const g = run.group || {};
  const n = g.runs || 1;
  const toggle = el("button", {type: "button", class: "fold", "aria-expanded": "false",
    "aria-label": tr("h_expand", {what: groupTitle(run)}), text: "▸"});
  const tr_ = el("tr", {class: "group-row", "data-group": run.group_id},
    el("td", {class: "pick"}, toggle),
    el("td", {class: "when"}, el("a", {href: "/runs/" + encodeURIComponent(run.id), text: whenText(run.created, LANG)})),
    el("td", {class: "what"}, el("b", {text: groupTitle(run)}), " ",
      el("span", {class: "tag", text: plural("h_group_runs", n)})),
    cell("", "num"), cell("", "num"),
    el("td", {}, el("span", {class: "state " + run.status, text: STATUS[run.status] || run.status})),
    lessonCell(run), cell("", "num"), cell("", "num"), cell("", "num"),
    el("td", {class: "group"}, el("a", {href: "/compare?group=" + encodeURIComponent(run.group_id), text: tr("h_group")})));
  let kids = null;
  toggle.addEventListener("click", async () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? "▾" : "▸";
    if (!open) { if (kids) for (const k of kids) k.remove(); kids = null; return; }
    const path = listingPath(Object.assign({}, state.filters), 1, 500).replace("/api/runs?", "/api/runs?group=" +
      encodeURIComponent(run.group_id) + "&");
    try {
      const data = await (await fetch(api(path))).json();
      kids = (data.runs || []).slice().reverse().map(r => { const k = row(r); k.classList.add("in-group"); return k; });
      tr_.after(...kids);
    } catch (e) { toggle.setAttribute("aria-expanded", "false"); toggle.textContent = "▸"; }
  });
  return tr_;
}

function row(run) {
  const when = whenText(run.created, LANG);
  const what = mixText(run);
  const box = el("input", {type: "checkbox", "aria-label": tr("h_pick_run", {when, what})});
  box.checked = picked.has(run.id);
  box.addEventListener("change", () => {
    if (box.checked) picked.set(run.id, `${what} (${when})`); else picked.delete(run.id);
    showPicked();
  });
  const f = run.figures || {};
  const interval = intervalMs(run.spec);
  const spec = run.spec || {};
  const status = el("td", {}, el("span", {class: "state " + run.status, text: STATUS[run.status] || run.status}));
  if (run.error) status.title = run.error;
  const lesson = lessonCell(run);
  const group = el("td", {class: "group"});
  if (run.group_id) {
    group.append(el("a", {href: "/compare?group=" + encodeURIComponent(run.group_id), text: tr("h_group")}));
  }
  return el("tr", {"data-id": run.id},
    el("td", {class: "pick"}, box),
    el("td", {class: "when"}, el("a", {href: "/runs/" + encodeURIComponent(run.id), text: when})),
    whatCell(run, what),
    cell(interval === null ? "–" : fmt(interval) + " " + tr("u_ms"), "num"),
    cell(typeof spec.duration_s === "number" ? fmt(spec.duration_s) + " " + tr("u_s") : "–", "num"),
    status, lesson,
    cell(fmt(f.handoffs_per_s), "num"),
    cell(fmt(f.cores_used, 2), "num"),
    ratioCell(f),
    group);
}

/* The threads / one thread ratio; one its run's own noise left undecided is marked and says so. */
function ratioCell(f) {
  const td = cell(ratioText(f["baseline.threaded_over_sequential"], LANG), "num");
  if (f["baseline.conclusive"] === false) {  // the cell's text stays the figure; the mark is the style's "?"
    td.classList.add("inconclusive");
    td.title = tr("c_inconclusive");
    td.setAttribute("aria-label", td.textContent + ", " + tr("c_inconclusive"));
  }
  return td;
}

async function load() {
  const mine = ++loading;
  table.setAttribute("aria-busy", "true");
  let data;
  try {
    const r = await fetch(api(listingPath(state.filters, state.page, PAGE_SIZE) + (folded ? "&fold=true" : "")));
    data = await r.json();
    if (!r.ok) throw new Error(data.detail ? JSON.stringify(data.detail) : r.status);
  } catch (e) {
    if (mine !== loading) return;
    table.removeAttribute("aria-busy");
    empty.textContent = tr("status_error", {e: String(e.message || e)});
    empty.hidden = false;
    return;
  }
  if (mine !== loading) return;  // a newer request went out meanwhile
  table.removeAttribute("aria-busy");
  const info = pageInfo(data.offset, data.limit, data.total, data.runs.length);
  if (!data.runs.length && data.total > 0 && state.page > 1) {  // past the end (runs were pruned): the last page
    state = {filters: state.filters, page: info.pages};
    history.replaceState(null, "", address());
    go(state, false);
    return;
  }
  body.replaceChildren(...data.runs.map(r => (r.group_id && r.group && r.group.runs > 1 ? groupRow(r) : row(r))));
  table.hidden = !data.runs.length;
  empty.hidden = data.runs.length > 0;
  if (!data.runs.length) {
    empty.replaceChildren(Object.keys(state.filters).length ? tr("h_none_match") : tr("h_empty"));
    if (!Object.keys(state.filters).length) empty.append(" ", el("a", {href: "/", text: tr("h_start")}));
  }
  range.textContent = data.total ? tr("h_range", {a: fmt(info.from), b: fmt(info.to), total: fmt(info.total)}) : "";
  prev.disabled = !info.hasPrev;
  next.disabled = !info.hasNext;
}

foldBox.checked = folded;
showLangLink();
showFilters();
showPicked();
load();
