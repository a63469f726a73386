"""Where the GIL was held, in a real chromium: a traced program (tests/scripts/hogs.py: a regex that keeps the GIL
for ~160 ms a call beside a pure-Python loop and a sleeper) saved into the server's history and opened at its
permalink draws an icicle whose regex line marks its samples on the timeline, a waited-behind grid, its long
holds boxed on the timeline and listed, and a hover over a long hold names the regex line; a live experiment
with a C call that keeps the GIL (re) draws the same views from its own stacks. Screenshots in en and uk."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import pytest

from tests.browser.conftest import SHOTS
from tests.server import running_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HOGS = Path(__file__).resolve().parents[1] / "scripts" / "hogs.py"
DRAWN = (
    "() => document.querySelectorAll('.holders .holders-ice g.slice').length > 2"
    " && !!document.querySelector('.holders .long-holds')"
)
# The timeline's traces by name (holdersview.js adds them after the run): their x values.
TRACE_X = (
    "(name) => { const t = (document.querySelector('.timeline').data || []).find(d => d.name && d.name.startsWith(name));"
    " return t ? t.x.filter(v => v !== null).length : -1 }"
)
# The page coordinates of (t ms, lane) on the timeline.
POINT = (
    "([t, lane]) => { const gd = document.querySelector('.timeline'), fl = gd._fullLayout;"
    " const r = gd.querySelector('.main-svg').getBoundingClientRect();"
    " return [r.left + fl._size.l + fl.xaxis.c2p(t), r.top + fl._size.t + fl.yaxis.c2p(lane)] }"
)

LANE = "(name) => document.querySelector('.timeline').layout.yaxis.ticktext.indexOf(name)"


@pytest.fixture(scope="module")
def stored():
    """A server whose history holds a trace of hogs.py, saved by `gilscope trace --save` before it started."""
    data = tempfile.mkdtemp(prefix="gilscope-holders-")
    env = {**os.environ, "GILSCOPE_DATA": data}
    proc = subprocess.run(
        [sys.executable, "-m", "gilscope.cli", "trace", "--save", "--json", "-", "--", sys.executable, str(HOGS), "3"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    with running_server({"GILSCOPE_DATA": data, "GILSCOPE_RUNS_PER_CLIENT_PER_MINUTE": "200"}) as base:
        runs = httpx.get(base + "/api/runs").json()["runs"]
        assert len(runs) == 1, runs
        rid = runs[0]["id"]
        yield base, rid, httpx.get(f"{base}/api/runs/{rid}").json()["summary"]


def shot(page, name: str, top: str) -> None:
    """What the viewport (1400 x 900) shows with the element `top` at its top."""
    page.evaluate(
        "(sel) => window.scrollTo(0, document.querySelector(sel).getBoundingClientRect().top + scrollY - 8)", top
    )
    page.wait_for_timeout(300)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def open_run(page, base: str, rid: str, lang: str) -> None:
    page.goto(f"{base}/runs/{rid}?lang={lang}")
    page.wait_for_function(DRAWN, timeout=30_000)
    page.wait_for_function("() => !!document.querySelector('.holders .holders-wait .main-svg')", timeout=10_000)
    page.wait_for_function(f"() => ({TRACE_X})('long hold') > 0 || ({TRACE_X})('довге') > 0", timeout=10_000)


def point_in_hold(page, hold: dict, lane: int) -> None:
    """Points inside a long hold until the readout names its function: the readout takes the nearest stack sample
    within one sample period, and a hold of a few sample periods may have none at its very middle."""
    for k in (3, 2, 4, 1, 5):
        x, y = page.evaluate(POINT, [hold["start_ms"] + hold["held_ms"] * k / 6, lane])
        page.mouse.move(x, y)
        try:
            page.wait_for_function(
                "() => document.querySelector('.stack-at').dataset.fn === 'backtrack'", timeout=2_000
            )
            return
        except Exception:
            continue
    raise AssertionError(f"no point of the long hold {hold} named backtrack")


def click_box(page, needle: str) -> None:
    boxes = page.locator(".holders .holders-ice g.slice")
    texts = [boxes.nth(i).text_content() or "" for i in range(boxes.count())]
    k = next(i for i, t in enumerate(texts) if needle in t)
    boxes.nth(k).click()


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_a_traced_program_shows_its_holder_waits_and_long_holds(page, stored, lang):
    base, rid, summary = stored
    assert summary["stacks"]["ok"], summary["stacks"]
    open_run(page, base, rid, lang)
    words = {
        "en": ("backtrack() at hogs.py:22, in a C call", "no stack sampled here", "Marked on the timeline"),
        "uk": ("backtrack() у hogs.py:22, у виклику C", "тут стек не знято", "Темним позначено"),
    }[lang]
    # the icicle: the regex line's box, clicked, marks its samples on the timeline
    ice = page.locator(".holders .holders-ice").text_content() or ""
    assert "backtrack · hogs.py:22" in ice and ("in a C call" in ice or "у виклику C" in ice)
    marked = page.evaluate(TRACE_X, "chosen frame" if lang == "en" else "вибраний кадр")
    assert marked == 0
    page.mouse.move(5, 5)
    shot(page, f"holders-icicle-{lang}", ".holders")
    click_box(page, "backtrack · hogs.py:22")
    page.wait_for_function("() => Number(document.querySelector('.holders .marked').dataset.samples) > 0")
    assert words[2] in page.locator(".holders .marked").inner_text()
    assert page.evaluate(TRACE_X, "chosen frame" if lang == "en" else "вибраний кадр") > 0
    page.mouse.move(5, 5)
    shot(page, f"holders-marked-{lang}", ".timeline")
    # waited behind: the sleeper waited behind the regex line
    waits = page.locator(".holders .holders-wait").text_content() or ""
    assert "backtrack() · hogs.py:22 [backtrack]" in waits and "dozer" in waits
    shot(page, f"holders-waits-{lang}", ".holders-waits")
    # long holds: listed at the regex line, boxed on the timeline, and a hover inside one names the line
    rows = page.locator(".long-holds-table tr")
    assert rows.count() >= 1 + 5 and words[0] in rows.nth(1).inner_text()
    longest = summary["long_holds"][0]
    lane = page.evaluate(LANE, longest["thread"])
    page.locator(".timeline").scroll_into_view_if_needed()
    # the timeline opens on a window of a few switch intervals: the whole run first, to point at the hold
    page.click("[data-span=span_all]")
    page.wait_for_function(
        "(end) => document.querySelector('.timeline').layout.xaxis.range[1] >= end",
        arg=longest["start_ms"] + longest["held_ms"],
    )
    point_in_hold(page, longest, lane)
    assert words[0] in page.locator(".stack-at").inner_text()
    # the sleeper's lane while the regex held the GIL: it held nothing, so nothing is named
    dozer = page.evaluate(LANE, "dozer")
    x, y = page.evaluate(POINT, [longest["start_ms"] + longest["held_ms"] / 2, dozer])
    page.mouse.move(x, y)
    page.wait_for_function(f"() => document.querySelector('.stack-at').textContent.includes({words[1]!r})")
    # the long hold itself, zoomed to from its row
    # (the window is the hold with as much again on either side, shifted to stay inside the run when the hold is
    # near its start or its end: the whole hold in view, at most three holds wide)
    rows.nth(1).locator("button").click()
    page.wait_for_function(
        "([a, d]) => { const [r0, r1] = document.querySelector('.timeline').layout.xaxis.range.map(Number);"
        " return r0 <= a + 1e-3 && r1 >= a + d - 1e-3 && r1 - r0 <= 3 * d + 0.01 && r1 - r0 >= 3 * d - 0.01 }",
        arg=[longest["start_ms"], longest["held_ms"]],
    )
    page.evaluate("() => window.scrollTo(0, 0)")
    shot(page, f"holders-longhold-{lang}", ".run-view h3")
    point_in_hold(page, longest, lane)
    page.screenshot(path=str(SHOTS / f"holders-longhold-{lang}.png"))
    reading = page.locator(".reading").inner_text()
    assert ("`backtrack()` at hogs.py:22, in a C call" if lang == "en" else "`backtrack()` у hogs.py:22") in reading
    assert "stacks.folded" in page.locator("#exports").inner_text()
    assert not page.console_errors and not page.outside


def test_a_live_experiment_with_a_c_call_names_its_workload(page, server):
    spec = {
        "mix": [{"kind": "cpu", "threads": 1}, {"kind": "regex", "threads": 1, "params": {"text_kib": 256}}],
        "duration_s": 1.0,
    }
    rid = httpx.post(server + "/api/runs", json=spec, timeout=30).json()["id"]
    page.goto(f"{server}/runs/{rid}")  # opened at once: the view follows the run live
    page.wait_for_function(DRAWN, timeout=60_000)
    page.wait_for_function(
        "() => { const t = (document.querySelector('.holders .holders-ice') || {}).textContent || '';"
        " return t.includes('regex.<locals>.unit · hold.py') && t.includes('in a C call') }",
        timeout=10_000,
    )
    page.wait_for_function("() => !!document.querySelector('.holders .holders-wait .main-svg')", timeout=10_000)
    assert "regex.<locals>.unit() · hold.py" in (page.locator(".holders .holders-wait").text_content() or "")
    # the whole run in the window (it opens on a few intervals at the tail), then hover along the holder lane until
    # a sample names the workload's function (a sample may also catch the worker's own loop between two units, in
    # its clock call: true, but not what this test looks for)
    page.locator(".timeline").scroll_into_view_if_needed()
    page.click("[data-span=span_all]")
    page.wait_for_function("() => document.querySelector('.timeline').layout.xaxis.range[1] >= 900")
    r0, r1 = page.evaluate("() => document.querySelector('.timeline').layout.xaxis.range.map(Number)")
    named = ""
    for k in range(1, 60):
        x, y = page.evaluate(POINT, [r0 + (r1 - r0) * k / 60, 0])
        page.mouse.move(x, y)
        page.wait_for_timeout(60)
        if page.locator(".stack-at").get_attribute("data-fn"):
            named = page.locator(".stack-at").inner_text()
            if "() at hold.py:" in named:
                break
    assert "held the GIL:" in named and "() at hold.py:" in named, named
    assert not page.console_errors and not page.outside
