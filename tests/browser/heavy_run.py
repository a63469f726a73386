"""The heaviest kind of run streamed to a page, and how long the page makes a trivial ask wait meanwhile.

Shared by tests/browser/test_responsive.py (the page is never frozen) and bench/page_responsive.py (how quickly
it answers, on a quiet machine): both start the same run the same ways and ask the same way.
"""

from __future__ import annotations

import time

import httpx

HEAVY = {"mix": [{"kind": "cpu", "threads": 16}], "switch_interval_s": 0.00005, "duration_s": 4}
SMALLEST_SHOWN = {"en": "0.05", "uk": "0,05"}  # the builder's smallest interval (ms), as each language writes it
# Follows a run in a view of the page's own modules (the lessons page has no builder to start a custom run).
FOLLOW = """async (rid) => {
  const {RunView} = await import('/static/runview.js');
  const host = document.createElement('div');
  document.querySelector('main').prepend(host);
  new RunView(host).follow(rid, null);
}"""


class NotAsExpected(AssertionError):
    """The server or the run is not what the measurement needs (its limits differ, the run did not end done)."""


def start_from_the_builder(page, base: str, lang: str = "en") -> str:
    """Fills the lab's builder with HEAVY at the smallest interval the server allows and starts it: the run's id."""
    page.goto(f"{base}/?lang={lang}", wait_until="networkidle")
    page.wait_for_selector("#n-cpu")
    page.fill("#n-cpu", "16")
    page.fill("#n-sleep", "0")
    page.fill("#duration", str(HEAVY["duration_s"]))
    slider = page.locator("#interval")
    slider.focus()
    slider.press("Home")  # the smallest interval the server allows
    shown = page.locator("#interval-out").inner_text()
    if not shown.startswith(SMALLEST_SHOWN[lang]):
        raise NotAsExpected(f"the builder's smallest interval is {shown}, not 0.05 ms: the server's limits differ")
    with page.expect_response(lambda r: r.url.startswith(base + "/api/runs?") and r.request.method == "POST") as r:
        page.locator("#run").click()
    return str(r.value.json()["id"])


def quiet(base: str, give_up_s: float = 120.0) -> None:
    """Waits until the server has run nothing and queued nothing for a second (a run an earlier test left, or a
    lesson's next run, would be newer than HEAVY and rightly take /now over from it)."""
    idle_since, end = None, time.monotonic() + give_up_s
    while time.monotonic() < end:
        now = httpx.get(base + "/api/now", timeout=10).json()
        if now["running"] or now["queued"]:
            idle_since = None
        elif idle_since is None:
            idle_since = time.monotonic()
        elif time.monotonic() - idle_since >= 1.0:
            return
        time.sleep(0.2)
    raise NotAsExpected(f"the server was still busy after {give_up_s:g} s: {now}")


def start_on_now(page, base: str) -> str:
    """/now open on a quiet server, then HEAVY submitted through the API: /now follows it."""
    quiet(base)
    page.goto(base + "/now?lang=en", wait_until="networkidle")
    return str(httpx.post(base + "/api/runs", json=HEAVY, timeout=10).json()["id"])


def start_on_lessons(page, base: str) -> str:
    """The lessons page open, HEAVY submitted through the API and followed in a run view of the page's modules."""
    page.goto(base + "/lessons?lang=en", wait_until="networkidle")
    page.wait_for_selector("#C10")
    rid = str(httpx.post(base + "/api/runs", json=HEAVY, timeout=10).json()["id"])
    page.evaluate(FOLLOW, rid)
    return rid


def round_trips(page, base: str, rid: str, give_up_s: float) -> list[float]:
    """Asks the page for "1" every 200 ms until the run is over, then once more after the page drew its end."""
    rtt: list[float] = []
    status, end = "", time.monotonic() + give_up_s
    while time.monotonic() < end:
        t = time.monotonic()
        page.evaluate("1")
        rtt.append(time.monotonic() - t)
        status = httpx.get(f"{base}/api/runs/{rid}", timeout=10).json()["status"]
        if status in ("done", "failed", "cancelled"):
            break
        page.wait_for_timeout(200)
    if status != "done":
        raise NotAsExpected(f"the run ended {status or f'not at all in {give_up_s:g} s'}")
    page.wait_for_timeout(2000)
    t = time.monotonic()
    page.evaluate("1")
    rtt.append(time.monotonic() - t)
    return rtt
