"""Sampler cost: the same experiment with the parent's GIL sampler on and off, alternating, in one run.

Prints the sampler's own CPU (share of one core), its achieved rate, and what it does to the experiment
(hand-offs/s and throughput, on/off ratios). Run: python -m bench.sampler_cost
"""

from __future__ import annotations

import os
import statistics
import sys

from gilscope.experiment.runner import run_experiment
from gilscope.spec import RunSpec

ROUNDS = 3


def once(period: str) -> dict:
    os.environ["GILSCOPE_SAMPLE_PERIOD_S"] = period
    spec = RunSpec(mix=[{"kind": "cpu", "threads": 2}], switch_interval_s=0.001, duration_s=2.0)
    return run_experiment(spec)


def main() -> int:
    on, off = [], []
    for _ in range(ROUNDS):
        on.append(once(""))  # the default period
        off.append(once("0"))
    med = statistics.median
    cpu = med(s["sampler"]["cpu_fraction"] for s in on)
    rate = med(s["sampler"]["rate_hz"] for s in on)
    h_on, h_off = med(s["handoffs_per_s"] for s in on), med(s["handoffs_per_s"] for s in off)
    t_on = med(s["throughput_units_per_s"] for s in on)
    t_off = med(s["throughput_units_per_s"] for s in off)
    base = med(s["sampler"]["cpu_fraction"] for s in off)
    print(
        f"sampler: {rate:.0f} Hz, observer process {cpu * 100:.1f}% of one core with sampling "
        f"({base * 100:.1f}% without: probes and streaming alone); target < 10%"
    )
    print(
        f"experiment with/without sampler: hand-offs/s {h_on:.0f}/{h_off:.0f} = {h_on / h_off:.3f}, "
        f"throughput {t_on:.0f}/{t_off:.0f} = {t_on / t_off:.3f} (medians of {ROUNDS})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
