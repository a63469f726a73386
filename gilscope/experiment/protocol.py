"""What the runner (the parent) and the worker (the child) say to each other: the spec file the runner writes,
then the worker's JSON lines on stdout: hello, started, done. Every message names itself in one key, ``type``.

The worker builds them, the runner parses them (parse_message checks the discriminator). Stdlib only, typing
only: the worker runs in whichever CPython 3.11+ the spec names. The blocks shared with the trace's bootstrap
(the hello's ``python`` and ``gil``) and the workloads' own reports come from gilscope.schema, for the type
checker only: the worker never imports it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal, NotRequired, TypedDict, cast

if TYPE_CHECKING:
    from gilscope.schema import GilBlock, NetworkReport, PythonInfo, RaceReport

Mode = Literal["threaded", "interleaved"]


class SpecThread(TypedDict):
    name: str
    kind: str
    params: dict[str, float]


class SpecMessage(TypedDict):
    """The spec file: what the worker runs (threaded: the observed run; interleaved: the comparison)."""

    type: Literal["spec"]
    mode: Mode
    interval_s: float
    duration_s: float
    probe_path: str
    probe_cap: int
    blas_threads: int
    pairs: int  # rounds of the interleaved comparison
    threads: list[SpecThread]


class HelloMessage(TypedDict):
    """The worker is up: its interpreter, its GIL (or why it was not found) and the switch interval it set."""

    type: Literal["hello"]
    pid: int
    python: PythonInfo
    gil: GilBlock
    interval_s: float
    stacks: NotRequired[dict[str, Any]]  # the frame layout (observe.stacks), or the reason there is none


class StartedMessage(TypedDict):
    """The threads' common start line, on CLOCK_MONOTONIC (time.perf_counter_ns)."""

    type: Literal["started"]
    start_ns: int
    deadline_ns: int


class ThreadResult(TypedDict, total=False):
    """One thread of a threaded run; empty for a thread that failed before the start line."""

    cpu_ns: int
    units: int  # -1: the thread failed during the run
    style: str


class DoneMessage(TypedDict):
    """The worker's last word. A threaded run reports its CPU and threads (and the network and race
    workloads' own measurements); an interleaved comparison its pairs of rounds."""

    type: Literal["done"]
    errors: list[str]
    cpu_total_ns: int  # the worker's process CPU time at the end, for the machine's load
    process_cpu_ns: NotRequired[int]  # threaded: from the start line to the end
    threads: NotRequired[list[ThreadResult]]
    network: NotRequired[NetworkReport | dict[str, str]]  # or {"error": why} when the load generator gave none
    race: NotRequired[RaceReport]
    pairs_ns: NotRequired[list[list[int]]]  # interleaved: [threaded_ns, sequential_ns] per pair


Message = HelloMessage | StartedMessage | DoneMessage
MESSAGE_TYPES = ("hello", "started", "done")


def parse_message(line: str | bytes) -> Message:
    """One line of the worker's stdout as a message; ValueError when it is none (not a JSON object, or no
    known ``type``)."""
    msg = json.loads(line)
    if not isinstance(msg, dict) or msg.get("type") not in MESSAGE_TYPES:
        raise ValueError(f"not a message: no type among {MESSAGE_TYPES}")
    return cast(Message, msg)


def parse_spec(text: str) -> SpecMessage:
    """The spec file's text; ValueError when it is not a spec."""
    spec = json.loads(text)
    if not isinstance(spec, dict) or spec.get("type") != "spec":
        raise ValueError('not a spec: "type" is not "spec"')
    return cast(SpecMessage, spec)
