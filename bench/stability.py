"""How stable are the lessons' verdicts? Every lesson is judged TIMES times (default 5), each verdict from
REPEATS repeats of its runs (default 3, as the dashboard does), all through the same engine the server uses.
Prints, per lesson, the verdicts that came out and how often the most common one did, and flags a flip between
two real verdicts (confirmed / nuanced / outdated): a verdict may move to "inconclusive", never between those.

Run: python -m bench.stability [TIMES] [REPEATS] [C1,C3,...]   (about 20 minutes for all ten with defaults)
"""

from __future__ import annotations

import sys
import time
from collections import Counter

from gilscope.experiment.runner import RunFailed, run_experiment
from gilscope.lessons import LESSONS, judge
from gilscope.spec import RunSpec

REAL = {"confirmed", "nuanced", "outdated"}


def verdict_once(lesson_id: str, repeats: int) -> tuple[str, list[str], list[tuple[float, float, bool]]]:
    lesson = LESSONS[lesson_id]
    results: dict[str, list[dict]] = {r.key: [] for r in lesson.runs}
    for _ in range(repeats):
        for run in lesson.runs:
            try:
                results[run.key].append(dict(run_experiment(RunSpec.model_validate(run.spec))))
            except RunFailed as exc:
                results[run.key].append({"error": str(exc)})
    v = judge(lesson_id, results)
    return v.verdict, [r.figure for r in v.repeats] or [v.figure], comparisons(results)


def comparisons(results: dict[str, list[dict]]) -> list[tuple[float, float, bool]]:
    """The runs' comparisons with one thread: (noise_pct, resolution_pct, conclusive) each."""
    out = []
    for runs in results.values():
        for r in runs:
            b = r.get("baseline") or {}
            if "conclusive" in b:
                out.append((b.get("noise_pct") or 0.0, b.get("resolution_pct") or 0.0, bool(b["conclusive"])))
    return out


def noise_words(seen: list[tuple[float, float, bool]]) -> str:
    if not seen:
        return ""
    noise, res = sorted(x[0] for x in seen), sorted(x[1] for x in seen)
    return (
        f"  comparisons: {sum(x[2] for x in seen)}/{len(seen)} conclusive, noise {noise[0]:g}-{noise[-1]:g}% "
        f"(median {noise[len(noise) // 2]:g}%), resolution {res[0]:g}-{res[-1]:g}%"
    )


def main() -> int:
    times = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    ids = sys.argv[3].split(",") if len(sys.argv) > 3 else list(LESSONS)
    print(f"{times} verdicts per lesson, each from {repeats} repeats of its runs")
    print(f"{'lesson':<7} {'verdicts':<44} {'same':>6}  flips  figures of the last verdict")
    bad = 0
    t0 = time.time()
    for lid in ids:
        got, figures, seen = [], [], []
        for _ in range(times):
            v, figures, cmp = verdict_once(lid, repeats)
            got.append(v)
            seen += cmp
        counts = Counter(got)
        top, n = counts.most_common(1)[0]
        flips = len({v for v in got if v in REAL}) > 1
        bad += flips
        line = ", ".join(f"{k} x{c}" for k, c in counts.most_common())
        print(f"{lid:<7} {line:<44} {n}/{times:<4}  {'YES' if flips else 'no':<5}  {', '.join(figures)}", flush=True)
        if seen:
            print(noise_words(seen), flush=True)
    print(f"{len(ids)} lessons in {(time.time() - t0) / 60:.1f} min; flips between real verdicts: {bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
