"""The live ingest route (POST /api/live, /api/live/{id}/events) of a real server: bad input is a 4xx naming the
field, only this machine may feed it, events reach a viewer of the run's stream as they come, a look's ticks are
kept only for its window, the end stores it like a saved trace; and `gilscope trace --live` feeds it for real."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from gilscope.web.app import create_app
from tests.server import running_server

INSTRUMENTS = {
    "locator": True,
    "locator_detail": "found",
    "proc_sampler": True,
    "proc_sampler_detail": "",
    "schedstat": True,
    "probes": False,
}
HELLO = {
    "type": "hello",
    "pid": 4242,
    "threads": [{"name": "loop", "kind": "python", "style": "hold", "region": "io"}],
    "python": {"version": "3.12.1", "implementation": "cpython", "gil_enabled": True},
    "interval_s": 0.005,
    "instruments": INSTRUMENTS,
    "live": {"window_s": 30.0, "program": ["app.py"]},
}


def tick(t_s: float) -> dict:
    ms = t_s * 1000
    return {
        "type": "tick",
        "t_s": t_s,
        "segments": [[0, 0, ms - 100, ms]],
        "holder": [[ms - 100, ms, 0]],
        "progress": [],
        "figures": {"handoffs": int(t_s * 10), "handoffs_per_s": 10.0},
    }


@pytest.fixture(scope="module")
def server():
    data = tempfile.mkdtemp(prefix="gilscope-live-")
    with running_server({"GILSCOPE_DATA": data}) as base:
        yield base


def _open(server: str) -> str:
    r = httpx.post(f"{server}/api/live", json={"program": ["app.py"], "pid": 4242})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _post(server: str, run_id: str, events: list[dict], end: dict | None = None) -> httpx.Response:
    body: dict = {"events": events}
    if end is not None:
        body["end"] = end
    return httpx.post(f"{server}/api/live/{run_id}/events", json=body, timeout=10)


def test_bad_input_is_refused_naming_the_field(server):
    run_id = _open(server)
    r = _post(server, run_id, [HELLO, {**tick(0.1), "t_s": "soon"}])
    assert r.status_code == 422 and "events.1.tick.t_s" in r.json()["error"], r.text
    r = _post(server, run_id, [{"type": "launch", "code": "import os"}])
    assert r.status_code == 422 and "events.0" in r.json()["error"], r.text
    r = _post(server, run_id, [tick(0.1)])
    assert r.status_code == 422 and "events.0.type" in r.json()["detail"], r.text
    r = httpx.post(f"{server}/api/live", json={"program": "app.py"})
    assert r.status_code == 422 and "program" in r.json()["error"], r.text
    assert _post(server, "nosuchlook", [HELLO]).status_code == 404
    r = _post(server, run_id, [HELLO], end={"status": "maybe"})
    assert r.status_code == 422 and "end.status" in r.json()["error"], r.text


def test_only_this_machine_may_feed_a_look():
    with TestClient(create_app()) as client:  # its address is "testclient": not a loopback one
        r = client.post("/api/live", json={"program": ["app.py"], "pid": 1})
        assert r.status_code == 403 and "loopback" in r.json()["detail"], r.text
        r = client.post("/api/live/abc/events", json={"events": []})
        assert r.status_code == 403


def _read_stream(url: str, out: list[dict]) -> None:
    with httpx.stream("GET", url, timeout=30) as r:
        for line in r.iter_lines():
            if line.startswith("data:"):
                out.append(json.loads(line[5:]))


def test_events_reach_a_viewer_as_they_come_and_the_end_stores_the_look(server):
    run_id = _open(server)
    assert _post(server, run_id, [HELLO, tick(0.1)]).status_code == 200
    assert httpx.get(f"{server}/api/now").json()["running"] == run_id  # /now follows the look
    seen: list[dict] = []
    viewer = threading.Thread(target=_read_stream, args=(f"{server}/api/runs/{run_id}/events", seen), daemon=True)
    viewer.start()
    threads = {"type": "threads", "first": 1, "threads": [{**HELLO["threads"][0], "name": "pool-1"}]}
    assert _post(server, run_id, [threads, tick(0.2)]).status_code == 200
    # a look of two minutes: of its ticks the server keeps its window (30 s) and a little more
    ticks = [tick(round(0.3 + k * 0.1, 1)) for k in range(1200)]
    for k in range(0, 1200, 200):
        assert _post(server, run_id, ticks[k : k + 200]).status_code == 200
    summary = httpx.get(f"{server}/api/runs/{run_id}").json()
    assert summary["status"] == "running" and summary["spec"]["program"] == ["app.py"]
    late: list[dict] = []
    latecomer = threading.Thread(target=_read_stream, args=(f"{server}/api/runs/{run_id}/events", late), daemon=True)
    latecomer.start()
    r = _post(server, run_id, [], end={"status": "failed", "error": "the program ended"})
    assert r.status_code == 200 and r.json()["status"] == "failed"
    viewer.join(timeout=20)
    latecomer.join(timeout=20)
    assert not viewer.is_alive() and not latecomer.is_alive()
    types = [e["type"] for e in seen]
    assert types[:2] == ["hello", "tick"] and "threads" in types and types[-1] == "failed"
    assert len([t for t in types if t == "tick"]) == 1202  # a viewer from the start got every tick
    late_ticks = [e["t_s"] for e in late if e["type"] == "tick"]
    assert late[0]["type"] == "hello" and "threads" in [e["type"] for e in late]
    assert 300 <= len(late_ticks) <= 360 and late_ticks[-1] == 120.2  # the last 35 s, not the whole look
    stored = httpx.get(f"{server}/api/runs/{run_id}").json()
    assert stored["status"] == "failed" and stored["error"] == "the program ended"
    listed = httpx.get(f"{server}/api/runs", params={"source": "trace"}).json()["runs"]
    assert run_id in [r["id"] for r in listed]
    assert _post(server, run_id, [tick(200.0)]).status_code == 409  # it has ended


def _run_to_end(server: str, seconds: float) -> str:
    spec = {"mix": [{"kind": "cpu", "threads": 1}], "duration_s": seconds}
    run_id = httpx.post(f"{server}/api/runs", json=spec, timeout=10).json()["id"]
    for _ in range(300):
        if httpx.get(f"{server}/api/runs/{run_id}", timeout=10).json()["status"] in ("done", "failed"):
            return run_id
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} did not end in 30 s")


def test_now_shows_the_newest_run_to_start_running_or_ended(server):
    """/now's run: a run that ended keeps the class's page until a newer one starts. A look left in flight from
    before it does not take the page back, and a run that started and ended between two asks is not missed."""
    first = _run_to_end(server, 0.3)
    assert httpx.get(f"{server}/api/now").json()["shown"] == first
    look = _open(server)
    assert _post(server, look, [HELLO, tick(0.1)]).status_code == 200
    now = httpx.get(f"{server}/api/now").json()
    assert now["running"] == look and now["shown"] == look  # the newest to start
    newer = _run_to_end(server, 0.3)
    now = httpx.get(f"{server}/api/now").json()
    assert now["running"] == look and now["shown"] == newer  # ended, but newer than the look still in flight
    assert _post(server, look, [], end={"status": "failed", "error": "the program ended"}).status_code == 200
    assert httpx.get(f"{server}/api/now").json()["shown"] == newer


def test_trace_live_feeds_the_server_and_the_run_is_stored_with_its_summary(server):
    code = "import threading\ndef spin():\n    n = 0\n    for i in range(3_000_000): n += i\n" + (
        "ts = [threading.Thread(target=spin) for _ in range(2)]\n[t.start() for t in ts]\n[t.join() for t in ts]\n"
    )
    out = subprocess.run(
        [sys.executable, "-m", "gilscope.cli", "trace", "--live", server, "--", sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    run_id = out.stderr.split("/runs/", 1)[1].split()[0]
    run = httpx.get(f"{server}/api/runs/{run_id}").json()
    assert run["status"] == "done" and run["summary"]["handoffs"] > 0 and run["spec"]["live"] is True
    events = []
    _read_stream(f"{server}/api/runs/{run_id}/events", events)
    types = [e["type"] for e in events]
    assert types[0] == "hello" and events[0]["live"]["program"][-2:] == ["-c", code]
    assert "tick" in types and "holders" in types and types[-1] == "summary"
    segments = [s for e in events if e["type"] == "tick" for s in e["segments"]]
    assert {s[0] for s in segments} >= {1, 2}  # both spinning threads have lanes (announced after the hello)


def test_no_server_says_how_to_start_one():
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "gilscope.cli",
            "trace",
            "--live",
            "http://127.0.0.1:9",
            "--",
            sys.executable,
            "-c",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2 and "gilscope serve" in out.stderr and "127.0.0.1:9" in out.stderr, out.stderr
