"""The run view's image for slides in a real chromium: a press downloads one PNG of the whole view (title line,
figures, timeline, the other plots and the tables stacked), made in the page without any request off the machine."""

from __future__ import annotations

import struct

import pytest

from tests.browser.test_timeline import run_at

pytestmark = pytest.mark.browser


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:8]
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_the_view_downloads_as_one_png(page, server, lang, tmp_path):
    run_at(page, server, 5, duration_s=1.0, lang=lang)
    page.wait_for_selector(".after .js-plotly-plot")
    plots = page.evaluate("document.querySelectorAll('.run-view .js-plotly-plot').length")
    heights = page.evaluate(
        "[...document.querySelectorAll('.run-view .js-plotly-plot')].filter(p => p.dataset.gilscope !== 'overview')"
        ".reduce((a, p) => a + p._fullLayout.height, 0)"
    )
    rows = page.evaluate(
        "[...document.querySelectorAll('.run-view table')].filter(t => t.offsetParent).reduce((a, t) => a + t.rows.length, 0)"
    )
    assert rows > 0  # the per-thread table at least
    button = page.locator('[data-gilscope="image"]')
    assert button.is_enabled()
    with page.expect_download(timeout=60000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename.startswith("gilscope-") and download.suggested_filename.endswith(".png")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    data = path.read_bytes()
    width, height = png_size(data)
    assert width >= 1600, width  # 800 CSS pixels or more, at twice the scale
    # every plot but the overview and every table shown (a row at least 8 px type), stacked
    assert height >= 2 * (heights + 14 * rows), (height, heights, plots, rows)
    assert len(data) > 50_000, len(data)
    page.wait_for_function("document.querySelector('.image-note').textContent.length > 0")
    assert button.is_enabled()
    assert not page.outside, page.outside
    assert not page.console_errors, page.console_errors
