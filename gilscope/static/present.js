/* gilscope: presentation mode, for a projector. A toggle in the header (remembered in this browser; ?present=1
   or ?present=0 in the address sets it too) puts a class on the page: large type, the legend in a row above
   the timeline, a tall timeline, the verdicts as large badges, and on the experiment page the builder folded
   into one line that stays in view, with its own Run. The run views resize their plots on the
   "gilscope:present" event. */
import {el, tr} from "./page.js";

const KEY = "gilscope-present";

function remembered() {
  try { return localStorage.getItem(KEY); } catch (e) { return null; }
}

function remember(on) {
  try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* a private window: for this page only */ }
}

const asked = new URLSearchParams(location.search).get("present");
if (asked === "1" || asked === "0") remember(asked === "1");
let on = (asked || remembered()) === "1";
const root = document.documentElement;
const toggle = el("button", {type: "button", class: "present-toggle", "aria-pressed": String(on), text: tr("present")});

function apply() {
  root.classList.toggle("present", on);
  toggle.setAttribute("aria-pressed", String(on));
  document.dispatchEvent(new CustomEvent("gilscope:present", {detail: {on}}));
}

toggle.addEventListener("click", () => { on = !on; remember(on); apply(); });
const lang = document.querySelector("header.top .lang");
if (lang) lang.before(toggle); else document.querySelector("header.top")?.append(toggle);

/* The builder as one line: what will run, a Change button that unfolds it, and Run. */
const builder = document.getElementById("builder");
if (builder && !builder.hidden) {
  const what = el("span", {class: "builder-what"});
  const change = el("button", {type: "button", class: "builder-change", "aria-expanded": "false", text: tr("present_change")});
  const run = document.getElementById("run");
  const go = el("button", {type: "button", class: "primary builder-run", text: run.textContent});
  const line = el("div", {class: "builder-line"}, what, change, go);
  builder.before(line);
  const describe = () => {
    const kinds = [...builder.querySelectorAll("input[id^='n-']")].filter(i => Number(i.value) > 0)
      .map(i => `${i.id.slice(2)}×${i.value}`);
    const interval = document.getElementById("interval-out"), duration = document.getElementById("duration");
    what.textContent = [kinds.join(" + ") || "–", interval ? interval.textContent : "",
      duration ? duration.value + " " + tr("u_s") : ""].filter(Boolean).join(" · ");
  };
  change.addEventListener("click", () => {
    const open = builder.classList.toggle("open");
    change.setAttribute("aria-expanded", String(open));
  });
  go.addEventListener("click", () => run.click());
  const mirror = () => { go.disabled = run.disabled; };
  new MutationObserver(mirror).observe(run, {attributes: true, attributeFilter: ["disabled"]});
  new MutationObserver(describe).observe(builder, {childList: true, subtree: true});
  builder.addEventListener("input", describe);
  builder.addEventListener("change", describe);
  describe();
  mirror();
}

apply();
