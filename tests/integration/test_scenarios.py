"""Every one-click scenario of the experiment page, as the page offers it (its button's data-spec), is accepted
by POST /api/runs and runs to its end."""

from __future__ import annotations

import html
import json
import re
import time

import httpx
import pytest

from gilscope.lessons.scenarios import SCENARIOS
from tests.server import GENEROUS, running_server


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    env = {"GILSCOPE_DATA": str(tmp_path_factory.mktemp("data")), **GENEROUS}
    with running_server(env) as url:
        yield url


def page_scenarios(base: str, lang: str) -> dict[str, dict]:
    text = httpx.get(f"{base}/?lang={lang}").text
    found = re.findall(r'data-scenario="([a-z_]+)" data-spec="([^"]+)"', text)
    return {key: json.loads(html.unescape(spec)) for key, spec in found}


def test_the_page_offers_every_scenario_in_both_languages(base):
    want = {s.key: s.spec for s in SCENARIOS}
    assert page_scenarios(base, "en") == want
    assert page_scenarios(base, "uk") == want
    assert "data-scenario" not in httpx.get(f"{base}/now").text  # the class's view has no builder


def test_every_scenario_is_accepted_and_runs(base):
    client = httpx.Client()  # one browser: its client-id cookie
    ids = {}
    for key, spec in page_scenarios(base, "en").items():
        r = client.post(base + "/api/runs", json=spec)
        assert 200 <= r.status_code < 300, (key, r.status_code, r.text)
        ids[key] = r.json()["id"]
    end = time.monotonic() + 180
    for key, rid in ids.items():
        while True:
            run = client.get(f"{base}/api/runs/{rid}").json()
            if run["status"] in ("done", "failed", "cancelled"):
                break
            assert time.monotonic() < end, f"{key} did not end"
            time.sleep(0.2)
        assert run["status"] == "done", (key, run.get("error"))
        assert run["summary"]["threads"], key
