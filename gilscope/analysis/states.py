"""The shared vocabulary of thread states on the timeline."""

from __future__ import annotations

HOLDING, WAITING, IO, NATIVE = 0, 1, 2, 3
STATE_NAMES = ("holding", "waiting", "io", "native")

FREE, OTHER = -1, -2  # holder strip: GIL not held; held by a thread that is not a workload thread
