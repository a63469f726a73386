"""A large run in a real chromium: 8 pure-Python threads at 0.5 ms for 10 s, followed live on the page.

Prints the segments drawn, the longest and median time the page spent drawing one batch while it streamed,
and the time to draw the whole finished timeline again from scratch (target: about a second).
Run: python -m bench.draw_large   (needs /usr/bin/chromium)
"""

from __future__ import annotations

import statistics
import sys
import tempfile

from tests.browser.conftest import ARGS, CHROMIUM
from tests.server import running_server

TIMED = """() => {
  const proto = RunView.prototype, flush = proto.flush;
  window.flushes = [];
  proto.flush = function () {
    const t = performance.now(); flush.call(this); window.flushes.push(performance.now() - t);
  };
}"""
REDRAW = """() => {
  const e = document.querySelector('.timeline');
  const data = e.data.map(t => Object.assign({}, t, {x: t.x.slice(), y: t.y.slice()}));
  const t = performance.now();
  Plotly.newPlot(e, data, e.layout);
  return [performance.now() - t, data.reduce((n, t) => n + t.x.length / 3, 0)];
}"""


def main() -> int:
    from playwright.sync_api import sync_playwright

    with running_server({"GILSCOPE_DATA": tempfile.mkdtemp()}) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(base + "/?lang=en", wait_until="networkidle")
        page.evaluate(TIMED)
        page.wait_for_selector("#n-cpu")
        page.fill("#n-cpu", "8")
        page.fill("#n-sleep", "0")
        page.fill("#duration", "10")
        page.evaluate("() => { const s = document.getElementById('interval'); s.value = 6;"
                      " s.dispatchEvent(new Event('input')); }")  # 0.5 ms
        assert page.locator("#interval-out").inner_text() == "0.5 ms"
        page.click("#run")
        page.wait_for_selector(".status.done", timeout=120_000)
        flushes = page.evaluate("() => window.flushes")
        redraw_ms, segments = page.evaluate(REDRAW)
        browser.close()
    print(f"live: {len(flushes)} draws while streaming, median {statistics.median(flushes):.0f} ms, "
          f"longest {max(flushes):.0f} ms")
    print(f"finished timeline: {segments:.0f} segments redrawn from scratch in {redraw_ms / 1000:.2f} s "
          f"(target about 1 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
