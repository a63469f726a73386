"""First pixels: how soon after pressing Run the timeline shows data, in a real chromium on an idle queue.

Presses Run (the builder's defaults) five times, each on an idle queue (the previous run over, the server's
spare runner started), and prints side by side, from the press (the page's performance mark gilscope:run):
  server  when the server handed the run to its runner (the run's `started`), and when the run's first tick
          (the observer's first timeline data) reached the page's event stream (mark gilscope:first-tick);
  page    when the page first drew timeline data (mark gilscope:first-timeline).
The server's time is its wall clock against the page's (performance.timeOrigin + mark: one machine, one clock).
Medians of five. Also counts the page's long tasks (PerformanceObserver 'longtask', over 50 ms) from the press
until the run's after-view is drawn.
Run: python -m bench.first_pixels   (needs /usr/bin/chromium)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from typing import Any

import httpx

from tests.browser.conftest import ARGS, CHROMIUM
from tests.server import running_server

RUNS = 5
# Long tasks of the page's main thread, kept from the page's start (the observer is installed before any script).
LONGTASKS = """
window.__longtasks = [];
try {
  new PerformanceObserver(list => { for (const e of list.getEntries()) window.__longtasks.push([e.startTime, e.duration]); })
    .observe({type: 'longtask', buffered: true});
} catch (e) { /* no long-task entries in this browser */ }
"""
MARKS = """() => {
  const at = name => {
    const m = performance.getEntriesByName(name, 'mark');
    return m.length ? m[m.length - 1].startTime : null;
  };
  const run = at('gilscope:run');
  return {origin: performance.timeOrigin, run, tick: at('gilscope:first-tick'), first: at('gilscope:first-timeline'),
          longtasks: window.__longtasks.filter(([t]) => run !== null && t >= run)};
}"""


def one_run(page: Any, base: str) -> dict[str, Any]:
    page.goto(base + "/?lang=en", wait_until="networkidle")
    page.wait_for_selector("#n-cpu")
    page.wait_for_timeout(1500)  # the page settled, the server's spare runner ready
    with page.expect_response(lambda r: "/api/runs?" in r.url and r.request.method == "POST") as resp:
        page.click("#run")
    rid = resp.value.json()["id"]
    page.wait_for_selector(".status.done", timeout=60_000)
    page.wait_for_timeout(1000)  # the after-run figures drawn
    m = page.evaluate(MARKS)
    run = httpx.get(f"{base}/api/runs/{rid}", timeout=10).json()

    def since(t: float | None) -> int | None:
        return round(t - m["run"]) if t is not None else None

    return {
        "started": round(run["started"] * 1000 - (m["origin"] + m["run"])),
        "tick": since(m["tick"]),
        "page": since(m["first"]),
        "longtasks": len(m["longtasks"]),
        "longest": round(max((d for _, d in m["longtasks"]), default=0)),
    }


def main() -> int:
    from playwright.sync_api import sync_playwright

    rows = []
    with running_server({"GILSCOPE_DATA": tempfile.mkdtemp()}) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        ctx = browser.new_context(viewport={"width": 1400, "height": 900})
        ctx.add_init_script(LONGTASKS)
        page = ctx.new_page()
        for i in range(RUNS):
            row = one_run(page, base)
            rows.append(row)
            print(
                f"run {i + 1}: server started it at {row['started']} ms, its first tick reached the page at "
                f"{row['tick']} ms; page drew timeline data at {row['page']} ms; {row['longtasks']} long tasks "
                f"(longest {row['longest']} ms)"
            )
        browser.close()

    def med(key: str) -> str:
        values = [r[key] for r in rows if r.get(key) is not None]
        return f"{statistics.median(values):.0f}" if values else "-"

    print(
        f"median of {RUNS} from pressing Run: server: run started {med('started')} ms, first tick at the page "
        f"{med('tick')} ms | page: first timeline data drawn {med('page')} ms | long tasks per run "
        f"{med('longtasks')} (longest {med('longest')} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
