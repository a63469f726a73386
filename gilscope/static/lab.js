/* gilscope: the experiment builder, and the "now running" view that follows whatever the class runs. */
import {CONFIG, LANG, PAGE, api, el, fmt, plural, tr} from "./page.js";
import {intervalMs, mixText, whenText} from "./runinfo.js";
import {RunView} from "./runview.js";
import {afterRunBar} from "./runbar.js";

// The interval slider: the server's readable stops on a log scale, each arrow key press one stop.
const STEPS = CONFIG.interval_steps_ms;
const DEFAULT_STEP = Math.max(0, STEPS.indexOf(CONFIG.default_interval_ms));
const DEFAULT_MIX = {cpu: 2, sleep: 1};

const view = new RunView(document.getElementById("run-view"));
view.setStatus(tr("status_idle"));
let current = null;

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
  const baseline = document.getElementById("baseline");
  const pythonPick = document.getElementById("python");
  const refused = document.getElementById("refused");
  const viewBox = document.getElementById("run-view");

  const kindsBox = document.getElementById("kinds");
  const counts = {}, params = {};
  const fields = new Fields();
  fields.add(duration, () => checkNumber(duration.value, duration.validity, CONFIG.min_duration_s,
    CONFIG.max_duration_s, false, tr("u_s")));
  const kindsReady = fetch(api("/api/workloads")).then(r => r.json()).then(cat => {
    for (const k of cat.kinds) {  // texts in the page's language
      const title = k.title, explain = k.explain;
      const badge = el("span", {class: "badge " + (k.releases_gil === "no" ? "keeps" : "releases"),
        text: tr("releases_" + k.releases_gil)});
      // a text field, not type=number: "abc" or "-3" must reach the check (and be refused), not be emptied
      const count = el("input", {type: "text", inputmode: "numeric", autocomplete: "off", class: "count",
        value: String(DEFAULT_MIX[k.name] || 0), "aria-label": `${k.name}: ${tr("builder")}`, id: "n-" + k.name});
      count.addEventListener("keydown", e => {  // the arrows step a count, as a number field's would
        if (e.key !== "ArrowUp" && e.key !== "ArrowDown") return;
        const n = Number(count.value.trim());
        if (!Number.isInteger(n)) return;
        e.preventDefault();
        count.value = String(Math.min(CONFIG.lanes, Math.max(0, n + (e.key === "ArrowUp" ? 1 : -1))));
        fields.check(count);
      });
      counts[k.name] = count;
      params[k.name] = {};
      fields.add(count, () => checkCount(count.value));
      // too many threads in all: said at the count just changed (not at every count)
      count.addEventListener("blur", () => {
        const total = checkCount(count.value) ? null : totalCheck();
        if (total && Number(count.value) > 0) fields.mark(count, total);
      });
      const details = el("details", {}, el("summary", {text: "⚙", "aria-label": tr("v_params", {kind: k.name})}));
      for (const p of k.params) {
        const input = el("input", {type: "number", min: String(p.minimum), max: String(p.maximum),
          step: p.integer ? "1" : "any", value: String(p.default), id: `p-${k.name}-${p.name}`});
        params[k.name][p.name] = input;
        fields.add(input, () => checkNumber(input.value, input.validity, p.minimum, p.maximum, p.integer, p.unit),
          details);
        details.append(el("label", {title: p.help},
          `${p.name} (${p.unit}) `, input));
      }
      // what the kind's threads run: its factory's Python source, folded away
      const source = k.source ? el("details", {class: "kind-source"}, el("summary", {text: tr("kind_source")}),
        el("pre", {}, el("code", {text: k.source}))) : null;
      kindsBox.append(el("div", {class: "kind", title: explain},
        el("label", {for: "n-" + k.name}, el("b", {text: k.name}), " ", el("span", {class: "kind-title", text: title})),
        badge, count, details, source));
    }
  });

  /* A one-click scenario (its button's data-spec, from gilscope/lessons/scenarios.py) fills the builder: every
     count, the parameters it names (the others back to their defaults), the interval, the duration; the
     comparison with one thread off. Nothing runs until Run (or Ctrl+Enter). */
  async function fillScenario(btn) {
    await kindsReady;
    const body = JSON.parse(btn.dataset.spec);
    for (const [name, input] of Object.entries(counts)) {
      input.value = "0";
      for (const p of Object.values(params[name])) p.value = p.defaultValue;
    }
    for (const g of body.mix) {
      if (!counts[g.kind]) continue;
      counts[g.kind].value = String(g.threads);
      for (const [p, v] of Object.entries(g.params || {})) if (params[g.kind][p]) params[g.kind][p].value = String(v);
    }
    const ms = body.switch_interval_s * 1000;
    const step = STEPS.reduce((best, s, i) => (Math.abs(s - ms) < Math.abs(STEPS[best] - ms) ? i : best), 0);
    slider.value = String(step);
    showInterval();
    duration.value = String(body.duration_s);
    baseline.checked = Boolean(body.baseline);
    for (const input of fields.checks.keys()) fields.clear(input);
    for (const b of document.querySelectorAll(".scenario-btn")) b.setAttribute("aria-pressed", String(b === btn));
    unrefuse();
    const status = document.getElementById("scenario-status");
    if (status) status.textContent = tr("scenario_filled", {what: btn.textContent.trim()});
  }
  for (const b of document.querySelectorAll(".scenario-btn")) {
    b.setAttribute("aria-pressed", "false");
    b.addEventListener("click", () => fillScenario(b));
  }
  // A hand-made change of a field: the mix is no longer the scenario's.
  document.getElementById("builder").addEventListener("input", e => {
    if (e.target.closest && e.target.closest(".scenarios")) return;
    for (const b of document.querySelectorAll(".scenario-btn")) b.setAttribute("aria-pressed", "false");
  });

  /* More threads in all than the server runs: said at the field that was changed last, checked at every count. */
  function totalCheck() {
    let total = 0;
    for (const input of Object.values(counts)) {
      const n = Number(input.value.trim());
      if (Number.isInteger(n) && n > 0) total += n;
    }
    return total > CONFIG.lanes ? tr("v_total", {max: fmt(CONFIG.lanes), n: fmt(total)}) : null;
  }

  // The interpreters the server offers (GET /api/pythons): the server's own first, and the default.
  fetch(api("/api/pythons")).then(r => r.json()).then(data => {
    const list = data.pythons || [];
    list.forEach((p, i) => {
      // "Python 3.13.1" (the whole path in its tooltip); a version twice over is told apart by its file's name
      const name = (p.path || "").split("/").pop();
      const twin = list.some((q, j) => j !== i && q.ok && p.ok && q.version === p.version);
      const what = p.ok ? `Python ${p.version}${twin ? " (" + name + ")" : ""}` +
        (p.gil_enabled === false ? " (" + tr("py_free") + ")" : "") : `${name} (${tr("py_broken")})`;
      const option = el("option", {value: i === 0 ? "" : p.path, title: p.path,
        text: i === 0 ? tr("py_own", {python: what}) : what});
      if (!p.ok) option.disabled = true;
      pythonPick.append(option);
    });
  }).catch(() => {});

  function spec() {
    const mix = [];
    for (const [name, input] of Object.entries(counts)) {
      const n = Number(input.value.trim());
      if (n > 0) {
        const ps = {};
        for (const [p, inp] of Object.entries(params[name])) ps[p] = Number(inp.value);
        mix.push({kind: name, threads: n, params: ps});
      }
    }
    const out = {mix, switch_interval_s: intervalMs() / 1000, duration_s: Number(duration.value),
      baseline: baseline.checked};
    if (pythonPick.value) out.python = pythonPick.value;
    return out;
  }

  /* A refused run: said above the view, and the last run's figures under it marked as the last run's. */
  function refuse(text) {
    refused.textContent = text;
    refused.hidden = false;
    if (shown) {
      viewBox.classList.add("stale");
      view.setStatus(tr("v_stale"), "stale");
    } else {
      view.setStatus(text, "failed");
    }
  }
  function unrefuse() {
    refused.hidden = true;
    refused.textContent = "";
    viewBox.classList.remove("stale");
  }
  let shown = false;  // a run is drawn in the view

  const runBtn = document.getElementById("run"), cancelBtn = document.getElementById("cancel");
  let lastRun = null;  // the run before, for "compare with the previous run"
  async function start() {
    if (runBtn.disabled) return;
    performance.mark("gilscope:run");  // for bench/first_pixels.py: from here to the first timeline data drawn
    await kindsReady;
    let bad = fields.checkAll();
    const total = bad ? null : totalCheck();
    if (total) {  // every count is good alone: the biggest takes the blame
      bad = Object.values(counts).reduce((a, c) => (Number(c.value) > Number(a.value) ? c : a));
      fields.mark(bad, total);
    }
    if (bad) {
      refuse(tr("v_fix"));
      bad.focus();
      return;
    }
    const body = spec();
    if (!body.mix.length) {
      fields.mark(Object.values(counts)[0], tr("no_threads"));
      refuse(tr("no_threads"));
      return;
    }
    runBtn.disabled = true;
    try {
      const r = await fetch(api("/api/runs"), {method: "POST", headers: {"Content-Type": "application/json"},
        body: JSON.stringify(body)});
      const data = await r.json();
      if (r.status === 422 && Array.isArray(data.detail)) {
        const first = serverRefusal(data.detail, body);
        refuse(tr("v_fix"));
        if (first) first.focus();
        return;
      }
      if (r.status !== 202) {
        refuse(tr("status_error", {e: typeof data.detail === "string" ? data.detail : tr("v_server")}));
        return;
      }
      unrefuse();
      shown = true;
      current = data.id;
      cancelBtn.disabled = false;
      const result = await view.follow(data.id, body);
      if (result.status === "done") {  // the address becomes the run's permalink; the bar offers what comes next
        view.bar.replaceChildren(afterRunBar(data.id, {previous: lastRun, steps: STEPS, intervalMs: body.switch_interval_s * 1000,
          onAgain: ms => { slider.value = String(Math.max(0, STEPS.indexOf(ms))); showInterval(); runBtn.click(); }}));
        lastRun = data.id;
      }
    } catch (e) {
      refuse(tr("status_error", {e: String(e)}));
    } finally {
      runBtn.disabled = false;
      cancelBtn.disabled = true;
      current = null;
    }
  }

  /* The server's 422 (detail: [{field: "mix.0.threads", message}]) put at the fields it names, in the page's
     language: the server's words are English and its paths are not for people. Returns the first field marked. */
  function serverRefusal(detail, body) {
    let first = null;
    const mark = (input, text) => {
      if (!input) return;
      fields.mark(input, text);
      first = first || input;
    };
    for (const d of detail) {
      const path = String(d.field || "").split(".");
      const message = String(d.message || "");
      if (path[0] === "mix" && path.length > 1) {
        const group = body.mix[Number(path[1])];
        const kind = group && group.kind;
        const pm = /^params\.([A-Za-z0-9_]+)/.exec(path[2] === "params" ? "params." + path[3] : message);
        if (kind && pm && params[kind] && params[kind][pm[1]]) mark(params[kind][pm[1]], tr("v_server"));
        else if (kind) mark(counts[kind], checkCount(counts[kind].value) || tr("v_count", {max: fmt(CONFIG.lanes)}));
      } else if (path[0] === "duration_s" || /^duration_s:/.test(message)) {
        mark(duration, /^duration_s:/.test(message) ? tr("v_time_cap") : checkNumber(duration.value,
          duration.validity, CONFIG.min_duration_s, CONFIG.max_duration_s, false, tr("u_s")) || tr("v_server"));
      } else if (path[0] === "python") {
        mark(pythonPick, tr("v_python"));
      } else if (/^mix:/.test(message) || path[0] === "mix") {
        mark(Object.values(counts).find(c => Number(c.value) > 0) || Object.values(counts)[0],
          tr("v_total", {max: fmt(CONFIG.lanes), n: fmt(body.mix.reduce((a, g) => a + g.threads, 0))}));
      } else if (/^baseline:/.test(message)) {
        mark(baseline, tr("v_baseline"));
      } else if (path[0] === "switch_interval_s") {
        mark(slider, tr("v_server"));
      }
    }
    if (!first) refuse(tr("v_server"));
    return first;
  }

  runBtn.addEventListener("click", start);
  // Ctrl+Enter (Cmd+Enter) runs the experiment from anywhere on the page, a field with a half-typed value too.
  document.addEventListener("keydown", e => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.altKey) {
      e.preventDefault();
      const focused = document.activeElement;
      if (focused && fields.has(focused)) fields.check(focused);
      start();
    }
  });
  cancelBtn.addEventListener("click", () => {
    if (current) fetch(api(`/api/runs/${current}/cancel`), {method: "POST"});
  });
}

/* The fields of the builder and their checks: each is checked when it loses focus, and all before a run. A bad
   field is marked for everyone: aria-invalid, a red outline, and its message beside it (aria-describedby). */
class Fields {
  constructor() { this.checks = new Map(); this.boxes = new Map(); }

  add(input, check, box = null) {
    this.checks.set(input, check);
    if (box) this.boxes.set(input, box);
    input.addEventListener("blur", () => this.check(input));
    input.addEventListener("input", () => { if (input.getAttribute("aria-invalid") === "true") this.check(input); });
  }

  has(input) { return this.checks.has(input); }

  /* Checks one field; true when it is good. */
  check(input) {
    const problem = this.checks.get(input)();
    if (problem) this.mark(input, problem); else this.clear(input);
    return !problem;
  }

  /* Checks every field; the first bad one, or null. */
  checkAll() {
    let first = null;
    for (const input of this.checks.keys()) if (!this.check(input) && !first) first = input;
    return first;
  }

  message(input) {
    const id = "err-" + input.id;
    let m = document.getElementById(id);
    if (!m) {
      m = el("span", {id, class: "field-error", role: "alert"});
      const row = input.parentElement;  // a thread count's message goes under its row, across the row's grid
      if (row && row.classList.contains("kind")) row.append(m); else input.insertAdjacentElement("afterend", m);
    }
    return m;
  }

  mark(input, text) {
    input.setAttribute("aria-invalid", "true");
    input.classList.add("invalid");
    const m = this.message(input);
    m.textContent = text;
    m.hidden = false;
    input.setAttribute("aria-describedby", m.id);
    const box = this.boxes.get(input) || input.closest("details");
    if (box && box.tagName === "DETAILS") box.open = true;  // a bad parameter is shown, not left folded away
  }

  clear(input) {
    input.removeAttribute("aria-invalid");
    input.classList.remove("invalid");
    const m = document.getElementById("err-" + input.id);
    if (m) { m.hidden = true; m.textContent = ""; }
    if (input.getAttribute("aria-describedby") === "err-" + input.id) input.removeAttribute("aria-describedby");
  }
}

/* A thread count: a whole number from 0 to the server's lane count; anything else is refused, never read as 0. */
function checkCount(raw) {
  const text = String(raw).trim();
  const n = Number(text);
  if (text === "" || !/^[+]?\d+$/.test(text) || !Number.isInteger(n) || n < 0 || n > CONFIG.lanes) {
    return tr("v_count", {max: fmt(CONFIG.lanes)});
  }
  return null;
}

/* A number field from lo to hi (whole when `integer`); the browser's own flag for text that is no number. */
function checkNumber(raw, validity, lo, hi, integer, unit) {
  const text = String(raw).trim();
  const n = Number(text);
  const range = {lo: fmt(lo), hi: fmt(hi), unit};
  if ((validity && validity.badInput) || text === "" || !Number.isFinite(n) || n < lo || n > hi ||
    (integer && !Number.isInteger(n))) {
    return tr(integer ? "v_whole_range" : "v_range", range);
  }
  return null;
}

/* /now: follows the run the server says the class's page shows (the newest to start, running or ended), and
   says what it is. */
function followClass() {
  const status = document.getElementById("now-status");
  const what = document.getElementById("now-what");
  let following = null, shownKey = "";
  const poll = async () => {
    try {
      const now = await (await fetch(api("/api/now"))).json();
      status.textContent = now.running ? plural("queue_len", now.queued) : tr("now_none");
      const target = now.shown || now.running || now.latest;
      const running = Boolean(target) && target === now.running;
      const key = (running ? "running:" : "last:") + (target || "");
      if (target && key !== shownKey) {
        const run = await (await fetch(api(`/api/runs/${encodeURIComponent(target)}`))).json();
        shownKey = key;
        what.replaceChildren(...nowFacts(run, running));
        what.hidden = false;
        if (target !== following) {
          following = target;
          view.follow(target, run.spec);
        }
      } else if (!target) {
        what.hidden = true;
      }
    } catch (e) { /* the server may be restarting: try again */ }
    setTimeout(poll, 1000);
  };
  poll();
}

/* What runs (or ran last) in words, with its permalink: "Running: cpu×2 + sleep×1 · interval 5 ms · 3 s ·
   started 14:02:11 · its page". */
function nowFacts(run, running) {
  const spec = run.spec || {};
  const interval = intervalMs(spec);
  const parts = [
    el("b", {text: running ? tr("now_running") : tr("now_last")}), " ",
    el("span", {class: "now-mix", text: mixText(run) || "–"}),
  ];
  const add = (key, vars) => parts.push(el("span", {class: "sep", text: " · "}), tr(key, vars));
  if (interval !== null) add("now_interval", {i: fmt(interval) + " " + tr("u_ms")});
  if (typeof spec.duration_s === "number") add("now_duration", {d: fmt(spec.duration_s) + " " + tr("u_s")});
  const at = run.started || run.created;
  if (typeof at === "number") add(run.started ? "now_started" : "now_created", {t: whenText(at, LANG)});
  parts.push(el("span", {class: "sep", text: " · "}),
    el("a", {href: "/runs/" + encodeURIComponent(run.id), class: "permalink", text: tr("now_permalink")}),
    " ", el("code", {class: "run-id", text: run.id}));
  return parts;
}

// Last: the builder uses the class above (a class is not hoisted as a function is).
if (PAGE === "now") followClass(); else builder();
