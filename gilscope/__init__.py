"""gilscope: see CPython's GIL at work.

The public Python API: ``gilscope.trace(...)`` runs your own program under the microscope, and
``%load_ext gilscope`` brings the ``%%gilscope`` cell magic to Jupyter. ``import gilscope`` stays light: nothing
here imports the engine, the web stack or IPython until it is called (the traced program's own interpreter
imports this package too, before the program runs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from gilscope.schema import Summary

__all__ = ["load_ipython_extension", "trace"]


def trace(
    program: str | Sequence[str],
    *args: str,
    interval: float | str | None = None,
    timeout: float | None = None,
    json: str | None = None,
    export: str | None = None,
    save: bool = False,
    capture: bool | None = None,
) -> Summary:
    """Runs a Python program and returns what its GIL did: the summary `gilscope trace` prints.

    program: a script's path (with args after it), or a command list: ["script.py", ...], ["-m", "pytest"],
    or ["python3.12", "-m", "pytest"]. interval: the switch interval, in seconds or as "5ms". The program's
    output goes where ours goes (captured and passed on when ours is not a real terminal or file, as in a
    notebook). json/export write the summary and a Chrome trace; save keeps the run in the dashboard's history.
    Raises gilscope.trace.program.TraceError when the program cannot be traced, saying why.
    """
    from gilscope.notebook import run_trace

    result = run_trace(
        program,
        *args,
        interval=interval,
        timeout=timeout,
        json_path=json,
        export=export,
        save_run=save,
        capture=capture,
    )
    return result.summary


_trace = trace  # what the package gilscope.trace calls once it has replaced this attribute (see its docstring)


def load_ipython_extension(ipython: Any) -> None:
    """%load_ext gilscope: registers the %%gilscope cell magic."""
    from gilscope.notebook import register

    register(ipython)
