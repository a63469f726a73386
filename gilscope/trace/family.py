"""The traced program's processes: stopping it when it must end early, and its own children, so that none is
left behind.

A program may fork, start daemons or subprocesses that outlive it. The tracer notes them while the program runs
(the bootstrap's fork notes, and a walk of /proc/<pid>/task/*/children every half second) with their start
times, so that a pid reused by an unrelated process is never touched; when the program has ended, those still
running are asked to stop (SIGTERM), then killed. The CLI also makes itself a subreaper, so that orphans whose
parent died between two walks come back to it and are found as its own children.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import time

PR_SET_CHILD_SUBREAPER = 36


def stat(pid: int) -> tuple[str, int] | None:
    """(state letter, start time in clock ticks) of a process, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[0].decode(), int(fields[19])


def children_of(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out.extend(int(x) for x in f.read().split())
    except (OSError, ValueError):
        pass
    return out


def descendants(pid: int) -> dict[int, int]:
    """Every process below pid, with its start time."""
    out: dict[int, int] = {}
    todo = children_of(pid)
    while todo and len(out) < 10_000:
        child = todo.pop()
        st = stat(child)
        if st is None or child in out:
            continue
        out[child] = st[1]
        todo.extend(children_of(child))
    return out


def become_subreaper() -> None:
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


class Family:
    def __init__(self, root: int, reap_orphans: bool) -> None:
        self.root, self.reap_orphans = root, reap_orphans
        self.known: dict[int, int] = {}  # pid -> start time
        self.forks = 0

    def forked(self, pid: int) -> None:
        self.forks += 1
        st = stat(pid)
        if st is not None:
            self.known[pid] = st[1]

    def walk(self) -> None:
        self.known.update(descendants(self.root))

    def _alive(self, pid: int, start: int) -> bool:
        cur = stat(pid)
        return cur is not None and cur[1] == start and cur[0] != "Z"

    def stop(self) -> str | None:
        """Stops whatever of the family still runs; says so in words (None when nothing was left)."""
        left = {p: st for p, st in self.known.items() if self._alive(p, st)}
        if self.reap_orphans:
            for p in children_of(os.getpid()):
                cur = stat(p)
                if cur is not None and cur[0] != "Z":
                    left[p] = cur[1]
        left.pop(self.root, None)
        self.known.clear()
        if not left:
            self._reap()
            return None
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for p, st in left.items():
                if self._alive(p, st):
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.kill(p, sig)
            deadline = time.monotonic() + 1.0
            while time.monotonic() < deadline and any(self._alive(p, st) for p, st in left.items()):
                self._reap()
                time.sleep(0.02)
        self._reap()
        return (
            f"the program left {len(left)} process(es) running (pid {', '.join(map(str, sorted(left)[:8]))}); "
            "gilscope stopped them"
        )

    def _reap(self) -> None:
        if not self.reap_orphans:
            return
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass


class Stopper:
    """Stopping the program when it must end early, one step at a time: a hang past the timeout and Ctrl-C get
    SIGINT first (a traceback of where it was), then SIGKILL; SIGTERM or SIGHUP to gilscope are passed on."""

    GRACE_S = 2.0  # after SIGINT, before SIGKILL

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.how: str | None = None  # timeout, interrupted or terminated
        self.since = 0.0
        self.forwarded = self.killed = self.exited = False

    def send(self, sig: int) -> None:
        if self.pid > 0 and not self.exited:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)

    def kill(self) -> None:
        self.killed = True
        self.send(signal.SIGKILL)

    def _begin(self, how: str, forwarded: bool) -> bool:
        if self.how is not None:
            return False
        self.how, self.since, self.forwarded = how, time.monotonic(), forwarded
        return True

    def timed_out(self) -> None:
        if self._begin("timeout", forwarded=True):
            self.send(signal.SIGINT)

    def interrupted(self) -> None:
        """Ctrl-C: the terminal told the program too; if it has not ended shortly, it is told again, then
        killed. A second Ctrl-C kills it at once."""
        if not self._begin("interrupted", forwarded=False) and self.how == "interrupted":
            self.kill()

    def terminated(self, sig: int) -> None:
        self._begin("terminated", forwarded=True)
        self.send(sig)

    def escalate(self) -> None:
        if self.how is None or self.exited:
            return
        waited = time.monotonic() - self.since
        if not self.forwarded and waited > 0.5:
            self.forwarded = True
            self.send(signal.SIGINT)
        elif not self.killed and waited > self.GRACE_S + 0.5:
            self.kill()

    def reason(self, timeout_s: float | None) -> str:
        if self.how == "timeout":
            return f"the program ran past its {timeout_s or 0:g} s timeout and was stopped"
        if self.how == "terminated":
            return "gilscope was asked to stop (SIGTERM or SIGHUP), and so was the program"
        return "interrupted (Ctrl-C): the program was stopped"
