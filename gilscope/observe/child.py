"""What every child of ours does before its work begins, whichever pipeline started it (the experiment's worker
or the trace's bootstrap): let its parent read its memory, and tell it where the GIL is. Stdlib only: it runs
inside the observed interpreter, any CPython 3.11 or newer."""

from __future__ import annotations

import ctypes
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for the type checker only: the child imports nothing beyond the stdlib
    from gilscope.observe.locate import GilLocation
    from gilscope.schema import GilBlock, PythonInfo

PR_SET_PDEATHSIG = 1
PR_SET_PTRACER = 0x59616D61
SIGKILL = 9


def _prctl(option: int, arg: int) -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(option, arg, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def allow_parent_to_read(parent: int | None = None) -> None:
    """Under Yama ptrace_scope=1 only an ancestor may read our memory; name the observer explicitly too (EINVAL
    where Yama is absent: ignored)."""
    _prctl(PR_SET_PTRACER, os.getppid() if parent is None else parent)


def die_with_parent() -> None:
    """A child must never outlive its observer: SIGKILL when the parent dies."""
    _prctl(PR_SET_PDEATHSIG, SIGKILL)


def python_block(gil_enabled: bool) -> PythonInfo:
    """The hello's `python` block: which interpreter this is."""
    return {
        "version": sys.version.split()[0],
        "implementation": sys.implementation.name,
        "executable": sys.executable,
        "gil_enabled": gil_enabled,
    }


def stacks_block() -> dict[str, Any]:
    """The hello's `stacks` block: this interpreter's frame layout, learned and checked against its own frames
    (gilscope.observe.stacks), or the reason the parent must go without stacks."""
    try:
        from gilscope.observe.stacks import learn_layout

        found = learn_layout()
    except Exception as exc:  # never let learning stop the program: the run says stacks are unavailable
        return {"reason": f"learning the frame layout failed: {exc!r}"}
    return {"reason": found} if isinstance(found, str) else {"layout": found.to_json()}


def gil_block(found: GilLocation | str) -> GilBlock:
    """The hello's `gil` block from locate()'s answer: the GIL's address, or the reason there is none."""
    if isinstance(found, str):
        return {"reason": found}
    return {
        "address": found.address,
        "runtime_offset": found.runtime_offset,
        "scanned_bytes": found.scanned_bytes,
    }
