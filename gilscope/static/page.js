/* gilscope: what every page shares. The server's constants (the JSON in #gilscope-config, from
   gilscope/web/page_config.py), the page's language and string table, an element builder, and the one frame
   scheduler every view queues its work on. */

import {makeI18n} from "./format.js";
import {FrameScheduler} from "./schedule.js";

const configEl = document.getElementById("gilscope-config");
export const CONFIG = configEl ? JSON.parse(configEl.textContent) : null;
export const LANG = window.LANG || document.documentElement.lang || "en";
export const PAGE = window.PAGE || "";
export const {fmt, tr, plural} = makeI18n(window.T || {}, LANG);
/* Plotly's decimal and thousands separators (its own locale is English): "1,5" and "20 000" on a Ukrainian page. */
export const SEPARATORS = LANG === "uk" ? ",\u00a0" : ".,";

/* Every plot of every page, set once here: no button that offers to upload the plot (the cloud, Chart Studio) or
   links to plotly.com, and Plotly's own words (modebar, dates) in the page's language (its "uk" locale is loaded
   by base.html on Ukrainian pages only). */
if (window.Plotly) {
  window.Plotly.setPlotConfig({showSendToCloud: false, displaylogo: false,
    locale: LANG === "uk" ? "uk" : "en-US"});
}

/* An API address that asks for the page's language (texts, errors and the run's reading come back in it). */
export function api(path) {
  return path + (path.includes("?") ? "&" : "?") + "lang=" + encodeURIComponent(LANG);
}

export function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  for (const kid of kids) if (kid !== null && kid !== undefined) e.append(kid);
  return e;
}

/* A frame after delayMs (no frames come to a hidden page: a timer stands in, and the page drains its queue). */
function frame(cb, delayMs) {
  const go = () => (document.hidden ? setTimeout(cb, 100) : requestAnimationFrame(cb));
  if (delayMs > 4) setTimeout(go, delayMs); else go();
}

export const scheduler = new FrameScheduler({now: () => performance.now(), frame, budgetMs: 4});
