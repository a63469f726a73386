"""Opening the GIL reader on a child and reporting what it saw and cost: one way for every pipeline (the
experiment's runner, the trace, and whatever front end comes next), so that each says the same thing in the
same words when an instrument is missing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gilscope.observe.memory import open_memory
from gilscope.observe.sampler import GilSampler, Pacer
from gilscope.schema import GilBlock, SamplerReading


def open_sampler(
    pid: int, gil: GilBlock | Mapping[str, Any], period_s: float | None = None
) -> tuple[GilSampler | None, str]:
    """The GIL reader of process pid (gil: the child's hello block), or None and the reason the run says it
    had to go without."""
    if "address" not in gil:
        return None, "no GIL address to read: " + str(gil.get("reason", ""))
    if period_s is not None and period_s <= 0:
        return None, "sampling turned off (GILSCOPE_SAMPLE_PERIOD_S=0)"
    mem, why = open_memory(pid)
    address = int(gil["address"])
    if mem is not None and len(mem.read(address, 32)) == 32:
        return GilSampler(mem, address), ""
    if mem is not None:
        mem.close()
    return None, why or f"/proc/{pid}/mem gave no bytes at the GIL's address"


def sampler_report(
    sampler: GilSampler | None,
    detail: str,
    samples: int,
    observed_s: float,
    pacer: Pacer,
    cpu_s: float,
    wall_s: float,
    holder_handoffs: int | None,
) -> SamplerReading:
    """The summary's `sampler` block (analysis.blocks.sampler picks it out): how often the observer read, how
    late, and what it cost; and whether it ran at all, and why not."""
    return {
        "ok": sampler is not None,
        "detail": detail,
        "samples": samples,
        "rate_hz": round(samples / max(1e-9, observed_s), 1) if sampler is not None else None,
        "missed": pacer.missed,
        "late_ms_p90": pacer.late_ms_p90(),
        "cpu_fraction": round(cpu_s / max(1e-9, wall_s), 4),
        "holder_handoffs": holder_handoffs if sampler is not None else None,
    }
