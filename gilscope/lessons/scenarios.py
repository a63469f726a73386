"""One-click scenarios of the experiment page: a classic picture of the GIL each, as a RunSpec body that fills the
builder (mix, interval, duration); the user then presses Run. Their texts are English msgids, translated where
the page is rendered (templates/lab.html); tests/integration/test_scenarios.py submits every spec to POST /api/runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gilscope.lessons.presets import group, spec
from gilscope.locale import N_

DURATION_S = 2.0  # long enough for hundreds of slices at 5 ms, short enough for a class to wait


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str  # English msgid
    explain: str  # English msgid: one line under its button
    spec: dict[str, Any]  # a RunSpec body (no python: the builder's interpreter stays as chosen)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "convoy",
        N_("The convoy effect"),
        N_("A socket thread beside a CPU thread at 5 ms: each reply waits for the CPU thread to let go of the GIL."),
        spec(group("cpu", 1), group("socket", 1), interval_s=0.005, duration_s=DURATION_S),
    ),
    Scenario(
        "cpu_io",
        N_("CPU against I/O"),
        N_(
            "Two CPU threads take turns every 5 ms; two sleepers (1 ms naps) hardly hold the GIL but wait on each wake."
        ),
        spec(group("cpu", 2), group("sleep", 2, sleep_ms=1), interval_s=0.005, duration_s=DURATION_S),
    ),
    Scenario(
        "numpy",
        N_("NumPy releases the GIL"),
        N_("A NumPy matrix product beside a CPU thread: the product runs without the GIL, so both use a core."),
        spec(group("numpy", 1, n=400, blas_threads=1), group("cpu", 1), interval_s=0.005, duration_s=DURATION_S),
    ),
    Scenario(
        "race",
        N_("A race"),
        N_("Two threads add to one counter at 0.05 ms: a switch inside read, call, write loses increments."),
        spec(group("race", 2, chunk=1000), interval_s=0.00005, duration_s=DURATION_S),
    ),
)
