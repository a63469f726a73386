"""Lessons judged from real runs through the server, as the page does it (without the browser's own load)."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.server import running_server


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    with running_server({"GILSCOPE_DATA": str(tmp_path_factory.mktemp("data"))}) as url:
        yield url


def run_lesson(base: str, lesson_id: str) -> dict:
    lesson = next(x for x in httpx.get(base + "/api/lessons?lang=en").json()["lessons"] if x["id"] == lesson_id)
    ids = {}
    for run in lesson["runs"]:
        rid = httpx.post(base + "/api/runs", json=run["spec"]).json()["id"]
        while httpx.get(f"{base}/api/runs/{rid}").json()["status"] not in ("done", "failed", "cancelled"):
            time.sleep(0.2)
        ids[run["key"]] = rid
    return httpx.post(f"{base}/api/lessons/{lesson_id}/verdict", json={"runs": ids, "lang": "en"}).json()


def test_c8_convoy_table(base):
    v = run_lesson(base, "C8")
    rows = {(r["cpu_threads"], r["interval_ms"]): r for r in v["table"]}
    alone, convoy, small = rows[(0, 5)], rows[(1, 5)], rows[(1, 0.1)]
    assert alone["requests_per_s"] >= 10 * convoy["requests_per_s"], v["text"]
    assert small["requests_per_s"] > convoy["requests_per_s"], v["text"]
    assert v["verdict"] in ("nuanced", "outdated") and v["figure"]


def test_c9_counts_lost_updates(base):
    v = run_lesson(base, "C9")
    assert any(r["lost"] > 0 for r in v["table"]) and v["verdict"] == "nuanced", v["text"]
