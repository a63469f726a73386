"""A lesson's last verdict outlives the server: the group's end and its verdict (in both languages) go to the store,
and a restarted server serves them (GET /api/lessons/{id}/last, /api/lessons/last, the report page)."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.integration.test_lesson_groups import follow
from tests.server import running_server

pytestmark = pytest.mark.slow


def kept(base: str, lid: str, lang: str = "en", limit_s: float = 20) -> dict:
    """The last verdict, once the store has it (it is written just after the group ends)."""
    end = time.monotonic() + limit_s
    while time.monotonic() < end:
        r = httpx.get(f"{base}/api/lessons/{lid}/last", params={"lang": lang})
        if r.status_code == 200:
            return r.json()
        time.sleep(0.2)
    raise AssertionError(f"no last verdict of {lid} in {limit_s} s: {r.status_code} {r.text}")


def test_a_verdict_survives_a_restart(tmp_path):
    env = {"GILSCOPE_DATA": str(tmp_path), "GILSCOPE_LESSON_REPEATS": "1"}
    with running_server(env) as base:
        listed = httpx.get(f"{base}/api/lessons", params={"lang": "en"}).json()["lessons"]
        assert all(ls["estimate_s"] > 0 for ls in listed)
        none = httpx.get(f"{base}/api/lessons/C2/last", params={"lang": "uk"})
        assert none.status_code == 404 and "ще не запускали" in none.json()["detail"]
        assert httpx.get(f"{base}/api/lessons/C11/last").status_code == 404
        started = httpx.post(f"{base}/api/lessons/C2/runs", json={"lang": "en"}).json()
        g = follow(base, started["id"])
        before_en, before_uk = kept(base, "C2"), kept(base, "C2", "uk")
    assert before_en["verdict"] == g["verdict"] and before_en["group"] == g["id"]
    assert [(r["id"], r["key"], r["repeat"]) for r in before_en["runs"]] == [
        (r["id"], r["key"], r["repeat"]) for r in g["runs"]
    ]
    assert before_en["finished"] >= before_en["started"] > 0

    with running_server(env) as base:  # a new server on the same store
        after_en, after_uk = kept(base, "C2", limit_s=2), kept(base, "C2", "uk", limit_s=2)
        assert after_en == before_en and after_uk == before_uk
        assert after_uk["verdict"]["text"] != after_en["verdict"]["text"]  # each in its language
        assert after_uk["verdict"]["value"] == after_en["verdict"]["value"]
        everything = httpx.get(f"{base}/api/lessons/last", params={"lang": "en"}).json()["last"]
        assert everything["C2"] == after_en and [k for k, v in everything.items() if v is None] == [
            f"C{i}" for i in range(1, 11) if i != 2
        ]
        # the runs it names are still there to open
        for r in after_en["runs"]:
            assert httpx.get(f"{base}/api/runs/{r['id']}").json()["status"] == "done"
        page = httpx.get(f"{base}/lessons/report", params={"lang": "en"}).text
        assert page.count("not run yet") == 9 and f"/compare?group={g['id']}" in page
        assert all(f'href="/runs/{r["id"]}"' in page for r in after_en["runs"])
