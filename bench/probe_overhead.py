"""Probe overhead: the same pure-Python loop with and without the worker's probes, side by side in one run.

Target: probed/plain time per unit <= 1.05. Run: python -m bench.probe_overhead
"""

from __future__ import annotations

import ctypes
import statistics
import sys
import time

from gilscope.experiment.worker import Probe, run_hold
from gilscope.observe.locate import FIELD_SWITCH_NUMBER, GilLocation, locate
from gilscope.records import total_words
from gilscope.workloads.hold import cpu

SECONDS = 0.5
ROUNDS = 7


def plain_rate(unit) -> float:
    now = time.perf_counter_ns
    deadline = now() + int(SECONDS * 1e9)
    t0, units = now(), 0
    while now() < deadline:  # the same deadline check the probed loop makes, without the stamps
        unit()
        units += 1
    return units / ((now() - t0) / 1e9)


def probed_rate(unit, words, counter) -> float:
    probe = Probe(words, 1, 100_000, 0)
    t0 = time.perf_counter_ns()
    units = run_hold(probe, unit, counter, t0 + int(SECONDS * 1e9))
    return units / ((time.perf_counter_ns() - t0) / 1e9)


def main() -> int:
    found = locate()
    sys.setswitchinterval(0.005)
    if not isinstance(found, GilLocation):
        print(f"no GIL locator here ({found}); probes would read no counter")
        return 1
    counter = ctypes.c_ulong.from_address(found.address + FIELD_SWITCH_NUMBER)
    words = (ctypes.c_int64 * total_words(1, 100_000))()
    unit = cpu({"chunk": 1000})
    ratios = []
    for _ in range(ROUNDS):
        a = plain_rate(unit)
        b = probed_rate(unit, words, counter)
        ratios.append(a / b)
    print(
        f"probe overhead: probed/plain time per unit, median of {ROUNDS} alternating rounds: "
        f"{statistics.median(ratios):.3f} (min {min(ratios):.3f}, max {max(ratios):.3f}; target <= 1.05)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
