/* gilscope: the experiment builder, and the "now running" view that follows whatever the class runs. */
"use strict";
(() => {
  const {fmt, tr, el} = window.gil;
  // A log scale from 0.05 to 100 ms in readable steps: each arrow key press is one step.
  const STEPS = [0.05, 0.07, 0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100];
  const DEFAULT_STEP = STEPS.indexOf(5);
  const DEFAULT_MIX = {cpu: 2, sleep: 1};

  const view = new RunView(document.getElementById("run-view"));
  view.setStatus(tr("status_idle"));
  let current = null;

  if (window.PAGE === "now") { followClass(); return; }

  const slider = document.getElementById("interval"), out = document.getElementById("interval-out");
  slider.max = String(STEPS.length - 1);
  slider.value = String(DEFAULT_STEP);
  document.getElementById("default-mark").value = String(DEFAULT_STEP);
  document.getElementById("default-label").style.left = (100 * DEFAULT_STEP / (STEPS.length - 1)) + "%";
  const intervalMs = () => STEPS[Number(slider.value)];
  const showInterval = () => { out.textContent = fmt(intervalMs()) + " " + tr("u_ms"); slider.setAttribute("aria-valuetext", out.textContent); };
  slider.addEventListener("input", showInterval);
  showInterval();

  const kindsBox = document.getElementById("kinds");
  const counts = {}, params = {};
  fetch("/api/workloads").then(r => r.json()).then(cat => {
    for (const k of cat.kinds) {
      const title = window.LANG === "uk" ? k.title_uk : k.title_en;
      const explain = window.LANG === "uk" ? k.explain_uk : k.explain_en;
      const badge = el("span", {class: "badge " + (k.releases_gil === "no" ? "keeps" : "releases"),
        text: tr("releases_" + k.releases_gil)});
      const count = el("input", {type: "number", min: "0", max: String(cat.limits.max_threads), step: "1",
        value: String(DEFAULT_MIX[k.name] || 0), "aria-label": `${k.name}: ${tr("builder")}`, id: "n-" + k.name});
      counts[k.name] = count;
      params[k.name] = {};
      const details = el("details", {}, el("summary", {text: "⚙"}));
      for (const p of k.params) {
        const input = el("input", {type: "number", min: String(p.minimum), max: String(p.maximum),
          step: p.integer ? "1" : "any", value: String(p.default), id: `p-${k.name}-${p.name}`});
        params[k.name][p.name] = input;
        details.append(el("label", {title: window.LANG === "uk" ? p.help_uk : p.help_en},
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
    return {mix, switch_interval_s: intervalMs() / 1000, duration_s: Number(document.getElementById("duration").value),
      baseline: document.getElementById("baseline").checked};
  }

  const runBtn = document.getElementById("run"), cancelBtn = document.getElementById("cancel");
  runBtn.addEventListener("click", async () => {
    const body = spec();
    if (!body.mix.length) { view.setStatus(tr("no_threads"), "failed"); return; }
    runBtn.disabled = true;
    try {
      const r = await fetch("/api/runs", {method: "POST", headers: {"Content-Type": "application/json"},
        body: JSON.stringify(body)});
      const data = await r.json();
      if (r.status !== 202) {
        view.setStatus(tr("status_error", {e: data.error || data.detail}), "failed");
        return;
      }
      current = data.id;
      cancelBtn.disabled = false;
      await view.follow(data.id, body);
    } catch (e) {
      view.setStatus(tr("status_error", {e: String(e)}), "failed");
    } finally {
      runBtn.disabled = false;
      cancelBtn.disabled = true;
      current = null;
    }
  });
  cancelBtn.addEventListener("click", () => {
    if (current) fetch(`/api/runs/${current}/cancel`, {method: "POST"});
  });

  function followClass() {
    const status = document.getElementById("now-status");
    let following = null;
    const poll = async () => {
      try {
        const now = await (await fetch("/api/now")).json();
        status.textContent = now.running ? tr("queue_len", {n: now.queued}) : tr("now_none");
        const target = now.running || (following ? null : now.latest);
        if (target && target !== following) {
          following = target;
          const run = await (await fetch(`/api/runs/${target}`)).json();
          view.follow(target, run.spec);
        }
      } catch (e) { /* the server may be restarting: try again */ }
      setTimeout(poll, 1000);
    };
    poll();
  }
})();
