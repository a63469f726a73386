"""How sure a figure is, on the page: the threads-vs-one-thread ratio with its whiskers (min-max of the interleaved
pairs), and the warning when other processes kept the machine busy while a run ran."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The ratio bar of the after-run comparison: the bar trace drawn on the second x axis.
RATIO_BAR = """() => {
  for (const p of document.querySelectorAll('.after .compare-fig .js-plotly-plot'))
    for (const t of p.data || []) if (t.type === 'bar' && t.xaxis === 'x2') return t;
  return null;
}"""
WALL_BARS = """() => {
  for (const p of document.querySelectorAll('.after .compare-fig .js-plotly-plot'))
    for (const t of p.data || []) if (t.type === 'bar' && !t.xaxis) return t.y;
  return null;
}"""


def start_run(page, server: str, cpu: int, sleep: int, duration: float, baseline: bool) -> str:
    """Sets the builder and presses Run; the run's id."""
    page.wait_for_selector("#n-cpu")
    page.fill("#n-cpu", str(cpu))
    page.fill("#n-sleep", str(sleep))
    page.fill("#duration", str(duration))
    page.locator("#baseline").set_checked(baseline)
    with page.expect_response(lambda r: r.url.startswith(server + "/api/runs?") and r.request.method == "POST") as r:
        page.locator("#run").click()
    return r.value.json()["id"]


def summary(server: str, rid: str) -> dict:
    return httpx.get(f"{server}/api/runs/{rid}", timeout=10).json()["summary"]


def test_baseline_ratio_has_whiskers(page, server):
    page.goto(server + "/?lang=en", wait_until="networkidle")
    rid = start_run(page, server, cpu=2, sleep=0, duration=1, baseline=True)
    page.wait_for_selector(".status.done", timeout=60_000)
    page.wait_for_function(f"() => ({RATIO_BAR})() !== null", timeout=10_000)
    b = summary(server, rid)["baseline"]
    assert b["pairs"] >= 2 and b["ratio_min"] is not None, b
    bar = page.evaluate(RATIO_BAR)
    value = bar["y"][0]
    assert value == pytest.approx(b["threaded_over_sequential"])
    e = bar["error_y"]
    assert e["visible"] and e["symmetric"] is False
    assert value + e["array"][0] == pytest.approx(b["ratio_max"], abs=1e-9)
    assert value - e["arrayminus"][0] == pytest.approx(b["ratio_min"], abs=1e-9)
    # both rounds' wall times, as measured: threaded against sequential, not against the run's own wall time
    assert page.evaluate(WALL_BARS) == pytest.approx([b["threaded_wall_s"], b["sequential_wall_s"]])
    caption = page.locator(".compare-fig figcaption").inner_text()
    assert f"median of {b['pairs']} interleaved pairs" in caption, caption
    assert not page.console_errors and not page.outside
    shot(page, "spread-whiskers")


def test_a_busy_machine_is_said(page, server):
    """A process spinning on a core beside the run: the run view says how much of the machine others took."""
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        page.goto(server + "/?lang=en", wait_until="networkidle")
        rid = start_run(page, server, cpu=1, sleep=1, duration=1.5, baseline=False)
        page.wait_for_selector(".status.done", timeout=60_000)
    finally:
        spinner.kill()
        spinner.wait()
    machine = summary(server, rid)["machine"]
    assert machine["ok"] and machine["disturbed"], machine  # the spinner alone took about a core
    warning = page.locator(".machine-notes .machine-warning")
    assert warning.count() == 1 and warning.is_visible()
    text = warning.inner_text()
    assert f"of the machine's {machine['cpus']} cores" in text and "may be disturbed" in text, text
    # next to the figures: right after the cards, before the timeline
    assert page.evaluate(
        "() => document.querySelector('.run-view .figures').nextElementSibling.classList.contains('machine-notes')"
    )
    assert not page.console_errors
    shot(page, "spread-busy-machine")


def test_ukrainian_busy_warning(page, server):
    """The same warning in Ukrainian, with the count agreeing with its number."""
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        page.goto(server + "/?lang=uk", wait_until="networkidle")
        start_run(page, server, cpu=1, sleep=0, duration=1, baseline=False)
        page.wait_for_selector(".status.done", timeout=60_000)
    finally:
        spinner.kill()
        spinner.wait()
    text = page.locator(".machine-notes .machine-warning").inner_text()
    assert "Інші процеси використовували" in text and "ядер машини" in text, text
    assert not page.console_errors
