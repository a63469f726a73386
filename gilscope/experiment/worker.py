"""The experiment's own interpreter: python -m gilscope.experiment.worker SPEC.json (or -: the path on stdin)

Locates the GIL, sets the switch interval, starts the workload threads together and has each write its probes
into the shared probe file. Talks to its parent (the sampler) in JSON lines on stdout: hello, started, done.
Stdlib only (plus the workloads' own imports), no thread of its own beyond the workload threads: any extra
Python thread would compete for the very lock being measured.
"""

from __future__ import annotations

import ctypes
import json
import mmap
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from gilscope.experiment.protocol import (
    DoneMessage,
    HelloMessage,
    Message,
    SpecMessage,
    StartedMessage,
    ThreadResult,
    parse_spec,
)
from gilscope.observe import scratch
from gilscope.observe.child import allow_parent_to_read, gil_block, python_block, stacks_block
from gilscope.observe.locate import FIELD_SWITCH_NUMBER, GilLocation, gil_enabled, locate, this_thread_state
from gilscope.records import (
    H_COUNT,
    H_CPU_NS,
    H_CUR_LAST,
    H_CUR_START,
    H_DONE,
    H_FIRST_SN,
    H_FIRST_T,
    H_LAST_SN,
    H_LAST_T,
    H_OVERFLOW,
    H_PROGRESS,
    H_STARTED,
    H_TSTATE,
    NO_SN,
    REC_HOLD,
    REC_REGION,
    RECORD_WORDS,
    START_DELAY_NS,
    records_start,
    thread_header,
    total_words,
)

if TYPE_CHECKING:  # for the type checker only: the worker imports nothing beyond the stdlib
    from gilscope.schema import RaceReport

ROUND_DELAY_NS = 5_000_000  # a comparison round's threads start together this far after the last one is ready


def emit(message: Message) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


class _NoCounter:
    value = NO_SN


class EchoPeer:
    """Starts the socket workload's echo peer (another process) on first use."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = None
        self.port = 0

    def __call__(self) -> tuple[str, int]:
        if self.proc is None:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gilscope.workloads.echo_peer"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            assert self.proc.stdout is not None
            self.port = int(self.proc.stdout.readline())
        return ("127.0.0.1", self.port)

    def close(self) -> None:
        if self.proc is not None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait(timeout=5)


def build(kind: str, params: dict, ctx: dict) -> tuple[str, Callable]:
    """(style, work) for one thread: a unit() for hold-style threads, a call(t0) for release-style ones."""
    from gilscope.workloads import KINDS, RELEASE
    from gilscope.workloads.factories import HOLD_FACTORIES, RELEASE_FACTORIES, SHARED_HOLD_FACTORIES

    spec = KINDS[kind]
    if spec.style == RELEASE:
        call = RELEASE_FACTORIES[kind](params, ctx)
        if spec.probe_style(params) == RELEASE:
            return "release", call
        return "hold", lambda: call(0)  # e.g. hashlib under 2048 bytes: a C call that keeps the GIL
    if kind in SHARED_HOLD_FACTORIES:
        return "hold", SHARED_HOLD_FACTORIES[kind](params, ctx)
    return "hold", HOLD_FACTORIES[kind](params)


class Probe:
    """One thread's view of the probe file."""

    def __init__(self, words: ctypes.Array, n_threads: int, cap: int, index: int) -> None:
        self.w = words
        self.h = thread_header(index)
        self.base = records_start(n_threads, cap, index)
        self.cap = cap
        self.count = 0

    def record(self, kind: int, t0: int, t1: int, sn0: int, sn1: int, extra: int) -> None:
        if self.count >= self.cap:
            self.w[self.h + H_OVERFLOW] = 1
            return
        at = self.base + self.count * RECORD_WORDS
        self.w[at : at + RECORD_WORDS] = [kind, t0, t1, sn0, sn1, extra]
        self.count += 1
        self.w[self.h + H_COUNT] = self.count


def run_hold(probe: Probe, unit: Callable[[], object], counter, deadline: int) -> int:
    w, h, now = probe.w, probe.h, time.perf_counter_ns
    i_progress, i_last = h + H_PROGRESS, h + H_CUR_LAST
    units = 0
    # The counter is read before the clock, never after: now() is a C call, and right after a C call the
    # interpreter may hand the GIL over (a pending drop request), so a counter read after it could already name
    # the next holder's epoch and tag this stamp with it (a unit longer than the interval did so every time).
    cur = counter.value
    t = last = now()
    start, in_slice = t, 0
    w[h + H_FIRST_T], w[h + H_FIRST_SN], w[h + H_CUR_START] = t, cur, t
    w[h + H_STARTED] = 1
    while t < deadline:
        unit()
        units += 1
        sn = counter.value  # before the clock (see above)
        t = now()
        if sn != cur:  # we lost the GIL and got it back since the last stamp
            probe.record(REC_HOLD, start, last, cur, cur, in_slice)
            cur, start, in_slice = sn, t, 0
            w[h + H_CUR_START] = t
        in_slice += 1
        last = t
        w[i_last] = t
        w[i_progress] = units
    probe.record(REC_HOLD, start, last, cur, cur, in_slice)
    w[h + H_LAST_T], w[h + H_LAST_SN] = last, cur
    return units


def run_release(probe: Probe, call: Callable[[int], int], counter, deadline: int) -> int:
    w, h, now = probe.w, probe.h, time.perf_counter_ns
    units = 0
    t = now()
    sn = counter.value
    w[h + H_FIRST_T], w[h + H_FIRST_SN], w[h + H_CUR_START] = t, sn, t
    w[h + H_STARTED] = 1
    while t < deadline:
        t0, sn0 = now(), counter.value
        ready = call(t0)
        t, sn = now(), counter.value
        if ready < 0:  # the peer ended the conversation (echo server): this thread's run is over
            break
        probe.record(REC_REGION, t0, t, sn0, sn, ready)
        units += 1
        w[h + H_CUR_LAST] = t
        w[h + H_PROGRESS] = units
    w[h + H_LAST_T], w[h + H_LAST_SN] = t, sn
    return units


def run_threaded(spec: SpecMessage, location: GilLocation | None) -> DoneMessage:
    threads_spec = spec["threads"]
    n, cap = len(threads_spec), int(spec["probe_cap"])
    fd = os.open(spec["probe_path"], os.O_RDWR)
    mm = mmap.mmap(fd, total_words(n, cap) * 8)
    words = (ctypes.c_int64 * total_words(n, cap)).from_buffer(mm)
    counter = ctypes.c_ulong.from_address(location.address + FIELD_SWITCH_NUMBER) if location else _NoCounter()
    tmpdir = tempfile.mkdtemp(prefix=scratch.prefix() + "files-")
    peer = EchoPeer()
    shared: dict = {}

    def count(kind: str) -> int:
        return sum(1 for t in threads_spec if t["kind"] == kind)

    works = [
        build(
            t["kind"], t["params"], {"tmpdir": tmpdir, "index": i, "echo_peer": peer, "shared": shared, "count": count}
        )
        for i, t in enumerate(threads_spec)
    ]
    if "race" in shared:
        shared["race"].mark()
    duration_ns = int(spec["duration_s"] * 1e9)
    box: dict[str, int] = {}

    def at_start() -> None:
        box["start"] = time.perf_counter_ns() + START_DELAY_NS
        box["cpu0"] = time.process_time_ns()
        if "race" in shared:
            shared["race"].n = 0  # the warm-up's increments are not the run's

    barrier = threading.Barrier(n + 1, action=at_start)
    errors: list[str] = []
    results: list[ThreadResult] = [{} for _ in range(n)]

    def body(i: int) -> None:
        style, work = works[i]
        probe = Probe(words, n, cap, i)
        words[probe.h + H_TSTATE] = this_thread_state()
        try:
            if getattr(work, "warm_up", True):
                work() if style == "hold" else work(time.perf_counter_ns())  # warm-up, before the clock starts
        except Exception:
            errors.append(f"{threads_spec[i]['name']}: {traceback.format_exc(limit=3)}")
            barrier.abort()
            return
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            return
        time.sleep(max(0, box["start"] - time.perf_counter_ns()) / 1e9)
        c0 = time.thread_time_ns()
        try:
            run = run_hold if style == "hold" else run_release
            units = run(probe, work, counter, box["start"] + duration_ns)
        except Exception:
            errors.append(f"{threads_spec[i]['name']}: {traceback.format_exc(limit=3)}")
            units = -1
        results[i] = {"cpu_ns": time.thread_time_ns() - c0, "units": units, "style": style}
        words[probe.h + H_CPU_NS] = results[i]["cpu_ns"]
        words[probe.h + H_DONE] = 1

    pool = [threading.Thread(target=body, args=(i,), name=t["name"], daemon=True) for i, t in enumerate(threads_spec)]
    for t in pool:
        t.start()
    try:
        barrier.wait()
        started: StartedMessage = {
            "type": "started",
            "start_ns": box["start"],
            "deadline_ns": box["start"] + duration_ns,
        }
        emit(started)
        if "echo_server" in shared:
            shared["echo_server"].go(box["start"], box["start"] + duration_ns)
    except threading.BrokenBarrierError:
        pass
    for t in pool:
        t.join()
    cpu_ns = time.process_time_ns() - box.get("cpu0", time.process_time_ns())
    done: DoneMessage = {
        "type": "done",
        "process_cpu_ns": cpu_ns,
        "threads": results,
        "errors": errors,
        "cpu_total_ns": time.process_time_ns(),
    }
    if "echo_server" in shared:
        done["network"] = shared["echo_server"].results()
    if "race" in shared:
        from gilscope.workloads.race import report

        increments = sum(
            max(0, r.get("units", 0)) * int(t["params"]["chunk"])
            for r, t in zip(results, threads_spec, strict=True)
            if t["kind"] == "race"
        )
        done["race"] = cast("RaceReport", report(shared["race"], increments))
    peer.close()
    shutil.rmtree(tmpdir, ignore_errors=True)
    return done


def run_interleaved(spec: SpecMessage) -> DoneMessage:
    """Threads against one thread in this one process, in pairs of rounds of the same units: a threaded round
    (the threads started together, for one slice of the duration) and a sequential round (those units, one
    thread, one kind after another). The pairs take turns in order, A B B A A B B A ...: an odd pair redoes the
    units of the pair before it, its one-thread round first, then the threads until each has done its share.
    Same process, same harness, same observer on both sides; a drift over time falls on both sides alike, and
    the two adjacent sequential rounds of the same units (B B) show how much the machine's own speed varied.
    The parent takes the median of the pair ratios."""
    tmpdir = tempfile.mkdtemp(prefix=scratch.prefix() + "files-")
    peer = EchoPeer()
    ctx = {"tmpdir": tmpdir, "echo_peer": peer, "shared": {}, "count": lambda kind: 1}
    works = []
    for i, t in enumerate(spec["threads"]):
        style, work = build(t["kind"], t["params"], {**ctx, "index": i})
        work() if style == "hold" else work(time.perf_counter_ns())  # warm-up, as in the threaded run
        works.append((style, work))
    slice_ns = int(spec["duration_s"] * 1e9 / spec["pairs"])
    pairs: list[list[int]] = []
    units: list[int] = []
    threaded_total, duration_ns = 0, int(spec["duration_s"] * 1e9)
    try:
        for k in range(int(spec["pairs"])):
            # units longer than a round stretch every round: the threads' rounds stop at the duration (after
            # whole A B B A quartets, at least eight pairs), so the comparison keeps its time budget
            if k >= 8 and k % 4 == 0 and threaded_total >= duration_ns:
                break
            if k % 2 == 0:  # A B: the threads for a slice, then their units in one thread
                for _ in range(3):  # a round in which no thread got to run (the machine took it all) has no work
                    threaded_ns, units = _threaded_round(works, slice_ns)
                    if any(units):
                        break
                pairs.append([threaded_ns, _sequential_round(works, units)])
            else:  # B A: the same units again, one thread first, then the threads
                sequential_ns = _sequential_round(works, units)
                pairs.append([_threaded_round(works, slice_ns, units)[0], sequential_ns])
            threaded_total += pairs[-1][0]
    finally:
        peer.close()
        shutil.rmtree(tmpdir, ignore_errors=True)
    return {"type": "done", "pairs_ns": pairs, "errors": [], "cpu_total_ns": time.process_time_ns()}


def _threaded_round(works: list, slice_ns: int, shares: list[int] | None = None) -> tuple[int, list[int]]:
    """All threads from a common start line, each for slice_ns, or, given shares, each until it has done its
    share of units (for at most ten slices); the round ends when the last one stops."""
    n = len(works)
    units, ends = [0] * n, [0] * n
    box: dict[str, int] = {}

    def start_line() -> None:
        box["start"] = time.perf_counter_ns() + ROUND_DELAY_NS

    barrier = threading.Barrier(n, action=start_line)

    def body(i: int) -> None:
        style, work = works[i]
        barrier.wait()
        start = box["start"]
        time.sleep(max(0, start - time.perf_counter_ns()) / 1e9)
        now, k = time.perf_counter_ns, 0
        deadline, share = (start + slice_ns, 1 << 62) if shares is None else (start + 10 * slice_ns, shares[i])
        if style == "hold":
            while k < share and now() < deadline:
                work()
                k += 1
        else:
            while k < share and now() < deadline:
                if work(now()) < 0:
                    break
                k += 1
        units[i], ends[i] = k, now()

    pool = [threading.Thread(target=body, args=(i,), daemon=True) for i in range(n)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return max(ends) - box["start"], units


def _sequential_round(works: list, units: list[int]) -> int:
    """The threaded round's units, done in this one thread, in a loop shaped like the threaded one (a clock
    read and a comparison per unit), so that the two sides differ only in the threads."""
    now = time.perf_counter_ns
    t0 = now()
    for (style, work), k in zip(works, units, strict=True):
        deadline, done = now() + (1 << 62), 0
        if style == "hold":
            while now() < deadline and done < k:
                work()
                done += 1
        else:
            while now() < deadline and done < k:
                work(now())
                done += 1
    return now() - t0


def main(argv: list[str]) -> int:
    allow_parent_to_read()
    found = locate()  # before the spec: a worker started ahead of its run has located the GIL when it comes
    stacks = stacks_block()  # and learned its frame layout
    location = found if isinstance(found, GilLocation) else None
    if argv[1] == "-":  # started ahead: what build() imports is imported while it waits (numpy's is lazy)
        import gilscope.workloads.factories  # noqa: F401
    path = sys.stdin.readline().strip() if argv[1] == "-" else argv[1]
    if not path:
        return 0  # started ahead for a run that never came
    with open(path) as f:
        spec = parse_spec(f.read())
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(int(spec.get("blas_threads", 1)))
    sys.setswitchinterval(spec["interval_s"])
    hello: HelloMessage = {
        "type": "hello",
        "pid": os.getpid(),
        "python": python_block(gil_enabled()),
        "gil": gil_block(found),
        "stacks": stacks,
        "interval_s": sys.getswitchinterval(),
    }
    emit(hello)
    if spec.get("mode") == "interleaved":
        emit(run_interleaved(spec))
    else:
        emit(run_threaded(spec, location))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
