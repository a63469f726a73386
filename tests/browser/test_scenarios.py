"""The experiment page's one-click scenarios in a real chromium: a click (or Enter on a focused button) fills the
builder with the scenario's mix, interval and duration and runs nothing; Ctrl+Enter then submits exactly that
spec, which the server accepts."""

from __future__ import annotations

import json

import pytest

from gilscope.lessons.scenarios import SCENARIOS
from tests.browser.conftest import shot

pytestmark = pytest.mark.browser

BUILDER = """() => {
  const counts = {}, params = {};
  for (const input of document.querySelectorAll('input.count')) {
    const kind = input.id.slice(2);
    counts[kind] = Number(input.value);
    for (const p of document.querySelectorAll(`input[id^="p-${kind}-"]`)) params[p.id] = Number(p.value);
  }
  return {counts, params, interval: document.getElementById('interval-out').textContent,
    duration: Number(document.getElementById('duration').value), baseline: document.getElementById('baseline').checked,
    pressed: [...document.querySelectorAll('.scenario-btn[aria-pressed=true]')].map(b => b.dataset.scenario),
    status: document.getElementById('scenario-status').textContent};
}"""


def ms_text(interval_s: float, lang: str) -> str:
    text = f"{interval_s * 1000:g}"
    return text.replace(".", ",") if lang == "uk" else text


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_a_click_on_a_scenario_fills_the_builder(page, server, lang):
    page.goto(f"{server}/?lang={lang}", wait_until="networkidle")
    page.wait_for_selector("#n-cpu")
    buttons = page.locator(".scenario-btn")
    assert buttons.count() == len(SCENARIOS)
    for i, s in enumerate(SCENARIOS):
        b = buttons.nth(i)
        assert b.get_attribute("data-scenario") == s.key
        hint = page.locator("#" + b.get_attribute("aria-describedby"))
        assert hint.inner_text().strip()  # its one line
        if i % 2:  # keyboard: focus and Enter
            b.focus()
            page.keyboard.press("Enter")
        else:
            b.click()
        page.wait_for_function(
            f"document.querySelector('[data-scenario={s.key}]').getAttribute('aria-pressed') === 'true'"
        )
        got = page.evaluate(BUILDER)
        want = {g["kind"]: g["threads"] for g in s.spec["mix"]}
        assert {k: n for k, n in got["counts"].items() if n} == want, (s.key, got)
        for g in s.spec["mix"]:
            for p, v in g["params"].items():
                assert got["params"][f"p-{g['kind']}-{p}"] == v, (s.key, p)
        assert got["interval"].split()[0] == ms_text(s.spec["switch_interval_s"], lang), got["interval"]
        assert got["duration"] == s.spec["duration_s"] and got["baseline"] is False
        assert got["pressed"] == [s.key]
        assert b.inner_text().strip() in got["status"]
    assert page.evaluate("document.querySelectorAll('.run-view .status.running, .run-view .status.done').length") == 0
    shot(page, f"scenarios-{lang}")
    assert not page.console_errors, page.console_errors


def test_a_filled_scenario_runs_as_it_was_filled(page, server):
    page.goto(f"{server}/?lang=en", wait_until="networkidle")
    page.wait_for_selector("#n-cpu")
    race = next(s for s in SCENARIOS if s.key == "race")
    page.fill("#n-cpu", "3")  # a mix by hand first: the scenario replaces it
    page.click("[data-scenario=race]")
    page.wait_for_function("document.querySelector('[data-scenario=race]').getAttribute('aria-pressed') === 'true'")
    with page.expect_response(
        lambda r: r.url.split("?")[0].endswith("/api/runs") and r.request.method == "POST"
    ) as resp:
        page.keyboard.press("Control+Enter")
    response = resp.value
    assert 200 <= response.status < 300, response.text()
    body = json.loads(response.request.post_data)
    assert body["mix"] == race.spec["mix"]
    assert body["switch_interval_s"] == pytest.approx(race.spec["switch_interval_s"])
    assert body["duration_s"] == race.spec["duration_s"] and body["baseline"] is False
    page.wait_for_selector(".status.done", timeout=60000)
    page.wait_for_selector(".race-result")
    assert "lost" in page.inner_text(".race-result")
    # a hand-made change: no scenario is pressed any more
    page.fill("#n-race", "3")
    assert page.evaluate("document.querySelectorAll('.scenario-btn[aria-pressed=true]').length") == 0
    assert not page.console_errors, page.console_errors
