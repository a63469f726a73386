"""The page keeps answering while the heaviest kind of run streams to it: 16 CPU threads at the smallest switch
interval. A trivial page.evaluate every 200 ms measures how long the page's main thread makes it wait.

The test asks only that the page is never frozen (every ask answered within seconds), which holds on a slow, shared
machine when the page is right; how quickly it answers (p50/p90/max against the targets p90 <= 250 ms and
max <= 1 s) is measured on demand: python -m bench.page_responsive."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HEAVY = {"mix": [{"kind": "cpu", "threads": 16}], "switch_interval_s": 0.00005, "duration_s": 4}
# Every ask answered within this: a frozen page never answers, a slow machine does (at load 14 on 2 cores the
# bench once saw /now answer in 4 s; on a quiet machine it answers within 1 s).
NOT_FROZEN_S = 10.0
POINTS = (
    "() => [...document.querySelectorAll('.js-plotly-plot')]"
    ".map(e => (e.data||[]).reduce((n, t) => n + (t.x||[]).length, 0)).reduce((a, b) => a + b, 0)"
)
# Follows a run in a view of the page's own modules (the lessons page has no builder to start a custom run).
FOLLOW = """async (rid) => {
  const {RunView} = await import('/static/runview.js');
  const host = document.createElement('div');
  document.querySelector('main').prepend(host);
  new RunView(host).follow(rid, null);
}"""


def round_trips(page, server: str, rid: str) -> list[float]:
    """Asks the page for "1" every 200 ms until the run is over, then once more after the page drew its end."""
    rtt: list[float] = []
    status, end = "", time.monotonic() + 60
    while time.monotonic() < end:
        t = time.monotonic()
        page.evaluate("1")
        rtt.append(time.monotonic() - t)
        status = httpx.get(f"{server}/api/runs/{rid}", timeout=10).json()["status"]
        if status in ("done", "failed", "cancelled"):
            break
        page.wait_for_timeout(200)
    assert status == "done", status
    page.wait_for_timeout(2000)
    t = time.monotonic()
    page.evaluate("1")
    rtt.append(time.monotonic() - t)
    return rtt


def check(page, rtt: list[float], name: str) -> None:
    ordered = sorted(rtt)
    p90, worst = ordered[int(0.9 * (len(ordered) - 1))], ordered[-1]
    shot(page, name)
    print(f"{name}: p90={p90 * 1000:.0f} ms max={worst * 1000:.0f} ms over {len(rtt)} asks")
    assert worst <= NOT_FROZEN_S, (p90, worst, [round(x * 1000) for x in rtt])
    assert page.evaluate(POINTS) > 0
    assert not page.console_errors


def test_now_page_answers_during_a_heavy_run(page, server):
    page.goto(server + "/now?lang=en", wait_until="networkidle")
    rid = httpx.post(server + "/api/runs", json=HEAVY, timeout=10).json()["id"]
    rtt = round_trips(page, server, rid)
    page.wait_for_selector(".status.done", timeout=30_000)
    check(page, rtt, "responsive-now")


def test_lab_page_answers_during_a_heavy_run(page, server):
    page.goto(server + "/?lang=uk", wait_until="networkidle")
    page.wait_for_selector("#n-cpu")
    page.fill("#n-cpu", "16")
    page.fill("#n-sleep", "0")
    page.fill("#duration", str(HEAVY["duration_s"]))
    slider = page.locator("#interval")
    slider.focus()
    slider.press("Home")  # the smallest interval the server allows
    assert page.locator("#interval-out").inner_text().startswith("0,05")
    with page.expect_response(lambda r: r.url.startswith(server + "/api/runs?") and r.request.method == "POST") as r:
        page.locator("#run").click()
    rid = r.value.json()["id"]
    rtt = round_trips(page, server, rid)
    page.wait_for_selector(".status.done", timeout=30_000)
    check(page, rtt, "responsive-lab")


def test_lessons_page_answers_during_a_heavy_run(page, server):
    page.goto(server + "/lessons?lang=en", wait_until="networkidle")
    page.wait_for_selector("#C10")
    rid = httpx.post(server + "/api/runs", json=HEAVY, timeout=10).json()["id"]
    page.evaluate(FOLLOW, rid)
    rtt = round_trips(page, server, rid)
    page.wait_for_selector(".status.done", timeout=30_000)
    check(page, rtt, "responsive-lessons")
