/* gilscope: what the experiment page offers once a run is done: its permalink (the address becomes it too), its
   exports, a comparison with the run before it, and the same run again at another switch interval. */
import {api, el, fmt, tr} from "./page.js";
import {otherInterval} from "./viewport.js";

const EXPORTS = ["summary.json", "segments.csv", "trace.json"];

/* The run before `id` this page did, else the newest stored run that is not it (null if none). */
async function previousRun(id, previous) {
  if (previous && previous !== id) return previous;
  try {
    const list = await (await fetch(api("/api/runs?status=done&limit=3"))).json();
    const other = (list.runs || list.items || []).find(r => r.id !== id);
    return other ? other.id : null;
  } catch (e) {
    return null;
  }
}

/* The bar for run `id`: the page's address becomes its permalink (a reload opens /runs/{id}). onAgain(ms) runs
   the same spec again at ms. */
export function afterRunBar(id, {previous = null, steps = [], intervalMs = null, onAgain = null} = {}) {
  const href = "/runs/" + encodeURIComponent(id);
  if (location.pathname !== href) history.pushState({run: id}, "", href + location.search);
  const bar = el("nav", {class: "run-bar", "aria-label": tr("bar_permalink")},
    el("a", {class: "permalink", href, text: tr("bar_permalink") + ": " + href}),
    el("span", {class: "exports"}, tr("bar_download"), " ", ...EXPORTS.map(name =>
      el("a", {href: `/api/runs/${encodeURIComponent(id)}/export/${name}`, download: "", text: name}))));
  const cmp = el("a", {class: "compare-prev", hidden: "", text: tr("bar_compare")});
  bar.append(cmp);
  previousRun(id, previous).then(prev => {
    if (!prev) return;
    cmp.href = "/compare?runs=" + [prev, id].map(encodeURIComponent).join(",");
    cmp.hidden = false;
  });
  if (onAgain && steps.length) {
    const pick = el("select", {class: "again-interval", "aria-label": tr("bar_again")},
      ...steps.map(ms => el("option", {value: String(ms), text: fmt(ms) + " " + tr("u_ms")})));
    pick.value = String(otherInterval(steps, intervalMs || steps[0]));
    const go = el("button", {type: "button", class: "again", text: tr("bar_again_go")});
    go.addEventListener("click", () => onAgain(Number(pick.value)));
    bar.append(el("span", {class: "run-again"}, el("label", {}, tr("bar_again"), " ", pick), " ", go));
  }
  return bar;
}
