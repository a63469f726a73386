"""A thread's /proc/<pid>/task/<tid>/schedstat (Linux): nanoseconds on a CPU, and nanoseconds runnable but
waiting for one. Both pipelines read it: the experiment for every task of its worker, the trace per thread."""

from __future__ import annotations

import os


def open_schedstat(pid: int, tid: int) -> int:
    """A file descriptor to pread from; raises OSError (the thread is gone, or out of descriptors)."""
    return os.open(f"/proc/{pid}/task/{tid}/schedstat", os.O_RDONLY)


def read_schedstat(fd: int) -> tuple[int, int] | None:
    """(on-CPU ns, run-delay ns), or None once the thread is gone."""
    try:
        fields = os.pread(fd, 64, 0).split()
        return int(fields[0]), int(fields[1])
    except (OSError, IndexError, ValueError):
        return None


def available(pid: int) -> bool:
    return os.path.exists(f"/proc/{pid}/task")


class SchedStat:
    """Every task of one process (threads that C libraries start, such as BLAS's, included): on-CPU ns each."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.fds: dict[int, int] = {}
        self.available = available(pid)

    def watch(self, tid: int) -> bool:
        if tid in self.fds:
            return True
        try:
            self.fds[tid] = open_schedstat(self.pid, tid)
        except OSError:
            return False
        return True

    def read(self) -> dict[int, int]:
        out = {}
        for tid, fd in self.fds.items():
            got = read_schedstat(fd)
            if got is not None:
                out[tid] = got[0]
        return out

    def rescan(self) -> None:
        try:
            for name in os.listdir(f"/proc/{self.pid}/task"):
                self.watch(int(name))
        except OSError:
            pass

    def close(self) -> None:
        for fd in self.fds.values():
            os.close(fd)
        self.fds.clear()
