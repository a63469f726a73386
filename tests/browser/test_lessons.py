"""Every lesson, run from the page in a real chromium, ends with a verdict and its deciding figure; a lesson's runs,
and a sweep's, go to the server as one group; repeats show on the card.

The servers here run each lesson run once (GILSCOPE_LESSON_REPEATS=1), for speed, except the one that checks the
repeats (2)."""

import json
import re
import shutil
import tempfile
from contextlib import contextmanager
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from tests.browser.conftest import shot
from tests.server import running_server

pytestmark = pytest.mark.browser
IDS = [f"C{i}" for i in range(1, 11)]


@contextmanager
def lesson_server(repeats: int):
    data = tempfile.mkdtemp(prefix="gilscope-data-")
    env = {
        "GILSCOPE_DATA": data,
        "GILSCOPE_RUNS_PER_CLIENT_PER_MINUTE": "200",
        "GILSCOPE_QUEUE_LENGTH": "40",
        "GILSCOPE_LESSON_REPEATS": str(repeats),
    }
    try:
        with running_server(env) as base:
            yield base
    finally:
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="module")
def server():
    with lesson_server(1) as base:
        yield base


def open_lessons(browser, base: str, lang: str):
    """The lessons page, with its console errors, the runs it submitted (their query) and its refusals."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    page.console_errors = []
    page.submitted = []
    page.refused = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))

    def response(r):
        if urlparse(r.url).path == "/api/runs" and r.request.method == "POST":
            (page.submitted if r.status == 202 else page.refused).append(parse_qs(urlparse(r.url).query))

    page.on("response", response)
    page.goto(base + f"/lessons?lang={lang}", wait_until="networkidle")
    page.wait_for_selector("#C10")
    return ctx, page


@pytest.fixture(scope="module")
def lessons_page(browser, server):
    ctx, page = open_lessons(browser, server, "uk")
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
    # the lesson's runs went as one group, named for their lesson
    mine = [q for q in page.submitted if q.get("lesson") == [lid]]
    assert mine and len({q["group"][0] for q in mine}) == 1, mine
    assert not page.refused
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
    # six runs, one group (one submission against the per-client cap), no refusal
    sweep = [q for q in page.submitted if q.get("group", [""])[0].startswith("sweep-")]
    assert len(sweep) == 6 and len({q["group"][0] for q in sweep}) == 1 and "lesson" not in sweep[0], sweep
    assert not page.refused
    shot(page, "lesson-sweep")


def test_repeats_show_on_the_card(browser):
    """With 2 repeats, each run of the lesson runs twice, in one group; the verdict is judged per repeat, and the
    card shows each repeat's verdict and deciding figure."""
    with lesson_server(2) as base:
        ctx, page = open_lessons(browser, base, "en")
        try:
            card = page.locator("#C2")
            card.scroll_into_view_if_needed()
            with page.expect_request(lambda r: r.url.split("?")[0].endswith("/verdict"), timeout=120_000) as asked:
                card.get_by_role("button", name="Run the lesson").click()
                page.wait_for_function(
                    "() => /repeat 2 of 2/.test(document.querySelector('#C2 .lesson-status').textContent)",
                    timeout=120_000,
                )
            runs = json.loads(asked.value.post_data)["runs"]
            assert sorted(runs) == ["lone", "two_cpu"] and all(len(ids) == 2 for ids in runs.values()), runs
            verdict = card.locator(".verdict")
            verdict.wait_for(timeout=60_000)
            chips = verdict.locator(".repeats li.chip")
            assert chips.count() == 2
            for i, chip in enumerate(chips.all_inner_texts(), 1):
                assert chip.startswith(f"#{i}") and re.search(r"confirmed|nuanced|outdated|inconclusive", chip), chip
                # the repeat's deciding figure (a repeat whose run failed has none, and is inconclusive)
                assert re.search(r"\d", chip.split(" ", 1)[1]) or "inconclusive" in chip, chip
            # repeats that disagree make the verdict inconclusive, and the card says why
            if verdict.locator(".repeats.disagree").count():
                assert "inconclusive" in verdict.locator("b.tag").inner_text().lower()
                assert verdict.locator(".spread-note").is_visible()
            assert "Over 2 repeats" in verdict.inner_text()
            stored = httpx.get(base + "/api/runs", params={"lesson": "C2"}).json()["runs"]
            assert len(stored) == 4 and len({r["group_id"] for r in stored}) == 1, stored
            assert not page.refused and not page.console_errors
            shot(page, "lesson-repeats")
        finally:
            ctx.close()
