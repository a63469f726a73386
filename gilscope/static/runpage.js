/* gilscope: a stored run's permalink. What ran, when and how it ended, then the run replayed from its recorded
   events into the same view a live run uses (the whole picture, as after the run; after a restart too). */
import {LANG, api, el, fmt, tr} from "./page.js";
import {intervalMs, mixDetail, mixText, whenText} from "./runinfo.js";
import {RunView} from "./runview.js";

const STATUS = {done: tr("s_done"), failed: tr("s_failed"), cancelled: tr("s_cancelled"), running: tr("s_running"),
  queued: tr("s_queued"), cancelling: tr("s_cancelling")};
const facts = document.getElementById("facts");
const view = new RunView(document.getElementById("run-view"));

function fact(name, ...content) {
  const dd = facts.querySelector(`[data-fact="${name}"]`);
  dd.replaceChildren(...content);
  const box = facts.querySelector(`[data-if="${name}"]`);
  if (box) box.hidden = false;
  return dd;
}

function showFacts(run) {
  run = Object.assign({}, window.RUN_META || {}, run);  // a run in the server's memory: lesson, group, source
  const spec = run.spec || {};
  const what = fact("what", mixText(run));
  what.title = mixDetail(run, LANG);
  if (run.source === "trace") what.classList.add("program");
  const interval = intervalMs(spec);
  fact("interval", interval === null ? "–" : fmt(interval) + " " + tr("u_ms"));
  const wall = run.summary && run.summary.wall_s;
  fact("duration", typeof spec.duration_s === "number" ? fmt(spec.duration_s) + " " + tr("u_s") +
    (typeof wall === "number" && Math.abs(wall - spec.duration_s) > 0.05 ? ` (${fmt(wall)} ${tr("u_s")})` : "") : "–");
  const when = fact("when", whenText(run.created, LANG));
  when.title = new Date(run.created * 1000).toISOString();
  fact("status", el("span", {class: "state " + run.status, text: STATUS[run.status] || run.status}));
  if (run.lesson) fact("lesson", el("a", {href: "/lessons#" + run.lesson, text: run.lesson}));
  if (run.group_id) {
    fact("group", el("a", {href: "/compare?group=" + encodeURIComponent(run.group_id), text: tr("h_group")}));
  }
}

/* Naming and noting the run (PATCH /api/runs/{id}); a refusal is put at its field, in the page's language. Set
   up at once (a press of Save before the run's facts came must not submit the form as a plain page request). */
function naming() {
  const form = document.getElementById("naming");
  if (!form) return () => {};
  const name = document.getElementById("run-name"), note = document.getElementById("run-note");
  const status = document.getElementById("naming-status");
  const clear = input => { input.removeAttribute("aria-invalid"); input.classList.remove("invalid"); };
  form.addEventListener("submit", async e => {
    e.preventDefault();
    clear(name);
    clear(note);
    status.className = "hint";
    try {
      const r = await fetch(api(`/api/runs/${encodeURIComponent(window.RUN_ID)}`), {method: "PATCH",
        headers: {"Content-Type": "application/json"}, body: JSON.stringify({name: name.value, note: note.value})});
      const data = await r.json();
      if (r.ok) {
        name.value = data.name || "";
        note.value = data.note || "";
        status.textContent = tr("n_saved");
        return;
      }
      const bad = Array.isArray(data.detail) ? data.detail.map(d => String(d.field || "")) : [];
      for (const [field, input] of [["name", name], ["note", note]]) {
        if (bad.includes(field)) { input.setAttribute("aria-invalid", "true"); input.classList.add("invalid"); }
      }
      status.className = "hint refused";
      status.textContent = bad.includes("name") ? tr("n_bad_name") : bad.includes("note") ? tr("n_bad_note") :
        tr("status_error", {e: typeof data.detail === "string" ? data.detail : r.status});
    } catch (err) {
      status.className = "hint refused";
      status.textContent = tr("status_error", {e: String(err)});
    }
  });
  return run => {  // the run's name and note, once they came (not over what someone began to type)
    if (!name.value) name.value = run.name || "";
    if (!note.value) note.value = run.note || "";
  };
}
const showNames = naming();

/* A run whose events were never stored (its server stopped while it ran): its facts and summary, no replay. */
function noEvents() {
  document.getElementById("run-view").replaceWith(el("p", {class: "panel no-events", text: tr("r_no_events")}));
  for (const a of document.querySelectorAll("#exports a")) {
    if (!a.href.endsWith("/summary.json")) a.remove();
  }
}

async function main() {
  let run = null;
  try {
    const r = await fetch(api(`/api/runs/${encodeURIComponent(window.RUN_ID)}`));
    if (r.ok) run = await r.json();
  } catch (e) { /* the replay below says what went wrong */ }
  if (run) { showFacts(run); showNames(run); }
  const result = await view.follow(window.RUN_ID, run ? run.spec : null);
  if (result.error === "no event stream") noEvents();
  // A run that was still going when the page opened has ended meanwhile: its facts say so now.
  if (run && run.status !== result.status) {
    try { showFacts(await (await fetch(api(`/api/runs/${encodeURIComponent(window.RUN_ID)}`))).json()); } catch (e) { /* kept */ }
  }
}

main();
