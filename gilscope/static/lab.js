/* gilscope: the experiment builder, and the "now running" view that follows whatever the class runs. */
import {CONFIG, PAGE, api, el, fmt, plural, tr} from "./page.js";
import {RunView} from "./runview.js";
import {afterRunBar} from "./runbar.js";

// The interval slider: the server's readable stops on a log scale, each arrow key press one stop.
const STEPS = CONFIG.interval_steps_ms;
const DEFAULT_STEP = Math.max(0, STEPS.indexOf(CONFIG.default_interval_ms));
const DEFAULT_MIX = {cpu: 2, sleep: 1};

const view = new RunView(document.getElementById("run-view"));
view.setStatus(tr("status_idle"));
let current = null;

if (PAGE === "now") followClass(); else builder();

function builder() {
  const slider = document.getElementById("interval"), out = document.getElementById("interval-out");
  slider.min = "0";
  slider.max = String(STEPS.length - 1);
  slider.step = "1";
  slider.value = String(DEFAULT_STEP);
  document.getElementById("default-mark").value = String(DEFAULT_STEP);
  document.getElementById("default-label").style.left = (100 * DEFAULT_STEP / (STEPS.length - 1)) + "%";
  const duration = document.getElementById("duration");
  duration.min = String(CONFIG.min_duration_s);
  duration.max = String(CONFIG.max_duration_s);
  const intervalMs = () => STEPS[Number(slider.value)];
  const showInterval = () => { out.textContent = fmt(intervalMs()) + " " + tr("u_ms"); slider.setAttribute("aria-valuetext", out.textContent); };
  slider.addEventListener("input", showInterval);
  showInterval();

  const kindsBox = document.getElementById("kinds");
  const counts = {}, params = {};
  fetch(api("/api/workloads")).then(r => r.json()).then(cat => {
    for (const k of cat.kinds) {  // texts in the page's language
      const title = k.title, explain = k.explain;
      const badge = el("span", {class: "badge " + (k.releases_gil === "no" ? "keeps" : "releases"),
        text: tr("releases_" + k.releases_gil)});
      const count = el("input", {type: "number", min: "0", max: String(CONFIG.lanes), step: "1",
        value: String(DEFAULT_MIX[k.name] || 0), "aria-label": `${k.name}: ${tr("builder")}`, id: "n-" + k.name});
      counts[k.name] = count;
      params[k.name] = {};
      const details = el("details", {}, el("summary", {text: "⚙"}));
      for (const p of k.params) {
        const input = el("input", {type: "number", min: String(p.minimum), max: String(p.maximum),
          step: p.integer ? "1" : "any", value: String(p.default), id: `p-${k.name}-${p.name}`});
        params[k.name][p.name] = input;
        details.append(el("label", {title: p.help},
          `${p.name} (${p.unit}) `, input));
      }
      kindsBox.append(el("div", {class: "kind", title: explain},
        el("label", {for: "n-" + k.name}, el("b", {text: k.name}), " ", el("span", {class: "kind-title", text: title})),
        badge, count, details));
    }
  });

  function spec() {
    const mix = [];
    for (const [name, input] of Object.entries(counts)) {
      const n = Number(input.value);
      if (n > 0) {
        const ps = {};
        for (const [p, inp] of Object.entries(params[name])) ps[p] = Number(inp.value);
        mix.push({kind: name, threads: n, params: ps});
      }
    }
    return {mix, switch_interval_s: intervalMs() / 1000, duration_s: Number(duration.value),
      baseline: document.getElementById("baseline").checked};
  }

  const runBtn = document.getElementById("run"), cancelBtn = document.getElementById("cancel");
  let lastRun = null;
  runBtn.addEventListener("click", async () => {
    performance.mark("gilscope:run");  // for bench/first_pixels.py: from here to the first timeline data drawn
    const body = spec();
    if (!body.mix.length) { view.setStatus(tr("no_threads"), "failed"); return; }
    runBtn.disabled = true;
    try {
      const r = await fetch(api("/api/runs"), {method: "POST", headers: {"Content-Type": "application/json"},
        body: JSON.stringify(body)});
      const data = await r.json();
      if (r.status !== 202) {
        view.setStatus(tr("status_error", {e: data.error || data.detail}), "failed");
        return;
      }
      current = data.id;
      cancelBtn.disabled = false;
      const result = await view.follow(data.id, body);
      if (result.status === "done") {  // the address becomes the run's permalink; the bar offers what comes next
        view.bar.replaceChildren(afterRunBar(data.id, {previous: lastRun, steps: STEPS, intervalMs: body.switch_interval_s * 1000,
          onAgain: ms => { slider.value = String(Math.max(0, STEPS.indexOf(ms))); showInterval(); runBtn.click(); }}));
        lastRun = data.id;
      }
    } catch (e) {
      view.setStatus(tr("status_error", {e: String(e)}), "failed");
    } finally {
      runBtn.disabled = false;
      cancelBtn.disabled = true;
      current = null;
    }
  });
  cancelBtn.addEventListener("click", () => {
    if (current) fetch(api(`/api/runs/${current}/cancel`), {method: "POST"});
  });
}

function followClass() {
  const status = document.getElementById("now-status");
  let following = null;
  const poll = async () => {
    try {
      const now = await (await fetch(api("/api/now"))).json();
      status.textContent = now.running ? plural("queue_len", now.queued) : tr("now_none");
      const target = now.running || (following ? null : now.latest);
      if (target && target !== following) {
        following = target;
        const run = await (await fetch(api(`/api/runs/${target}`))).json();
        view.follow(target, run.spec);
      }
    } catch (e) { /* the server may be restarting: try again */ }
    setTimeout(poll, 1000);
  };
  poll();
}
