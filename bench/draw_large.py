"""A large run in a real chromium: 8 pure-Python threads at 0.5 ms for 10 s, followed live on the page.

Prints the segments kept and drawn, the longest and median time one timeline draw took while the run streamed
(each draw is one uninterrupted task of the page's main thread), how long the page made a trivial question wait
(asked every 200 ms), and the time to draw the whole finished run again at full zoom and zoomed in to 50 ms.
Run: python -m bench.draw_large   (needs /usr/bin/chromium)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time

from tests.browser.conftest import ARGS, CHROMIUM
from tests.server import running_server

# Wraps RunView.draw (the module's class is shared by every view on the page) to keep a handle on the view.
HOOK = """async () => {
  const {RunView} = await import('/static/runview.js');
  const draw = RunView.prototype.draw;
  RunView.prototype.draw = function () { window.benchView = this; return draw.call(this); };
}"""
REDRAW = """() => {
  const v = window.benchView, out = [];
  for (const win of [null, [5000, 5050]]) {
    v.window = win;
    const t = performance.now();
    v.draw();
    out.push([performance.now() - t, v.drawLog[v.drawLog.length - 1].drawn]);
  }
  return out;
}"""


def main() -> int:
    from playwright.sync_api import sync_playwright

    with running_server({"GILSCOPE_DATA": tempfile.mkdtemp()}) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(base + "/?lang=en", wait_until="networkidle")
        page.evaluate(HOOK)
        page.wait_for_selector("#n-cpu")
        page.fill("#n-cpu", "8")
        page.fill("#n-sleep", "0")
        page.fill("#duration", "10")
        steps = page.evaluate(
            "() => JSON.parse(document.getElementById('gilscope-config').textContent).interval_steps_ms"
        )
        page.evaluate(
            "(i) => { const s = document.getElementById('interval'); s.value = i;"
            " s.dispatchEvent(new Event('input')); }",
            steps.index(0.5),
        )
        assert page.locator("#interval-out").inner_text() == "0.5 ms"
        page.click("#run")
        asks = []
        while not page.locator(".status.done").count():
            t = time.monotonic()
            page.evaluate("1")
            asks.append(time.monotonic() - t)
            page.wait_for_timeout(200)
            if len(asks) > 600:
                raise SystemExit("the run did not end in two minutes")
        page.wait_for_timeout(1000)
        log = page.evaluate("() => window.benchView.drawLog")
        (full_ms, full_drawn), (zoom_ms, zoom_drawn) = page.evaluate(REDRAW)
        browser.close()
    live = [d["decimateMs"] + d["plotMs"] for d in log]
    asks.sort()
    print(
        f"kept {log[-1]['kept']} segments; {len(live)} live draws, median {statistics.median(live):.0f} ms, "
        f"longest {max(live):.0f} ms"
    )
    print(
        f"page answered a trivial question in p90 {asks[int(0.9 * (len(asks) - 1))] * 1000:.0f} ms, "
        f"at worst {asks[-1] * 1000:.0f} ms ({len(asks)} asks)"
    )
    print(
        f"finished run redrawn: whole run {full_ms:.0f} ms ({full_drawn} segments drawn), "
        f"zoomed to 50 ms {zoom_ms:.0f} ms ({zoom_drawn} segments drawn)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
