"""Switching: when the interpreter hands the GIL from one thread to another (C2), and what the hand-offs cost (C3).

The switch interval is how long a waiting thread waits before it asks the holder to let go, not a clock that
suspends the holder; and linear code wins over threads only by what the hand-offs cost, which is small at 5 ms.
"""

from __future__ import annotations

from gilscope.lessons.model import (
    CONFIRMED,
    INCONCLUSIVE,
    NONE,
    NUANCED,
    OUTDATED,
    Figure,
    Finding,
    Results,
    gil_on,
    interval_ms,
    join,
    num,
    percent,
    points,
    undecided,
)
from gilscope.locale import _, decimal, ngettext

SLICE_NEAR_INTERVAL = (0.6, 1.6)  # median slice / interval: the threads took turns at the interval
LONE_PERIODIC = 0.25  # a lone thread's hand-offs per interval: above this, something suspends it on a clock
THREADS_SLOWER = 1.3  # threaded / sequential wall time at 5 ms: CPython's GIL since 3.2 gives ~1.0-1.2 (noise
# included); the old GIL (before 3.2) gave 1.5-2 on multicore machines, which is what the notes' claim describes
THREADS_FASTER = 0.85  # below this threads were faster: the work ran in parallel


def switch_interval(r: Results) -> Finding:
    """C2: two CPU-bound threads' median slice against the interval, and one thread alone."""
    two, lone = r["two_cpu"], r["lone"]
    s50, hps = num(two, "slice_ms", "p50"), num(two, "handoffs_per_s")
    h_lone, wall = num(lone, "handoffs"), num(lone, "wall_s") or 0.0
    iv = interval_ms(two)
    if s50 is None or hps is None or h_lone is None or not gil_on(two):
        return Finding(
            INCONCLUSIVE,
            NONE,
            _(
                "These runs have no GIL hand-off counter: the interpreter runs without a GIL (a free-threaded build) "
                "or its GIL could not be located, so there is no slice to compare with the interval."
            ),
        )
    ratio = s50 / iv
    lone_rate = num(lone, "handoffs_per_s") or (h_lone / wall if wall else 0.0)
    periodic = lone_rate >= LONE_PERIODIC * 1e3 / interval_ms(lone)
    low, high = SLICE_NEAR_INTERVAL
    n = int(h_lone)
    fig = Figure(
        s50,
        ngettext("{slice} ms slice; alone: {n} hand-off", "{slice} ms slice; alone: {n} hand-offs", n).format(
            slice=decimal(s50), n=n
        ),
    )
    pair = ngettext(
        "Two CPU-bound threads held the GIL for a median {slice} ms at an interval of {interval} ms and handed it "
        "over {n} time a second.",
        "Two CPU-bound threads held the GIL for a median {slice} ms at an interval of {interval} ms and handed it "
        "over {n} times a second.",
        round(hps),
    ).format(slice=decimal(s50), interval=decimal(iv, 1), n=round(hps))
    if not low <= ratio <= high:
        return Finding(
            INCONCLUSIVE,
            fig,
            join(
                pair,
                _(
                    "That slice is {ratio} times the interval, outside {low}-{high}: the threads did not take turns at the "
                    "interval, which happens when the machine is busy or CPU-limited (a waiting thread must itself get a "
                    "core to ask for the GIL). Run the lesson again."
                ).format(ratio=decimal(ratio, 1), low=decimal(low, 1), high=decimal(high, 1)),
            ),
        )
    if n == 0:
        return Finding(
            NUANCED,
            fig,
            join(
                pair,
                _(
                    "So the 5 ms figure is right, but one thread alone handed the GIL over 0 times in {wall} s: nothing "
                    "suspends a thread on a clock. The interval is how long a WAITING thread waits before it asks the "
                    "holder to let go; with nobody waiting, the holder runs on."
                ).format(wall=decimal(wall, 1)),
            ),
        )
    if periodic:
        return Finding(
            CONFIRMED,
            fig,
            join(
                pair,
                ngettext(
                    "One thread alone also gave the GIL up {n} time a second: this interpreter does suspend the running "
                    "thread periodically, even with nobody waiting, as the notes say.",
                    "One thread alone also gave the GIL up {n} times a second: this interpreter does suspend the running "
                    "thread periodically, even with nobody waiting, as the notes say.",
                    round(lone_rate),
                ).format(n=round(lone_rate)),
            ),
        )
    return Finding(
        INCONCLUSIVE,
        fig,
        join(
            pair,
            ngettext(
                "One thread alone handed the GIL over {n} time in {wall} s: not 0, as CPython's design predicts, yet far "
                "from one per interval. Something else took the GIL now and then; run the lesson again.",
                "One thread alone handed the GIL over {n} times in {wall} s: not 0, as CPython's design predicts, yet far "
                "from one per interval. Something else took the GIL now and then; run the lesson again.",
                n,
            ).format(n=n, wall=decimal(wall, 1)),
        ),
    )


def threads_vs_sequential(r: Results) -> Finding:
    """C3: the same work in threads and in one thread, at 5 ms and at 0.1 ms."""
    r2, r4, r01 = (num(r[k], "baseline", "threaded_over_sequential") for k in ("cpu2_5ms", "cpu4_5ms", "cpu2_0.1ms"))
    if r2 is None or r4 is None or r01 is None:
        return Finding(
            INCONCLUSIVE,
            NONE,
            _("A run has no sequential baseline to compare with; the lesson's runs must ask for one."),
        )
    worst = max(r2, r4)
    h5, h01 = num(r["cpu2_5ms"], "handoffs_per_s") or 0.0, num(r["cpu2_0.1ms"], "handoffs_per_s") or 0.0
    fig = Figure(r2, _("{ratio}x the sequential time").format(ratio=decimal(r2)))
    seen = _(
        "At 5 ms, 2 threads took {two} times the sequential time for the same work and 4 threads {four} times."
    ).format(two=decimal(r2), four=decimal(r4))
    noise = undecided([r[k].get("baseline") for k in ("cpu2_5ms", "cpu4_5ms", "cpu2_0.1ms")])
    if noise:
        return Finding(INCONCLUSIVE, fig, join(seen, noise))
    grow = (r01 - r2) * 100
    if grow > 1:
        at01 = ngettext(
            "At 0.1 ms, {n} hand-off a second (against {slow} at 5 ms) raised it to {ratio}: {points} more. Each "
            "hand-off has a price, paid only when hand-offs are frequent.",
            "At 0.1 ms, {n} hand-offs a second (against {slow} at 5 ms) raised it to {ratio}: {points} more. Each "
            "hand-off has a price, paid only when hand-offs are frequent.",
            round(h01),
        ).format(n=round(h01), slow=round(h5), ratio=decimal(r01), points=points(round(grow)))
    else:
        at01 = ngettext(
            "Even at 0.1 ms, with {n} hand-off a second, it was {ratio}: no dearer than at 5 ms on this machine.",
            "Even at 0.1 ms, with {n} hand-offs a second, it was {ratio}: no dearer than at 5 ms on this machine.",
            round(h01),
        ).format(n=round(h01), ratio=decimal(r01))
    if worst < THREADS_FASTER:
        return Finding(
            OUTDATED,
            fig,
            join(
                seen,
                _(
                    "Threads finished sooner than one thread doing all the work: the work ran in parallel, as it does "
                    "without a GIL (a free-threaded build). Linear code is not faster here."
                ),
                at01,
            ),
        )
    if worst >= THREADS_SLOWER:
        return Finding(
            CONFIRMED,
            fig,
            join(
                seen,
                _("That is {share} slower at worst: threads cost time for CPU-bound work, as the notes say.").format(
                    share=percent(worst - 1)
                ),
                at01,
            ),
        )
    return Finding(
        NUANCED,
        fig,
        join(
            seen,
            _(
                "Threads were not faster, as the notes say, but within {share} of linear code: switching contexts is not "
                "what costs. The GIL's price is that threads take turns, so their work never overlaps."
            ).format(share=percent(max(0.0, worst - 1))),
            at01,
        ),
    )
