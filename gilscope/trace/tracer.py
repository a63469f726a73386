"""gilscope trace: runs someone else's Python program, unmodified, and watches its GIL from outside.

This process is the program's parent and its only observer; it is single-threaded and sleeps between reads (in
select, so that a note, the program's output or its exit wakes it at once). At several kHz it reads the GIL's
words from /proc/<pid>/mem and each thread's /proc/<pid>/task/<tid>/syscall (trace.syscalls), and joins them
into per-thread states. The program's bootstrap (trace.bootstrap) tells it, on a pipe, about every
thread as it starts, about forks and execs, and the switch counter at the start and at the very end, so the
hand-off count is the interpreter's own. Whatever happens (a crash, a hang past --timeout, Ctrl-C, an exec, a
fork that outlives the program), the run ends with what was measured until then and no process left behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from typing import IO as TextStream
from typing import Any, ParamSpec

from gilscope.analysis.holders import StackSample
from gilscope.analysis.timeline import HolderStrip
from gilscope.analysis.trace_summary import TraceInstruments, TraceRecord, summarize_trace, trace_events
from gilscope.observe import machine
from gilscope.observe.holder_stacks import HolderStacks
from gilscope.observe.instruments import open_sampler, sampler_report
from gilscope.observe.launch import PACKAGE, code_dir
from gilscope.observe.lines import LineReader
from gilscope.observe.sampler import GilSampler, Pacer
from gilscope.records import OTHER
from gilscope.schema import MachineLoad, SamplerReading
from gilscope.trace.family import Family, Stopper, become_subreaper
from gilscope.trace.program import Program, TraceError, bootstrap_command, check_program
from gilscope.trace.result import TraceResult
from gilscope.trace.syscalls import GIL_STRUCT_BYTES, futex_number
from gilscope.trace.threads import ThreadTable, raise_fd_limit

DEFAULT_PERIOD_S = 0.0004  # 2.5 kHz: a 5 ms slice is seen about 12 times, at about 10% of a core
TICK_S = 0.1  # new tasks, CPU per thread, the holder strip, the timeout
FAMILY_EVERY_S = 0.5  # the program's own child processes, so that none is left behind
START_TIMEOUT_S = 30.0
MAX_LATE_SAMPLES = 20_000
SLOW_DOWN_AFTER_S = 60.0  # a long program is sampled half as often after 1 minute, again after 2, 4 ...
SLOWEST_PERIOD_S = 0.004
F_SETPIPE_SZ = 1031

P = ParamSpec("P")

__all__ = ["TraceError", "TraceResult", "Tracer", "trace"]


class Tracer:
    """One traced run of a program; run() returns once it has ended and everything it started is gone."""

    def __init__(
        self,
        program: Program,
        interval_s: float | None = None,
        timeout_s: float | None = None,
        period_s: float = DEFAULT_PERIOD_S,
        out: TextStream[str] | None = None,
        err: TextStream[str] | None = None,
        reap_orphans: bool = False,
    ) -> None:
        self.program, self.interval_s, self.timeout_s, self.period_s = program, interval_s, timeout_s, period_s
        self.out, self.err = out, err  # None: the program writes to our own stdout and stderr itself
        self.capture = out is not None or err is not None
        self.reap_orphans = reap_orphans
        self.spans: list[tuple[int, int, int]] = []
        self.switch_ticks: list[tuple[int, int]] = []
        self.last_switch: int | None = None
        self.exit_note: dict[str, Any] | None = None
        self.exec_note: dict[str, Any] | None = None
        self.exec_at: int | None = None
        self.stop = Stopper(0)  # knows the program's pid once it runs
        self.notes_text: list[str] = []
        self.status: int | None = None
        self.rusage: Any = None
        self.samples = 0
        self.sampler: GilSampler | None = None
        self.early_notes: list[dict[str, Any]] = []
        self.stacks = HolderStacks(None, "the program did not start")
        self.observed_s = 0.0
        self.hello: dict[str, Any] = {}
        self.on_tick: Callable[[Tracer], None] | None = None  # every tick, after the holder strip (--live)

    # -- start ------------------------------------------------------------------------------------------
    def run(self) -> TraceResult:
        if self.interval_s is not None and not 0 < self.interval_s <= 10:
            raise TraceError(f"a switch interval of {self.interval_s:g} s: give one above 0 and up to 10 s")
        if self.timeout_s is not None and self.timeout_s <= 0:
            raise TraceError("the timeout must be more than 0 seconds")
        check_program(self.program)
        self.code = code = code_dir()
        if self.reap_orphans:
            become_subreaper()
        previous = self._catch_termination()
        try:
            self._spawn(code)
            try:
                return self._observe(self._wait_hello())
            finally:
                self._end()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            shutil.rmtree(code, ignore_errors=True)

    def _catch_termination(self) -> dict[int, Any]:
        """SIGTERM or SIGHUP to us is passed to the program, and the trace ends as after Ctrl-C: with what was
        measured and nothing left running. (Only a main thread may set handlers; elsewhere the defaults stay.)"""

        def handler(sig: int, _frame: object) -> None:
            self.stop.terminated(sig)

        previous: dict[int, Any] = {}
        with contextlib.suppress(ValueError):  # not the main thread
            for sig in (signal.SIGTERM, signal.SIGHUP):
                previous[sig] = signal.signal(sig, handler)
        return previous

    def _spawn(self, code: str) -> None:
        r, w = os.pipe()
        with contextlib.suppress(OSError):
            fcntl.fcntl(r, F_SETPIPE_SZ, 1 << 20)  # room for a thousand thread notes
        cmd, env = bootstrap_command(self.program, self.interval_s, code, w, dict(os.environ))
        pipe = subprocess.PIPE if self.capture else None
        try:
            self.proc = subprocess.Popen(
                cmd,
                pass_fds=(w,),
                env=env,
                stdout=pipe,
                stderr=pipe,
                stdin=subprocess.DEVNULL if self.capture else None,
            )
        except OSError as exc:
            os.close(r)
            raise TraceError(f"cannot start {self.program.python}: {exc.strerror or exc}") from None
        finally:
            os.close(w)
        self.notes = LineReader(r, max_bytes=1 << 40)
        self.relay = [
            (s, to) for s, to in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)) if s is not None
        ]
        for stream, _to in self.relay:
            os.set_blocking(stream.fileno(), False)
        try:
            self.pidfd = os.pidfd_open(self.proc.pid)  # readable once the program exits: select wakes for it
        except (AttributeError, OSError):
            self.pidfd = -1
        self.threads = ThreadTable(self.proc.pid)
        self.family = Family(self.proc.pid, self.reap_orphans)
        self.stop.pid = self.proc.pid
        self.strip = HolderStrip(self.threads.owners)

    def _wait_hello(self) -> dict[str, Any]:
        end = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < end:
            notes = self._read_notes()
            for k, note in enumerate(notes):
                if note.get("t") == "hello":
                    # the program may already have started threads: their notes came in the same read
                    self.early_notes = notes[k + 1 :]
                    return note
                if note.get("t") == "refuse":
                    self._reap(block=True)
                    raise TraceError(str(note.get("why")))
            self._relay()
            if self._reap(block=False):
                self._relay()
                raise TraceError(
                    f"{self.program.python} ended (status {self._code()}) before the program started; "
                    "is it a CPython 3.11 or newer that can import the gilscope package?"
                )
            self._sleep(0.01)
        raise TraceError(f"the program's interpreter did not start within {START_TIMEOUT_S:g} s")

    # -- the loop ---------------------------------------------------------------------------------------
    def _observe(self, hello: dict[str, Any]) -> TraceResult:
        pid = self.proc.pid
        self.hello = hello
        self.t0 = int(hello["t_ns"])
        wall0, cpu0 = time.perf_counter(), time.thread_time()
        start_mark = machine.mark(pid)
        gil = hello.get("gil") or {}
        self.sampler, detail = open_sampler(pid, gil)
        self.stacks = HolderStacks.open(self.sampler.memory if self.sampler else None, hello)
        futex = futex_number(hello.get("machine"))
        states_ok = self.sampler is not None and futex is not None and os.path.exists(f"/proc/{pid}/task")
        states_detail = (
            ""
            if states_ok
            else "no per-thread states: "
            + (
                detail
                if self.sampler is None
                else f"futex's number on {hello.get('machine')} is not known to gilscope"
                if futex is None
                else "no /proc/<pid>/task on this system"
            )
        )
        gil_lo = int(gil.get("address", 0))
        main = hello.get("main") or {}
        self.threads.add(
            int(main.get("tid", pid)), str(main.get("name", "MainThread")), int(main.get("ts", 0)), self.t0, python=True
        )
        raise_fd_limit()
        pacer = Pacer(self.period_s)
        next_tick = next_walk = next_check = time.perf_counter()
        check_every = TICK_S if self.pidfd >= 0 else 0.01  # without a pidfd, exits are polled for
        self.sampling = self.sampler is not None
        ready: set[int] = set()
        slow_down_at = SLOW_DOWN_AFTER_S
        while self.status is None:
            try:
                now = time.perf_counter()
                if self.sampling and pacer.due(now):
                    self._sample(states_ok, gil_lo, gil_lo + GIL_STRUCT_BYTES, futex)
                    pacer.advance(now)
                    if len(pacer.late_s) > MAX_LATE_SAMPLES:
                        del pacer.late_s[: MAX_LATE_SAMPLES // 2]
                if self.notes.fd in ready or now >= next_check:
                    self._take_notes()
                if now >= next_tick:
                    next_tick = now + TICK_S
                    self._tick(now - wall0)
                    if now - wall0 > slow_down_at and pacer.period < SLOWEST_PERIOD_S:
                        pacer.period, slow_down_at = pacer.period * 2, slow_down_at * 2  # memory stays small
                if now >= next_walk:
                    next_walk = now + FAMILY_EVERY_S
                    self.family.walk()
                if (self.pidfd in ready or now >= next_check) and self._reap(block=False):
                    break
                if now >= next_check:
                    next_check = now + check_every
                ready = self._sleep(
                    max(
                        0.0,
                        min(pacer.next if self.sampling else now + 0.01, next_tick, next_check) - time.perf_counter(),
                    )
                )
            except KeyboardInterrupt:
                self.stop.interrupted()
        t_end = time.perf_counter_ns()
        self._take_notes()
        self._relay()
        left = self.family.stop()
        if left:
            self.notes_text.append(left)
        if self.sampler is not None:
            self._feed_strip()
            self.spans.extend(self.strip.flush())
            self.sampler.memory.close()
        cpu_ns = total_ns = None
        if self.rusage is not None:  # the program's CPU since its start line (interpreter start-up is not its)
            total_ns = int((self.rusage.ru_utime + self.rusage.ru_stime) * 1e9)
            cpu_ns = max(0, total_ns - int(hello.get("cpu_ns", 0)))
        load = machine.load_between(start_mark, machine.mark(pid, total_ns))
        wall = max(1e-9, time.perf_counter() - wall0)
        self.observed_s = wall
        sampler = sampler_report(
            self.sampler, detail, self.samples, wall, pacer, time.thread_time() - cpu0, wall, self.strip.changes
        )
        return self._result(
            hello,
            t_end,
            cpu_ns,
            load,
            sampler,
            {"syscalls": states_ok, "syscalls_detail": states_detail, "schedstat": os.path.exists(f"/proc/{pid}/task")},
        )

    def _sample(self, with_threads: bool, gil_lo: int, gil_hi: int, futex: int | None) -> None:
        """One sample: the GIL's words, then each live thread's syscall file."""
        s = self.sampler
        if s is None or not s.sample():
            return
        self.stacks.maybe_sample(s.t[-1], s.holder[-1], s.locked[-1])
        if with_threads:
            self.threads.sample(s.t[-1], s.holder[-1], s.locked[-1], gil_lo, gil_hi, futex)
        self.samples += 1

    def _tick(self, elapsed: float) -> None:
        """Every 100 ms: new tasks and CPU per thread, the holder strip, the timeout."""
        if self.sampling:
            self.threads.scan(time.perf_counter_ns())
        if self.sampler is not None:
            self._feed_strip()
            if self.on_tick is not None and self.sampling:
                self.on_tick(self)
        if self.timeout_s is not None and elapsed > self.timeout_s:
            self.stop.timed_out()
        self.stop.escalate()

    def _feed_strip(self) -> None:
        """The new GIL samples into the holder strip, then let go of them (a long program stays small)."""
        s = self.sampler
        if s is None or not len(s.t):
            return
        self.spans.extend(self.strip.feed(s.t.tolist(), s.holder.tolist(), s.locked.tolist(), s.switch.tolist()))
        self.switch_ticks.append((s.t[-1], s.switch[-1]))
        self.last_switch = s.switch[-1]
        for arr in (s.t, s.holder, s.locked, s.switch):
            del arr[:]

    # -- notes, output, exit ----------------------------------------------------------------------------
    def _read_notes(self) -> list[dict[str, Any]]:
        out, self.early_notes = self.early_notes, []  # read with the hello, not yet taken
        for line in self.notes.read():
            with contextlib.suppress(ValueError):
                note = json.loads(line)
                if isinstance(note, dict):
                    out.append(note)
        return out

    def _take_notes(self) -> None:
        pid = self.proc.pid
        for note in self._read_notes():
            kind = note.get("t")
            if kind == "fork":
                self.family.forked(int(note.get("pid", 0)))
            elif note.get("pid") != pid:
                continue  # a forked child's last words
            elif kind == "thread":
                self.threads.add(
                    int(note["tid"]), str(note.get("name")), int(note.get("ts") or 0), int(note["t_ns"]), python=True
                )
            elif kind == "thread_end":
                th = self.threads.by_tid.get(int(note["tid"]))
                if th is not None:
                    th.rec.name = str(note.get("name") or th.rec.name)  # renamed while it ran
                    self.threads.end(th, int(note["t_ns"]))
                    th.rec.cpu_ns = int(note.get("cpu_ns") or th.rec.cpu_ns or 0)  # its own clock: exact
            elif kind == "exit":
                self.exit_note = note
                main = self.threads.by_tid.get(pid)
                if main is not None and note.get("main_cpu_ns") is not None:
                    main.rec.cpu_ns = int(note["main_cpu_ns"])
            elif kind == "exec":
                self.exec_note = note
        if self.notes.eof and self.exit_note is None and self.sampling and not self._reap(block=False, wait_s=0.05):
            self._after_exec()

    def _after_exec(self) -> None:
        """The notes pipe closed while the program lives: it replaced itself (exec) or closed every file. The
        memory at the GIL's address means something else now: measuring stops here; waiting goes on."""
        self.sampling = False
        self.exec_at = time.perf_counter_ns()
        self._feed_strip()
        self.threads.end_all(self.exec_at)

    def _relay(self) -> None:
        """The program's output, passed on as it comes (captured mode); a closed stream is let go."""
        keep = []
        for stream, to in self.relay:
            while True:
                try:
                    chunk = os.read(stream.fileno(), 1 << 16)
                except (BlockingIOError, InterruptedError):
                    keep.append((stream, to))
                    break
                except OSError:
                    chunk = b""
                if not chunk:
                    stream.close()
                    break
                if to is not None:
                    to.write(chunk.decode(errors="replace"))
                    to.flush()
        self.relay = keep

    def _sleep(self, delay: float) -> set[int]:
        """Until the next sample, waking early for a note, the program's output or its exit; returns which
        of those are ready, so that the loop reads nothing in vain between samples."""
        fds = [] if self.notes.eof else [self.notes.fd]
        if self.pidfd >= 0:
            fds.append(self.pidfd)
        fds += [stream.fileno() for stream, _to in self.relay]
        if not fds:
            time.sleep(delay)
            return set()
        ready, _w, _x = select.select(fds, [], [], delay)
        if any(fd not in (self.notes.fd, self.pidfd) for fd in ready):
            self._relay()
        return set(ready)

    def _reap(self, block: bool, wait_s: float = 0.0) -> bool:
        """True once the program has exited (its status and resource usage kept)."""
        if self.status is not None:
            return True
        end = time.monotonic() + wait_s
        while True:
            try:
                pid, status, usage = os.wait4(self.proc.pid, 0 if block else os.WNOHANG)
            except ChildProcessError:
                return True
            if pid:
                self.status, self.rusage = status, usage
                self.stop.exited = True
                self.proc.returncode = os.waitstatus_to_exitcode(status)
                return True
            if time.monotonic() >= end:
                return False
            time.sleep(0.005)

    def _code(self) -> int:
        return os.waitstatus_to_exitcode(self.status) if self.status is not None else -1

    # -- stopping ---------------------------------------------------------------------------------------
    def _end(self) -> None:
        """However the trace ends: the program and every process it started are gone and reaped, files closed."""
        if self.status is None:
            self.stop.kill()
            self._reap(block=True)
        self._relay()
        self.family.stop()
        self.threads.close()
        os.close(self.notes.fd)
        for stream, _to in self.relay:
            stream.close()
        if self.pidfd >= 0:
            os.close(self.pidfd)

    # -- the result -------------------------------------------------------------------------------------
    def _result(
        self,
        hello: dict[str, Any],
        t_end: int,
        cpu_ns: int | None,
        load: MachineLoad,
        sampler: SamplerReading,
        instruments: TraceInstruments,
    ) -> TraceResult:
        code = self._code()
        sig = -code if code < 0 else None
        how, error = "exited", None
        if self.stop.how is not None:
            how, error = self.stop.how, self.stop.reason(self.timeout_s)
        elif self.exec_at is not None:
            how = "exec"
            what = (self.exec_note or {}).get("path")
            error = (
                f"the program replaced itself (exec{' ' + what if what else ''}) after "
                f"{(self.exec_at - self.t0) / 1e9:.2f} s: measured until then"
            )
        notes = ([error] if error else []) + self.notes_text
        if sig is not None and how == "exited":
            notes.append(
                "the program was killed by "
                + (signal.Signals(sig).name if sig in signal.valid_signals() else f"signal {sig}")
            )
        if self.family.forks:
            notes.append(f"the program forked {self.family.forks} time(s); only the first process is traced")
        if self.exit_note is not None and self.exit_note.get("interval_s") not in (None, hello.get("interval_s")):
            notes.append(f"the program changed the switch interval itself, to {self.exit_note['interval_s']:g} s")
        other_ns = sum(b - a for a, b, who in self.spans if who == OTHER)
        if other_ns > 0.01 * max(1, t_end - self.t0):
            notes.append(
                f"a thread gilscope could not name (started outside threading) held the GIL "
                f"{other_ns / max(1, t_end - self.t0):.0%} of the time"
            )
        if self.threads.unwatched:
            notes.append(f"{self.threads.unwatched} thread(s) could not be watched: out of file descriptors")
        exact = self.exit_note is not None and self.exit_note.get("switch") is not None
        start = hello.get("switch")
        end_switch = self.exit_note["switch"] if exact and self.exit_note else self.last_switch
        if start is not None and not exact:
            notes.append(
                "the program ended without its last word (killed, os._exit or exec): hand-offs are "
                "counted up to the tracer's last sample"
            )
        rec = TraceRecord(
            program=self.program.argv(),
            hello=hello,
            threads=[th.rec for th in self.threads.order],
            t0_ns=self.t0,
            t_end_ns=self.exec_at if self.exec_at is not None else t_end,
            interval_set_s=self.interval_s,
            switch_start=start,
            switch_end=end_switch,
            switch_exact=exact,
            holder_spans=self.spans,
            holder_changes=self.strip.changes,
            switch_ticks=self.switch_ticks,
            process_cpu_ns=cpu_ns,
            sampler=sampler,
            instruments=instruments,
            notes=notes,
            machine=load,
            exit={"code": None if sig is not None else code, "signal": sig, "how": how},
            stacks=self.stacks.report(self.observed_s),
            stack_samples=[
                StackSample(t, self.threads.owners.get(ts, -1), frames, in_c)
                for t, ts, frames, in_c in self.stacks.finished(self.code, str(PACKAGE), ("trace/bootstrap.py",))
            ],
            stack_sample_s=self.stacks.sample_s(self.observed_s),
        )
        summary = summarize_trace(rec)
        events = trace_events(rec, summary, self.proc.pid)
        return TraceResult(
            summary, events, 128 + sig if sig is not None else code, "failed" if error else "done", error, rec
        )


def _built_and_run(make: Callable[P, Tracer]) -> Callable[P, TraceResult]:
    """Tracer's one-call form, taking exactly Tracer's arguments (their list and defaults live in one place)."""

    def trace(*args: P.args, **kwargs: P.kwargs) -> TraceResult:
        """Runs program under the microscope and returns what was seen: Tracer(program, interval_s, timeout_s,
        period_s, out, err, reap_orphans).run()."""
        return make(*args, **kwargs).run()

    return trace


trace = _built_and_run(Tracer)
