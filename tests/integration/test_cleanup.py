"""Every run's files go however the run ends (done, failed, cancelled, the server stopping); a new server
sweeps what a dead one left, and never the files of a live one."""

import os
import signal
import tempfile
import time

import httpx

from gilscope.observe import scratch
from tests.server import server_process

FILE_RUN = {"mix": [{"kind": "file", "threads": 4}, {"kind": "cpu", "threads": 1}], "duration_s": 5}


def wait_status(base: str, rid: str, wanted: tuple[str, ...], timeout: float = 60) -> str:
    end = time.time() + timeout
    while time.time() < end:
        status = httpx.get(f"{base}/api/runs/{rid}").json()["status"]
        if status in wanted:
            return status
        time.sleep(0.05)
    raise AssertionError(f"{rid} never reached {wanted}")


def leftovers(owner_pid: int) -> list[str]:
    """The run files a server (owner_pid) still has on disk, named as gilscope.observe.scratch names them."""
    return [path for path, owner, _runner in scratch._run_entries() if owner == owner_pid]


def wait_clean(owner: int, timeout: float = 5) -> list[str]:
    end = time.time() + timeout
    while (left := leftovers(owner)) and time.time() < end:
        time.sleep(0.05)
    return left


def test_done_failed_and_cancelled_runs_leave_no_files(tmp_path):
    with server_process({"GILSCOPE_DATA": str(tmp_path)}) as (proc, base), httpx.Client() as browser:
        done = browser.post(f"{base}/api/runs", json={**FILE_RUN, "duration_s": 0.5}).json()["id"]
        assert wait_status(base, done, ("done",)) == "done"
        assert wait_clean(proc.pid) == []
        for _ in range(3):
            rid = browser.post(f"{base}/api/runs", json=FILE_RUN).json()["id"]
            wait_status(base, rid, ("running",))
            time.sleep(0.8)  # files written, probes filling
            assert leftovers(proc.pid), "a running run has files (else this test proves nothing)"
            assert browser.post(f"{base}/api/runs/{rid}/cancel").status_code == 200
            assert wait_status(base, rid, ("cancelled",)) == "cancelled"
            assert wait_clean(proc.pid) == []


def test_a_server_stopping_mid_run_removes_the_runs_files(tmp_path):
    with server_process({"GILSCOPE_DATA": str(tmp_path)}) as (proc, base):
        rid = httpx.post(f"{base}/api/runs", json=FILE_RUN).json()["id"]
        wait_status(base, rid, ("running",))
        time.sleep(0.8)
        assert leftovers(proc.pid)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
    assert wait_clean(proc.pid) == []


def test_start_sweeps_a_dead_servers_files_but_not_a_live_ones(tmp_path):
    dead = 2**22 + 12345  # above the default pid_max: no such process
    stale = tempfile.mkdtemp(prefix=f"gilscope-{dead}-{dead + 1}-run-")
    open(os.path.join(stale, "probes.bin"), "wb").close()
    live = tempfile.mkdtemp(prefix=f"gilscope-{os.getpid()}-{os.getpid()}-run-")  # this test process is alive
    try:
        with server_process({"GILSCOPE_DATA": str(tmp_path)}):
            assert not os.path.exists(stale)
            assert os.path.isdir(live)
    finally:
        os.rmdir(live)
