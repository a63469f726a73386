"""The parent's view of the GIL: reads the observed process's GIL words, paced.

Runs in the sampler process (the worker's parent), never in the experiment's interpreter. It is driven by the
runner's deadline loop, which sleeps between reads; every sample carries its own time, and the sampler counts
what it missed, so the run can say how well it saw.
"""

from __future__ import annotations

import random
import struct
import time
from array import array

from gilscope.observe.locate import STATE_BYTES
from gilscope.observe.memory import Memory

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
