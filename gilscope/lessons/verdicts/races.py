"""Races: what the GIL protects when threads share objects (C9). The interpreter's own reference counts come back
exact; the program's own read-modify-write across a call loses updates whenever a switch lands inside it.
"""

from __future__ import annotations

from collections.abc import Mapping

from gilscope.lessons.model import (
    CONFIRMED,
    INCONCLUSIVE,
    NONE,
    NUANCED,
    OUTDATED,
    Figure,
    Finding,
    Results,
    Table,
    gil_on,
    join,
)
from gilscope.lessons.presets import C9_RUNS
from gilscope.locale import _, decimal, ngettext, short


def refcount_race(r: Results) -> Finding:
    """C9: racing threads at 5 ms and 0.05 ms; the shared object's reference count and the lost increments."""
    table = Table()
    lost = expected = 0
    corrupted: list[int] = []  # reference-count changes of the runs that did not come back
    free = False
    for key, n, iv in C9_RUNS:
        race = r[key].get("race")
        if not isinstance(race, Mapping) or race.get("lost") is None or race.get("refcount_ok") is None:
            return Finding(
                INCONCLUSIVE,
                NONE,
                _("A run has no race counters: this engine does not report them yet."),
                table.freeze(),
            )
        delta = int(race.get("refcount_after", 0)) - int(race.get("refcount_before", 0))
        table.add(
            run=key,
            threads=float(n),
            interval_ms=iv * 1e3,
            expected=float(race.get("expected", 0)),
            actual=float(race.get("actual", 0)),
            lost=float(race["lost"]),
            lost_pct=100.0 * race["lost"] / race["expected"] if race.get("expected") else 0.0,
            refcount_delta=float(delta),
        )
        lost += max(0, int(race["lost"]))  # below 0: a unit finished after the count was taken, not a loss
        expected += int(race.get("expected", 0))
        free = free or not gil_on(r[key])
        if not race["refcount_ok"]:
            corrupted.append(delta)
    counts = {"lost": decimal(lost, 0), "expected": decimal(expected, 0)}
    fig = Figure(
        float(lost),
        ngettext("{lost} of {expected} increment lost", "{lost} of {expected} increments lost", expected).format(
            **counts
        ),
    )
    if corrupted:
        return Finding(
            OUTDATED,
            fig,
            _(
                "The shared object's reference count changed by {delta} across the run: the interpreter's own "
                "bookkeeping was corrupted, which the GIL (or, without it, atomic reference counting) should "
                "prevent."
            ).format(delta=f"{corrupted[0]:+d}"),
            table.freeze(),
        )
    ref = _(
        "The shared object's reference count came back exactly as it was in every run: the interpreter's own "
        "state is safe."
    )
    if free:
        ref = join(ref, _("(This interpreter has no GIL; atomic reference counting does that job.)"))
    if lost > 0:
        worst = max(table.rows, key=lambda row: float(row["lost"] or 0))
        return Finding(
            NUANCED,
            fig,
            join(
                ref,
                ngettext(
                    "But the program's own counter lost {lost} of {expected} increment (most at {interval} ms: {worst}): a "
                    "switch that lands between the read and the write loses an update. The GIL protects the interpreter, "
                    "not your invariants: use a lock.",
                    "But the program's own counter lost {lost} of {expected} increments (most at {interval} ms: {worst}): a "
                    "switch that lands between the read and the write loses an update. The GIL protects the interpreter, "
                    "not your invariants: use a lock.",
                    expected,
                ).format(
                    interval=short(float(worst["interval_ms"] or 0)),
                    worst=decimal(float(worst["lost"] or 0), 0),
                    **counts,
                ),
            ),
            table.freeze(),
        )
    return Finding(
        CONFIRMED,
        fig,
        join(
            ref,
            _(
                "No increment was lost either ({expected} done), but that is luck, not protection: an update is lost only "
                "when a switch lands between the read and the write, and none did here. Try a shorter interval."
            ).format(**counts),
        ),
        table.freeze(),
    )
