"""Starts the experiment's worker: its own interpreter, its own limits, its own view of the project's code."""

from __future__ import annotations

import os
import signal
import subprocess

from gilscope.observe import scratch
from gilscope.observe.launch import child_limits


def start_worker(python: str, spec_path: str, code: str, stderr_path: str, memory_mb: int) -> subprocess.Popen:
    """The worker on spec_path; "-": it starts up (imports, the GIL's locator) and then waits for the spec's
    path on its stdin, a line (a runner started ahead of its run starts its worker ahead too)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = code
    env.pop("PYTHONSTARTUP", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["GILSCOPE_SCRATCH_PREFIX"] = scratch.prefix()  # the worker's own files carry its runner's name
    with open(stderr_path, "wb") as err:
        return subprocess.Popen(
            [python, "-m", "gilscope.experiment.worker", spec_path],
            stdin=subprocess.PIPE if spec_path == "-" else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=err,
            env=env,
            cwd=code,
            preexec_fn=lambda: child_limits(memory_mb),
        )


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"the experiment process was killed by {name}"
    return f"the experiment process exited with status {code}"
