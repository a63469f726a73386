"""The shapes of what crosses process and language lines: a run's summary and every streamed event.

Defined once, here, as TypedDicts: the analysis builds them, the CLI prints them, the lessons judge them, the
server streams them and publishes them in its OpenAPI document (components ``Summary``, ``Event`` ...), and the
page reads them. Imports nothing of the project. (pydantic reads TypedDicts from ``typing_extensions`` on
Python 3.11; that module comes with pydantic, and this module is never imported by the stdlib-only worker.)
"""

from __future__ import annotations

from typing import Literal

try:
    from typing import NotRequired

    from typing_extensions import TypedDict
except ImportError:  # pragma: no cover - outside the server's environment
    from typing import NotRequired, TypedDict


class Percentiles(TypedDict):
    """Milliseconds; ``n`` is how many values they summarise."""

    p50: float | None
    p90: float | None
    n: int


class PythonInfo(TypedDict):
    version: str | None
    implementation: str | None
    gil_enabled: bool | None
    executable: NotRequired[str]  # the interpreter's path: in a child's hello (the summary leaves it out)


class GilBlock(TypedDict, total=False):
    """A child's word on its GIL (gilscope.observe.child.gil_block): where it is, or why it was not found.
    Not published: it stays between a child and its observer."""

    address: int
    runtime_offset: int  # bytes into _PyRuntime
    scanned_bytes: int
    reason: str


class ThreadSummary(TypedDict):
    name: str
    kind: str
    params: dict[str, float]
    progress: int  # units of work done
    units_per_s: float | None
    cpu_s: float  # this thread's CPU time
    gil_wait_s: float  # time spent waiting for the GIL (from the probes)
    wake_latency_ms: Percentiles | None  # release-style threads: from ready to running again
    probe_overflow: bool  # the thread wrote more records than its probe buffer holds
    # gilscope trace (a program without probes): each thread's states as fractions of its sampled life
    states: NotRequired[ThreadStates]
    tid: NotRequired[int]  # the thread's native id
    life_s: NotRequired[float]
    samples: NotRequired[int]  # how many times the tracer saw it
    runnable_s: NotRequired[float]  # runnable but without a CPU (schedstat's run delay): part of "native"
    gil_held_s: NotRequired[float]  # time this thread held the GIL (probes' holding slices; a trace: its samples)
    gil_share: NotRequired[float]  # gil_held_s over the run's wall time: its share of the GIL


class ThreadStates(TypedDict):
    """Fractions of a traced thread's samples: holding the GIL, waiting for it (in futex on the GIL's words),
    blocked in any other system call (I/O, sleep, other locks), running without the GIL (native code, or
    runnable and waiting for a core)."""

    holding: float
    waiting: float
    blocked: float
    native: float


# One cell of the hand-off matrix; "other" is a thread that is not a workload thread.
HandoffCell = TypedDict("HandoffCell", {"from": str, "to": str, "count": int})


class Distributions(TypedDict):
    """Thinned (at most 4000 values each), for histograms."""

    slice_ms: list[float]
    wake_ms: list[float]


class Instruments(TypedDict):
    """Which instruments the run had; a missing one is said, with why, never guessed around."""

    locator: bool
    locator_detail: str
    proc_sampler: bool
    proc_sampler_detail: str
    schedstat: bool
    probes: bool


class SamplerReport(TypedDict):
    """The observer's own quality and cost."""

    samples: int | None
    rate_hz: float | None
    missed: int | None
    cpu_fraction: float | None  # the observer's CPU as a share of one core
    holder_handoffs: int | None  # holder changes the samples saw (a lower bound of the real count)
    late_ms_p90: float | None


class SamplerReading(SamplerReport):
    """What the observer hands the analysis (gilscope.observe.instruments.sampler_report): the report, and
    whether the sampler ran at all and, if not, why. Not published: the summary splits it into ``sampler``
    and ``instruments``."""

    ok: bool
    detail: str


class MachineLoad(TypedDict):
    """How busy the machine was during the run (/proc/stat), and how much of that was the run itself (the
    worker and its observer); ``disturbed`` when other processes took enough CPU to bend the numbers."""

    ok: bool
    detail: str
    cpus: int
    busy_cores: float | None
    run_cores: float | None
    others_cores: float | None
    others_share: float | None  # of all CPUs
    disturbed: bool | None


class Baseline(TypedDict):
    """Threads against one thread, from interleaved pairs of rounds in one process (A B B A ...): each pair is
    a threaded round and a sequential round of the same units; the ratio is the median of the pair ratios.
    Whether it means anything is measured in the run: a comparison the machine's noise cannot decide to 5% is
    not conclusive."""

    threaded_over_sequential: float | None  # median of the pair ratios: above 1, threads were slower
    ratio_min: float | None
    ratio_max: float | None
    pairs: int
    pair_ratios: list[float | None]
    threaded_wall_s: float  # all threaded rounds together
    sequential_wall_s: float  # all sequential rounds together: the same units in one thread
    noise_pct: float | None  # how much identical rounds' times differed (median, %): the machine's own noise
    resolution_pct: float | None  # half-width of the ratio's 95% interval (%): smaller differences are noise
    conclusive: bool  # resolution_pct <= 5 and the machine not disturbed: it can tell a 5% difference apart
    machine: NotRequired[MachineLoad]  # the machine's load during the comparison


class NetworkReport(TypedDict):
    requests: int
    requests_per_s: float
    latency_ms: dict[str, float | None]
    errors: int
    connections: int


class RaceReport(TypedDict):
    expected: int
    actual: int
    lost: int
    refcount_before: int
    refcount_after: int
    refcount_ok: bool


class TraceExit(TypedDict):
    code: int | None  # the program's exit status; None when it died by a signal
    signal: int | None
    how: str  # exited, timeout, interrupted, exec, refused


class TraceReport(TypedDict):
    """What `gilscope trace` adds: the program, how it ended, and how exact the figures are."""

    program: list[str]
    exit: TraceExit
    counter_exact: bool  # hand-offs from the program's own last word; else up to the tracer's last sample
    syscall_states: bool  # per-thread states from /proc/<pid>/task/<tid>/syscall
    syscall_detail: str
    threads_seen: int
    run_id: NotRequired[str]  # set when the trace was saved to the history


class StacksReport(TypedDict):
    """The holder's Python stacks: whether they could be read (and why not), how often, and how many."""

    ok: bool
    detail: str
    rate_hz: float | None
    samples: int
    dropped: int  # reads that raced with a changing frame and were dropped, never guessed


class GilHolder(TypedDict):
    """One line that held the GIL (the leaf of the holder's stack), heaviest first."""

    function: str
    file: str
    line: int | None
    in_c_call: bool  # C code called from this line held it (a regex, json.dumps, a C extension)
    held_s: float
    share: float  # of the run's wall time
    samples: int
    threads: list[str]
    stack: list[str]  # the commonest full stack, outermost first, "function (file:line)"


class WaitBehind(TypedDict):
    """Seconds one thread waited for the GIL while a given line held it."""

    waiter: str
    holder_thread: str
    function: str
    file: str
    line: int | None
    waited_s: float
    stack: list[str]


class LongHold(TypedDict):
    """A single hold longer than max(50 ms, 10 switch intervals): code that never let the others run."""

    thread: str
    function: str | None
    file: str | None
    line: int | None
    in_c_call: bool
    start_ms: float
    held_ms: float


class Summary(TypedDict):
    """Everything `gilscope run`, the API, the page and the lessons report about one finished run."""

    python: PythonInfo
    interval_set_s: float
    interval_s: float | None  # as the interpreter stored it (whole microseconds)
    duration_s: float
    wall_s: float
    handoffs: int | None  # exact, from the interpreter's own switch counter; None without the locator
    switch_counter_delta: int | None  # the raw counter difference: the same figure as handoffs
    handoffs_per_s: float | None
    timeline_handoffs: int | None  # hand-offs the timeline places exactly
    timeline_coverage: float | None  # timeline_handoffs / handoffs
    slice_ms: Percentiles
    io_wake_latency_ms: Percentiles | None
    cores_used: float | None  # process CPU time / wall time
    process_cpu_s: float
    gil_wait_s: float
    throughput_units_per_s: float | None
    threads: list[ThreadSummary]
    handoff_matrix: list[HandoffCell]
    distributions: Distributions
    instruments: Instruments
    sampler: SamplerReport
    errors: list[str]
    machine: NotRequired[MachineLoad]  # absent in runs recorded before it was measured
    network: NotRequired[NetworkReport]
    race: NotRequired[RaceReport]
    baseline: NotRequired[Baseline]
    reading: NotRequired[str]  # the plain-language reading, added by the server in the reader's language
    trace: NotRequired[TraceReport]  # set for a traced program (gilscope trace)
    stacks: NotRequired[StacksReport]  # absent in runs recorded before stacks were read
    gil_holders: NotRequired[list[GilHolder]]
    waits_behind: NotRequired[list[WaitBehind]]
    long_holds: NotRequired[list[LongHold]]


# -- Events: the runner's JSON lines, and the server's Server-Sent Events -------------------------------------


class HelloThread(TypedDict):
    name: str
    kind: str
    style: Literal["hold", "release"]
    region: Literal["io", "native"]


class LiveInfo(TypedDict):
    """A program watched while it runs (`--live`): the page keeps a rolling window of this many seconds."""

    window_s: float
    program: list[str]


class HelloEvent(TypedDict):
    """The run has started: its threads, interpreter and instruments."""

    type: Literal["hello"]
    pid: int
    threads: list[HelloThread]
    python: PythonInfo | None
    interval_s: float | None
    instruments: Instruments
    live: NotRequired[LiveInfo]  # set for a program watched live (gilscope attach/trace --live)


class TickFigures(TypedDict):
    handoffs: int | None
    handoffs_per_s: float | None
    cores_now: NotRequired[float | None]


class TickEvent(TypedDict):
    """Every 100 ms: new timeline segments [thread, state, start_ms, end_ms], new holder spans
    [start_ms, end_ms, thread or FREE/OTHER], each thread's progress and the live figures."""

    type: Literal["tick"]
    t_s: float
    segments: list[list[float]]
    holder: list[list[float]]
    progress: list[int]
    figures: TickFigures
    dropped_segments: NotRequired[int]  # set when the server thinned an oversized tick


class PhaseEvent(TypedDict):
    type: Literal["phase"]
    phase: Literal["running", "baseline"]


class QueueEvent(TypedDict):
    """The run waits in the queue: its place, and the id of the run executing now (None between runs)."""

    type: Literal["queue"]
    position: int
    running: str | None


class StacksEvent(TypedDict):
    """The GIL holder's sampled stacks, folded (`thread;frame;frame count`), just before the summary: what the
    folded-stack export of a stored run is made of."""

    type: Literal["stacks"]
    folded: list[str]
    frames: NotRequired[list[str]]  # "function (file:line)", indexed by the samples
    # [t_ms, thread index (-1: other), in a C call 0/1, [frame ids, outermost first]]
    samples: NotRequired[list[list[float | int | list[int]]]]
    sample_ms: NotRequired[float]  # the observed time each sample stands for
    dropped_samples: NotRequired[int]  # thinned by the server (GILSCOPE_MAX_EVENT_BYTES): timed samples left out
    dropped_stacks: NotRequired[int]  # and the lightest folded stacks left out


class ThreadsEvent(TypedDict):
    """A watched program started threads after the hello: threads `first`, `first + 1`, ... in the run's order
    (a viewer that already has them ignores them)."""

    type: Literal["threads"]
    first: int
    threads: list[HelloThread]


class LiveThread(TypedDict):
    """One thread's seconds in each state since the look began (each sample counts the time since the
    thread's previous one)."""

    name: str
    holding_s: float
    waiting_s: float
    blocked_s: float
    native_s: float


class HoldersEvent(TypedDict):
    """About every second while a program is watched live: counters since the start, the code that held the
    GIL most so far and the latest long holds."""

    type: Literal["holders"]
    t_s: float
    handoffs: int | None  # since the start, from the interpreter's own counter
    handoffs_per_s: float | None
    threads: list[LiveThread]
    gil_holders: list[GilHolder]  # the heaviest so far (stack samples), empty when stacks cannot be read
    long_holds: list[LongHold]  # the latest, newest first
    long_holds_total: int
    stacks_detail: str  # why there are no holders, when there are none for want of stacks; else ""


class SummaryEvent(TypedDict):
    """The run is done; its last event."""

    type: Literal["summary"]
    summary: Summary


class FailedEvent(TypedDict):
    """The run ended without a summary; its last event. ``error`` says why, in words for the user."""

    type: Literal["failed", "cancelled"]
    status: NotRequired[str]
    error: str | None


Event = (
    HelloEvent
    | TickEvent
    | PhaseEvent
    | QueueEvent
    | StacksEvent
    | ThreadsEvent
    | HoldersEvent
    | SummaryEvent
    | FailedEvent
)

PUBLISHED = {
    "Summary": Summary,
    "HelloEvent": HelloEvent,
    "TickEvent": TickEvent,
    "PhaseEvent": PhaseEvent,
    "StacksEvent": StacksEvent,
    "ThreadsEvent": ThreadsEvent,
    "HoldersEvent": HoldersEvent,
    "QueueEvent": QueueEvent,
    "SummaryEvent": SummaryEvent,
    "FailedEvent": FailedEvent,
}
