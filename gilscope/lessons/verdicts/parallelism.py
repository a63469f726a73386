"""Parallelism: do pure-Python threads ever run Python at the same time (C1)?

A GIL build keeps the cores used by any number of pure-Python threads near one; a free-threaded build spreads them
over several cores. The threshold sits between the two; the run's plain-language reading uses it too.
"""

from __future__ import annotations

from gilscope.lessons.model import CONFIRMED, INCONCLUSIVE, NONE, OUTDATED, Figure, Finding, Results, gil_on, join, num
from gilscope.locale import _, decimal, ngettext

PARALLEL_CORES = 1.3  # cores: above this, pure-Python threads ran at the same time (a GIL build stays near 1.0)
LONE_MIN_CORES = 0.6  # below this a lone thread did not get a whole core: the machine is too busy to judge


def one_thread_at_a_time(r: Results) -> Finding:
    """C1: 1, 2 and 4 pure-Python threads; the cores they used decide."""
    one, two, four = (num(r[k], "cores_used") for k in ("cpu1", "cpu2", "cpu4"))
    if one is None or two is None or four is None:
        return Finding(INCONCLUSIVE, NONE, _("A run reported no cores-used figure (its wall time was zero)."))
    top = max(two, four)
    fig = Figure(top, _("{cores} cores").format(cores=decimal(top)))
    seen = _("One thread used {one} cores, two used {two}, four used {four}.").format(
        one=decimal(one), two=decimal(two), four=decimal(four)
    )
    if one < LONE_MIN_CORES:
        return Finding(
            INCONCLUSIVE,
            fig,
            join(
                seen,
                _(
                    "A lone thread should keep one core busy; below {threshold} the machine was too busy (or CPU-limited) "
                    "for cores used to mean anything. Run the lesson again on a quieter machine."
                ).format(threshold=decimal(LONE_MIN_CORES, 1)),
            ),
        )
    if top <= PARALLEL_CORES:
        hps = num(r["cpu2"], "handoffs_per_s")
        turns = (
            ""
            if hps is None
            else ngettext(
                "The two threads handed the GIL to each other {n} time a second: they took turns.",
                "The two threads handed the GIL to each other {n} times a second: they took turns.",
                round(hps),
            ).format(n=round(hps))
        )
        return Finding(
            CONFIRMED,
            fig,
            join(seen, _("More threads brought no more cores: only one thread ran Python at a time."), turns),
        )
    if not all(gil_on(r[k]) for k in ("cpu2", "cpu4")):
        return Finding(
            OUTDATED,
            fig,
            join(
                seen,
                _(
                    "This interpreter runs without a GIL (a free-threaded build), and its pure-Python threads ran on "
                    "several cores at once. The claim holds for CPython with a GIL, not for free-threaded CPython "
                    "(3.13t and later)."
                ),
            ),
        )
    return Finding(
        OUTDATED,
        fig,
        join(
            seen,
            _(
                "Above {threshold} cores, pure-Python threads ran in parallel, although the interpreter reports a GIL. That "
                "contradicts how the GIL works, so check this run's instruments before trusting it."
            ).format(threshold=decimal(PARALLEL_CORES, 1)),
        ),
    )
