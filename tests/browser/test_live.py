"""A program watched live: `gilscope attach PID --live URL` against a real server, its page in a real chromium.
The lanes move (the timeline's x range follows the tail), the counters since the start grow, and once the look
ends the run is stored like a saved trace."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "crunch_nap.py"
SHOTS = Path("/tmp/gilscope-shots")


@pytest.fixture
def watched():
    """crunch_nap.py running on its own, as a program nobody started under gilscope."""
    proc = subprocess.Popen(
        [sys.executable, str(SCRIPT), "90"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    yield proc
    proc.kill()
    proc.wait()


def _live_url(attach: subprocess.Popen) -> str:
    assert attach.stderr is not None
    seen = []
    for _ in range(200):
        line = attach.stderr.readline()
        if not line:
            break
        seen.append(line)
        m = re.search(r"live at (\S+/runs/\w+)", line)
        if m:
            return m.group(1)
    pytest.fail("attach --live named no page: " + "".join(seen)[-500:])


def _x_range(page) -> list[float]:
    return page.evaluate("() => document.querySelector('.timeline').layout.xaxis.range.map(Number)")


# the hand-offs card (the second) holds a count above zero: the figure _handoffs() reads
HANDOFFS_SHOWN = (
    "() => /[1-9]/.test((document.querySelectorAll('.live-figures .card strong')[1] || {}).textContent || '')"
)


def _handoffs(page) -> int:
    text = page.locator(".live-figures .card strong").nth(1).inner_text()
    return int(re.sub(r"\D", "", text) or 0)


def test_attach_live_draws_the_program_as_it_runs(page, server, watched):
    SHOTS.mkdir(parents=True, exist_ok=True)
    attach = subprocess.Popen(
        [sys.executable, "-m", "gilscope.cli", "attach", str(watched.pid), "--live", server, "--duration", "60"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "GILSCOPE_DATA": os.environ.get("GILSCOPE_DATA", "/tmp/gilscope-live-test-data")},
    )
    try:
        url = _live_url(attach)
        run_id = url.rsplit("/", 1)[1]
        page.goto(url + "?lang=en")
        page.wait_for_function(HANDOFFS_SHOWN)
        page.wait_for_function("() => document.querySelector('.timeline').layout.xaxis.range[1] > 0")
        x1, n1 = _x_range(page), _handoffs(page)
        time.sleep(2.5)
        x2, n2 = _x_range(page), _handoffs(page)
        assert x2[1] > x1[1], f"the timeline's x range did not follow the tail: {x1} then {x2}"
        assert n2 > n1 > 0, f"hand-offs since the start did not grow: {n1} then {n2}"
        lanes = page.evaluate("() => document.querySelector('.timeline').layout.yaxis.ticktext")
        assert sum("crunch" in t for t in lanes) == 2 and any("nap" in t for t in lanes), lanes
        assert "crunch" in page.locator(".live-panel").inner_text()  # the top holders, by function
        assert "Watching live" in page.locator(".run-view .status").inner_text()
        page.screenshot(path=str(SHOTS / "live-en.png"), full_page=True)
        page.goto(server + "/now?lang=en")  # the class's page follows the look too
        page.wait_for_function("() => /Watching live/.test(document.querySelector('.run-view .status').textContent)")
        page.wait_for_selector(".live-panel")
        page.goto(url + "?lang=uk")
        page.wait_for_function("() => (document.querySelector('.live-figures .card strong') || {}).textContent > '0'")
        page.wait_for_function("() => document.querySelector('.timeline').layout.xaxis.range[1] > 1000")
        time.sleep(1.5)
        assert "Спостереження наживо" in page.locator(".run-view .status").inner_text()
        page.screenshot(path=str(SHOTS / "live-uk.png"), full_page=True)
        attach.send_signal(signal.SIGINT)  # Ctrl-C: the look ends with what it saw, and the server stores it
        assert attach.wait(timeout=60) == 0
        assert not page.console_errors, page.console_errors
        assert not page.outside, page.outside
    finally:
        if attach.poll() is None:
            attach.kill()
            attach.wait()
    run = httpx.get(f"{server}/api/runs/{run_id}", timeout=10).json()
    assert run["status"] == "done" and run["summary"]["handoffs"] > 0
    assert run["spec"]["live"] is True and run["spec"]["program"][-2:] == [str(SCRIPT), "90"]
    page.goto(url + "?lang=en")  # the permalink replays what the server kept
    page.wait_for_function("() => /Done/.test(document.querySelector('.run-view .status').textContent)")
