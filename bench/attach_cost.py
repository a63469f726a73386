"""What watching a running program costs: `gilscope attach` at the always-on rate (`--prometheus`: 50 Hz, ticks
every 0.5 s, 10 stacks a second) and at the default rate of a short look (2 kHz, 200 stacks a second).

    .venv/bin/python -m bench.attach_cost [--pairs 5] [--rounds 400] [--idle-s 10] [--idle-repeats 3]

1. The program's slowdown: tests/scripts/cpu_bound.py (one pure-Python thread) run alone and with an observer
   attached, side by side in pairs whose order alternates (A B, B A, ...). The program waits on its stdin until
   the observer has attached (learned the build's offsets and begun sampling), so only the watching is measured;
   its own work time (it prints it) is compared. The observer's CPU is read from /proc/<pid>/stat (it and any
   child it started) over the same span, as a share of one core.
2. The observer's CPU on tests/scripts/crunch_nap.py (two pure-Python threads and a 1 ms sleeper: about 200
   hand-offs a second) over --idle-s seconds, median of --idle-repeats, at both rates.
Prints the medians; asserts nothing (timings belong here, not in tests).
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[1] / "tests" / "scripts"
HZ = os.sysconf("SC_CLK_TCK")
ATTACH_SETTLE_S = 4.0  # the observer learns the build's offsets (a child of the program's executable) first
MODES = {"always-on (--prometheus)": "prometheus", "default (a short look)": "look"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_ticks(pid: int, skip: int) -> int:
    """User + system ticks of pid and its children (the learner), but not `skip` (the watched program)."""
    total = 0
    pids = [pid]
    try:
        pids += [int(c) for c in open(f"/proc/{pid}/task/{pid}/children").read().split() if int(c) != skip]
    except OSError:
        pass
    for p in pids:
        try:
            fields = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total


def observer(pid: int, mode: str) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "gilscope.cli", "attach", str(pid)]
    cmd += ["--prometheus", f"127.0.0.1:{free_port()}"] if mode == "prometheus" else ["--duration", "3600"]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def gated(rounds: int) -> subprocess.Popen[str]:
    """cpu_bound.py, waiting on its stdin before it starts its work."""
    code = (
        "import sys; sys.stdin.readline(); "
        f"sys.argv = [{str(SCRIPTS / 'cpu_bound.py')!r}, {str(rounds)!r}]; "
        f"exec(compile(open(sys.argv[0]).read(), sys.argv[0], 'exec'))"
    )
    return subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def one(rounds: int, mode: str | None) -> tuple[float, float | None]:
    """The program's work time, and the observer's CPU share over it (None when alone)."""
    prog = gated(rounds)
    obs = observer(prog.pid, mode) if mode else None
    if obs is not None:
        time.sleep(ATTACH_SETTLE_S)
    c0, t0 = (cpu_ticks(obs.pid, prog.pid) if obs else 0), time.perf_counter()
    assert prog.stdin is not None
    prog.stdin.write("go\n")
    prog.stdin.flush()
    out, _ = prog.communicate()
    wall = time.perf_counter() - t0
    share = None
    if obs is not None:
        share = (cpu_ticks(obs.pid, prog.pid) - c0) / HZ / wall
        obs.terminate()
        obs.wait()
    m = re.search(r"work ([0-9.]+) s", out)
    return (float(m.group(1)) if m else float("nan")), share


def idle_cost(mode: str, seconds: float) -> float:
    prog = subprocess.Popen(
        [sys.executable, str(SCRIPTS / "crunch_nap.py"), str(seconds + ATTACH_SETTLE_S + 5)],
        stdout=subprocess.DEVNULL,
    )
    obs = observer(prog.pid, mode)
    try:
        time.sleep(ATTACH_SETTLE_S)
        c0, t0 = cpu_ticks(obs.pid, prog.pid), time.perf_counter()
        time.sleep(seconds)
        return (cpu_ticks(obs.pid, prog.pid) - c0) / HZ / (time.perf_counter() - t0)
    finally:
        obs.terminate()
        obs.wait()
        prog.kill()
        prog.wait()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--pairs", type=int, default=5)
    p.add_argument("--rounds", type=int, default=400, help="cpu_bound.py's work (about 6 ms a round)")
    p.add_argument("--idle-s", type=float, default=10.0)
    p.add_argument("--idle-repeats", type=int, default=3)
    args = p.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start")
    one(5, None)  # warm the file cache
    print("| observer | program alone, s | watched, s | slowdown (median of pair ratios) | observer, % of a core |")
    print("| --- | --- | --- | --- | --- |")
    for label, mode in MODES.items():
        rows = []
        for i in range(args.pairs):
            if i % 2 == 0:
                a, b = one(args.rounds, None), one(args.rounds, mode)
            else:
                b, a = one(args.rounds, mode), one(args.rounds, None)
            rows.append((a[0], b[0], b[1] or 0.0))
            print(f"  {label} pair {i + 1}: alone {a[0]:.3f} s, watched {b[0]:.3f} s, observer {b[1]:.2%}", flush=True)
        ratios = [b / a for a, b, _ in rows]
        print(
            f"| {label} | {statistics.median(r[0] for r in rows):.3f} | {statistics.median(r[1] for r in rows):.3f} "
            f"| {statistics.median(ratios) - 1:+.1%} (min {min(ratios) - 1:+.1%}, max {max(ratios) - 1:+.1%}) "
            f"| {statistics.median(r[2] for r in rows):.2%} |",
            flush=True,
        )
    print(f"\nthe observer on crunch_nap.py (about 200 hand-offs/s), {args.idle_s:g} s, median of {args.idle_repeats}:")
    for label, mode in MODES.items():
        shares = [idle_cost(mode, args.idle_s) for _ in range(args.idle_repeats)]
        print(f"  {label}: {statistics.median(shares):.2%} of a core ({', '.join(f'{s:.2%}' for s in shares)})")
    print(f"machine: load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
