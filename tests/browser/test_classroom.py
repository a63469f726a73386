"""The classroom's page in a real chromium: bad input is refused at its field (in the page's language, the
server's refusals too, never a raw path like "mix.0"), Ctrl+Enter runs, /now links what runs, the history folds
a lesson's runs into one row, a run is named, no plot offers the cloud, and /docs needs nothing from outside."""

import re

import httpx
import pytest

from tests.browser.conftest import ARGS, CHROMIUM  # noqa: F401  (the browser fixture launches it)
from tests.seed_store import LESSON_GROUP, SWEEP_GROUP, seed
from tests.server import running_server

pytestmark = pytest.mark.browser
WORDS = {"en": "Enter a whole number", "uk": "Введіть ціле число"}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    ids = seed(data)
    with running_server({"GILSCOPE_DATA": str(data), "GILSCOPE_RUNS_PER_CLIENT_PER_MINUTE": "200"}) as base:
        yield base, ids


def invalid(page, sel: str) -> bool:
    return page.get_attribute(sel, "aria-invalid") == "true"


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_bad_counts_are_refused_at_the_field(page, server, lang):
    page.goto(f"{server}/?lang={lang}", wait_until="networkidle")
    page.wait_for_selector("#n-cpu")
    posted = []
    page.on("request", lambda r: r.method == "POST" and "/api/runs" in r.url and posted.append(r.url))
    for bad in ("1000", "-3", "abc", "2.5", ""):
        page.fill("#n-cpu", bad)
        page.locator("#duration").focus()  # the count loses focus: it is checked
        assert invalid(page, "#n-cpu"), bad
        message = page.locator("#err-n-cpu")
        assert message.is_visible() and WORDS[lang] in message.inner_text(), (bad, message.inner_text())
        assert page.get_attribute("#n-cpu", "aria-describedby") == "err-n-cpu"
        outline = page.eval_on_selector("#n-cpu", "e => getComputedStyle(e).outlineColor")
        assert outline == "rgb(179, 38, 30)", outline
    page.click("#run")
    assert page.locator("#refused").is_visible() and not posted  # nothing bad is sent
    assert page.evaluate("document.activeElement.id") == "n-cpu"
    assert "mix.0" not in page.inner_text("body")
    page.fill("#n-cpu", "2")
    page.locator("#duration").focus()
    assert not invalid(page, "#n-cpu") and not page.locator("#err-n-cpu").is_visible()
    page.fill("#duration", "9999")
    page.locator("#n-cpu").focus()
    assert invalid(page, "#duration")
    assert "30" in page.inner_text("#err-duration")  # the server's limit (page-config), not a copy
    assert not page.console_errors and not page.outside


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_a_server_refusal_lands_at_its_field_and_labels_the_old_view(page, server, lang):
    page.goto(f"{server}/?lang={lang}", wait_until="networkidle")
    page.wait_for_selector("#n-echo_server")
    page.fill("#n-cpu", "1")
    page.fill("#n-sleep", "0")
    page.fill("#duration", "0.5")
    page.locator("#duration").focus()
    page.keyboard.press("Control+Enter")  # from a field: Ctrl+Enter runs
    page.wait_for_selector(".run-view .status.done", timeout=60000)
    # the server, not the page, refuses this one: an echo server has no one-thread form for the comparison
    page.fill("#n-cpu", "0")
    page.fill("#n-echo_server", "1")
    page.check("#baseline")
    with page.expect_response(lambda r: r.url.split("?")[0].endswith("/api/runs") and r.status == 422):
        page.click("#run")
    page.wait_for_selector("#baseline[aria-invalid=true]")
    body = page.inner_text("body")
    assert "baseline:" not in body and "mix.0" not in body and "echo_server thread answers" not in body
    note = {"en": "one-thread form", "uk": "в одному потоці"}[lang]
    assert note in page.inner_text("#err-baseline")
    assert "stale" in page.get_attribute("#run-view", "class")  # the last run's figures are labelled as such
    stale = {"en": "previous run", "uk": "попереднього запуску"}[lang]
    assert stale in page.inner_text(".run-view .status")
    assert not page.outside


def test_the_interpreter_picker_offers_the_servers_own(page, server):
    page.goto(server + "/?lang=en", wait_until="networkidle")
    page.wait_for_function("document.querySelectorAll('#python option').length > 0")
    first = page.locator("#python option").first
    assert first.get_attribute("value") == "" and "the server's own" in first.inner_text()
    assert page.locator("#python").is_visible()


def test_now_links_the_running_run_then_the_last(page, server):
    rid = httpx.post(
        server + "/api/runs", json={"mix": [{"kind": "cpu", "threads": 1}], "duration_s": 3}, timeout=10
    ).json()["id"]
    page.goto(server + "/now?lang=uk", wait_until="domcontentloaded")
    link = page.locator(f'#now-what a[href="/runs/{rid}"]')
    link.wait_for(timeout=20000)
    what = page.inner_text("#now-what")
    assert "Зараз виконується" in what and "cpu×1" in what and "інтервал 5 мс" in what and "3 с" in what
    page.wait_for_function("document.getElementById('now-what').innerText.includes('Останній запуск')", timeout=60000)
    assert page.locator(f'#now-what a[href="/runs/{rid}"]').count() == 1
    assert not page.console_errors and not page.outside


def test_no_plot_offers_the_cloud_and_plotly_speaks_ukrainian(page, server):
    page.goto(server + "/?lang=uk", wait_until="networkidle")
    page.wait_for_selector(".timeline .modebar-btn", state="attached")
    titles = page.eval_on_selector_all(".modebar-btn", "bs => bs.map(b => b.getAttribute('data-title') || '')")
    assert titles and not [t for t in titles if re.search("cloud|chart studio|share|plotly", t, re.I)], titles
    assert "Зберегти у форматі PNG" in titles  # plotly.js's own uk locale
    page.goto(server + "/?lang=en", wait_until="networkidle")
    page.wait_for_selector(".timeline .modebar-btn", state="attached")
    titles = page.eval_on_selector_all(".modebar-btn", "bs => bs.map(b => b.getAttribute('data-title') || '')")
    assert "Download plot as a PNG" in titles and not [t for t in titles if re.search("cloud|studio", t, re.I)]


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_history_folds_a_group_and_tags_a_sweep_with_its_lesson(page, seeded, lang):
    base, ids = seeded
    page.goto(f"{base}/history?lang={lang}", wait_until="networkidle")
    page.wait_for_selector("tr.group-row")
    assert page.locator("#runs tbody > tr").count() == 4  # two singles, a lesson, a sweep
    lesson = page.locator(f'tr.group-row[data-group="{LESSON_GROUP}"]')
    assert {"en": "4 runs", "uk": "4 запуски"}[lang] in lesson.inner_text()
    sweep = page.locator(f'tr.group-row[data-group="{SWEEP_GROUP}"]')
    assert sweep.locator('a[href="/lessons#C8"]').count() == 1
    lesson.locator("button.fold").click()
    page.wait_for_selector("tr.in-group")
    shown = page.eval_on_selector_all("tr.in-group", "rs => rs.map(r => r.dataset.id)")
    assert shown == ids["lesson"]  # in the order they ran
    assert lesson.locator("button.fold").get_attribute("aria-expanded") == "true"
    lesson.locator("button.fold").click()
    assert page.locator("tr.in-group").count() == 0
    assert not page.console_errors and not page.outside


def test_a_run_is_named_on_its_page_and_listed_by_its_name(page, seeded):
    base, ids = seeded
    rid = ids["single"][1]
    page.goto(f"{base}/runs/{rid}?lang=uk", wait_until="networkidle")
    page.fill("#run-name", "Три потоки CPU")
    page.fill("#run-note", "перша спроба")
    page.click("#naming button[type=submit]")
    page.wait_for_function("document.getElementById('naming-status').innerText.includes('Збережено')")
    page.reload(wait_until="networkidle")
    page.wait_for_function("document.getElementById('run-name').value === 'Три потоки CPU'")
    page.goto(f"{base}/history?lang=uk", wait_until="networkidle")
    page.wait_for_selector(f'tr[data-id="{rid}"] .run-name')
    assert page.inner_text(f'tr[data-id="{rid}"] .run-name') == "Три потоки CPU"
    assert "×27,6" in page.inner_text(f'tr[data-id="{rid}"]')  # a ratio carries its unit
    assert not page.outside  # (a seeded run has no events: its page's replay answers 404, a console error)


def test_docs_and_redoc_are_drawn_offline(page, server):
    page.goto(server + "/docs", wait_until="load")
    page.wait_for_selector(".swagger-ui .info", timeout=20000)
    assert page.locator(".swagger-ui .opblock").count() > 5
    page.goto(server + "/redoc", wait_until="load")
    page.wait_for_selector("redoc h1, [role=navigation], .api-content", timeout=30000)
    assert not page.outside, page.outside
