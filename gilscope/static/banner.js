/* gilscope: on every page, a banner when runs are not being saved. The store can fail at the server's start (a
   damaged or read-only database) or later (a full disk); /healthz says so (lock-free, cheap) and why. */
import {tr} from "./page.js";

const banner = document.getElementById("store-banner");
const EVERY_MS = 60_000;

async function check() {
  try {
    const health = await (await fetch("/healthz", {cache: "no-store"})).json();
    const store = health.store || {};
    banner.hidden = store.ok !== false;
    if (store.ok === false) banner.textContent = tr("store_banner", {e: store.error || "?"});
  } catch (e) { /* the server may be restarting: the next check tells */ }
  setTimeout(check, EVERY_MS);
}

if (banner) check();
