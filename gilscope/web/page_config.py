"""The constants the page needs, taken from where the server keeps them (never copied into the JavaScript).

States and their colours, the GIL-holder codes and thread colours come from gilscope.records; the lane count,
the interval and duration bounds from gilscope.config.limits(); the defaults from RunSpec. The page gets them
twice over: embedded in every HTML page as JSON (``<script type="application/json" id="gilscope-config">``, so
the first paint needs no request) and from GET /api/page-config.
"""

from __future__ import annotations

import json
import math

from gilscope import records
from gilscope.analysis.holders import LONG_HOLD_INTERVALS, LONG_HOLD_MIN_S
from gilscope.config import limits
from gilscope.spec import MIN_DURATION_S, RunSpec

try:
    from typing_extensions import TypedDict  # pydantic reads TypedDicts from here on Python 3.11
except ImportError:  # pragma: no cover
    from typing import TypedDict

STATE_CODES = (records.HOLDING, records.WAITING, records.IO, records.NATIVE)  # the order of STATE_NAMES
FREE_COLOUR, OTHER_COLOUR = records.FREE_COLOUR, records.OTHER_COLOUR
# What is laid over the timeline (long holds, the samples of a frame chosen in the icicle): near-black, which
# no state uses and only the last thread colour comes close to.
MARK_COLOUR = "#111111"
# Shortest run RunSpec accepts (its duration validator's lower bound).
# The interval slider's readable steps per decade (1, 1.5, 2, 3, 5, 7 x 10^k ms): one arrow-key press each.
MANTISSAS = (1.0, 1.5, 2.0, 3.0, 5.0, 7.0)


class StateInfo(TypedDict):
    code: int  # the int in segments: [thread, state, t0_ms, t1_ms]
    name: str  # also the page's string-table key suffix: st_<name>
    colour: str


class HolderCodes(TypedDict):
    free: int  # the GIL is not held
    other: int  # held by a thread that is not a workload thread
    free_colour: str
    other_colour: str


class Marks(TypedDict):
    colour: str  # long holds and a chosen frame's samples on the timeline
    long_hold_min_ms: float  # a hold is long from max(this, long_hold_intervals x the switch interval)
    long_hold_intervals: float


class PageConfig(TypedDict):
    """What the page draws with and offers: one source, the server's."""

    states: list[StateInfo]
    holder: HolderCodes
    thread_colours: list[str]
    marks: Marks
    lanes: int  # thread lanes at most: limits().max_threads
    interval_steps_ms: list[float]  # the slider's stops, smallest to largest
    default_interval_ms: float
    min_interval_ms: float
    max_interval_ms: float
    min_duration_s: float
    max_duration_s: float
    default_duration_s: float


def interval_steps_ms(lo_ms: float, hi_ms: float, must: float | None = None) -> list[float]:
    """Readable stops from lo to hi (both included, and `must` too): 0.05, 0.07, 0.1, 0.15 ... 70, 100."""
    out = {_round(lo_ms), _round(hi_ms)}
    if must is not None and lo_ms <= must <= hi_ms:
        out.add(_round(must))
    if lo_ms > 0 and hi_ms >= lo_ms:
        for k in range(math.floor(math.log10(lo_ms)) - 1, math.ceil(math.log10(hi_ms)) + 1):
            for m in MANTISSAS:
                v = _round(m * 10.0**k)
                if lo_ms < v < hi_ms:
                    out.add(v)
    return sorted(out)


def _round(x: float) -> float:
    return float(f"{x:.6g}")


def _default(field: str) -> float:
    value = RunSpec.model_fields[field].default
    assert isinstance(value, int | float)
    return float(value)


def page_config() -> PageConfig:
    lim = limits()
    interval_ms = _round(_default("switch_interval_s") * 1000)
    lo, hi = _round(lim.min_interval_s * 1000), _round(lim.max_interval_s * 1000)
    return {
        "states": [
            {"code": code, "name": name, "colour": colour}
            for code, name, colour in zip(STATE_CODES, records.STATE_NAMES, records.STATE_COLOURS, strict=True)
        ],
        "holder": {
            "free": records.FREE,
            "other": records.OTHER,
            "free_colour": FREE_COLOUR,
            "other_colour": OTHER_COLOUR,
        },
        "thread_colours": list(records.THREAD_COLOURS),
        "marks": {
            "colour": MARK_COLOUR,
            "long_hold_min_ms": LONG_HOLD_MIN_S * 1000,
            "long_hold_intervals": LONG_HOLD_INTERVALS,
        },
        "lanes": lim.max_threads,
        "interval_steps_ms": interval_steps_ms(lo, hi, interval_ms),
        "default_interval_ms": interval_ms,
        "min_interval_ms": lo,
        "max_interval_ms": hi,
        "min_duration_s": MIN_DURATION_S,
        "max_duration_s": lim.max_duration_s,
        "default_duration_s": _default("duration_s"),
    }


def page_config_json() -> str:
    """page_config() as JSON that is safe inside a <script> element."""
    return json.dumps(page_config(), separators=(",", ":")).replace("</", "<\\/")
