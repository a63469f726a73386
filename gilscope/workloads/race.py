"""The race lesson's workload: a read-modify-write of a shared counter spread over a function call.

The GIL keeps the interpreter's own state (reference counts) consistent, but a thread switch can land
inside the call, between the read and the write, and another thread's increments are then lost.
"""

from __future__ import annotations

import sys
from collections.abc import Callable


class Shared:
    def __init__(self) -> None:
        self.n = 0
        self.token = object()  # every thread churns references to this one object
        self.refcount_before = 0

    def mark(self) -> None:
        """Counts references once every thread holds its own (before the run): the run must not change it."""
        self.refcount_before = sys.getrefcount(self.token)


def _touch() -> None:
    """A function call between read and write: where the eval loop may hand the GIL over."""


def race(params: dict[str, float], ctx: dict) -> Callable[[], None]:
    shared: Shared = ctx["shared"].setdefault("race", Shared())
    n = int(params["chunk"])
    token = shared.token

    def unit() -> None:
        for _ in range(n):
            v = shared.n
            _touch()
            shared.n = v + 1
            refs = [token, token, token]
            del refs

    return unit


def report(shared: Shared, increments: int) -> dict:
    after = sys.getrefcount(shared.token)
    return {
        "expected": increments,
        "actual": shared.n,
        "lost": increments - shared.n,
        "refcount_before": shared.refcount_before,
        "refcount_after": after,
        "refcount_ok": after == shared.refcount_before,
    }
