"""A watchdog fails a runner that goes silent, and the queue moves on."""

import json
import os
import signal
import time

import httpx

from tests.server import running_server


def test_a_silent_runner_is_stopped_and_the_next_run_goes_ahead(tmp_path):
    env = {"GILSCOPE_DATA": str(tmp_path), "GILSCOPE_WATCHDOG_SILENCE_S": "2"}
    with running_server(env) as base, httpx.Client() as c:
        rid = c.post(base + "/api/runs", json={"mix": [{"kind": "cpu", "threads": 1}], "duration_s": 20}).json()["id"]
        nxt = c.post(base + "/api/runs", json={"mix": [{"kind": "cpu", "threads": 1}], "duration_s": 0.3}).json()["id"]
        worker = None
        with c.stream("GET", f"{base}/api/runs/{rid}/events", timeout=30) as r:
            for line in r.iter_lines():
                if line.startswith("data:") and '"hello"' in line:
                    worker = json.loads(line[5:])["pid"]
                    break
        runner = int(open(f"/proc/{worker}/stat").read().rsplit(")", 1)[1].split()[1])  # the worker's parent
        os.kill(runner, signal.SIGSTOP)  # hung: alive, silent
        t0 = time.monotonic()
        while (status := c.get(f"{base}/api/runs/{rid}").json())["status"] not in ("done", "failed", "cancelled"):
            assert time.monotonic() - t0 < 10, "the watchdog never fired"
            time.sleep(0.1)
        assert status["status"] == "failed" and "watchdog" in status["error"] and "silent" in status["error"]
        for _ in range(100):
            if c.get(f"{base}/api/runs/{nxt}").json()["status"] == "done":
                break
            time.sleep(0.1)
        assert c.get(f"{base}/api/runs/{nxt}").json()["status"] == "done"
