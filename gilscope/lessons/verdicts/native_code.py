"""Native code: C that starts threads of its own (C4), libraries that release the GIL (C7), and what a C call that
keeps or releases the GIL does to the Python threads beside it (C10).

The evidence is the same physics each time: a thread that releases the GIL lets cores add up (two threads of a
releasing kind use more than one core), and lets a Python thread beside it keep its speed.
"""

from __future__ import annotations

from gilscope.lessons.model import (
    CONFIRMED,
    INCONCLUSIVE,
    NONE,
    NUANCED,
    Figure,
    Finding,
    Results,
    Summary,
    Table,
    code_line,
    join,
    kind_rate,
    num,
    percent,
    points,
    threads_of,
)
from gilscope.lessons.presets import C7_KINDS
from gilscope.locale import N_, _, decimal, ngettext

C_THREADS_CORES = 1.3  # cores from one Python thread: above this, C code ran threads of its own (C4)
SLEEPS_OVERLAP = 1.3  # two sleepers' naps per second / one sleeper's ideal rate: above this their sleeps overlapped
RELEASED_CORES = 1.4  # cores of two threads of one kind: above this the kind released the GIL (C7)
SMALL_HASHLIB_RELEASED = 1.3  # hashlib on 1 KiB calls: at or above this, even small calls released it
FREE_SHARE = 0.7  # a CPU thread's speed beside a C call / alone: above this the call let it run (C10)
FREE_GAP = 0.25  # ... and at least this much above its share beside a call that keeps the GIL
TWO_FULL_CORES = 1.8  # cores of a releasing thread beside a CPU thread: from here both had a core each


def c_code_threads(r: Results) -> Finding:
    """C4: NumPy with 1 and 2 BLAS threads under one Python thread; two sleeping threads for I/O."""
    one, two, h2 = num(r["blas1"], "cores_used"), num(r["blas2"], "cores_used"), num(r["blas2"], "handoffs")
    sleepers = threads_of(r["sleep2"], "sleep")
    nap = float((sleepers[0].get("params") or {}).get("sleep_ms", 1)) if sleepers else 1.0
    rate = kind_rate(r["sleep2"], "sleep")
    if one is None or two is None or rate is None:
        return Finding(INCONCLUSIVE, NONE, _("A run reported no cores-used or progress figure."))
    overlap = rate / (1e3 / nap)
    fig = Figure(two, _("{cores} cores").format(cores=decimal(two)))
    seen = _("One Python thread multiplying matrices used {one} cores with 1 BLAS thread and {two} with 2.").format(
        one=decimal(one), two=decimal(two)
    )
    naps = {
        "n": round(rate),
        "nap": decimal(nap, 1),
        "overlap": decimal(overlap, 1),
        "threshold": decimal(SLEEPS_OVERLAP, 1),
    }
    io_ok = overlap > SLEEPS_OVERLAP
    if io_ok:
        io = ngettext(
            "Two sleeping threads together finished {n} nap of {nap} ms a second, {overlap} times what one sleeper "
            "can: their sleeps overlapped, as each sleep released the GIL.",
            "Two sleeping threads together finished {n} naps of {nap} ms a second, {overlap} times what one sleeper "
            "can: their sleeps overlapped, as each sleep released the GIL.",
            round(rate),
        ).format(**naps)
    else:
        io = ngettext(
            "Two sleeping threads together finished {n} nap of {nap} ms a second, {overlap} times what one sleeper "
            "can: not above {threshold}, so their sleeps did not overlap here.",
            "Two sleeping threads together finished {n} naps of {nap} ms a second, {overlap} times what one sleeper "
            "can: not above {threshold}, so their sleeps did not overlap here.",
            round(rate),
        ).format(**naps)
    if two <= C_THREADS_CORES:
        return Finding(
            INCONCLUSIVE,
            fig,
            join(
                seen,
                _(
                    "BLAS did not use a second core (not above {threshold}): the machine may offer only one core, or this "
                    "NumPy's BLAS ignores the thread setting."
                ).format(threshold=decimal(C_THREADS_CORES, 1)),
                io,
            ),
        )
    solo = (
        ""
        if not h2
        else ngettext(
            "The GIL still changed hands {n} time.", "The GIL still changed hands {n} times.", int(h2)
        ).format(n=int(h2))
    )
    blas = join(_("The extra core belongs to BLAS's own thread, which never needs the GIL."), solo)
    if io_ok and not h2:
        return Finding(CONFIRMED, fig, join(seen, blas, io))
    return Finding(NUANCED, fig, join(seen, blas, io, _("Only part of the exception showed in these runs.")))


def libraries_release(r: Results) -> Finding:
    """C7: two threads of each kind the notes name, hashlib on small calls, and C code that keeps the GIL."""
    table = Table()
    cores: dict[str, float] = {}
    for k in C7_KINDS:
        c = num(r[k.key], "cores_used")
        if c is not None:
            cores[k.key] = c
        table.add(
            run=k.key,
            label=str(k.name),
            notes_say_releases=k.claimed,
            cores_used=c,
            handoffs_per_s=num(r[k.key], "handoffs_per_s"),
            released=c is not None and c > RELEASED_CORES,
        )
    if len(cores) < len(C7_KINDS):
        return Finding(INCONCLUSIVE, NONE, _("A run reported no cores-used figure."), table.freeze())
    names = {k.key: k.name for k in C7_KINDS}
    named = [k.key for k in C7_KINDS if k.claimed]  # the kinds the notes say release the GIL
    contrast = [k.key for k in C7_KINDS if not k.claimed and k.key != "hash1k_2"]
    released = [k for k in named if cores[k] > RELEASED_CORES]
    held = [k for k in named if k not in released]
    small, top_contrast = cores["hash1k_2"], max(cores[k] for k in contrast)

    def listing(keys: list[str]) -> str:
        return "; ".join(f"{names[k]}: {decimal(cores[k])}" for k in keys)

    threshold = decimal(RELEASED_CORES, 1)
    low = min(cores[k] for k in released) if released else 0.0
    fig = Figure(low, _("{low}+ cores; hashlib 1 KiB {small}").format(low=decimal(low), small=decimal(small)))
    if not released and top_contrast <= RELEASED_CORES:
        return Finding(
            INCONCLUSIVE,
            fig,
            _(
                "No kind used more than {threshold} cores ({listing}): the machine may offer only one core, so release "
                "cannot show as parallelism."
            ).format(threshold=threshold, listing=listing(named)),
            table.freeze(),
        )
    rel = (
        ""
        if not released
        else _("Two threads of each kind used, in cores: {listing}.").format(listing=listing(released))
    )
    if held:
        rel = join(rel, _("Not above {threshold}: {listing}.").format(threshold=threshold, listing=listing(held)))
    keep = _("The contrast, C code that keeps the GIL: {listing}.").format(listing=listing(contrast))
    if top_contrast > RELEASED_CORES:
        keep = join(keep, _("One of them passed the threshold too, so this machine's numbers are noisy."))
    small_calls = _(
        "hashlib fed in 1 KiB calls used {cores} cores: CPython releases the GIL in hashlib only for "
        "data of 2048 bytes or more."
    ).format(cores=decimal(small))
    if held:
        return Finding(
            NUANCED,
            fig,
            join(rel, keep, small_calls, _("Some of the kinds the notes name did not run in parallel here.")),
            table.freeze(),
        )
    if small >= SMALL_HASHLIB_RELEASED:
        return Finding(
            CONFIRMED,
            fig,
            join(
                rel,
                keep,
                _(
                    "Even hashlib fed in 1 KiB calls used {cores} cores: on this interpreter small calls release the GIL "
                    "too."
                ).format(cores=decimal(small)),
            ),
            table.freeze(),
        )
    return Finding(
        NUANCED,
        fig,
        join(
            rel,
            keep,
            small_calls,
            _("So the claim holds for these libraries, but for hashlib only with large buffers."),
        ),
        table.freeze(),
    )


C10_CALLS = (
    ("regex_cpu", "re"),
    ("zlib_cpu", N_("zlib, 1 MiB")),
    ("hash1k_cpu", N_("hashlib, 1 KiB")),
    ("hash64k_cpu", N_("hashlib, 64 KiB")),
)  # run key, the C call beside the CPU-bound thread


def kept_by(s: Summary) -> str:
    """The C call that kept the GIL in a run, named from its sampled stacks: the heaviest holder line whose C
    code held it. Empty when the stacks were not read or no C call held the GIL."""
    if not (s.get("stacks") or {}).get("ok"):
        return ""
    top = next((h for h in s.get("gil_holders") or [] if h.get("in_c_call")), None)
    if top is None:
        return ""
    return _("The sampled stacks name the C call that kept it: `{function}()` at {where}, {share} of the run.").format(
        function=top.get("function") or "?", where=code_line(top), share=percent(float(top.get("share") or 0.0))
    )


def c_extensions(r: Results) -> Finding:
    """C10: a CPU-bound Python thread's speed beside a C call that keeps the GIL and one that releases it."""
    alone = kind_rate(r["cpu_alone"], "cpu")
    table = Table()
    share: dict[str, float] = {}
    for key, name in C10_CALLS:
        rate = kind_rate(r[key], "cpu")
        if rate is not None and alone:
            share[key] = rate / alone
        table.add(
            run=key, label=_(name), cpu_units_per_s=rate, cpu_share=share.get(key), cores_used=num(r[key], "cores_used")
        )
    if not alone or "regex_cpu" not in share or "zlib_cpu" not in share:
        return Finding(INCONCLUSIVE, NONE, _("The CPU-bound thread reported no progress."), table.freeze())
    keep, rel = share["regex_cpu"], share["zlib_cpu"]
    keep_cores, rel_cores = num(r["regex_cpu"], "cores_used") or 0.0, num(r["zlib_cpu"], "cores_used") or 0.0
    fig = Figure(
        keep * 100, _("{keep} vs {release} of its speed alone").format(keep=percent(keep), release=percent(rel))
    )
    seen = _(
        "A CPU-bound Python thread ran at {keep} of its speed alone beside re, which keeps the GIL "
        "({keep_cores} cores), and at {release} beside zlib, which releases it ({release_cores} cores)."
    ).format(keep=percent(keep), keep_cores=decimal(keep_cores), release=percent(rel), release_cores=decimal(rel_cores))
    seen = join(seen, kept_by(r["regex_cpu"]))
    hashlib = ""
    if "hash1k_cpu" in share and "hash64k_cpu" in share:
        hashlib = _("Within one library, hashlib: {small} beside 1 KiB calls, {large} beside 64 KiB calls.").format(
            small=percent(share["hash1k_cpu"]), large=percent(share["hash64k_cpu"])
        )
    if rel >= FREE_SHARE and rel - keep >= FREE_GAP:
        below_two = (
            ""
            if rel_cores >= TWO_FULL_CORES
            else _(
                "The releasing thread itself must win the GIL back after every call, one interval at worst, which is "
                "why {cores} cores and not 2."
            ).format(cores=decimal(rel_cores))
        )
        return Finding(
            CONFIRMED,
            fig,
            join(
                seen,
                _(
                    "The C code that keeps the GIL needs no locks of its own but freezes the Python thread while it runs; "
                    "the code that releases it lets Python run beside it."
                ),
                below_two,
                hashlib,
            ),
            table.freeze(),
        )
    return Finding(
        INCONCLUSIVE,
        fig,
        join(
            seen,
            _(
                "The two are not clearly apart (release needs at least {share} and {points} more than keeping); a busy "
                "machine blurs them. Run the lesson again."
            ).format(share=percent(FREE_SHARE), points=points(round(FREE_GAP * 100))),
            hashlib,
        ),
        table.freeze(),
    )
