"""How busy the machine was while a run ran: all CPUs' busy time from /proc/stat, minus the run's own
accounting (the worker's process CPU and the observer's), is what other processes took.

On a 2-core machine another process's half core is enough to bend hand-off rates and "cores used"; the run
records it so the page can say so instead of showing disturbed numbers as physics. Linux only; elsewhere the
run says it could not tell.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from gilscope.schema import MachineLoad

BUSY_FIELDS = (0, 1, 2, 5, 6, 7)  # user nice system irq softirq steal (idle and iowait are not busy)
DISTURBING_CORES = 0.5  # other processes using this much CPU on average can disturb the numbers


@dataclass(frozen=True)
class Mark:
    busy_ns: int
    wall_ns: int
    run_cpu_ns: int  # the observer (this process) and the worker together


def _busy_ns() -> int | None:
    try:
        with open("/proc/stat", "rb") as f:
            fields = f.readline().split()[1:]
    except OSError:
        return None
    if len(fields) < 8:
        return None
    ticks = sum(int(fields[i]) for i in BUSY_FIELDS)
    return ticks * 1_000_000_000 // os.sysconf("SC_CLK_TCK")


def process_cpu_ns(pid: int) -> int | None:
    """utime + stime of a process (also of one that has exited and is not yet reaped)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) * 1_000_000_000 // os.sysconf("SC_CLK_TCK")


def mark(worker_pid: int, worker_cpu_ns: int | None = None) -> Mark | None:
    """Now, for the machine and the run. A worker that has exited and been reaped has no /proc entry any
    more: its own last word on its CPU (worker_cpu_ns, since it started) stands in."""
    busy, worker = _busy_ns(), process_cpu_ns(worker_pid)
    if worker is None:
        worker = worker_cpu_ns
    if busy is None or worker is None:
        return None
    return Mark(busy, time.perf_counter_ns(), time.process_time_ns() + worker)


def load_between(start: Mark | None, end: Mark | None) -> MachineLoad:
    """The machine's load over [start, end]: cores busy in all, the run's own, and the others' share."""
    cpus = os.cpu_count() or 1
    if start is None or end is None or end.wall_ns <= start.wall_ns:
        return {
            "ok": False,
            "detail": "no /proc/stat: the machine's load is unknown",
            "cpus": cpus,
            "busy_cores": None,
            "run_cores": None,
            "others_cores": None,
            "others_share": None,
            "disturbed": None,
        }
    wall = end.wall_ns - start.wall_ns
    busy = (end.busy_ns - start.busy_ns) / wall
    own = (end.run_cpu_ns - start.run_cpu_ns) / wall
    others = max(0.0, busy - own)
    return {
        "ok": True,
        "detail": "",
        "cpus": cpus,
        "busy_cores": round(busy, 3),
        "run_cores": round(own, 3),
        "others_cores": round(others, 3),
        "others_share": round(others / cpus, 3),
        "disturbed": others >= DISTURBING_CORES,
    }
