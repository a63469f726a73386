"""Runs that last, through the API: with no event cache in memory at all, every finished run is served from the
SQLite store (summary, replayed events, exports, permalink), and unknown ids answer 404 on every route."""

import csv
import io
import json
import time

import httpx
import pytest

from tests.server import running_server


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    env = {"GILSCOPE_DATA": str(tmp_path_factory.mktemp("data")), "GILSCOPE_EVENT_CACHE_MB": "0"}
    with running_server(env) as url:
        yield url


def finished(c: httpx.Client, base: str, rid: str) -> dict:
    for _ in range(300):
        view = c.get(f"{base}/api/runs/{rid}").json()
        if view["status"] in ("done", "failed", "cancelled"):
            return view
        time.sleep(0.05)
    raise AssertionError("no end")


def sse(c: httpx.Client, url: str) -> list[dict]:
    with c.stream("GET", url) as r:
        assert r.status_code == 200
        return [json.loads(line[5:]) for line in r.iter_lines() if line.startswith("data:")]


def test_a_finished_run_comes_whole_from_the_store(base):
    c = httpx.Client(timeout=30)
    spec = {"mix": [{"kind": "cpu", "threads": 2}, {"kind": "sleep", "threads": 1}], "duration_s": 0.5}
    rid = c.post(base + "/api/runs", json=spec).json()["id"]
    live = sse(c, f"{base}/api/runs/{rid}/events")  # followed live, while the run is in memory
    view = finished(c, base, rid)
    assert view["status"] == "done" and view["summary"]["handoffs"] > 0 and view["summary"]["reading"]
    replay = sse(c, f"{base}/api/runs/{rid}/events?lang=uk")  # evicted at once: replayed from the store
    assert [e["type"] for e in replay] == [e["type"] for e in live] and replay[-1]["type"] == "summary"
    assert replay[-1]["summary"]["handoffs"] == view["summary"]["handoffs"]
    assert "потоки" in replay[-1]["summary"]["reading"] or "потік" in replay[-1]["summary"]["reading"]
    rows = list(csv.reader(io.StringIO(c.get(f"{base}/api/runs/{rid}/export/segments.csv").text)))
    assert rows[0] == ["thread", "state", "start_ms", "end_ms"] and len(rows) > 10
    trace = c.get(f"{base}/api/runs/{rid}/export/trace.json").json()
    assert {e["args"]["name"] for e in trace["traceEvents"] if e.get("name") == "thread_name"} >= {"cpu-1", "sleep-1"}
    assert (
        c.get(f"{base}/api/runs/{rid}/export/summary.json").json()["summary"]["handoffs"] == view["summary"]["handoffs"]
    )
    assert c.get(f"{base}/runs/{rid}").status_code == 200
    folded = c.get(f"{base}/api/runs/{rid}/export/stacks.folded")  # the GIL holder's stacks, from the stacks event
    assert folded.status_code == 200 and folded.headers["content-disposition"].endswith('-stacks.folded"')
    lines = folded.text.splitlines()
    assert lines and all(line.rpartition(" ")[2].isdigit() for line in lines)
    assert any(line.startswith("cpu-") and "hold.py" in line for line in lines)
    listed = c.get(f"{base}/api/runs?kind=sleep").json()
    assert rid in [r["id"] for r in listed["runs"]] and listed["total"] >= 1


@pytest.mark.parametrize(
    "path",
    [
        "/api/runs/nope0000",
        "/api/runs/nope0000/events",
        "/runs/nope0000",
        "/api/runs/nope0000/export/trace.json",
        "/api/runs/nope0000/export/segments.csv",
        "/api/runs/nope0000/export/summary.json",
        "/api/runs/nope0000/export/stacks.folded",
    ],
)
def test_unknown_ids_answer_404_json_everywhere(base, path):
    r = httpx.get(base + path)
    assert r.status_code == 404 and "nope0000" in r.json()["detail"]


def test_bad_listing_queries_are_422_naming_the_field(base):
    r = httpx.get(base + "/api/runs?limit=0")
    assert r.status_code == 422 and "limit" in r.text
    assert httpx.get(base + "/api/runs?interval_s=abc").status_code == 422
