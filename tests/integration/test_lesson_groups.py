"""A lesson run by the server: POST /api/lessons/{id}/runs submits its plan as one group, the server feeds it to the
queue to its end, and GET /api/groups/{id} reports its runs and, once all have ended, the verdict."""

from __future__ import annotations

import time

import httpx
import pytest

from gilscope.lessons import LESSONS, plan
from tests.server import running_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    env = {"GILSCOPE_DATA": str(tmp_path_factory.mktemp("data")), "GILSCOPE_LESSON_REPEATS": "2"}
    with running_server(env) as url:
        yield url


def follow(base: str, group_id: str, lang: str = "en", limit_s: float = 120) -> dict:
    end = time.monotonic() + limit_s
    while time.monotonic() < end:
        g = httpx.get(f"{base}/api/groups/{group_id}", params={"lang": lang}).json()
        if g["status"] == "done":
            return g
        time.sleep(0.5)
    raise AssertionError(f"group {group_id} did not end in {limit_s} s: {g}")


def test_c2_runs_to_a_verdict_without_a_page(base):
    r = httpx.post(f"{base}/api/lessons/C2/runs", json={"lang": "en"})
    assert r.status_code == 202, r.text
    started = r.json()
    gid = started["id"]
    assert started["kind"] == "lesson" and started["lesson"] == "C2" and started["repeats"] == 2
    steps = plan(LESSONS["C2"], repeats=2)
    assert [(x["key"], x["repeat"]) for x in started["runs"]] == [(s.key, s.repeat) for s in steps]
    assert started["runs"][0]["id"] and started["current"] == started["runs"][0]["id"]
    assert started["verdict"] is None and started["status"] == "running"

    g = follow(base, gid)
    assert g["states"] == {"done": 4}, g["runs"]
    assert all(x["id"] and x["status"] == "done" and x["lesson"] == "C2" for x in g["runs"])
    v = g["verdict"]
    assert v["lesson"] == "C2" and v["verdict"] in ("confirmed", "nuanced", "outdated", "inconclusive")
    assert isinstance(v["value"], float) and v["value"] > 0 and isinstance(v["disagree"], bool)
    assert len(v["repeats"]) == 2 and all(isinstance(x["value"], float) for x in v["repeats"])
    # the same judge as the verdict route, from the same runs
    ids = {}
    for x in g["runs"]:
        ids.setdefault(x["key"], []).append(x["id"])
    again = httpx.post(f"{base}/api/lessons/C2/verdict", json={"runs": ids, "lang": "en"}).json()
    assert again == v
    # stored as one group, named for its lesson; the verdict in the other language too
    stored = httpx.get(f"{base}/api/runs", params={"group": gid}).json()["runs"]
    assert len(stored) == 4 and {x["lesson"] for x in stored} == {"C2"}
    uk = httpx.get(f"{base}/api/groups/{gid}", params={"lang": "uk"}).json()["verdict"]
    assert uk["value"] == v["value"] and uk["text"] != v["text"]


def test_refusals_and_bad_requests(base):
    assert httpx.get(f"{base}/api/groups/nope").status_code == 404
    assert httpx.post(f"{base}/api/lessons/C11/runs", json={}).status_code == 404
    r = httpx.post(f"{base}/api/lessons/C2/runs", json={"repeats": 3, "lang": "en"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "repeats" and "at most 2" in r.text, r.text
    r = httpx.post(f"{base}/api/lessons/C1/runs", json={"sweep": True, "lang": "uk"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "sweep", r.text
    r = httpx.post(f"{base}/api/lessons/C2/runs", json={"repeats": 0})
    assert r.status_code == 422 and "repeats" in r.json()["error"]
    spec = "/api/lessons/{lesson_id}/runs"
    assert spec in httpx.get(f"{base}/openapi.json").json()["paths"]


def test_a_refused_plan_submits_nothing(tmp_path):
    """The per-client cap of active submissions: a third group is refused whole, in the page's language."""
    env = {"GILSCOPE_DATA": str(tmp_path), "GILSCOPE_ACTIVE_PER_CLIENT": "1", "GILSCOPE_LESSON_REPEATS": "1"}
    with running_server(env) as url:
        first = httpx.post(f"{url}/api/lessons/C2/runs", json={"sweep": True})
        assert first.status_code == 202
        refused = httpx.post(f"{url}/api/lessons/C9/runs", json={"lang": "uk"})
        assert refused.status_code == 429 and "1 запуск" in refused.json()["detail"], refused.text
        assert httpx.get(f"{url}/api/runs", params={"lesson": "C9"}).json()["total"] == 0
