"""gilscope attach PID: watches a CPython program that is already running, from outside, without writing into
it or pausing it.

No bootstrap of ours runs in the program, so what the trace's bootstrap says (where the GIL is, how frames are
laid out, which threads exist) is learned otherwise: a child of the program's own executable learns the
offsets for that build (observe.runtime_layout), the program's `_PyRuntime` comes from its ELF symbols
(observe.elf), and everything is checked against the live process before it is trusted. Threads are found by
walking the interpreter's own thread list, and named by their own names (observe.thread_names; 3.14+ gives them
to the kernel), else by the function they run, else by the kernel's name.
From there on it is the trace: the same thread table, the same summary, the same events.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import struct
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from gilscope.analysis.holders import StackSample
from gilscope.analysis.timeline import HolderStrip
from gilscope.analysis.trace_summary import TraceRecord, summarize_trace, trace_events
from gilscope.observe import machine
from gilscope.observe.debug_offsets import cross_check
from gilscope.observe.elf import runtime_address
from gilscope.observe.holder_stacks import HolderStacks
from gilscope.observe.instruments import sampler_report
from gilscope.observe.launch import PACKAGE, code_dir
from gilscope.observe.memory import Memory, open_memory
from gilscope.observe.sampler import GilSampler, Pacer
from gilscope.observe.stacks import Layout, StackReader
from gilscope.observe.thread_names import NameLayout, NameReader
from gilscope.schema import MachineLoad, SamplerReading
from gilscope.trace.program import TraceError
from gilscope.trace.result import TraceResult
from gilscope.trace.syscalls import GIL_STRUCT_BYTES, futex_number
from gilscope.trace.threads import ThreadTable, raise_fd_limit

DEFAULT_PERIOD_S = 0.0005  # a short look: 2 kHz
ALWAYS_ON_PERIOD_S = 0.02  # left on (--prometheus): 50 Hz, about 1% of a core (bench/attach_cost)
ALWAYS_ON_STACK_HZ = 10.0
TICK_S = 0.1
ALWAYS_ON_SCAN_S = 0.5  # left on: the thread list and CPU twice a second; counters still every tick
LEARN_TIMEOUT_S = 30.0
_PTR = struct.Struct("<Q")
_GIL = struct.Struct("<QQiiQ")


def no_rights(pid: int, what: str) -> TraceError:
    return TraceError(
        f"permission denied reading process {pid} ({what}). Only the program's own user or root may read its "
        "memory: run gilscope as that user or as root; in a container add the CAP_SYS_PTRACE capability "
        "(docker run --cap-add SYS_PTRACE); where Yama's /proc/sys/kernel/yama/ptrace_scope is 1 or more, "
        "CAP_SYS_PTRACE is needed too. Or start the program under `gilscope trace`."
    )


@dataclass(frozen=True)
class Target:
    pid: int
    exe: str
    runtime: int
    gil: int
    threads: dict[str, int]  # the thread list's offsets (observe.runtime_layout)
    stacks: dict[str, Any]  # the hello-style stacks block: {"layout": ...} or {"reason": ...}
    python: dict[str, Any]
    cmdline: list[str]
    names: dict[str, Any] = field(default_factory=dict)  # {"layout": ...} (observe.thread_names) or {"reason": ...}


def process_cpu_ns(pid: int) -> int | None:
    """The process's user + system CPU so far (/proc/<pid>/stat), or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return int((int(fields[11]) + int(fields[12])) * 1e9 / os.sysconf("SC_CLK_TCK"))
    except (OSError, IndexError, ValueError):
        return None


def _read_ptr(mem: Memory, address: int) -> int:
    raw = mem.read(address, 8)
    return int(_PTR.unpack(raw)[0]) if len(raw) == 8 else 0


def walk_threads(mem: Memory, runtime: int, offsets: dict[str, int], limit: int = 4096) -> list[tuple[int, int]]:
    """(thread state, native thread id) of every thread of the main interpreter, newest first."""
    interp = _read_ptr(mem, runtime + offsets["runtime_interpreters_head"])
    ts = _read_ptr(mem, interp + offsets["interp_threads_head"]) if interp else 0
    out: list[tuple[int, int]] = []
    seen: set[int] = set()
    while ts and ts not in seen and len(out) < limit:
        seen.add(ts)
        out.append((ts, _read_ptr(mem, ts + offsets["tstate_native_thread_id"])))
        ts = _read_ptr(mem, ts + offsets["tstate_next"])
    return out


def _learn(pid: int) -> dict[str, Any]:
    """Runs the program's own executable once, in a folder of ours, to learn that build's offsets."""
    code = code_dir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = code
    try:
        out = subprocess.run(
            [f"/proc/{pid}/exe", "-s", "-m", "gilscope.observe.runtime_layout"],
            capture_output=True,
            text=True,
            timeout=LEARN_TIMEOUT_S,
            env=env,
            cwd=code,
            stdin=subprocess.DEVNULL,
        )
    except PermissionError:
        raise no_rights(pid, "its executable") from None
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise TraceError(f"cannot run process {pid}'s interpreter to learn its layout: {exc}") from None
    finally:
        shutil.rmtree(code, ignore_errors=True)
    try:
        found = json.loads(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        tail = (out.stderr.strip().splitlines() or ["no output"])[-1]
        raise TraceError(
            f"process {pid}'s interpreter could not learn its layout (is it a CPython 3.11 or newer?): {tail}"
        ) from None
    if not isinstance(found, dict):
        raise TraceError(f"process {pid}'s interpreter said something gilscope cannot read")
    return found


def inspect(pid: int) -> Target:
    """Everything needed to watch pid, checked against the live process; a refusal in words otherwise."""
    if pid == os.getpid() or not os.path.exists(f"/proc/{pid}"):
        raise TraceError(f"no process {pid} to attach to" if pid != os.getpid() else "gilscope cannot watch itself")
    try:
        exe = os.readlink(f"/proc/{pid}/exe")
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmdline = [a.decode(errors="replace") for a in f.read().split(b"\0") if a]
    except PermissionError:
        raise no_rights(pid, "/proc/<pid>/exe") from None
    except OSError as exc:
        raise TraceError(f"cannot look at process {pid}: {exc.strerror}") from None
    try:
        where = runtime_address(pid)
    except PermissionError:
        raise no_rights(pid, "/proc/<pid>/maps") from None
    if isinstance(where, str):
        raise TraceError(f"process {pid} ({exe}) is not a CPython gilscope can read: {where}")
    runtime, _file = where
    mem, why = open_memory(pid)
    if mem is None:
        raise no_rights(pid, "/proc/<pid>/mem") if "ermission" in why else TraceError(why)
    try:
        if len(mem.read(runtime, 8)) < 8:
            raise no_rights(pid, "/proc/<pid>/mem")
    except PermissionError:
        raise no_rights(pid, "/proc/<pid>/mem") from None
    finally:
        mem.close()
    learned = _learn(pid)
    python = learned.get("python") or {}
    version = str(python.get("version", "?"))
    parts = tuple(int(x) for x in version.split(".")[:2] if x.isdigit())
    if python.get("implementation") != "cpython":
        raise TraceError(f"process {pid} runs {python.get('implementation')}: gilscope reads CPython's GIL")
    if parts < (3, 11):
        raise TraceError(f"process {pid} runs Python {version}: gilscope attaches to CPython 3.11 and newer")
    if not python.get("gil_enabled", True):
        raise TraceError(f"process {pid} runs a free-threaded build (Python {version}): there is no GIL to watch")
    gil = learned.get("gil") or {}
    threads = learned.get("threads") or {}
    if "runtime_offset" not in gil:
        raise TraceError(f"the GIL of Python {version} could not be found: {gil.get('reason')}")
    if "layout" not in threads:
        raise TraceError(f"the thread list of Python {version} could not be learned: {threads.get('reason')}")
    stacks = dict(learned.get("stacks") or {"reason": "not learned"})
    names = dict(learned.get("names") or {"reason": "not learned"})
    if "layout" in stacks:
        if learned.get("runtime"):  # statics of the learner's process, moved to the program's
            shift = runtime - int(learned["runtime"])
            layout = dict(stacks["layout"])
            layout["code_type"] += shift
            layout["none"] += shift
            stacks = {"layout": layout}
            if "layout" in names:
                names = {"layout": {**names["layout"], "str_type": int(names["layout"]["str_type"]) + shift}}
        else:
            stacks = {"reason": "the learner could not say where its statics are"}
    target = Target(
        pid,
        exe,
        runtime,
        runtime + int(gil["runtime_offset"]),
        {k: int(v) for k, v in threads["layout"].items()},
        stacks,
        python,
        cmdline,
        names if "layout" in stacks else {"reason": stacks.get("reason")},
    )
    check_live(target)
    if "layout" in target.stacks:
        mem, _why = open_memory(pid)
        if mem is not None:
            try:
                why_not = cross_check(mem, runtime, target.stacks["layout"], target.threads)
            finally:
                mem.close()
            if why_not:
                target = replace(target, stacks={"reason": why_not}, names={"reason": why_not})
    return target


def check_live(target: Target) -> None:
    """What was found must look like this process's GIL and threads before it is trusted: locked is 0 or 1,
    a held GIL's holder is one of its thread states, the counter only grows, the interval is plausible."""
    mem, why = open_memory(target.pid)
    if mem is None:
        raise no_rights(target.pid, "/proc/<pid>/mem") if "ermission" in why else TraceError(why)
    try:
        first: tuple[int, ...] | None = None
        for _ in range(5):
            raw = mem.read(target.gil, 32)
            if len(raw) < 32:
                raise TraceError(f"process {target.pid} has no readable GIL where its build keeps it")
            interval, holder, locked, _pad, switch = _GIL.unpack(raw)
            states = {ts for ts, _tid in walk_threads(mem, target.runtime, target.threads)}
            if not states:
                raise TraceError(f"process {target.pid}'s thread list reads empty: the layout does not fit it")
            if locked not in (0, 1) or not 1 <= interval <= 100_000_000:
                raise TraceError(
                    f"what should be process {target.pid}'s GIL does not look like one "
                    f"(interval {interval} us, locked {locked}): refusing to guess"
                )
            if locked and holder not in states:
                time.sleep(0.01)
                continue  # a thread state may come and go between the two reads: ask again
            if first is not None and switch < first[0]:
                raise TraceError(f"process {target.pid}'s hand-off counter went backwards: not its GIL")
            first = first or (switch,)
            time.sleep(0.01)
        if first is None:
            raise TraceError(f"process {target.pid}'s GIL is held by no thread gilscope can find")
    finally:
        mem.close()


@dataclass
class Attacher:
    """One look at a running program, until duration_s, its exit or stop() (Ctrl-C)."""

    pid: int
    duration_s: float | None = None
    period_s: float = DEFAULT_PERIOD_S
    keep_history: bool = True  # False: a program watched for hours keeps no timeline, only its counters
    on_tick: Callable[[Attacher], None] | None = None
    tick_s: float = TICK_S
    scan_s: float = TICK_S
    next_scan_ns: int = 0
    stack_hz: float | None = None  # None: GILSCOPE_STACK_RATE_HZ or observe.holder_stacks' default
    stopped: bool = False
    how: str = "detached"
    table: ThreadTable = field(init=False)
    spans: list[tuple[int, int, int]] = field(default_factory=list)

    def stop(self, how: str = "interrupted") -> None:
        self.stopped, self.how = True, how

    def run(self) -> TraceResult:
        target = self.target = inspect(self.pid)
        raise_fd_limit()
        mem, why = open_memory(self.pid)
        if mem is None:
            raise no_rights(self.pid, "/proc/<pid>/mem")
        self.sampler = GilSampler(mem, target.gil)
        self.table = ThreadTable(self.pid)
        self.strip = HolderStrip(self.table.owners)
        layout = target.stacks.get("layout")
        self.reader = StackReader(mem, Layout.from_json(layout)) if layout else None
        named = target.names.get("layout")
        self.names = NameReader(self.reader, NameLayout.from_json(named)) if self.reader and named else None
        self.stacks = HolderStacks.open(mem, {"stacks": target.stacks}, self.stack_hz)
        self.futex = futex_number()
        self.t0 = time.perf_counter_ns()
        self.samples = 0
        self.switch_start: int | None = None
        self.switch_last: int | None = None
        self.switch_ticks: list[tuple[int, int]] = []
        wall0, cpu0 = time.perf_counter(), time.thread_time()
        start_mark = machine.mark(self.pid)
        self.cpu_start: int | None = process_cpu_ns(self.pid)
        pacer = Pacer(self.period_s)
        self._refresh_threads()
        next_tick = time.perf_counter() + self.tick_s
        previous = self._catch_termination()
        try:
            while not self.stopped:
                try:
                    now = time.perf_counter()
                    if pacer.due(now):
                        self._sample()
                        pacer.advance(now)
                        if len(pacer.late_s) > 20_000:
                            del pacer.late_s[:10_000]
                    if now >= next_tick:
                        next_tick = now + self.tick_s
                        self._tick(now - wall0)
                    time.sleep(max(0.0, min(pacer.next, next_tick) - time.perf_counter()))
                except KeyboardInterrupt:
                    self.stop()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        t_end = time.perf_counter_ns()
        self.cpu_end = process_cpu_ns(self.pid)
        self._feed_strip()
        self.spans.extend(self.strip.flush())
        wall = max(1e-9, time.perf_counter() - wall0)
        load = machine.load_between(start_mark, machine.mark(self.pid))
        report = sampler_report(
            self.sampler, "", self.samples, wall, pacer, time.thread_time() - cpu0, wall, self.strip.changes
        )
        self.table.scan(t_end) if not self.sampler.gone else None
        result = self._result(t_end, report, load, wall)
        self.table.close()
        mem.close()
        return result

    def _catch_termination(self) -> dict[int, Any]:
        def handler(_sig: int, _frame: object) -> None:
            self.stop("terminated")

        previous: dict[int, Any] = {}
        with contextlib.suppress(ValueError):
            for sig in (signal.SIGTERM, signal.SIGHUP):
                previous[sig] = signal.signal(sig, handler)
        return previous

    # -- the loop ---------------------------------------------------------------------------------------
    def _sample(self) -> None:
        s = self.sampler
        if not s.sample():
            self.stop("exited")
            return
        t, holder, locked = s.t[-1], s.holder[-1], s.locked[-1]
        if self.switch_start is None:
            self.switch_start = s.switch[-1]
        self.switch_last = s.switch[-1]
        self.table.sample(t, holder, locked, self.target.gil, self.target.gil + GIL_STRUCT_BYTES, self.futex)
        self.stacks.maybe_sample(t, holder, locked)
        self.samples += 1

    def _tick(self, elapsed: float) -> None:
        """Every tick: the holder strip, the counters (on_tick), the duration. Every scan_s: the thread list
        and each thread's CPU, the costly part, so that an always-on watch stays cheap and its counters fresh."""
        now = time.perf_counter_ns()
        if now >= self.next_scan_ns:
            self.next_scan_ns = now + int(self.scan_s * 1e9)
            if not os.path.exists(f"/proc/{self.pid}"):
                self.stop("exited")
                return
            self._refresh_threads()
            self.table.scan(now)
        self._feed_strip()
        if self.on_tick is not None:
            self.on_tick(self)
        if not self.keep_history:
            self._forget()
        if self.duration_s is not None and elapsed >= self.duration_s:
            self.stop("detached")

    def _refresh_threads(self) -> None:
        """New Python threads from the interpreter's own list, named (see _name)."""
        now = time.perf_counter_ns()
        for ts, tid in walk_threads(self.sampler.memory, self.target.runtime, self.target.threads):
            known = self.table.by_tid.get(tid)
            if known is not None and known.rec.tstate == ts and known.rec.end_ns is None:
                continue
            if not os.path.exists(f"/proc/{self.pid}/task/{tid}"):
                continue
            self.table.add(tid, self._name(ts, tid), ts, now, python=True)

    def _name(self, ts: int, tid: int) -> str:
        """The thread's own name (threading's, read from its Thread object), else the function it runs."""
        if tid == self.pid:
            return "MainThread"
        name = self.names.read(ts) if self.names is not None else None
        if name:
            return name
        if self._kernel_names():  # 3.14+: threading gives each thread's name to the kernel (15 characters)
            with contextlib.suppress(OSError), open(f"/proc/{self.pid}/task/{tid}/comm") as f:
                comm = f.read().strip()
                if comm and comm != os.path.basename(self.target.exe)[:15]:
                    return comm
        entry = None
        if self.reader is not None:
            stack = self.reader.read(ts)
            if stack is not None and stack.frames:
                names = [f.function for f in stack.frames]  # innermost first
                entry = names[-1]
                # a Thread's target (called by Thread.run), or else its own run() (a pool's worker class)
                for outer in ("Thread.run", "Thread._bootstrap_inner"):
                    if outer in names and names.index(outer) > 0:
                        entry = names[names.index(outer) - 1]
                        break
        if entry is None:
            try:
                with open(f"/proc/{self.pid}/task/{tid}/comm") as f:
                    entry = f.read().strip()
            except OSError:
                entry = "thread"
        return f"{entry} ({tid})"

    def _kernel_names(self) -> bool:
        version = str(self.target.python.get("version", ""))
        parts = tuple(int(x) for x in version.split(".")[:2] if x.isdigit())
        return parts >= (3, 14)

    def _feed_strip(self) -> None:
        s = self.sampler
        if not len(s.t):
            return
        self.spans.extend(self.strip.feed(s.t.tolist(), s.holder.tolist(), s.locked.tolist(), s.switch.tolist()))
        self.switch_ticks.append((s.t[-1], s.switch[-1]))
        for arr in (s.t, s.holder, s.locked, s.switch):
            del arr[:]

    def _forget(self) -> None:
        """Left on for hours: counters were taken (on_tick); the timeline is let go."""
        for th in self.table.order:
            del th.rec.t[:]
            del th.rec.s[:]
        self.spans.clear()
        self.switch_ticks.clear()
        self.stacks.samples.clear()

    # -- the result -------------------------------------------------------------------------------------
    def _result(self, t_end: int, sampler: SamplerReading, load: MachineLoad, wall: float) -> TraceResult:
        target = self.target
        interval = self._interval()
        hello = {
            "python": target.python,
            "gil": {"address": target.gil, "runtime_offset": target.gil - target.runtime},
            "interval_s": interval,
            "machine": os.uname().machine,
            "t_ns": self.t0,
        }
        notes = []
        if self.how == "exited":
            notes.append("the program ended while gilscope watched it")
        if self.reader is None:
            notes.append("stacks unavailable: " + str(target.stacks.get("reason")))
        rec = TraceRecord(
            program=target.cmdline or [target.exe],
            hello=hello,
            threads=[th.rec for th in self.table.order],
            t0_ns=self.t0,
            t_end_ns=t_end,
            interval_set_s=None,
            switch_start=self.switch_start,
            switch_end=self.switch_last,
            switch_exact=True,  # both ends read from the interpreter's own counter by us
            holder_spans=self.spans,
            holder_changes=self.strip.changes,
            switch_ticks=self.switch_ticks,
            process_cpu_ns=self.cpu_end - self.cpu_start
            if self.cpu_end is not None and self.cpu_start is not None
            else None,
            sampler=sampler,
            instruments={
                "syscalls": self.futex is not None,
                "syscalls_detail": "" if self.futex is not None else "futex's number on this machine is not known",
                "schedstat": True,
            },
            notes=notes,
            machine=load,
            exit={"code": None, "signal": None, "how": self.how},
            stacks=self.stacks.report(wall),
            stack_samples=[
                StackSample(t, self.table.owners.get(ts, -1), frames, in_c)
                for t, ts, frames, in_c in self.stacks.finished("/nonexistent", str(PACKAGE))
            ],
            stack_sample_s=self.stacks.sample_s(wall),
        )
        summary = summarize_trace(rec)
        events = trace_events(rec, summary, self.pid)
        return TraceResult(summary, events, 0, "done", None, rec)

    def _interval(self) -> float | None:
        raw = self.sampler.memory.read(self.target.gil, 8)
        return round(int(_PTR.unpack(raw)[0]) / 1e6, 6) if len(raw) == 8 else None


def attach(pid: int, duration_s: float | None = None, period_s: float = DEFAULT_PERIOD_S) -> TraceResult:
    """Watches pid until duration_s, its exit or Ctrl-C, and returns what was seen (see Attacher)."""
    return Attacher(pid, duration_s, period_s).run()
