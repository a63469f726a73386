"""Lessons judged from real runs through the server, as the page asks for them (without the browser's own load):
the server runs the lesson's plan as one group and judges it."""

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
    started = httpx.post(f"{base}/api/lessons/{lesson_id}/runs", json={"repeats": 1, "lang": "en"})
    assert started.status_code == 202, started.text
    group = started.json()
    while group["status"] != "done":
        time.sleep(0.5)
        group = httpx.get(f"{base}/api/groups/{group['id']}?lang=en").json()
    return group["verdict"]


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
