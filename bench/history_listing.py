"""History at scale: 10,000 stored runs (each with a full-size summary and a compressed event stream), listed
the way /history asks: newest first, a page of 50, unfiltered and with each filter. Prints the median of 20
listings per query in ms; the target is under 200 ms. Run: python -m bench.history_listing
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from gilscope.store import RunDB, RunRecord

RUNS = 10_000
KINDS = ("cpu", "sleep", "zlib", "hashlib", "socket", "regex", "numpy")


def fill(db: RunDB) -> None:
    rnd = random.Random(7)
    dist = [round(rnd.random() * 5, 4) for _ in range(4000)]
    events = [json.dumps({"type": "tick", "segments": [[0, 0, i, i + 1] for i in range(300)]})] * 20
    t0 = time.time() - RUNS
    for i in range(RUNS):
        kinds = rnd.sample(KINDS, rnd.randint(1, 3))
        summary = {
            "handoffs": rnd.randint(0, 20000),
            "handoffs_per_s": rnd.random() * 5000,
            "cores_used": rnd.random() * 2,
            "wall_s": 2.0,
            "slice_ms": {"p50": rnd.random() * 5},
            "distributions": {"slice_ms": dist, "wake_ms": dist},
        }
        db.save_run(
            RunRecord(
                id=f"r{i:05d}",
                created=t0 + i,
                status="done" if i % 17 else "failed",
                client="bench",
                lesson="C3" if i % 10 == 0 else None,
                summary=summary,
                spec={
                    "mix": [{"kind": k, "threads": 2} for k in kinds],
                    "switch_interval_s": rnd.choice((0.0001, 0.001, 0.005, 0.02)),
                    "duration_s": 2.0,
                },
            )
        )
        if i % 10 == 0:
            db.save_events(f"r{i:05d}", events)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        db = RunDB(Path(tmp), keep_runs=RUNS * 2)
        t = time.perf_counter()
        fill(db)
        print(f"stored {RUNS} runs in {time.perf_counter() - t:.1f} s; file {db.size_bytes() / 2**20:.0f} MiB")
        queries = {
            "newest 50": {},
            "page 100 (offset 5000)": {"offset": 5000},
            "kind=zlib": {"kind": "zlib"},
            "interval=1 ms": {"interval_s": 0.001},
            "status=failed": {"status": "failed"},
            "lesson=C3": {"lesson": "C3"},
            "zlib + 1 ms + done": {"kind": "zlib", "interval_s": 0.001, "status": "done"},
        }
        worst = 0.0
        for name, q in queries.items():
            times = []
            for _ in range(20):
                t = time.perf_counter()
                rows, total = db.list_runs(limit=50, **q)
                times.append((time.perf_counter() - t) * 1000)
            med = statistics.median(times)
            worst = max(worst, med)
            print(f"  {name:<26} {len(rows):>3} of {total:>5}   median {med:6.1f} ms   max {max(times):6.1f} ms")
        print(f"slowest median {worst:.1f} ms (target < 200 ms): {'ok' if worst < 200 else 'TOO SLOW'}")
        db.close()
        return 0 if worst < 200 else 1


if __name__ == "__main__":
    sys.exit(main())
