"""What a child of ours needs before it starts, whichever pipeline starts it: its own view of the project's code
(a folder holding only the gilscope package) and its limits (memory, core files, death with its observer)."""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import tempfile
from pathlib import Path

from gilscope.observe import scratch

PACKAGE = Path(__file__).resolve().parent.parent  # the gilscope package folder, wherever it is installed


def code_dir() -> str:
    """A folder holding only the gilscope package, so any interpreter on the list can import the worker
    without seeing this interpreter's site-packages."""
    d = tempfile.mkdtemp(prefix=scratch.prefix() + "code-")
    os.symlink(PACKAGE, os.path.join(d, "gilscope"))
    return d


def child_limits(memory_mb: int) -> None:
    if memory_mb > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (256 << 20, 256 << 20))
    try:  # die with the sampler: a worker must never outlive its observer
        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
