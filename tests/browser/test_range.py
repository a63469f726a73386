"""The timeline window's own figures in a real chromium: after a run (the window narrower than the run), a zoom
with W, a span button and the overview, the panel's bounds are the axis's range, each thread's shares add up to at
most 100 %, the threads' held time fits in the window, and the hand-offs are counted; the whole run says so."""

from __future__ import annotations

import pytest

from tests.browser.conftest import shot
from tests.browser.test_timeline import run_at

pytestmark = pytest.mark.browser

PANEL = """() => {
  const box = document.querySelector('[data-gilscope="range"]');
  const t = document.querySelector('[data-gilscope="timeline"]');
  const rows = [...box.querySelectorAll('tr[data-thread]')].map(r => ({thread: r.dataset.thread,
    held: Number(r.dataset.heldMs), waiting: Number(r.dataset.waitingMs), other: Number(r.dataset.otherMs),
    text: r.innerText}));
  return {whole: box.dataset.whole, start: Number(box.dataset.start), end: Number(box.dataset.end),
    handoffs: Number(box.dataset.handoffs), rows, text: box.innerText, axis: t.layout.xaxis.range.map(Number),
    threads: [...t.layout.yaxis.ticktext].slice(1)};
}"""


def panel_settles(page, previous: dict | None = None) -> dict:
    """The panel once it shows the window the axis shows (a frame or two after the draw), the axis moved from the
    previous panel's window."""
    before = [previous["start"], previous["end"]] if previous else None
    page.wait_for_function(
        """before => { const box = document.querySelector('[data-gilscope="range"]');
          const r = document.querySelector('[data-gilscope="timeline"]').layout.xaxis.range.map(Number);
          const moved = !before || r[0] !== before[0] || r[1] !== before[1];
          return moved && box.dataset.whole === 'false' && Math.abs(Number(box.dataset.start) - r[0]) < 1e-6 &&
            Math.abs(Number(box.dataset.end) - r[1]) < 1e-6; }""",
        arg=before,
        timeout=10000,
    )
    return page.evaluate(PANEL)


def consistent(p: dict) -> None:
    width = p["end"] - p["start"]
    assert width > 0
    assert p["start"] == pytest.approx(p["axis"][0]) and p["end"] == pytest.approx(p["axis"][1])
    assert [r["thread"] for r in p["rows"]] == p["threads"]
    for r in p["rows"]:
        assert min(r["held"], r["waiting"], r["other"]) >= 0, r
        assert r["held"] + r["waiting"] + r["other"] <= width * (1 + 1e-9), r
        shares = [float(x.split("(")[1].split("%")[0].replace(",", ".")) for x in r["text"].split("\t")[1:]]
        assert sum(shares) <= 100.5, r  # as printed, each to 3 significant digits
    # one thread holds the GIL at a time: the threads' held time fits in the window (edges estimated to a unit)
    assert sum(r["held"] for r in p["rows"]) <= width * 1.05, p["rows"]
    assert p["handoffs"] >= 0


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_the_window_figures_follow_the_window(page, server, lang):
    run_at(page, server, 5, duration_s=1.5, lang=lang)
    p = panel_settles(page)  # a finished run opens on about twenty intervals about its middle
    consistent(p)
    cpu = [r for r in p["rows"] if r["thread"].startswith("cpu")]
    assert len(cpu) == 2 and all(r["held"] > 0 for r in cpu), cpu
    assert p["handoffs"] >= 2, p  # two CPU threads at 5 ms take turns within twenty intervals
    assert ("The window's own figures" if lang == "en" else "Показники самого вікна") in p["text"]
    shot(page, f"range-{lang}")
    page.focus('[data-gilscope="timeline"]')
    page.keyboard.press("w")  # zoom in
    q = panel_settles(page, p)
    consistent(q)
    assert q["end"] - q["start"] < p["end"] - p["start"]
    page.click("[data-span=span_one]")  # one interval
    r = panel_settles(page, q)
    consistent(r)
    box = page.locator('[data-gilscope="overview"]').bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] / 2)  # the overview moves it
    consistent(panel_settles(page, r))
    page.click("[data-span=span_all]")
    page.wait_for_function("document.querySelector('[data-gilscope=\"range\"]').dataset.whole === 'true'")
    whole = page.inner_text('[data-gilscope="range"]')
    assert ("whole run is shown" if lang == "en" else "Показано весь запуск") in whole
    assert not page.console_errors, page.console_errors
