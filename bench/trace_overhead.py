"""What tracing costs a program: a CPU-bound script run untraced and under `gilscope trace`, side by side.

    .venv/bin/python bench/trace_overhead.py [--pairs 5] [--rounds 300] [--period-ms MS]   (default: the trace's own)
    GILSCOPE_STACK_RATE_HZ=0 .venv/bin/python bench/trace_overhead.py   # without the holder's stacks

Each pair runs the same script both ways, the order alternating from pair to pair (A B, B A, ...) so that drift
falls on both sides. Prints each pair's wall times (interpreter start to exit, measured here) and the work time
the script measures itself, the medians and the ratio; exits 1 when tracing costs more than 5% of the median wall
time. The traced side goes through gilscope's own API (gilscope.trace.tracer.trace), as the CLI does, without
the CLI's own start-up.
"""

from __future__ import annotations

import argparse
import io
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from gilscope.trace.program import Program
from gilscope.trace.tracer import DEFAULT_PERIOD_S, trace

SCRIPT = Path(__file__).resolve().parents[1] / "tests" / "scripts" / "cpu_bound.py"
LIMIT = 0.05


def work_s(output: str) -> float:
    m = re.search(r"work ([0-9.]+) s", output)
    return float(m.group(1)) if m else float("nan")


def untraced(rounds: int) -> tuple[float, float]:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, str(SCRIPT), str(rounds)], capture_output=True, text=True, check=True)
    return time.perf_counter() - t0, work_s(out.stdout)


def traced(rounds: int, period_s: float) -> tuple[float, float, dict]:
    out, err = io.StringIO(), io.StringIO()
    t0 = time.perf_counter()
    result = trace(Program(sys.executable, "path", str(SCRIPT), (str(rounds),)), period_s=period_s, out=out, err=err)
    info = dict(result.summary["sampler"])
    info["stacks"] = dict(result.summary.get("stacks") or {})
    return time.perf_counter() - t0, work_s(out.getvalue()), info


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--pairs", type=int, default=5)
    p.add_argument("--rounds", type=int, default=300, help="the script's work (about 6 ms a round here)")
    p.add_argument(
        "--period-ms", type=float, default=DEFAULT_PERIOD_S * 1000, help="the tracer's sample period (its default)"
    )
    args = p.parse_args()
    rows = []
    untraced(5)  # warm the file cache and the interpreter's bytecode
    for i in range(args.pairs):
        if i % 2 == 0:
            a = untraced(args.rounds)
            b = traced(args.rounds, args.period_ms / 1e3)
        else:
            b = traced(args.rounds, args.period_ms / 1e3)
            a = untraced(args.rounds)
        rows.append((a, b))
        print(
            f"pair {i + 1}: untraced {a[0]:.3f} s (work {a[1]:.3f}), traced {b[0]:.3f} s (work {b[1]:.3f}), "
            f"ratio {b[0] / a[0]:.3f}; sampler {b[2]['rate_hz']:.0f} Hz, {b[2]['cpu_fraction'] * 100:.1f}% of a core; "
            f"stacks {b[2]['stacks'].get('rate_hz')} Hz ({b[2]['stacks'].get('samples')} read)",
            flush=True,
        )
    wall_a = statistics.median(r[0][0] for r in rows)
    wall_b = statistics.median(r[1][0] for r in rows)
    work_a = statistics.median(r[0][1] for r in rows)
    work_b = statistics.median(r[1][1] for r in rows)
    ratios = sorted(r[1][0] / r[0][0] for r in rows)
    print()
    print("| | untraced | traced | traced / untraced |")
    print("| --- | --- | --- | --- |")
    print(f"| wall, median of {len(rows)} | {wall_a:.3f} s | {wall_b:.3f} s | {wall_b / wall_a:.3f} |")
    print(f"| the script's own work time | {work_a:.3f} s | {work_b:.3f} s | {work_b / work_a:.3f} |")
    print(
        f"| pair ratios (min, median, max) | | | {ratios[0]:.3f}, {statistics.median(ratios):.3f}, {ratios[-1]:.3f} |"
    )
    cost = wall_b / wall_a - 1
    print(f"\ntracing cost: {cost * 100:+.1f}% of the median wall time (limit {LIMIT * 100:.0f}%)")
    return 0 if cost <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
