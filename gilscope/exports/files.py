"""One way to write any export to a file, by its name, for `gilscope run`, `gilscope trace`, the notebook and
the API alike: *.csv the timeline's segments, *.folded the GIL holder's folded stacks (speedscope, inferno,
flamegraph.pl), anything else a Chrome trace (Perfetto, speedscope)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from gilscope.exports.chrome_trace import chrome_trace
from gilscope.exports.segments_csv import segments_csv
from gilscope.exports.stream import from_events


def render_export(
    fmt: str, events: Iterable[str | Mapping[str, Any]], spec: dict[str, Any] | None = None, title: str | None = None
) -> str:
    """The export's text: fmt is "csv" (segments), "folded" (stacks) or "chrome" (Chrome Trace Event JSON)."""
    run = from_events(events, spec)
    if fmt == "csv":
        return segments_csv(run)
    if fmt == "folded":
        return "".join(line + "\n" for line in run.folded)
    return chrome_trace(run, title=title) if title else chrome_trace(run)


def format_of(path: str) -> str:
    if path.endswith(".csv"):
        return "csv"
    return "folded" if path.endswith(".folded") else "chrome"


def write_export(
    path: str, events: Iterable[str | Mapping[str, Any]], spec: dict[str, Any] | None = None, title: str | None = None
) -> None:
    text = render_export(format_of(path), events, spec, title)
    with open(path, "w") as f:
        f.write(text)
