"""gilscope in Python and Jupyter: gilscope.trace(...) and the %%gilscope cell magic.

The magic writes the cell to a file and traces it in a process of its own (the cell does not see the notebook's
variables: a traced program must own its interpreter's GIL). The cell's prints and errors pass into the cell as
usual; then the timeline shows inline as a Plotly figure in the application/vnd.plotly.v1+json mimetype, built
here as plain JSON (no plotly.js is fetched from anywhere: the notebook's own renderer draws it), under a line
that names the hand-offs. IPython is imported only when the extension is loaded.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
from collections.abc import Sequence
from typing import Any, cast

from gilscope.analysis.terminal import holder_lines
from gilscope.analysis.trace_summary import summary_line
from gilscope.exports import RunData, from_events
from gilscope.records import FREE, FREE_COLOUR, OTHER, OTHER_COLOUR, STATE_COLOURS, THREAD_COLOURS
from gilscope.schema import Summary
from gilscope.trace.program import Program, TraceError, from_command, from_module, from_script
from gilscope.trace.tracer import TraceResult, trace

PLOTLY_MIME = "application/vnd.plotly.v1+json"
BINS = 1200  # the figure's time resolution: about one bin per pixel
STATE_LABELS = ("holding", "waiting", "blocked", "native")  # records.IO is "blocked" for a traced program
MAX_ROWS = 40


def program_of(program: str | Sequence[str], args: Sequence[str] = ()) -> Program:
    """A script path, or a command list: [script.py, ...], [-m, module, ...] or [python, ...]."""
    words = [program, *args] if isinstance(program, str | os.PathLike) else [*program, *args]
    words = [os.fspath(w) for w in words]
    if not words:
        raise TraceError("nothing to trace")
    if words[0] == "-m":
        return from_module(words[1] if len(words) > 1 else "", words[2:])
    if (
        words[0].endswith((".py", ".pyw", ".pyz"))
        or os.path.isdir(words[0])
        or len(words) == 1
        and os.path.isfile(words[0])
    ):
        return from_script(words)
    return from_command(words)


def _interval(value: float | str | None) -> float | None:
    if value is None or isinstance(value, float | int):
        return value
    from gilscope.cli import parse_interval

    return parse_interval(value)


def _needs_capture() -> bool:
    """Our stdout and stderr are the process's own fds 1 and 2 (a terminal, a file): the program writes there
    itself. Anything else (a notebook's streams) gets the program's output passed on."""
    out, err = sys.stdout, sys.stderr
    try:
        return not (out.fileno() == 1 and err.fileno() == 2 and out is sys.__stdout__ and err is sys.__stderr__)
    except (AttributeError, OSError, ValueError):
        return True


def run_trace(
    program: str | Sequence[str],
    *args: str,
    interval: float | str | None = None,
    timeout: float | None = None,
    json_path: str | None = None,
    export: str | None = None,
    save_run: bool = False,
    capture: bool | None = None,
) -> TraceResult:
    """gilscope.trace's engine: the whole TraceResult (summary, events, exit)."""
    p = program_of(program, args)
    if capture is None:
        capture = _needs_capture()
    result = trace(
        p,
        interval_s=_interval(interval),
        timeout_s=timeout,
        out=sys.stdout if capture else None,
        err=sys.stderr if capture else None,
    )
    if json_path:
        import json

        with open(json_path, "w") as f:
            json.dump(result.summary, f, indent=2)
    if export:
        from gilscope.cli import trace_title
        from gilscope.exports.files import write_export

        write_export(export, result.events, title=trace_title(result.record.program))
    if save_run:
        from gilscope.store import NotSaved, save_trace

        try:
            result.summary["trace"]["run_id"] = save_trace(result, client="python")
        except NotSaved as exc:
            raise TraceError(str(exc)) from None
    return result


# -- the figure --------------------------------------------------------------------------------------------
def _binned(
    segments: list[tuple[int, int, float, float]], n_threads: int, wall_ms: float
) -> list[tuple[int, int, float, float]]:
    """At most BINS segments a thread: each bin takes the state that filled most of it. A figure of a long
    program stays small, and what shows is what dominated each pixel."""
    width = max(wall_ms / BINS, 1e-6)
    fill = [[[0.0] * 4 for _ in range(BINS + 1)] for _ in range(n_threads)]
    for i, state, a, b in segments:
        if not 0 <= i < n_threads or not 0 <= state < 4:
            continue
        k = int(a // width)
        while a < b and k <= BINS:
            edge = min(b, (k + 1) * width)
            fill[i][k][state] += edge - a
            a, k = edge, k + 1
    out: list[tuple[int, int, float, float]] = []
    for i in range(n_threads):
        run: tuple[int, float] | None = None  # (state, start)
        for k, f in enumerate(fill[i]):
            state = max(range(4), key=f.__getitem__) if max(f) > 0 else -1
            if run is not None and state != run[0]:
                if run[0] >= 0:
                    out.append((i, run[0], run[1], k * width))
                run = None
            if run is None:
                run = (state, k * width)
        if run is not None and run[0] >= 0:
            out.append((i, run[0], run[1], min(wall_ms, (BINS + 1) * width)))
    return out


def figure(run: RunData | TraceResult) -> dict[str, Any]:
    """The timeline as a Plotly figure in plain JSON: a row per thread (coloured by state, fractions in the
    labels) and the sampled GIL holder on top."""
    if isinstance(run, TraceResult):
        run = from_events(run.events)
    summary: dict[str, Any] = run.summary or {}
    names = run.threads[:MAX_ROWS]
    n = len(names)
    wall_ms = float(summary.get("wall_s") or 0) * 1e3 or max((b for *_x, b in run.segments), default=1.0)
    states = {t["name"]: t.get("states") or {} for t in summary.get("threads", [])}
    labels = [
        f"{name} ({states.get(name, {}).get('holding', 0):.0%} holding)" if states.get(name) else name for name in names
    ]
    holder_row = "GIL holder (sampled)"
    data: list[dict[str, Any]] = []
    segments = _binned(run.segments, n, wall_ms)
    for state, label in enumerate(STATE_LABELS):
        segs = [seg for seg in segments if seg[1] == state]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": label,
                "legendgroup": "states",
                "marker": {"color": STATE_COLOURS[state], "line": {"width": 0}},
                "y": [labels[i] for i, *_r in segs],
                "base": [round(a, 3) for *_l, a, _b in segs],
                "x": [round(b - a, 3) for *_l, a, b in segs],
                "hovertemplate": f"{label} from %{{base:.1f}} ms for %{{x:.2f}} ms<extra>%{{y}}</extra>",
            }
        )
    holders = [(a, b, who) for a, b, who in run.holder if who != FREE]
    for who in sorted({w for *_ab, w in holders}):
        mine = [(a, b) for a, b, w in holders if w == who]
        name = names[who] if 0 <= who < n else "another thread" if who == OTHER else f"thread {who}"
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": name,
                "legendgroup": "holder",
                "showlegend": False,
                "marker": {
                    "color": THREAD_COLOURS[who % len(THREAD_COLOURS)]
                    if who >= 0
                    else (FREE_COLOUR if who == FREE else OTHER_COLOUR)
                },
                "y": [holder_row] * len(mine),
                "base": [round(a, 3) for a, _b in mine],
                "x": [round(max(b - a, 0.01), 3) for a, b in mine],
                "hovertemplate": f"{name} held the GIL<extra></extra>",
            }
        )
    title = summary_line(cast(Summary, summary)) if summary.get("threads") is not None else "gilscope trace"
    rows = [holder_row, *labels] if holders else labels
    return {
        "data": data,
        "layout": {
            "title": {"text": title, "font": {"size": 14}},
            "barmode": "overlay",
            "bargap": 0.25,
            "height": 140 + 32 * len(rows),
            "margin": {"l": 10, "r": 10, "t": 50, "b": 40},
            "xaxis": {"title": {"text": "ms since the program started"}, "range": [0, wall_ms], "zeroline": False},
            "yaxis": {"categoryorder": "array", "categoryarray": list(reversed(rows)), "automargin": True},
            "legend": {"orientation": "h", "y": -0.25 if len(rows) < 4 else -0.1},
            "plot_bgcolor": "#ffffff",
        },
    }


def display(result: TraceResult) -> None:
    """Shows the line and the figure in the notebook (IPython's display, imported only now)."""
    from IPython.display import display as show  # type: ignore[import-not-found,unused-ignore]

    line = summary_line(result.summary)
    print(line)
    for holder in holder_lines(result.summary, top=3):  # where the GIL was held, and who waited behind it
        print(holder)
    show({PLOTLY_MIME: figure(result), "text/plain": f"<gilscope timeline: {line}>"}, raw=True)


# -- the magic -------------------------------------------------------------------------------------------
def _magic_args(line: str) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="%%gilscope", add_help=False)
    p.add_argument("--interval", default=None)
    p.add_argument("--timeout", type=float, default=None)
    p.add_argument("--json", default=None)
    p.add_argument("--export", default=None)
    p.add_argument("--save", action="store_true")
    p.add_argument("--python", default=None, help="another interpreter to run the cell under")
    return p.parse_args(shlex.split(line))


def run_cell(line: str, cell: str) -> TraceResult | None:
    """%%gilscope [--interval 5ms] [--timeout S] [--json F] [--export F] [--save] [--python P]: the cell, as a
    program of its own, traced; its output and errors show in the cell; then the line and the figure."""
    try:
        args = _magic_args(line)
    except SystemExit:  # argparse said what was wrong, with the usage
        return None
    fd, path = tempfile.mkstemp(prefix="gilscope-cell-", suffix=".py")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(cell)
        program: list[str] = [args.python, path] if args.python else [path]
        result = run_trace(
            program,
            interval=args.interval,
            timeout=args.timeout,
            json_path=args.json,
            export=args.export,
            save_run=args.save,
            capture=True,
        )
    except TraceError as exc:
        print(f"gilscope: {exc}", file=sys.stderr)
        return None
    finally:
        os.unlink(path)
    display(result)
    if result.error:
        print(f"gilscope: {result.error}", file=sys.stderr)
    elif result.exit_code:
        print(f"gilscope: the cell's program ended with status {result.exit_code}", file=sys.stderr)
    return result


def register(ipython: Any) -> None:
    from IPython.core.magic import Magics, cell_magic, magics_class  # type: ignore[import-not-found,unused-ignore]

    @magics_class
    class GilscopeMagics(Magics):
        @cell_magic
        def gilscope(self, line: str, cell: str) -> None:
            """Runs the cell in a process of its own and shows what its GIL did (see gilscope.notebook)."""
            run_cell(line, cell)

    ipython.register_magics(GilscopeMagics)
