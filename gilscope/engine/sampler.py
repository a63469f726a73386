"""The parent's view of the GIL: reads the worker's GIL words and its threads' schedstat.

Runs in the sampler process (the worker's parent), never in the experiment's interpreter. It is driven by the
runner's deadline loop, which sleeps between reads; every sample carries its own time, and the sampler counts
what it missed, so the run can say how well it saw.
"""

from __future__ import annotations

import os
import random
import struct
import time
from array import array

from gilscope.engine.locate import STATE_BYTES
from gilscope.engine.memory import Memory

_GIL = struct.Struct("<QQiiQ")  # interval, last_holder, locked, (padding), switch_number


class GilSampler:
    def __init__(self, memory: Memory, address: int) -> None:
        self.memory, self.address = memory, address
        self.t = array("q")
        self.holder = array("Q")
        self.locked = array("b")
        self.switch = array("Q")
        self.gone = False

    def sample(self) -> bool:
        """Reads the four GIL words once. False once the worker's memory is gone."""
        try:
            raw = self.memory.read(self.address, STATE_BYTES)
        except OSError:
            raw = b""
        if len(raw) < STATE_BYTES:
            self.gone = True
            return False
        _interval, holder, locked, _pad, switch = _GIL.unpack(raw)
        self.t.append(time.perf_counter_ns())
        self.holder.append(holder)
        self.locked.append(1 if locked == 1 else 0)
        self.switch.append(switch)
        return True


class SchedStat:
    """Per-thread nanoseconds on CPU from /proc/<pid>/task/<tid>/schedstat (Linux only)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.fds: dict[int, int] = {}
        self.available = os.path.exists(f"/proc/{pid}/task")

    def watch(self, tid: int) -> bool:
        if tid in self.fds:
            return True
        try:
            self.fds[tid] = os.open(f"/proc/{self.pid}/task/{tid}/schedstat", os.O_RDONLY)
        except OSError:
            return False
        return True

    def read(self) -> dict[int, int]:
        out = {}
        for tid, fd in self.fds.items():
            try:
                out[tid] = int(os.pread(fd, 64, 0).split()[0])
            except (OSError, IndexError, ValueError):
                continue
        return out

    def rescan(self) -> None:
        """Watches every task of the process, including threads that C libraries start (BLAS)."""
        try:
            for name in os.listdir(f"/proc/{self.pid}/task"):
                self.watch(int(name))
        except OSError:
            pass

    def close(self) -> None:
        for fd in self.fds.values():
            os.close(fd)
        self.fds.clear()


class Pacer:
    """When to read next: jittered deadlines (no aliasing with periodic work in the worker), and an honest
    account of how late each read came and how many were missed."""

    def __init__(self, period_s: float) -> None:
        self.period = period_s
        self.next = time.perf_counter()
        self.late_s: list[float] = []
        self.missed = 0

    def due(self, now: float) -> bool:
        return now >= self.next

    def advance(self, now: float) -> None:
        self.late_s.append(now - self.next)
        self.next += self.period * (0.8 + 0.4 * random.random())
        if self.next < now:
            self.missed += int((now - self.next) / self.period) + 1
            self.next = now + self.period

    def late_ms_p90(self) -> float | None:
        if not self.late_s:
            return None
        ordered = sorted(self.late_s)
        return round(ordered[int(0.9 * (len(ordered) - 1))] * 1e3, 3)
