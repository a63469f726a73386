"""I/O beside CPU-bound threads: system calls release the GIL (C6), and network servers hardly depend on it (C8).

Both turn on one figure: how long a thread whose call has returned waits to take the GIL back from a CPU-bound
thread, which keeps it until a waiter has waited a whole interval (the convoy effect). The convoy thresholds
below are also what the run's plain-language reading (gilscope.lessons.reading) calls a convoy.
"""

from __future__ import annotations

import math

from gilscope.lessons.model import (
    CONFIRMED,
    INCONCLUSIVE,
    NONE,
    NUANCED,
    Figure,
    Finding,
    Results,
    Table,
    interval_ms,
    join,
    kind_rate,
    num,
    percent,
    threads_of,
)
from gilscope.lessons.presets import C8_CPU, C8_INTERVALS_S, c8_key
from gilscope.locale import N_, _, decimal, ngettext

QUICK_WAKE_MS = 1.0  # median wake latency beside a CPU thread: below this, releasing cost the I/O threads nothing
CONVOY_SHARE = 0.5  # wake latency / switch interval: above this (and CONVOY_MIN_MS), waking threads queued for the
CONVOY_MIN_MS = 0.2  # GIL behind a busy thread; below 0.2 ms a wake-up is quick whatever the interval
SERVER_HOLDS = 2.0  # requests/s with no CPU thread / with one, at 5 ms: below this the server hardly felt the GIL
SERVER_STARVED = 10.0  # above this the CPU thread starves the server
INTERVAL_RECOVERY = 3.0  # requests/s at 0.1 ms / at 5 ms with one CPU thread: the interval is the cause above this

IO_KINDS = (("sleep", N_("sleep")), ("file", N_("file write + fsync + read")), ("socket", N_("socket")))


def is_convoy(wake_ms: float, interval_ms: float) -> bool:
    """A median wake-up slow enough to be the wait behind a busy thread's switch interval."""
    return wake_ms > CONVOY_SHARE * interval_ms and wake_ms > CONVOY_MIN_MS


def _quoted(names: list[str]) -> str:
    quoted = [_("“{name}”").format(name=n) for n in names]
    if len(quoted) == 1:
        return quoted[0]
    return _("{first} and {last}").format(first=", ".join(quoted[:-1]), last=quoted[-1])


def system_calls_release(r: Results) -> Finding:
    """C6: sleep, file and socket threads beside a CPU-bound thread and alone; the slowest wake-up decides."""
    busy, alone = r["io_cpu"], r["io_alone"]
    table = Table()
    shares: list[float] = []
    stuck: list[str] = []
    wakes: list[tuple[str, float, float]] = []  # name, p50, p90 of each I/O thread beside the CPU-bound one
    for kind, msgid in IO_KINDS:
        name = _(msgid)
        near, solo = kind_rate(busy, kind), kind_rate(alone, kind)
        ts, ts_alone = threads_of(busy, kind), threads_of(alone, kind)
        wake = (ts[0].get("wake_latency_ms") if ts else None) or {}
        wake_alone = (ts_alone[0].get("wake_latency_ms") if ts_alone else None) or {}
        table.add(
            kind=kind,
            label=name,
            units_per_s_alone=solo,
            units_per_s_beside_cpu=near,
            wake_p50_ms_alone=wake_alone.get("p50"),
            wake_p50_ms_beside_cpu=wake.get("p50"),
        )
        if wake.get("p50") is not None:
            wakes.append((name, float(wake["p50"]), float(wake.get("p90") or wake["p50"])))
        if near is not None and near <= 0:
            stuck.append(name)
        if near and solo:
            shares.append(near / solo)
    whole = num(busy, "io_wake_latency_ms", "p50")
    if not wakes and whole is not None:  # no per-thread figures: use the whole run's
        wakes.append((_("I/O"), whole, num(busy, "io_wake_latency_ms", "p90") or 0.0))
    if not wakes:
        return Finding(
            INCONCLUSIVE,
            NONE,
            _("The I/O threads reported no wake-ups, so their wait for the GIL cannot be measured."),
            table.freeze(),
        )
    iv = interval_ms(busy)
    slow_name, w, _p90 = max(wakes, key=lambda x: x[1])
    fig = Figure(w, _("{ms} ms wake latency").format(ms=decimal(w)))
    if stuck:
        return Finding(
            INCONCLUSIVE,
            fig,
            _(
                "No progress at all beside the CPU-bound thread: {threads}. Even a call that kept the GIL would get it "
                "back every interval, so this points at the run, not the GIL; run again."
            ).format(threads="; ".join(stuck)),
            table.freeze(),
        )
    share = (
        ""
        if not shares
        else _("Beside the CPU thread they kept {low}-{high} of their rate alone.").format(
            low=percent(min(shares)), high=percent(max(shares))
        )
    )
    seen = join(
        _(
            "Sleep, file and socket threads all kept working beside a CPU-bound thread, so their system calls "
            "do release the GIL."
        ),
        share,
    )
    each = _("Median wait to take the GIL back after a call, at an interval of {interval} ms: {waits}.").format(
        interval=decimal(iv, 1),
        waits="; ".join(
            _("{name}: {p50} ms (p90 {p90})").format(name=n, p50=decimal(p50, 3), p90=decimal(p90, 3))
            for n, p50, p90 in wakes
        ),
    )
    if w < QUICK_WAKE_MS:
        return Finding(
            CONFIRMED,
            fig,
            join(
                seen,
                each,
                _("Even the slowest waited well under {ms} ms: releasing cost them almost nothing.").format(
                    ms=decimal(QUICK_WAKE_MS, 0)
                ),
            ),
            table.freeze(),
        )
    quick = [n for n, p50, _p90 in wakes if p50 < QUICK_WAKE_MS]
    sooner = (
        ""
        if not quick
        else ngettext(
            "The {threads} thread got it back sooner: a short call often ends before the CPU-bound thread has woken up "
            "to take the free GIL.",
            "The {threads} threads got it back sooner: a short call often ends before the CPU-bound thread has woken up "
            "to take the free GIL.",
            len(quick),
        ).format(threads=_quoted(quick))
    )
    return Finding(
        NUANCED,
        fig,
        join(
            seen,
            each,
            _(
                "The {thread} thread waited {ms} ms, {share} of the interval: the CPU-bound thread keeps the GIL until a "
                "waiter has waited a whole interval, so a thread whose call blocked pays up to that much on every wake-up "
                "(the convoy effect)."
            ).format(thread=_quoted([slow_name]), ms=decimal(w), share=percent(w / iv)),
            sooner,
        ),
        table.freeze(),
    )


def _rps(r: Results, cpu: int, iv: float) -> float | None:
    return num(r[c8_key(cpu, iv)], "network", "requests_per_s")


def network_server(r: Results) -> Finding:
    """C8: a threaded echo server beside 0, 1 and 2 CPU-bound threads at three intervals."""
    table = Table()
    for iv in reversed(C8_INTERVALS_S):
        for c in C8_CPU:
            s = r[c8_key(c, iv)]
            table.add(
                cpu_threads=float(c),
                interval_ms=iv * 1e3,
                requests_per_s=num(s, "network", "requests_per_s"),
                p50_ms=num(s, "network", "latency_ms", "p50"),
                p99_ms=num(s, "network", "latency_ms", "p99"),
            )
    r0, r1, r2, r1f = _rps(r, 0, 0.005), _rps(r, 1, 0.005), _rps(r, 2, 0.005), _rps(r, 1, 0.0001)
    if not r0 or r1 is None or r2 is None or r1f is None:
        return Finding(
            INCONCLUSIVE,
            NONE,
            _("The echo server reported no requests in a run, so there is nothing to compare."),
            table.freeze(),
        )
    ratio = r0 / r1 if r1 > 0 else math.inf
    rec = r1f / r1 if r1 > 0 else math.inf
    p99_0 = num(r[c8_key(0, 0.005)], "network", "latency_ms", "p99") or 0.0
    p99_1 = num(r[c8_key(1, 0.005)], "network", "latency_ms", "p99") or 0.0
    fig = Figure(r0, _("{alone} → {beside} req/s").format(alone=decimal(r0, 0), beside=decimal(r1, 0)))
    fell = _("to nothing") if math.isinf(ratio) else _("{ratio}x").format(ratio=decimal(ratio, 1))
    seen = ngettext(
        "At 5 ms the server answered {alone} request a second alone (p99 {p99_alone} ms), {beside} beside one "
        "CPU-bound thread (p99 {p99_beside} ms) and {two} beside two.",
        "At 5 ms the server answered {alone} requests a second alone (p99 {p99_alone} ms), {beside} beside one "
        "CPU-bound thread (p99 {p99_beside} ms) and {two} beside two.",
        round(r0),
    ).format(
        alone=decimal(r0, 0),
        p99_alone=decimal(p99_0),
        beside=decimal(r1, 0),
        p99_beside=decimal(p99_1),
        two=decimal(r2, 0),
    )
    if ratio < SERVER_HOLDS:
        return Finding(
            CONFIRMED,
            fig,
            join(
                seen,
                _(
                    "A CPU-bound thread cost the server less than half its throughput (it fell {fell}): here network code "
                    "hardly depends on the GIL."
                ).format(fell=fell),
            ),
            table.freeze(),
        )
    at01 = ngettext(
        "At 0.1 ms, with one CPU thread, it answered {n} request a second, {ratio} times as many.",
        "At 0.1 ms, with one CPU thread, it answered {n} requests a second, {ratio} times as many.",
        round(r1f),
    ).format(n=decimal(r1f, 0), ratio=decimal(rec, 1))
    convoy = (
        at01
        if rec < INTERVAL_RECOVERY
        else join(
            _(
                "Each reply must win the GIL back from the CPU-bound thread, which keeps it for up to one interval (the "
                "convoy effect), so a shorter interval helps."
            ),
            at01,
        )
    )
    if ratio >= SERVER_STARVED and rec < INTERVAL_RECOVERY:
        return Finding(
            INCONCLUSIVE,
            fig,
            join(
                seen,
                _(
                    "Throughput fell {fell} but a shorter interval brought back only {ratio}x, so the GIL's hand-off is not "
                    "shown to be the cause: the machine may simply lack cores for the server, its client and the CPU "
                    "thread."
                ).format(fell=fell, ratio=decimal(rec, 1)),
            ),
            table.freeze(),
        )
    return Finding(
        NUANCED,
        fig,
        join(
            seen,
            convoy,
            _(
                "True with no CPU work in the process, false with it: one CPU-bound thread cut throughput {fell}, so the "
                "claim holds only for servers that compute nothing themselves."
            ).format(fell=fell),
        ),
        table.freeze(),
    )
