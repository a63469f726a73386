"""Every lesson, run from the page in a real chromium, ends with a verdict and its deciding figure; the page asks the
server to run a lesson (or a sweep) as one group and follows it, so a reload does not abandon it; repeats show on
the card.

The servers here run each lesson run once (GILSCOPE_LESSON_REPEATS=1), for speed, except the one that checks the
repeats (2)."""

import json
import re
import shutil
import tempfile
from contextlib import contextmanager
from urllib.parse import urlparse

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


LESSON_RUNS = re.compile(r"^/api/lessons/(C\d+)/runs$")


def open_lessons(browser, base: str, lang: str):
    """The lessons page, with its console errors, the groups it started (lesson id, response) and its refusals;
    runs it submitted itself to /api/runs (there should be none: the server feeds the queue)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    page.console_errors = []
    page.submitted = []
    page.refused = []
    page.runs_posted = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))

    def response(r):
        path = urlparse(r.url).path
        m = LESSON_RUNS.match(path)
        if m and r.request.method == "POST":
            (page.submitted if r.status == 202 else page.refused).append((m.group(1), r))
        if path == "/api/runs" and r.request.method == "POST":
            page.runs_posted.append(r.url)

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
def test_lesson_runs_to_a_verdict(lessons_page, server, lid):
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
    prose = re.sub(r"`[^`]*`|\S+\.py:\d+", "", text)  # code the verdict quotes (a function, file:line)
    words = set(re.findall(r"[A-Za-z]{4,}", prose))
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
    # the lesson went to the server once, as one group the server ran: every run of its plan, named for the lesson
    mine = [r for q, r in page.submitted if q == lid]
    assert len(mine) == 1 and json.loads(mine[0].request.post_data) == {"sweep": False, "lang": "uk"}
    group = httpx.get(f"{server}/api/groups/{mine[0].json()['id']}?lang=uk").json()
    assert group["kind"] == "lesson" and group["status"] == "done" and group["verdict"]["text"] in text
    assert {r["lesson"] for r in group["runs"]} == {lid} and all(r["id"] for r in group["runs"])
    assert not page.refused and not page.runs_posted
    shot(page, f"lesson-{lid}")


def test_sweep_draws_the_curve(lessons_page, server):
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
    # one request, a group of six runs the server ran (not named for a lesson: a sweep has no verdict), no refusal
    mine = [r for q, r in page.submitted if q == "C2" and json.loads(r.request.post_data)["sweep"]]
    assert len(mine) == 1
    group = httpx.get(f"{server}/api/groups/{mine[0].json()['id']}").json()
    assert group["kind"] == "sweep" and len(group["runs"]) == 6 and group["verdict"] is None
    assert {r["lesson"] for r in group["runs"]} == {None} and {r["status"] for r in group["runs"]} == {"done"}
    assert not page.refused and not page.runs_posted
    shot(page, "lesson-sweep")


def test_a_reload_does_not_abandon_the_lesson(browser, server):
    """The server runs the group on; the reloaded page picks it up and shows its verdict."""
    ctx, page = open_lessons(browser, server, "en")
    try:
        card = page.locator("#C2")
        card.get_by_role("button", name="Run the lesson").click()
        page.wait_for_function("() => /Run 1 of 2/.test(document.querySelector('#C2 .lesson-status').textContent)")
        gid = page.submitted[0][1].json()["id"]
        page.reload(wait_until="networkidle")
        verdict = page.locator("#C2 .verdict")
        verdict.wait_for(timeout=60_000)
        group = httpx.get(f"{server}/api/groups/{gid}?lang=en").json()
        assert group["status"] == "done" and group["verdict"]["text"] in verdict.inner_text()
        assert page.evaluate("() => localStorage.getItem('gilscope-group-C2')") is None  # shown once, then let go
        assert not page.console_errors
    finally:
        ctx.close()


def test_repeats_show_on_the_card(browser):
    """With 2 repeats, each run of the lesson runs twice, in one group; the verdict is judged per repeat, and the
    card shows each repeat's verdict and deciding figure."""
    with lesson_server(2) as base:
        ctx, page = open_lessons(browser, base, "en")
        try:
            card = page.locator("#C2")
            card.scroll_into_view_if_needed()
            card.get_by_role("button", name="Run the lesson").click()
            page.wait_for_function(
                "() => /repeat 2 of 2/.test(document.querySelector('#C2 .lesson-status').textContent)",
                timeout=120_000,
            )
            group = httpx.get(f"{base}/api/groups/{page.submitted[0][1].json()['id']}").json()
            keys = [(r["key"], r["repeat"]) for r in group["runs"]]
            assert keys == [("two_cpu", 0), ("lone", 0), ("two_cpu", 1), ("lone", 1)], keys
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
