"""The traced program's threads as the tracer keeps them: each with its syscall and schedstat files open, its
sampled states, and its thread state address (which maps the GIL's holder word back to a name).

Threads come from the bootstrap's notes (Python threads, with their names) or from /proc/<pid>/task (threads
nobody announced: started by C libraries or outside `threading`), and leave by note or by vanishing. A program
with more threads than a sample can read is read in turn, a batch per sample; fractions stay fractions of each
thread's own samples.
"""

from __future__ import annotations

import contextlib
import errno
import os
import resource
from dataclasses import dataclass

from gilscope.analysis.trace_summary import ThreadRecord
from gilscope.observe.schedstat import open_schedstat, read_schedstat
from gilscope.records import HOLDING, NATIVE
from gilscope.trace.syscalls import RUNNING, SyscallFile, classify, parse

MAX_THREADS_PER_SAMPLE = 16


@dataclass
class Watched:
    rec: ThreadRecord
    index: int
    syscall: SyscallFile | None = None
    sched_fd: int = -1

    def read_cpu(self) -> None:
        """schedstat: time on a CPU, and time runnable but waiting for one (what `native` cannot tell)."""
        if self.sched_fd >= 0:
            got = read_schedstat(self.sched_fd)
            if got is not None:
                self.rec.cpu_ns, self.rec.run_delay_ns = got

    def close(self) -> None:
        if self.syscall is not None:
            self.syscall.close()
            self.syscall = None
        if self.sched_fd >= 0:
            os.close(self.sched_fd)
            self.sched_fd = -1


class ThreadTable:
    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.by_tid: dict[int, Watched] = {}
        self.order: list[Watched] = []
        self.owners: dict[int, int] = {}  # thread state address -> thread index (the holder strip reads it)
        self.live: list[Watched] = []  # with their files open: read every sample
        self.unwatched = 0  # threads without files (out of file descriptors)
        self.rotation = 0

    def add(self, tid: int, name: str, tstate: int, t_ns: int, python: bool) -> Watched:
        known = self.by_tid.get(tid)
        if known is not None and known.rec.end_ns is None:  # found in /proc first, announced now
            known.rec.name, known.rec.python = name, python or known.rec.python
            if tstate:
                known.rec.tstate = tstate
                self.owners[tstate] = known.index
            return known
        th = Watched(ThreadRecord(name=name, tid=tid, python=python, tstate=tstate, start_ns=t_ns), len(self.order))
        try:
            th.syscall = SyscallFile(self.pid, tid)
            th.sched_fd = open_schedstat(self.pid, tid)
        except OSError as exc:
            if exc.errno in (errno.EMFILE, errno.ENFILE):
                self.unwatched += 1
            th.close()
        self.by_tid[tid] = th
        self.order.append(th)
        if tstate:
            self.owners[tstate] = th.index  # an address reused by a later thread now names that thread
        if th.syscall is not None:
            self.live.append(th)
        return th

    def end(self, th: Watched, t_ns: int) -> None:
        if th.rec.end_ns is not None:
            return
        th.read_cpu()
        th.rec.end_ns = t_ns
        th.close()
        self.live = [t for t in self.live if t is not th]

    def end_all(self, t_ns: int) -> None:
        for th in list(self.order):
            self.end(th, t_ns)

    def scan(self, t_ns: int) -> None:
        """Threads nobody announced, and threads gone without a word (every tick)."""
        try:
            tids = {int(x) for x in os.listdir(f"/proc/{self.pid}/task")}
        except OSError:
            return
        for tid in tids - set(self.by_tid):
            try:
                with open(f"/proc/{self.pid}/task/{tid}/comm") as f:
                    comm = f.read().strip()
            except OSError:
                continue
            self.add(tid, f"{comm} ({tid})", 0, t_ns, python=False)
        for th in [t for t in self.live if t.rec.tid not in tids]:
            self.end(th, t_ns)
        for th in self.live:
            th.read_cpu()

    def sample(self, t_ns: int, holder: int, locked: int, gil_lo: int, gil_hi: int, futex: int | None) -> None:
        """Each live thread's state now (a batch of them when there are many)."""
        live = self.live
        if len(live) > MAX_THREADS_PER_SAMPLE:
            k = self.rotation % len(live)
            batch = (live[k:] + live[:k])[:MAX_THREADS_PER_SAMPLE]
            self.rotation += MAX_THREADS_PER_SAMPLE
        else:
            batch = live
        for th in batch:
            raw = th.syscall.read() if th.syscall is not None else b""
            if not raw:
                continue
            rec = th.rec
            if locked and holder == rec.tstate and holder:
                state = HOLDING
            elif raw[0] == 114:  # b"running": the common case, without parsing
                state = NATIVE
            else:
                nr, arg0 = parse(raw)
                state = classify(nr, arg0, False, gil_lo, gil_hi, futex) if nr != RUNNING else NATIVE
            rec.t.append(t_ns)
            rec.s.append(state)

    def close(self) -> None:
        for th in self.order:
            th.close()
        self.live = []


def raise_fd_limit() -> None:
    """Two files per live thread: a program with a thousand threads needs more than the usual 1,024. (Called
    after the program started, which keeps the limit it was given.)"""
    with contextlib.suppress(ValueError, OSError):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        want = 65_536 if hard == resource.RLIM_INFINITY else min(hard, 65_536)
        if soft != resource.RLIM_INFINITY and soft < want:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
