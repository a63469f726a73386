"""Every lesson, run from the page in a real chromium, ends with a verdict and its deciding figure."""

import re

import pytest

from tests.browser.conftest import shot

pytestmark = pytest.mark.browser
IDS = [f"C{i}" for i in range(1, 11)]


@pytest.fixture(scope="module")
def lessons_page(browser, server):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.goto(server + "/lessons?lang=uk", wait_until="networkidle")
    page.wait_for_selector("#C10")
    yield page
    ctx.close()


@pytest.mark.parametrize("lid", IDS)
def test_lesson_runs_to_a_verdict(lessons_page, lid):
    page = lessons_page
    card = page.locator(f"#{lid}")
    card.scroll_into_view_if_needed()
    card.get_by_role("button", name="Запустити урок").click()
    verdict = card.locator(".verdict")
    verdict.wait_for(timeout=120_000)
    tag = verdict.locator("b.tag").inner_text()
    assert re.search("підтверджено|з нюансами|застаріло|не визначено", tag.lower()), tag
    text = verdict.inner_text()
    assert re.search(r"\d", text), text  # the deciding figure and measured numbers
    words = set(re.findall(r"[A-Za-z]{4,}", text))
    allowed = {
        "Python",
        "CPython",
        "NumPy",
        "zlib",
        "hashlib",
        "sorted",
        "json",
        "regex",
        "GILSCOPE_PYTHONS",
        "setswitchinterval",
        "BLAS",
        "sleep",
        "socket",
        "file",
        "findall",
        "compress",
        "echo_server",
        "race",
        "cpu",
        "lzma",
        "python",
        "numpy",
        "usr",
        "bin",
        "local",
        "GILSCOPE",
        "PYTHONS",
        "dumps",
        "loads",
    }
    assert words <= allowed, words - allowed
    assert not page.console_errors
    shot(page, f"lesson-{lid}")


def test_sweep_draws_the_curve(lessons_page):
    page = lessons_page
    card = page.locator("#C2")
    card.scroll_into_view_if_needed()
    card.get_by_role("button", name="Пройти інтервали").click()
    page.wait_for_function(
        "() => { const d = document.querySelector('#C2 .sweep-plot'); return d && d.data && d.data[0].x.length === 6 }",
        timeout=120_000,
    )
    ys = page.evaluate("() => document.querySelector('#C2 .sweep-plot').data[0].y")
    assert ys[0] > 5 * ys[-1]  # hand-offs/s at 0.1 ms vs at 50 ms
    shot(page, "lesson-sweep")
