"""Classroom limits set by environment: runs per client per minute, and the size of one streamed event."""

from __future__ import annotations

import json
import time

import httpx

from tests.server import running_server

SPEC = {"mix": [{"kind": "cpu", "threads": 2}], "switch_interval_s": 0.0005, "duration_s": 1.0}


def test_runs_per_client_per_minute(tmp_path):
    with running_server({"GILSCOPE_DATA": str(tmp_path), "GILSCOPE_RUNS_PER_CLIENT_PER_MINUTE": "2"}) as base:
        codes = [httpx.post(base + "/api/runs", json=SPEC).status_code for _ in range(3)]
        assert codes == [202, 202, 429]
        refused = httpx.post(base + "/api/runs", json=SPEC)
        assert "per client per minute" in refused.json()["detail"] and refused.headers["retry-after"]


def test_events_over_the_size_limit_keep_figures_and_say_what_they_dropped(tmp_path):
    with running_server({"GILSCOPE_DATA": str(tmp_path), "GILSCOPE_MAX_EVENT_BYTES": "3000"}) as base:
        rid = httpx.post(base + "/api/runs", json=SPEC).json()["id"]
        ticks = []
        with httpx.stream("GET", f"{base}/api/runs/{rid}/events", timeout=60) as r:
            for line in r.iter_lines():
                if line.startswith("data:"):
                    event = json.loads(line[5:])
                    assert len(line) < 3100 or event["type"] == "summary"
                    if event["type"] == "tick":
                        ticks.append(event)
        thinned = [t for t in ticks if "dropped_segments" in t]
        assert thinned and all(t["segments"] == [] and t["dropped_segments"] > 0 for t in thinned)
        assert all("figures" in t for t in ticks)
        for _ in range(50):
            if httpx.get(f"{base}/api/runs/{rid}").json()["status"] == "done":
                break
            time.sleep(0.1)
        assert httpx.get(f"{base}/api/runs/{rid}").json()["status"] == "done"
