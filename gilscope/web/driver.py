"""Driving a run's runner process: the web server never measures anything itself.

`python -m gilscope.experiment.runner` does, in a session of its own, and its JSON lines become the run's events.
The next run's runner is started while nothing is measured (the spare), a watchdog stops a run that goes past
its time cap or whose observer falls silent, and a cancel kills the runner and its worker together.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from collections.abc import Callable

from gilscope.config import Limits
from gilscope.observe import scratch
from gilscope.web.live_run import FINAL, Run, event_type

WATCHDOG_SLACK_S = 15.0  # past the spec's own time cap, before the watchdog stops a run
REAP_TIMEOUT_S = 5.0

# Ends a run: (run, status, error, its final event or None for one built from the status)
Finish = Callable[[Run, str, str | None, str | None], None]


class Driver:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.spare: asyncio.subprocess.Process | None = None
        self.stopping = False

    async def prepare(self) -> None:
        """Starts the next run's observer while nothing is measured, so its start-up costs no run anything."""
        if not self.stopping and (self.spare is None or self.spare.returncode is not None):
            self.spare = await _start_runner()

    async def execute(self, run: Run, finish: Finish) -> None:
        """Runs the run to its end in a runner process (the spare when there is one); `finish` ends it."""
        proc = self.spare if self.spare is not None and self.spare.returncode is None else await _start_runner()
        self.spare = None
        try:
            await self._drive(run, proc, finish)
        finally:  # however the run ends, its files go: probe folder, code folder, the worker's own files
            if proc.returncode is None:
                _kill_group(proc.pid)
            scratch.remove_run_files(os.getpid(), proc.pid)

    def kill(self, run: Run) -> bool:
        """Kills a running run's runner and worker; False if it has no process (yet)."""
        if run.proc is None:
            return False
        _kill_group(run.proc.pid)
        return True

    async def stop(self, running: Run | None) -> None:
        """Server shutdown: the running run's runner and the spare are killed, reaped and their files removed."""
        self.stopping = True
        procs = [p for p in (running.proc if running else None, self.spare) if p is not None]
        for proc in procs:
            if proc.returncode is None:
                _kill_group(proc.pid)
        for proc in procs:
            try:
                await asyncio.wait_for(proc.wait(), timeout=REAP_TIMEOUT_S)  # reaped: no zombie
            except TimeoutError:
                pass
            scratch.remove_run_files(os.getpid(), proc.pid)

    async def _drive(self, run: Run, proc: asyncio.subprocess.Process, finish: Finish) -> None:
        assert proc.stdin is not None
        proc.stdin.write(run.spec.model_dump_json().encode() + b"\n")
        await proc.stdin.drain()
        proc.stdin.close()
        run.proc = proc
        failure: str | None = None
        assert proc.stdout is not None and proc.stderr is not None
        deadline = time.monotonic() + run.spec.time_cap_s() + WATCHDOG_SLACK_S
        comparing = False  # the one-thread comparison streams nothing until its end
        while True:
            left = deadline - time.monotonic()
            silence = self.limits.watchdog_silence_s
            wait = left if comparing else min(left, silence)
            try:
                line = await asyncio.wait_for(proc.stdout.readline(), timeout=max(0.0, wait))
            except TimeoutError:
                failure = (
                    f"stopped by the watchdog: the run went past its time cap of {run.spec.time_cap_s():.0f} s"
                    if left <= wait
                    else f"stopped by the watchdog: the experiment's observer was silent for {silence:g} s"
                )
                _kill_group(proc.pid)
                break
            if not line or not line.endswith(b"\n"):
                break  # the end, or a last line cut short by a kill: nothing more to read
            text = line.decode(errors="replace").strip()
            if not text or run.status in FINAL:
                continue
            kind = event_type(text)
            if kind == "tick" and len(text) > self.limits.max_event_bytes:
                text = self._thin(run, text)
            elif kind == "stacks" and len(text) > self.limits.max_event_bytes:
                text = thin_stacks(text, self.limits.max_event_bytes)
            if kind == "summary":
                run.summary = json.loads(text)["summary"]
                finish(run, "done", None, text)  # viewers may ask for the run at once
            elif kind == "failed":
                failure = json.loads(text).get("error") or "the run failed"
            else:
                comparing = comparing or (kind == "phase" and '"baseline"' in text)
                run.add(text)
        code = await proc.wait()
        err = (await proc.stderr.read()).decode(errors="replace").strip().splitlines()[-3:]
        if run.status in FINAL:
            return
        if run.status == "cancelling" and not (failure or "").startswith("stopped by the watchdog"):
            finish(run, "cancelled", "cancelled by request", None)
        elif failure is not None:
            finish(run, "failed", failure, None)
        else:
            why = (
                f"the experiment's observer exited with status {code}"
                if code >= 0
                else f"the experiment's observer was killed by {signal.Signals(-code).name}"
            )
            finish(run, "failed", why + (": " + " | ".join(err) if err else ""), None)

    def _thin(self, run: Run, text: str) -> str:
        """An event over the size limit keeps its figures and drops its timeline segments, saying how many."""
        event = json.loads(text)
        dropped = len(event.get("segments", [])) + len(event.get("holder", []))
        event["segments"], event["holder"] = [], []
        event["dropped_segments"] = dropped
        run.dropped_segments += dropped
        return json.dumps(event, separators=(",", ":"))


def thin_stacks(text: str, limit: int) -> str:
    """A stacks event over the size limit: the timed samples go first, then the lightest folded stacks, each
    counted (dropped_samples, dropped_stacks) so that the page and the exports say what is missing."""
    event = json.loads(text)
    event["dropped_samples"] = len(event.pop("samples", []))
    event.pop("frames", None)
    event.pop("sample_ms", None)
    folded = sorted(event.get("folded", []), key=lambda line: -int(line.rpartition(" ")[2] or 0))
    kept: list[str] = []
    size = len(json.dumps(event, separators=(",", ":"))) + 64
    for line in folded:
        if size + len(line) + 3 > limit:
            break
        kept.append(line)
        size += len(line) + 3
    event["dropped_stacks"] = len(folded) - len(kept)
    event["folded"] = kept
    return json.dumps(event, separators=(",", ":"))


async def _start_runner() -> asyncio.subprocess.Process:
    """A runner (the sampler) in a session of its own: a cancel kills it and its worker together."""
    env = {**os.environ, scratch.OWNER_ENV: str(os.getpid())}  # its files carry this server's name
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "gilscope.experiment.runner",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
        limit=64 << 20,
        env=env,
    )


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
