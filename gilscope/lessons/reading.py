"""What one finished run showed, in plain words: the paragraph under a run's figures on the page.

The server adds it to the summary it sends (summary["reading"], gilscope/web/api.py) in the viewer's language.
It judges with the verdict rules' own thresholds (imported, never copied): more than PARALLEL_CORES cores is
parallel Python, as in lesson C1, and a wake-up is a convoy by io_latency.is_convoy(), as in lessons C6 and C8.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gilscope.lessons.model import code_line, interval_ms, num, percent
from gilscope.lessons.verdicts.io_latency import is_convoy
from gilscope.lessons.verdicts.parallelism import PARALLEL_CORES
from gilscope.locale import _, decimal, language, ngettext, significant


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
                "per second), and the median thread kept it for {p50} ms at a time.",
                "{n} threads ran for {wall} s at a {interval} ms switch interval. The GIL changed hands {times} ({per_s} "
                "per second), and the median thread kept it for {p50} ms at a time.",
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
                    "Threads waking from I/O waited {ms} ms (median) before they ran again: about one switch "
                    "interval, because a busy thread held the GIL (the convoy effect)."
                ).format(ms=significant(wake))
            )
        else:
            out.append(_("Threads waking from I/O ran again after {ms} ms (median).").format(ms=significant(wake)))
    ratio = num(s, "baseline", "threaded_over_sequential")
    if ratio and (s.get("baseline") or {}).get("conclusive") is False:  # noise: no faster or slower to read
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
        out.append(
            _("The same work in one thread took {seconds} s: the threads took {ratio} times as long.").format(
                seconds=significant(num(s, "baseline", "sequential_wall_s") or 0.0), ratio=significant(ratio)
            )
        )
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


def _or_dash(x: float | None) -> str:
    return "–" if x is None else significant(x)
