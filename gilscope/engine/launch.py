"""Starts the worker: its own interpreter, its own limits, its own view of the project's code."""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import subprocess
import tempfile
from pathlib import Path

from gilscope.engine import scratch

PACKAGE = Path(__file__).resolve().parent.parent  # the gilscope package folder, wherever it is installed


def code_dir() -> str:
    """A folder holding only the gilscope package, so any interpreter on the list can import the worker
    without seeing this interpreter's site-packages."""
    d = tempfile.mkdtemp(prefix=scratch.prefix() + "code-")
    os.symlink(PACKAGE, os.path.join(d, "gilscope"))
    return d


def _child_limits(memory_mb: int) -> None:
    if memory_mb > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (256 << 20, 256 << 20))
    try:  # die with the sampler: a worker must never outlive its observer
        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start_worker(python: str, spec_path: str, code: str, stderr_path: str, memory_mb: int) -> subprocess.Popen:
    env = dict(os.environ)
    env["PYTHONPATH"] = code
    env.pop("PYTHONSTARTUP", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["GILSCOPE_SCRATCH_PREFIX"] = scratch.prefix()  # the worker's own files carry its runner's name
    with open(stderr_path, "wb") as err:
        return subprocess.Popen(
            [python, "-m", "gilscope.engine.worker", spec_path],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=err,
            env=env,
            cwd=code,
            preexec_fn=lambda: _child_limits(memory_mb),
        )


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"the experiment process was killed by {name}"
    return f"the experiment process exited with status {code}"
