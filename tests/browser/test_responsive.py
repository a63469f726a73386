"""The page keeps answering while the heaviest kind of run streams to it: 16 CPU threads at the smallest switch
interval. A trivial page.evaluate every 200 ms measures how long the page's main thread makes it wait.

The test asks only that the page is never frozen (every ask answered within seconds), which holds on a slow, shared
machine when the page is right; how quickly it answers (p50/p90/max against the targets p90 <= 250 ms and
max <= 1 s) is measured on demand: python -m bench.page_responsive."""

from __future__ import annotations

import pytest

from tests.browser.conftest import shot
from tests.browser.heavy_run import round_trips, start_from_the_builder, start_on_lessons, start_on_now

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Every ask answered within this: a frozen page never answers, a slow machine does (at load 14 on 2 cores the
# bench once saw /now answer in 4 s; on a quiet machine it answers within 1 s).
NOT_FROZEN_S = 10.0
POINTS = (
    "() => [...document.querySelectorAll('.js-plotly-plot')]"
    ".map(e => (e.data||[]).reduce((n, t) => n + (t.x||[]).length, 0)).reduce((a, b) => a + b, 0)"
)
GIVE_UP_S = 60.0  # the run must be over by then


def check(page, rtt: list[float], name: str) -> None:
    ordered = sorted(rtt)
    p90, worst = ordered[int(0.9 * (len(ordered) - 1))], ordered[-1]
    shot(page, name)
    print(f"{name}: p90={p90 * 1000:.0f} ms max={worst * 1000:.0f} ms over {len(rtt)} asks")
    assert worst <= NOT_FROZEN_S, (p90, worst, [round(x * 1000) for x in rtt])
    assert page.evaluate(POINTS) > 0
    assert not page.console_errors


def test_now_page_answers_during_a_heavy_run(page, server):
    rid = start_on_now(page, server)
    rtt = round_trips(page, server, rid, GIVE_UP_S)
    page.locator(f'#now-what a[href="/runs/{rid}"]').wait_for(timeout=30_000)  # /now shows the heavy run, and
    page.wait_for_selector(".status.done", timeout=30_000)  # has drawn its end
    check(page, rtt, "responsive-now")


def test_lab_page_answers_during_a_heavy_run(page, server):
    rtt = round_trips(page, server, start_from_the_builder(page, server, "uk"), GIVE_UP_S)
    page.wait_for_selector(".status.done", timeout=30_000)
    check(page, rtt, "responsive-lab")


def test_lessons_page_answers_during_a_heavy_run(page, server):
    rtt = round_trips(page, server, start_on_lessons(page, server), GIVE_UP_S)
    page.wait_for_selector(".status.done", timeout=30_000)
    check(page, rtt, "responsive-lessons")
