"""What one finished run showed, in plain words: the paragraph under a run's figures on the page.

The server adds it to the summary it sends (summary["reading"], gilscope/web/api.py) in the viewer's language.
It judges with the verdict rules' own thresholds (imported, never copied): more than PARALLEL_CORES cores is
parallel Python, as in lesson C1, and a wake-up is a convoy by io_latency.is_convoy(), as in lessons C6 and C8.

Every word that sizes or directs a number is computed from that number, never written ahead: how many switch
intervals a wait was (intervals()), whether threads were faster or slower than one thread and by how much
(_baseline()), and which threads waited for the GIL most of the run (starved()).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gilscope.lessons.model import DECIDES, code_line, interval_ms, num, percent
from gilscope.lessons.verdicts.io_latency import is_convoy
from gilscope.lessons.verdicts.parallelism import PARALLEL_CORES
from gilscope.locale import _, decimal, language, ngettext, significant

STARVED = 0.5  # a thread that waited for the GIL more than this share of the run's wall time is named
MAX_NAMED = 3  # starved threads named one by one; the rest are counted
IO_KINDS = ("sleep", "file", "socket", "network")  # kinds whose waits release the GIL and can overlap the work


def reading(summary: Mapping[str, Any], lang: str) -> str:
    """The run's summary read aloud in lang: hand-offs, cores, the top GIL holder, wake-ups, the one-thread
    baseline, the observer."""
    with language(lang):
        return " ".join(_sentences(summary))


def _sentences(s: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    n = len(s.get("threads") or [])
    wall, iv = significant(num(s, "wall_s") or 0.0), significant(interval_ms(s))
    handoffs = num(s, "handoffs")
    if (s.get("python") or {}).get("gil_enabled") is False or handoffs is None:
        out.append(_("This interpreter runs without a GIL, so there were no hand-offs to count."))
    elif handoffs == 0:
        out.append(
            ngettext(
                "{n} thread ran for {wall} s and the GIL never changed hands: with nobody waiting, the switch interval "
                "({interval} ms) never fires.",
                "{n} threads ran for {wall} s and the GIL never changed hands: with nobody waiting, the switch interval "
                "({interval} ms) never fires.",
                n,
            ).format(n=n, wall=wall, interval=iv)
        )
    else:
        h = round(handoffs)
        times = ngettext("{n} time", "{n} times", h).format(n=significant(h))
        out.append(
            ngettext(
                "{n} thread ran for {wall} s at a {interval} ms switch interval. The GIL changed hands {times} ({per_s} "
                "per second); the median slice (how long a thread held the GIL before it changed hands) was {p50} ms.",
                "{n} threads ran for {wall} s at a {interval} ms switch interval. The GIL changed hands {times} ({per_s} "
                "per second); the median slice (how long a thread held the GIL before it changed hands) was {p50} ms.",
                n,
            ).format(
                n=n,
                wall=wall,
                interval=iv,
                times=times,
                per_s=significant(num(s, "handoffs_per_s") or 0.0),
                p50=_or_dash(num(s, "slice_ms", "p50")),
            )
        )
    cores = num(s, "cores_used")
    if cores is not None:
        if cores > PARALLEL_CORES:
            out.append(
                _("The process used {cores} cores: code that released the GIL ran in parallel.").format(
                    cores=decimal(cores)
                )
            )
        else:
            out.append(
                _("The process used {cores} cores: one thread ran Python at a time.").format(cores=decimal(cores))
            )
    out.extend(top_holder(s))
    wake = num(s, "io_wake_latency_ms", "p50")
    if wake is not None:
        if is_convoy(wake, interval_ms(s)):
            out.append(
                _(
                    "Threads waking from I/O waited {ms} ms (median) before they ran again: {intervals}, because a "
                    "busy thread held the GIL (the convoy effect)."
                ).format(ms=significant(wake), intervals=intervals(wake, interval_ms(s)))
            )
        else:
            out.append(_("Threads waking from I/O ran again after {ms} ms (median).").format(ms=significant(wake)))
    ratio = num(s, "baseline", "threaded_over_sequential")
    busy = ((s.get("baseline") or {}).get("machine") or {}).get("disturbed") is True
    if ratio and (s.get("baseline") or {}).get("conclusive") is False and busy:  # a busy machine: no direction
        out.append(
            _(
                "The same work in one thread took {seconds} s, but the comparison is inconclusive: other "
                "processes took CPU while its rounds ran, which does not slow both kinds of round alike."
            ).format(seconds=significant(num(s, "baseline", "sequential_wall_s") or 0.0))
        )
    elif ratio and (s.get("baseline") or {}).get("conclusive") is False:  # noise: no faster or slower to read
        out.append(
            _(
                "The same work in one thread took {seconds} s, but the comparison is inconclusive: the machine's "
                "own speed varied {noise} between identical rounds, so differences under {res} cannot be told "
                "apart."
            ).format(
                seconds=significant(num(s, "baseline", "sequential_wall_s") or 0.0),
                noise=significant(num(s, "baseline", "noise_pct") or 0.0, 2) + "%",
                res=significant(num(s, "baseline", "resolution_pct") or 0.0, 2) + "%",
            )
        )
    elif ratio:
        out.extend(_baseline(s, ratio))
    out.extend(starved(s))
    if handoffs:
        h = round(handoffs)
        out.append(
            ngettext(
                "The timeline shows {shown} of the {n} counted hand-off exactly.",
                "The timeline shows {shown} of the {n} counted hand-offs exactly.",
                h,
            ).format(shown=significant(num(s, "timeline_handoffs") or 0.0), n=significant(h))
        )
    rate = num(s, "sampler", "rate_hz")
    if rate:
        out.append(
            ngettext(
                "The observer read the GIL {n} time a second and used {cpu} of one core.",
                "The observer read the GIL {n} times a second and used {cpu} of one core.",
                round(rate),
            ).format(
                n=significant(round(rate)), cpu=significant((num(s, "sampler", "cpu_fraction") or 0.0) * 100, 2) + "%"
            )
        )
    return out


TOP_HOLDER_SHARE = 0.2  # a holder named in the reading held the GIL at least this share of the run


def top_holder(s: Mapping[str, Any]) -> list[str]:
    """The line that held the GIL most, when its stacks were read and it held a meaningful share of the run."""
    holders = s.get("gil_holders") or []
    if not (s.get("stacks") or {}).get("ok") or not holders:
        return []
    top = holders[0]
    share = top.get("share")
    if not isinstance(share, int | float) or share < TOP_HOLDER_SHARE:
        return []
    values = {"share": percent(share), "function": top.get("function") or "?", "where": code_line(top)}
    if top.get("in_c_call"):
        return [_("The GIL was held {share} of the time by `{function}()` at {where}, in a C call.").format(**values)]
    return [_("The GIL was held {share} of the time by `{function}()` at {where}.").format(**values)]


def intervals(wait_ms: float, interval: float) -> str:
    """A wait in switch intervals, sized from the ratio: "about half a switch interval (5 ms)", "about one switch
    interval (5 ms)", "about 4 switch intervals of 5 ms"."""
    ratio = wait_ms / interval if interval > 0 else 0.0
    iv = significant(interval)
    if ratio < 0.75:
        return _("{share} of the {interval} ms switch interval").format(share=percent(ratio), interval=iv)
    if ratio < 1.5:
        return _("about one switch interval ({interval} ms)").format(interval=iv)
    n = round(ratio)
    return ngettext(
        "about {n} switch interval of {interval} ms", "about {n} switch intervals of {interval} ms", n
    ).format(n=n, interval=iv)


def _baseline(s: Mapping[str, Any], ratio: float) -> list[str]:
    """Threads against one thread, when the comparison is conclusive: the direction (faster, slower, about the
    same within the comparison's resolution) and the size follow the ratio (threaded time / one thread's time)."""
    seconds = significant(num(s, "baseline", "sequential_wall_s") or 0.0)
    res = (num(s, "baseline", "resolution_pct") or DECIDES * 100) / 100
    shown = significant(ratio)
    if abs(ratio - 1) <= res:
        return [
            _(
                "The same work in one thread took {seconds} s, and the threads took about as long (time ratio "
                "{ratio}, within the comparison's resolution of {res})."
            ).format(seconds=seconds, ratio=shown, res=percent(res))
        ]
    if ratio > 1:
        return [
            _(
                "The same work in one thread took {seconds} s: the threads were {factor} times slower than one "
                "thread (time ratio {ratio})."
            ).format(seconds=seconds, factor=decimal(ratio), ratio=shown)
        ]
    out = [
        _(
            "The same work in one thread took {seconds} s: the threads were {factor} times faster than one thread "
            "(time ratio {ratio})."
        ).format(seconds=seconds, factor=decimal(1 / ratio), ratio=shown)
    ]
    kinds = {t.get("kind") for t in s.get("threads") or []}
    if kinds & set(IO_KINDS):
        out.append(_("The waits (sleep or I/O) released the GIL, so they overlapped the work."))
    elif (num(s, "cores_used") or 0.0) > PARALLEL_CORES:
        out.append(_("Code that released the GIL ran on several cores at once."))
    return out


def starved(s: Mapping[str, Any]) -> list[str]:
    """The threads that waited for the GIL more than STARVED of the run's wall time, named with their wait."""
    wall = num(s, "wall_s") or 0.0
    if wall <= 0:
        return []
    hungry = [
        t
        for t in s.get("threads") or []
        if isinstance(t.get("gil_wait_s"), int | float) and t["gil_wait_s"] > STARVED * wall
    ]
    if not hungry:
        return []
    hungry.sort(key=lambda t: -float(t["gil_wait_s"]))
    items = [
        _("“{name}” ({kind}) {wait} s of {wall} s").format(
            name=t.get("name", "?"),
            kind=t.get("kind", "?"),
            wait=significant(float(t["gil_wait_s"])),
            wall=significant(wall),
        )
        for t in hungry[:MAX_NAMED]
    ]
    listed = "; ".join(items)
    rest = len(hungry) - MAX_NAMED
    if rest > 0:
        listed += "; " + ngettext("and {n} more", "and {n} more", rest).format(n=rest)
    n = len(hungry)
    return [
        ngettext(
            "{n} thread waited for the GIL most of the run: {threads}.",
            "{n} threads waited for the GIL most of the run: {threads}.",
            n,
        ).format(n=n, threads=listed)
    ]


def _or_dash(x: float | None) -> str:
    return "–" if x is None else significant(x)
