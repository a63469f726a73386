"""A reloaded lessons page shows each lesson's last verdict as the server kept it: when it was reached, its runs as
tabs and the picture of the run it is about; the report page lists C1..C10 with their last verdicts ("not run
yet" where none). Screenshots: reading-card-*, reading-report-* (en, uk; 1400x900 and 960x600 at scale 1.5)."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.browser.conftest import shot
from tests.browser.test_lessons import lesson_server
from tests.integration.test_lesson_groups import follow

pytestmark = pytest.mark.browser
SIZES = {"wide": (1400, 900), "small": (960, 600)}


@pytest.fixture(scope="module")
def judged():
    """A server whose C2 has a verdict (reached before any page opened: every page load here is a reload)."""
    with lesson_server(1) as base:
        started = httpx.post(f"{base}/api/lessons/C2/runs", json={"lang": "en"}).json()
        group = follow(base, started["id"])
        for _ in range(100):
            if httpx.get(f"{base}/api/lessons/C2/last").status_code == 200:
                break
            time.sleep(0.1)
        yield base, group


def open_page(browser, url: str, size: str = "wide"):
    w, h = SIZES[size]
    ctx = browser.new_context(viewport={"width": w, "height": h}, device_scale_factor=1.5)
    page = ctx.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    page.goto(url, wait_until="networkidle")
    return ctx, page


@pytest.mark.parametrize("lang", ["en", "uk"])
@pytest.mark.parametrize("size", list(SIZES))
def test_a_reloaded_card_shows_its_last_verdict_and_runs(browser, judged, lang, size):
    base, group = judged
    ctx, page = open_page(browser, f"{base}/lessons?lang={lang}", size)
    try:
        card = page.locator("#C2")
        verdict = card.locator(".verdict")
        verdict.wait_for(timeout=10_000)
        kept = httpx.get(f"{base}/api/lessons/C2/last", params={"lang": lang}).json()
        assert kept["verdict"]["text"] in verdict.inner_text()
        when = card.locator(".verdict-when").inner_text()
        assert ("Verdict reached" if lang == "en" else "Вердикт винесено") in when
        tabs = card.locator(".run-tabs [role=tab]")
        assert tabs.count() == len(group["runs"]) == 2
        assert tabs.all_inner_texts() == [r["label"] for r in kept["runs"]]
        card.locator(".verdict-box").scroll_into_view_if_needed()
        # the picture is the run the verdict is about: the first run of the deciding repeat, replayed
        selected = card.locator('.run-tabs [aria-selected="true"]')
        selected.wait_for(timeout=10_000)
        assert selected.get_attribute("data-run") == kept["runs"][0]["id"]
        card.locator(".lesson-run .after h3").wait_for(timeout=20_000)
        tabs.nth(1).click()
        page.wait_for_function(
            "() => document.querySelector('#C2 .run-tabs [aria-selected=true]').dataset.run === "
            f"'{kept['runs'][1]['id']}'"
        )
        # Run's estimate, said to be one; the other cards have no verdict yet
        estimate = card.locator(".lesson-estimate").inner_text()
        assert ("estimate" if lang == "en" else "оцінка") in estimate
        assert page.locator("#C1 .verdict").count() == 0
        assert not page.console_errors
        card.locator(".lesson-run .after h3").wait_for(timeout=20_000)
        page.wait_for_load_state("networkidle")
        card.screenshot(path=str(shot_path(f"reading-card-{lang}-{size}")))
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", ["en", "uk"])
@pytest.mark.parametrize("size", list(SIZES))
def test_the_report_lists_every_lesson(browser, judged, lang, size):
    base, group = judged
    ctx, page = open_page(browser, f"{base}/lessons?lang={lang}", size)
    try:
        page.locator("#report-link").click()
        page.wait_for_url("**/lessons/report")
        rows = page.locator("#report tbody tr")
        assert rows.count() == 10
        assert [r.get_attribute("data-lesson") for r in rows.all()] == [f"C{i}" for i in range(1, 11)]
        empty = "not run yet" if lang == "en" else "ще не запускали"
        for i in range(1, 11):
            row = page.locator(f"#report-C{i}")
            assert (empty in row.inner_text()) == (i != 2)
        c2 = page.locator("#report-C2")
        links = [a.get_attribute("href") for a in c2.locator("a").all()]
        assert [f"/runs/{r['id']}" for r in group["runs"]] == [x for x in links if x.startswith("/runs/")]
        assert f"/compare?group={group['id']}" in links
        assert c2.locator("time.when").inner_text() and "UTC" not in c2.locator("time.when").inner_text()
        assert not page.console_errors
        shot(page, f"reading-report-{lang}-{size}")
    finally:
        ctx.close()


def shot_path(name: str):
    from tests.browser.conftest import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / f"{name}.png"


def test_each_kind_shows_its_python_source(browser, judged):
    base, _group = judged
    ctx, page = open_page(browser, f"{base}/?lang=uk")
    try:
        cpu = page.locator(".kind", has=page.locator("#n-cpu"))
        source = cpu.locator("details.kind-source")
        source.locator("summary").click()
        assert "Код на Python" in source.locator("summary").inner_text()
        code = source.locator("pre code").inner_text()
        assert code.startswith("def cpu(params") and "acc += i * i" in code
        assert page.locator("details.kind-source").count() == len(httpx.get(f"{base}/api/workloads").json()["kinds"])
        assert not page.console_errors
        shot(page, "reading-lab-source-uk")
    finally:
        ctx.close()
