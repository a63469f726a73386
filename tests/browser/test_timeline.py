"""The timeline in a real chromium: it opens on a readable window (10 to 80 switch intervals) under an overview
of the whole run, moves with the span buttons, W A S D and the overview, tells a segment's facts on hover, and
after a run the address is the run's permalink (which works on reload). Presentation mode, remembered."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import shot

pytestmark = pytest.mark.browser

SPANS = """() => {
  const t = document.querySelector('[data-gilscope="timeline"]'), o = document.querySelector('[data-gilscope="overview"]');
  const span = el => { const r = el.layout.xaxis.range.map(Number); return r[1] - r[0]; };
  return {view: span(t), range: t.layout.xaxis.range.map(Number), overview: span(o)};
}"""


def run_at(page, server: str, interval_ms: float, duration_s: float = 1.5, lang: str = "en") -> None:
    """A run of two CPU threads and a sleeper from the builder, the slider moved to interval_ms by keyboard."""
    page.goto(f"{server}/?lang={lang}", wait_until="networkidle")
    page.wait_for_selector("#n-cpu")
    page.fill("#n-cpu", "2")
    page.fill("#n-sleep", "1")
    page.fill("#duration", str(duration_s))
    page.focus("#interval")
    page.keyboard.press("Home")
    for _ in range(40):
        if float(page.inner_text("#interval-out").split()[0].replace(",", ".")) == interval_ms:
            break
        page.keyboard.press("ArrowRight")
    page.click("#run")
    page.wait_for_selector(".status.done", timeout=60000)
    page.wait_for_selector(".run-bar .permalink")
    page.wait_for_timeout(800)  # the last draws (a frame each)


def spans(page) -> dict:
    return page.evaluate(SPANS)


@pytest.mark.parametrize("interval_ms", [5, 0.1])
def test_a_done_run_opens_on_a_readable_window_and_its_permalink(page, server, interval_ms):
    run_at(page, server, interval_ms)
    s = spans(page)
    assert 10 * interval_ms <= s["view"] <= 80 * interval_ms, s
    assert s["overview"] >= 0.9 * 1500, s  # the whole run
    assert re.fullmatch(r"/runs/[0-9a-f]+", page.evaluate("location.pathname")), page.url
    ticks = page.evaluate("() => document.querySelector('[data-gilscope=\"timeline\"]').layout.xaxis.ticktext")
    assert not any(re.fullmatch(r"[12]\d{3}", t) for t in ticks), ticks  # no year-like ticks
    bar = page.locator(".run-bar")
    assert {"summary.json", "segments.csv", "trace.json"} <= set(bar.locator(".exports a").all_inner_texts())
    assert bar.locator("select.again-interval").count() == 1
    permalink = page.url
    page.reload(wait_until="networkidle")  # the permalink page, replayed
    assert page.url == permalink
    page.wait_for_selector(".status.done", timeout=30000)
    page.wait_for_timeout(800)
    s = spans(page)
    assert 10 * interval_ms <= s["view"] <= 80 * interval_ms, s
    assert not page.console_errors, page.console_errors


def test_spans_keys_overview_and_tooltip(page, server):
    run_at(page, server, 5)
    page.click("[data-span=span_one]")
    page.wait_for_timeout(400)
    assert abs(spans(page)["view"] - 5) < 1e-6
    page.click("[data-span=span_ten]")
    page.wait_for_timeout(400)
    ten = spans(page)
    assert abs(ten["view"] - 50) < 1e-6, ten
    page.locator("[data-gilscope=timeline]").focus()
    page.keyboard.press("w")
    page.wait_for_timeout(400)
    assert spans(page)["view"] < 50
    page.keyboard.press("s")
    page.keyboard.press("s")
    page.wait_for_timeout(400)
    wider = spans(page)
    assert wider["view"] > 50, wider
    page.keyboard.press("d")
    page.wait_for_timeout(400)
    assert spans(page)["range"][0] > wider["range"][0]
    page.focus("#duration")  # a text field: the keys are its
    page.keyboard.press("w")
    page.wait_for_timeout(400)
    assert abs(spans(page)["view"] - wider["view"]) < 1e-6
    # a press on the overview puts the window there
    box = page.locator(".overview-box").bounding_box()
    ax = page.evaluate(
        "() => { const a = document.querySelector('[data-gilscope=\"overview\"]')._fullLayout.xaxis;"
        " return {off: a._offset, len: a._length, r: a.range.map(Number)}; }"
    )
    page.mouse.click(box["x"] + ax["off"] + 0.25 * ax["len"], box["y"] + box["height"] / 2)
    page.wait_for_timeout(400)
    r = spans(page)["range"]
    mid, quarter = (r[0] + r[1]) / 2, ax["r"][0] + 0.25 * (ax["r"][1] - ax["r"][0])
    assert abs(mid - quarter) < 0.02 * (ax["r"][1] - ax["r"][0]), (r, quarter)
    page.click("[data-span=span_all]")
    page.wait_for_timeout(400)
    assert spans(page)["view"] >= 0.9 * 1500
    # the tooltip: thread, state, start, duration and the hand-offs around the segment under the pointer
    page.click("[data-span=span_ten]")
    page.wait_for_timeout(400)
    page.locator("[data-gilscope=timeline]").scroll_into_view_if_needed()
    tl = page.locator("[data-gilscope=timeline]").bounding_box()
    geo = page.evaluate(
        "() => { const f = document.querySelector('[data-gilscope=\"timeline\"]')._fullLayout;"
        " return {x: f.xaxis._offset, w: f.xaxis._length, y: f.yaxis._offset, h: f.yaxis._length,"
        " r: f.yaxis.range.map(Number)}; }"
    )
    row_y = geo["y"] + (1 - geo["r"][1]) / (geo["r"][0] - geo["r"][1]) * geo["h"]  # lane 1 (cpu-1); reversed axis
    page.mouse.move(tl["x"] + geo["x"] + geo["w"] / 2, tl["y"] + row_y, steps=3)
    page.wait_for_selector(".timeline-tip:not([hidden])")
    fields = page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('.timeline-tip [data-field]')]"
        ".map(e => [e.dataset.field, e.textContent]))"
    )
    assert fields["thread"] == "cpu-1", fields
    assert set(fields) == {"thread", "state", "start", "duration", "before", "after"}, fields
    assert "ms" in fields["start"] and "ms" in fields["duration"], fields
    shot(page, "timeline-tooltip")
    assert not page.console_errors, page.console_errors


def test_presentation_mode_is_remembered(page, server):
    page.goto(server + "/?lang=en&present=1", wait_until="networkidle")
    page.wait_for_selector(".present-toggle")
    assert page.evaluate("document.documentElement.classList.contains('present')")
    assert page.locator(".builder-line").is_visible()
    assert page.locator("#builder").is_hidden()  # folded into the line
    page.wait_for_selector("#n-cpu", state="attached")
    page.wait_for_function("() => /cpu×2/.test(document.querySelector('.builder-line').textContent)")
    page.goto(server + "/?lang=en", wait_until="networkidle")  # remembered
    assert page.evaluate("document.documentElement.classList.contains('present')")
    page.click(".builder-change")
    assert page.locator("#builder").is_visible()
    page.click(".present-toggle")
    assert page.get_attribute(".present-toggle", "aria-pressed") == "false"
    assert not page.evaluate("document.documentElement.classList.contains('present')")
    page.goto(server + "/?lang=en", wait_until="networkidle")
    assert not page.evaluate("document.documentElement.classList.contains('present')")
    assert not page.console_errors, page.console_errors
