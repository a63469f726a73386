"""A traced program's measurements -> the summary and the event stream every face of gilscope reads.

Pure: takes what the tracer recorded (per-thread sampled states, the sampled GIL holder, the exact counter at
the start and the end) as plain data, so tests feed it made-up runs. The summary has the keys of
gilscope.schema.Summary that apply to a program without probes, and each thread its states as fractions of its
sampled life. The events are the dashboard's own (hello, ticks of segments and holder spans, summary), so a saved
trace replays at /runs/{id} and exports like any run.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Any, TypedDict, cast

from gilscope.analysis import blocks, events
from gilscope.analysis.holders import StackSample, gil_holders, long_holds, stacks_event, waits_behind
from gilscope.analysis.terminal import holder_lines, most_waiting, thread_rows
from gilscope.records import FREE, TRACE_STATE_NAMES, WAITING
from gilscope.schema import (
    Event,
    GilBlock,
    MachineLoad,
    SamplerReading,
    StacksReport,
    Summary,
    ThreadStates,
    ThreadSummary,
    TickEvent,
    TraceExit,
)

TICK_MS = 100.0


@dataclass
class ThreadRecord:
    """One thread of the program: who it is, when it lived, and its sampled states (gilscope.records codes)."""

    name: str
    tid: int
    python: bool  # announced by the program's threading module (else found in /proc: a native thread)
    tstate: int
    start_ns: int
    end_ns: int | None = None
    cpu_ns: int | None = None  # from schedstat, read every tick while the thread lived
    run_delay_ns: int | None = None  # schedstat's time runnable without a CPU
    t: array[int] = field(default_factory=lambda: array("q"))  # sample times (compact: long programs)
    s: array[int] = field(default_factory=lambda: array("b"))  # state at each sample


class TraceInstruments(TypedDict):
    """The tracer's own instruments, beyond the GIL sampler."""

    syscalls: bool  # per-thread states from /proc/<pid>/task/<tid>/syscall
    syscalls_detail: str  # why not, when not
    schedstat: bool


@dataclass
class TraceRecord:
    """Everything one trace measured, as plain data."""

    program: list[str]
    hello: dict[str, Any]
    threads: list[ThreadRecord]
    t0_ns: int  # the program's start (the bootstrap's hello)
    t_end_ns: int  # its end (exit seen), or where measuring stopped
    interval_set_s: float | None
    switch_start: int | None
    switch_end: int | None
    switch_exact: bool  # switch_end came from the program's own exit note, not from the last sample
    holder_spans: list[tuple[int, int, int]]  # (t0_ns, t1_ns, thread index or FREE/OTHER)
    holder_changes: int
    switch_ticks: list[tuple[int, int]]  # (t_ns, counter) about every tick, for the live figures
    process_cpu_ns: int | None
    sampler: SamplerReading  # observe.instruments.sampler_report
    instruments: TraceInstruments
    exit: TraceExit
    notes: list[str] = field(default_factory=list)  # what is missing or odd, in words
    machine: MachineLoad | None = None
    stacks: dict[str, Any] | None = None  # the holder's stacks: ok, detail, rate_hz, samples, dropped
    stack_samples: list[StackSample] = field(default_factory=list)
    stack_sample_s: float = 0.0  # the observed time each stack sample stands for


def states_of(th: ThreadRecord) -> ThreadStates | None:
    """Fractions of the thread's samples in each state (None for a thread never sampled)."""
    if not th.s:
        return None
    counts = [0] * len(TRACE_STATE_NAMES)
    for code in th.s:
        counts[code] += 1
    return cast(
        ThreadStates, {name: round(c / len(th.s), 4) for name, c in zip(TRACE_STATE_NAMES, counts, strict=True)}
    )


def segments_of(th: ThreadRecord, t_end_ns: int) -> list[tuple[int, int, int]]:
    """Run-length (t0, t1, state): a state lasts from its first sample to the next sample of another state."""
    out: list[tuple[int, int, int]] = []
    if not th.t:
        return out
    end = min(th.end_ns or t_end_ns, t_end_ns)
    start, state = th.t[0], th.s[0]
    for t, s in zip(th.t, th.s, strict=True):
        if s != state:
            out.append((start, t, state))
            start, state = t, s
    out.append((start, max(start, end, th.t[-1]), state))
    return out


def slices_ns(spans: list[tuple[int, int, int]]) -> tuple[list[int], dict[tuple[int, int], int]]:
    """Slice lengths and the from->to matrix of the sampled holder: a slice runs from a thread's first sample
    as holder to the next other thread's first (a free GIL in between belongs to the slice)."""
    slices: list[int] = []
    matrix: dict[tuple[int, int], int] = {}
    cur: tuple[int, int] | None = None  # (start, who)
    for a, _b, who in spans:
        if who == FREE or (cur is not None and who == cur[1]):
            continue
        if cur is not None:
            slices.append(a - cur[0])
            matrix[(cur[1], who)] = matrix.get((cur[1], who), 0) + 1
        cur = (a, who)
    return slices, matrix


def add_holder_blocks(summary: Summary, rec: TraceRecord, names: list[str], wall_s: float) -> None:
    """Where the GIL was held and who waited behind whom, when the holder's stacks could be read."""
    if rec.stacks is None:
        return
    summary["stacks"] = cast(StacksReport, rec.stacks)
    if not rec.stacks.get("ok"):
        return
    waiting = [[(a, b) for a, b, s in segments_of(th, rec.t_end_ns) if s == WAITING] for th in rec.threads]
    summary["gil_holders"] = gil_holders(rec.stack_samples, names, rec.stack_sample_s, wall_s)
    summary["waits_behind"] = waits_behind(rec.stack_samples, waiting, names, rec.stack_sample_s)
    summary["long_holds"] = long_holds(
        rec.holder_spans, rec.stack_samples, names, rec.t0_ns, summary["interval_s"] or rec.interval_set_s or 0.005
    )


def summarize_trace(rec: TraceRecord) -> Summary:
    wall_s = max(1e-9, (rec.t_end_ns - rec.t0_ns) / 1e9)
    located = blocks.located(rec.hello.get("gil", {}))
    counter = rec.switch_end - rec.switch_start if rec.switch_start is not None and rec.switch_end is not None else None
    slices, matrix = slices_ns(rec.holder_spans)
    names = [th.name for th in rec.threads]
    threads: list[ThreadSummary] = []
    for th in rec.threads:
        states = states_of(th) if located else None
        life_ns = max(0, min(th.end_ns or rec.t_end_ns, rec.t_end_ns) - th.start_ns)
        entry: ThreadSummary = {
            "name": th.name,
            "kind": "python" if th.python else "native",
            "params": {},
            "progress": 0,
            "units_per_s": None,
            "cpu_s": round((th.cpu_ns or 0) / 1e9, 4),
            "gil_wait_s": round(states["waiting"] * life_ns / 1e9, 4) if states else 0.0,
            "wake_latency_ms": None,
            "probe_overflow": False,
            "tid": th.tid,
            "life_s": round(life_ns / 1e9, 4),
            "samples": len(th.s),
        }
        if th.run_delay_ns is not None:
            entry["runnable_s"] = round(th.run_delay_ns / 1e9, 4)
        if states is not None:
            entry["states"] = states
            entry["gil_held_s"] = round(states["holding"] * life_ns / 1e9, 4)
            entry["gil_share"] = round(states["holding"] * life_ns / 1e9 / wall_s, 4)
        threads.append(entry)
    cpu = rec.process_cpu_ns
    gil: GilBlock = rec.hello.get("gil", {})
    summary: Summary = {
        "python": blocks.python_info(rec.hello.get("python")),
        "interval_set_s": rec.interval_set_s if rec.interval_set_s is not None else rec.hello.get("interval_s", 0),
        "interval_s": rec.hello.get("interval_s"),
        "duration_s": round(wall_s, 4),
        "wall_s": round(wall_s, 4),
        "handoffs": counter,
        "switch_counter_delta": counter,
        "handoffs_per_s": blocks.per_s(counter, wall_s),
        "timeline_handoffs": rec.holder_changes if rec.sampler.get("ok") else None,
        "timeline_coverage": (
            round(min(1.0, rec.holder_changes / counter), 4) if counter and rec.sampler.get("ok") else None
        ),
        "slice_ms": blocks.slice_ms(slices),
        "io_wake_latency_ms": None,
        "cores_used": blocks.cores_used(cpu, wall_s),
        "process_cpu_s": round((cpu or 0) / 1e9, 4),
        "gil_wait_s": round(sum(t["gil_wait_s"] for t in threads), 4),
        "throughput_units_per_s": None,
        "threads": threads,
        "handoff_matrix": blocks.handoff_matrix(matrix, names),
        "distributions": blocks.distributions(slices, []),
        "instruments": blocks.instruments(
            gil,
            bool(rec.sampler.get("ok")),
            str(rec.sampler.get("detail", "")),
            bool(rec.instruments.get("schedstat")),
            False,
        ),
        "sampler": blocks.sampler(rec.sampler),
        "errors": list(rec.notes),
    }
    add_holder_blocks(summary, rec, names, wall_s)
    summary["trace"] = {
        "program": rec.program,
        "exit": rec.exit,
        "counter_exact": rec.switch_exact,
        "syscall_states": bool(rec.instruments.get("syscalls")),
        "syscall_detail": str(rec.instruments.get("syscalls_detail", "")),
        "threads_seen": len(rec.threads),
    }
    if rec.machine is not None:
        summary["machine"] = rec.machine
    return summary


def _ms(t: int, t0: int) -> float:
    return round((t - t0) / 1e6, 4)


def trace_events(rec: TraceRecord, summary: Summary, pid: int = 0) -> list[Event]:
    """The run as the dashboard streams one: hello, a tick per 100 ms of segments and holder spans (a thread
    blocked in the kernel shows as IO), then the summary."""
    t0 = rec.t0_ns
    hello = events.hello(
        pid,
        [
            {"name": th.name, "kind": "python" if th.python else "native", "style": "hold", "region": "io"}
            for th in rec.threads
        ],
        summary["python"],
        summary["interval_s"],
        summary["instruments"],
    )
    n_ticks = max(1, int(_ms(rec.t_end_ns, t0) // TICK_MS) + 1)
    ticks: list[TickEvent] = [
        events.tick(
            round((k + 1) * TICK_MS / 1e3, 3),
            [],
            [],
            [0] * len(rec.threads),
            {"handoffs": None, "handoffs_per_s": None},
        )
        for k in range(n_ticks)
    ]

    def tick_of(t_ms: float) -> TickEvent:
        return ticks[min(n_ticks - 1, max(0, int(t_ms // TICK_MS)))]

    for i, th in enumerate(rec.threads):
        for a, b, state in segments_of(th, rec.t_end_ns):
            tick_of(_ms(a, t0))["segments"].append([i, state, _ms(a, t0), _ms(b, t0)])
    for a, b, who in rec.holder_spans:
        if b > t0:
            tick_of(_ms(a, t0))["holder"].append([_ms(max(a, t0), t0), _ms(b, t0), who])
    if rec.switch_start is not None:
        k = 0
        for t, sw in rec.switch_ticks:
            k = min(n_ticks - 1, max(k, int(_ms(t, t0) // TICK_MS)))
            ticks[k]["figures"] = events.figures(sw - rec.switch_start, max(1e-9, (t - t0) / 1e9))
    ticks[-1]["t_s"] = round((rec.t_end_ns - t0) / 1e9, 3)
    ticks[-1]["figures"] = {"handoffs": summary["handoffs"], "handoffs_per_s": summary["handoffs_per_s"]}
    stacks: list[Event] = []
    if rec.stack_samples:
        names = [th.name for th in rec.threads]
        stacks.append(stacks_event(rec.stack_samples, names, rec.t0_ns, rec.stack_sample_s))
    return [hello, *ticks, *stacks, events.summary(summary)]


def summary_line(s: Summary) -> str:
    """One line for a notebook or a terminal: the hand-offs, the cores, and who waited most for the GIL."""
    parts = []
    if s["handoffs"] is not None:
        parts.append(f"{s['handoffs']:,} hand-offs ({s['handoffs_per_s'] or 0:,.0f}/s)")
    else:
        parts.append("hand-offs not counted (" + s["instruments"]["locator_detail"] + ")")
    if s["cores_used"] is not None:
        parts.append(f"{s['cores_used']:.2f} cores")
    if any(t.get("states") is not None for t in s["threads"]):
        top = most_waiting(s["threads"])
        parts.append(
            f"{top[0]} waited {top[1]:.2f} s for the GIL ({top[2]:.0%} of its life)"
            if top is not None
            else "no thread waited for the GIL"
        )
    return ", ".join(parts) + f" in {s['wall_s']:.2f} s"


def describe_trace(s: Summary) -> str:
    """The trace's summary as a few lines for a terminal (the program's own output stays on stdout)."""
    iv = s["interval_s"] or s["interval_set_s"]
    trace = s.get("trace")
    exact = trace is not None and trace["counter_exact"]
    lines = [
        f"gilscope: Python {s['python']['version']}, switch interval {iv * 1e3:g} ms: "
        + summary_line(s)
        + ("" if exact or s["handoffs"] is None else " (hand-offs up to the last sample)")
    ]
    rows = thread_rows(s["threads"])
    if rows:
        lines.append(
            f"  {'thread':<28} {'holding':>8} {'waiting':>8} {'blocked':>8} {'native':>8} {'GIL s':>8} {'cpu s':>8}"
        )
        for r in rows[:40]:
            name = f"{r.name[:22]} × {r.count}" if r.count > 1 else r.name[:28]
            lines.append(
                f"  {name:<28} "
                + " ".join(f"{r.states.get(k, 0):>8.0%}" for k in TRACE_STATE_NAMES)
                + f" {r.gil_s:>8.3f} {r.cpu_s:>8.3f}"
            )
        if len(rows) > 40:
            lines.append(f"  ... and {len(rows) - 40} more rows")
    sm = s["sampler"]
    if s["instruments"]["proc_sampler"]:
        lines.append(
            f"  sampled {sm['samples'] or 0:,} times ({sm['rate_hz'] or 0:,.0f} Hz, "
            f"{(sm['cpu_fraction'] or 0) * 100:.1f}% of a core); the timeline shows "
            f"{s['timeline_handoffs']} of the hand-offs"
        )
    else:
        lines.append(f"  no GIL sampling: {s['instruments']['proc_sampler_detail']}")
    lines += holder_lines(s)
    lines += [f"  note: {n}" for n in s["errors"]]
    return "\n".join(lines)
