"""The blocks every summary shares, built in one place: an experiment's (analysis.summary) and a traced
program's (analysis.trace_summary) say the same thing in the same words, in the shapes of gilscope.schema.

Pure: plain data in, schema TypedDicts out.
"""

from __future__ import annotations

from collections.abc import Mapping

from gilscope.analysis.stats import p50_p90, thin
from gilscope.schema import (
    Distributions,
    GilBlock,
    HandoffCell,
    Instruments,
    Percentiles,
    PythonInfo,
    SamplerReading,
    SamplerReport,
)

THIN_TO = 4000  # values kept per distribution: enough for a histogram, small enough to stream


def python_info(python: PythonInfo | None) -> PythonInfo:
    """The summary's `python` block from a child's hello (which also names the executable: left out here)."""
    block: PythonInfo | dict[str, None] = python or {}
    return {
        "version": block.get("version"),
        "implementation": block.get("implementation"),
        "gil_enabled": block.get("gil_enabled"),
    }


def located(gil: GilBlock) -> bool:
    """Whether the child found its GIL (and so the switch counter can be read)."""
    return "address" in gil


def locator_detail(gil: GilBlock) -> str:
    """Where the GIL was found, or why it was not."""
    if "address" in gil:
        return f"GIL state found {gil.get('runtime_offset')} bytes into _PyRuntime"
    return str(gil.get("reason", "not run"))


def instruments(
    gil: GilBlock, sampler_ok: bool, sampler_detail: str, schedstat: bool, probes: bool, detail: str | None = None
) -> Instruments:
    """Which instruments the run had, and why one is missing; detail overrides the locator's words (the live
    hello says only "found")."""
    return {
        "locator": located(gil),
        "locator_detail": locator_detail(gil) if detail is None else detail,
        "proc_sampler": sampler_ok,
        "proc_sampler_detail": sampler_detail,
        "schedstat": schedstat,
        "probes": probes,
    }


def sampler(reading: SamplerReading) -> SamplerReport:
    """The summary's `sampler` block: the observer's quality and cost (None where it did not measure)."""
    return {
        "samples": reading.get("samples"),
        "rate_hz": reading.get("rate_hz"),
        "missed": reading.get("missed"),
        "cpu_fraction": reading.get("cpu_fraction"),
        "holder_handoffs": reading.get("holder_handoffs"),
        "late_ms_p90": reading.get("late_ms_p90"),
    }


def slice_ms(slices_ns: list[int]) -> Percentiles:
    """The GIL slices' p50 and p90 in milliseconds (None with no slice at all)."""
    return p50_p90(slices_ns) or {"p50": None, "p90": None, "n": 0}


def per_s(count: int | None, wall_s: float, digits: int = 2) -> float | None:
    """count per second of wall time; None when there is no count or no time."""
    return round(count / wall_s, digits) if count is not None and wall_s else None


def cores_used(cpu_ns: int | None, wall_s: float) -> float | None:
    """Process CPU time over wall time: how many cores the run kept busy."""
    return round(cpu_ns / 1e9 / wall_s, 3) if cpu_ns is not None and wall_s else None


def handoff_matrix(matrix: Mapping[tuple[int, int], int], names: list[str]) -> list[HandoffCell]:
    """The from->to counts by thread name; an index that is no workload thread is "other"."""
    return [{"from": _name(names, a), "to": _name(names, b), "count": n} for (a, b), n in sorted(matrix.items())]


def distributions(slices_ns: list[int], wakes_ns: list[int]) -> Distributions:
    """Slice lengths and wake-up latencies in milliseconds, thinned for histograms."""
    return {
        "slice_ms": [round(x / 1e6, 4) for x in thin(slices_ns, THIN_TO)],
        "wake_ms": [round(x / 1e6, 4) for x in thin(wakes_ns, THIN_TO)],
    }


def _name(names: list[str], who: int) -> str:
    return names[who] if 0 <= who < len(names) else "other"
