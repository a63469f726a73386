"""First pixels: how soon after pressing Run the timeline shows data, in a real chromium on an idle queue.

Presses Run (the builder's defaults) five times, each on an idle queue (the previous run over, its spare runner
started), and prints side by side, from the press (the page's performance mark gilscope:run):
  server  when a streamed event reached an SSE client of the run (opened as soon as the POST answers): the
          observer's hello, its first tick, and its first tick holding timeline data;
  page    when the page first drew timeline data (its performance mark gilscope:first-timeline).
Both clocks are this machine's wall clock (the page's performance.timeOrigin + mark time), medians of five.
Also counts the page's long tasks (PerformanceObserver 'longtask', over 50 ms) from the press to the end.
Run: python -m bench.first_pixels   (needs /usr/bin/chromium)
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import threading
import time
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
  const run = at('gilscope:run'), first = at('gilscope:first-timeline');
  return {origin: performance.timeOrigin, run, first,
          longtasks: window.__longtasks.filter(([t]) => run !== null && t >= run)};
}"""


class Stream(threading.Thread):
    """An SSE client of one run: when (wall clock, s) each kind of event first reached it."""

    def __init__(self, base: str, rid: str) -> None:
        super().__init__(daemon=True)
        self.url, self.seen = f"{base}/api/runs/{rid}/events", {}
        self.opened = time.time()

    def run(self) -> None:
        with httpx.stream("GET", self.url, timeout=60) as r:
            for line in r.iter_lines():
                if not line.startswith("data:"):
                    continue
                now, ev = time.time(), json.loads(line[5:])
                kind = ev.get("type", "")
                self.seen.setdefault(kind, now)
                if kind == "tick" and (ev.get("segments") or ev.get("holder")):
                    self.seen.setdefault("data", now)
                if kind in ("summary", "failed", "cancelled"):
                    return


def one_run(page: Any, base: str) -> dict[str, Any]:
    page.goto(base + "/?lang=en", wait_until="networkidle")
    page.wait_for_selector("#n-cpu")
    page.wait_for_timeout(1500)  # the page settled, the server's spare runner ready
    with page.expect_response(lambda r: "/api/runs?" in r.url and r.request.method == "POST") as resp:
        page.click("#run")
    stream = Stream(base, resp.value.json()["id"])
    stream.start()
    page.wait_for_selector(".status.done", timeout=60_000)
    stream.join(timeout=30)
    page.wait_for_timeout(500)
    m = page.evaluate(MARKS)
    pressed = (m["origin"] + m["run"]) / 1000
    since = {k: round((t - pressed) * 1000) for k, t in stream.seen.items()}
    since["opened"] = round((stream.opened - pressed) * 1000)
    since["page"] = round(m["first"] - m["run"]) if m["first"] is not None else None
    since["longtasks"] = len(m["longtasks"])
    since["longest"] = round(max((d for _, d in m["longtasks"]), default=0))
    return since


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
                f"run {i + 1}: sse opened {row['opened']} ms, hello {row.get('hello')} ms, first tick "
                f"{row.get('tick')} ms, first data tick {row.get('data')} ms; page drew data at {row['page']} ms; "
                f"{row['longtasks']} long tasks (longest {row['longest']} ms)"
            )
        browser.close()

    def med(key: str) -> str:
        values = [r[key] for r in rows if r.get(key) is not None]
        return f"{statistics.median(values):.0f}" if values else "-"

    print(
        f"median of {RUNS} from pressing Run: at the server (SSE client) first data tick {med('data')} ms "
        f"(hello {med('hello')} ms, first tick {med('tick')} ms) | in the page first timeline data drawn "
        f"{med('page')} ms | long tasks per run {med('longtasks')} (longest {med('longest')} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
