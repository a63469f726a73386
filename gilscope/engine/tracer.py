"""gilscope trace: runs someone else's Python program, unmodified, and watches its GIL from outside.

This process is the program's parent and its only observer; it is single-threaded and sleeps between reads (in
select, so that a note, the program's output or its exit wakes it at once). At several kHz it reads the GIL's
words from /proc/<pid>/mem and each thread's /proc/<pid>/task/<tid>/syscall (engine.syscalls), and joins them
into per-thread states. The program's bootstrap (engine.trace_bootstrap) tells it, on a pipe, about every
thread as it starts, about forks and execs, and the switch counter at the start and at the very end, so the
hand-off count is the interpreter's own. Whatever happens (a crash, a hang past --timeout, Ctrl-C, an exec, a
fork that outlives the program), the run ends with what was measured until then and no process left behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import resource
import select
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from typing import IO as TextStream
from typing import Any

from gilscope.analysis.timeline import HolderStrip
from gilscope.engine import machine
from gilscope.engine.launch import code_dir
from gilscope.engine.lines import LineReader
from gilscope.engine.memory import open_memory
from gilscope.engine.sampler import GilSampler, Pacer
from gilscope.engine.syscalls import GIL_STRUCT_BYTES, SyscallFile, classify, futex_number, parse
from gilscope.engine.trace_program import Program, TraceError, check_program
from gilscope.engine.trace_summary import ThreadRecord, TraceRecord, summarize_trace, trace_events
from gilscope.schema import Summary

DEFAULT_PERIOD_S = 0.00025  # 4 kHz: a 5 ms slice is seen about 20 times
MAX_THREADS_PER_SAMPLE = 16  # more threads than this are read in turn, a batch per sample
TICK_S = 0.1  # schedstat, new tasks, the holder strip, the timeout
FAMILY_EVERY_S = 0.5  # the program's own child processes, so that none is left behind
START_TIMEOUT_S = 30.0
STOP_GRACE_S = 2.0  # after SIGINT (timeout, Ctrl-C) before SIGKILL
MAX_LATE_SAMPLES = 20_000


@dataclass
class TraceResult:
    """A finished trace: its summary and event stream, and how the program ended."""

    summary: Summary
    events: list[dict[str, Any]]
    exit_code: int  # shell style: the program's status, or 128 + the signal that ended it
    status: str  # done (the program ended by itself) or failed (stopped: timeout, Ctrl-C, exec)
    error: str | None
    record: TraceRecord


@dataclass
class _Watched:
    rec: ThreadRecord
    index: int
    syscall: SyscallFile | None = None
    sched_fd: int = -1

    def close(self) -> None:
        if self.syscall is not None:
            self.syscall.close()
            self.syscall = None
        if self.sched_fd >= 0:
            os.close(self.sched_fd)
            self.sched_fd = -1


@dataclass
class _Ending:
    """Why and when the program is being stopped (timeout, Ctrl-C): the steps still to take."""

    how: str
    since: float
    forwarded: bool = False
    killed: bool = False


def _schedstat_ns(fd: int) -> int | None:
    try:
        return int(os.pread(fd, 64, 0).split()[0])
    except (OSError, IndexError, ValueError):
        return None


def _stat(pid: int) -> tuple[str, int] | None:
    """(state letter, start time in ticks) of a process, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[0].decode(), int(fields[19])


def children_of(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out.extend(int(x) for x in f.read().split())
    except (OSError, ValueError):
        pass
    return out


def descendants(pid: int) -> dict[int, int]:
    """Every process below pid, with its start time (so a reused pid is never mistaken for one of them)."""
    out: dict[int, int] = {}
    todo = children_of(pid)
    while todo and len(out) < 10_000:
        child = todo.pop()
        st = _stat(child)
        if st is None or child in out:
            continue
        out[child] = st[1]
        todo.extend(children_of(child))
    return out


class Tracer:
    """One traced run of a program; run() returns when it has ended and everything it started is gone."""

    def __init__(self, program: Program, interval_s: float | None = None, timeout_s: float | None = None,
                 period_s: float = DEFAULT_PERIOD_S, out: TextStream[str] | None = None,
                 err: TextStream[str] | None = None, reap_orphans: bool = False) -> None:
        self.program, self.interval_s, self.timeout_s = program, interval_s, timeout_s
        self.period_s = period_s
        self.out, self.err = out, err  # None: the program writes to our own stdout and stderr directly
        self.capture = out is not None or err is not None
        self.reap_orphans = reap_orphans
        self.threads: dict[int, _Watched] = {}
        self.order: list[_Watched] = []
        self.owners: dict[int, int] = {}  # thread state address -> thread index
        self.strip = HolderStrip(self.owners)
        self.spans: list[tuple[int, int, int]] = []
        self.switch_ticks: list[tuple[int, int]] = []
        self.notes_text: list[str] = []
        self.family: dict[int, int] = {}  # the program's child processes: pid -> start time
        self.forks = 0
        self.exit_note: dict[str, Any] | None = None
        self.exec_note: dict[str, Any] | None = None
        self.notes_eof = False
        self.unwatched = 0  # threads without a syscall file (out of file descriptors)
        self.rotation = 0
        self.live: list[_Watched] = []  # threads with their files open, read every sample
        self.samples_taken = 0
        self.last_switch: int | None = None
        self.exec_at: int | None = None
        self.ending: _Ending | None = None

    # -- start ------------------------------------------------------------------------------------------
    def _spawn(self, code: str) -> tuple[subprocess.Popen[bytes], int]:
        r, w = os.pipe()
        with contextlib.suppress(OSError):
            fcntl.fcntl(r, 1031, 1 << 20)  # F_SETPIPE_SZ: room for a thousand thread notes
        env = dict(os.environ)
        restore = {k: env.get(k) for k in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}
        env["PYTHONPATH"] = code + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        env["PYTHONDONTWRITEBYTECODE"] = "1"  # our modules only; the program's own setting is put back
        env.update(GILSCOPE_TRACE_RESTORE=json.dumps(restore), GILSCOPE_TRACE_CODE=code,
                   GILSCOPE_TRACE_PARENT=str(os.getpid()))
        p = self.program
        interval = repr(float(self.interval_s)) if self.interval_s is not None else "-"
        cmd = [p.python, *p.flags, "-m", "gilscope.engine.trace_bootstrap", str(w), interval, p.kind, p.target,
               *p.args]
        pipe = subprocess.PIPE if self.capture else None
        try:
            proc = subprocess.Popen(cmd, pass_fds=(w,), env=env, stdin=subprocess.DEVNULL if self.capture else None,
                                    stdout=pipe, stderr=pipe)
        except OSError as exc:
            os.close(r)
            raise TraceError(f"cannot start {p.python}: {exc.strerror or exc}") from None
        finally:
            os.close(w)
        return proc, r

    def run(self) -> TraceResult:
        check_program(self.program)
        code = code_dir()
        try:
            return self._run(code)
        finally:
            shutil.rmtree(code, ignore_errors=True)

    def _run(self, code: str) -> TraceResult:
        if self.reap_orphans:
            with contextlib.suppress(OSError, AttributeError):
                import ctypes

                ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: orphans come back to us
        proc, notes_fd = self._spawn(code)
        self.proc = proc
        self.notes = LineReader(notes_fd, max_bytes=1 << 40)
        self.relay = [(proc.stdout, self.out), (proc.stderr, self.err)] if self.capture else []
        for pipe, _to in self.relay:
            if pipe is not None:
                os.set_blocking(pipe.fileno(), False)
        self.status: int | None = None
        self.rusage: Any = None
        try:
            pidfd = os.pidfd_open(proc.pid)
        except (AttributeError, OSError):
            pidfd = -1
        self.pidfd = pidfd
        try:
            hello = self._wait_hello()
            return self._observe(hello)
        finally:
            self._stop_everything()
            os.close(notes_fd)
            if pidfd >= 0:
                os.close(pidfd)
            for th in self.order:
                th.close()

    def _wait_hello(self) -> dict[str, Any]:
        end = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < end:
            for note in self._read_notes():
                if note.get("t") == "hello":
                    return note
                if note.get("t") == "refuse":
                    self._reap(block=True)
                    raise TraceError(str(note.get("why")))
            self._relay()
            if self._reap(block=False):
                self._relay()
                raise TraceError(f"{self.program.python} ended (status {self._code()}) before the program started; "
                                 "is it a CPython 3.11 or newer that can import the gilscope package?")
            self._sleep(0.01)
        raise TraceError(f"the program's interpreter did not start within {START_TIMEOUT_S:g} s")

    # -- the loop ---------------------------------------------------------------------------------------
    def _observe(self, hello: dict[str, Any]) -> TraceResult:
        pid = self.proc.pid
        self.t0 = int(hello["t_ns"])
        wall0, cpu0 = time.perf_counter(), time.thread_time()
        start_mark = machine.mark(pid)
        gil = hello.get("gil") or {}
        sampler, detail = self._open_sampler(gil)
        self.sampler = sampler
        futex = futex_number(hello.get("machine"))
        syscalls_ok = sampler is not None and futex is not None and os.path.exists(f"/proc/{pid}/task")
        syscall_detail = ("" if syscalls_ok else "no per-thread states: " + (
            detail if sampler is None else f"futex's number on {hello.get('machine')} is not known to gilscope"
            if futex is None else "no /proc/<pid>/task on this system"))
        self.gil_lo = int(gil.get("address", 0))
        self.gil_hi = self.gil_lo + GIL_STRUCT_BYTES
        self.futex = futex
        main = hello.get("main") or {}
        self._add_thread(int(main.get("tid", pid)), str(main.get("name", "MainThread")), int(main.get("ts", 0)),
                         self.t0, python=True)
        self._raise_fd_limit()
        pacer = Pacer(self.period_s)
        next_tick = next_family = time.perf_counter()
        self.sampling = syscalls_ok or sampler is not None
        while self.status is None:
            try:
                now = time.perf_counter()
                if self.sampling and pacer.due(now):
                    self._sample(syscalls_ok)
                    pacer.advance(now)
                    if len(pacer.late_s) > MAX_LATE_SAMPLES:
                        del pacer.late_s[: MAX_LATE_SAMPLES // 2]
                self._take_notes()
                if now >= next_tick:
                    next_tick = now + TICK_S
                    self._tick(now - wall0)
                if now >= next_family:
                    next_family = now + FAMILY_EVERY_S
                    self.family.update(descendants(pid))
                if self._reap(block=False):
                    break
                wake = min(pacer.next if self.sampling else now + 0.01, next_tick)
                self._sleep(max(0.0, wake - time.perf_counter()))
            except KeyboardInterrupt:
                self._interrupted()
        t_end = time.perf_counter_ns()
        self._take_notes()
        self._relay()
        self._stop_family()
        if sampler is not None:
            self._feed_strip()
            self.spans.extend(self.strip.flush())
            sampler.memory.close()
        cpu_ns = None
        if self.rusage is not None:  # the program's CPU since its start line (interpreter start-up is not its)
            cpu_ns = max(0, int((self.rusage.ru_utime + self.rusage.ru_stime) * 1e9) - int(hello.get("cpu_ns", 0)))
        load = machine.load_between(start_mark, machine.mark(pid, cpu_ns))
        wall = max(1e-9, time.perf_counter() - wall0)
        return self._result(hello, t_end, cpu_ns, load, {
            "ok": sampler is not None, "detail": detail,
            "samples": self.samples_taken,
            "rate_hz": round(self.samples_taken / wall, 1), "missed": pacer.missed,
            "late_ms_p90": pacer.late_ms_p90(), "cpu_fraction": round((time.thread_time() - cpu0) / wall, 4),
            "holder_handoffs": self.strip.changes if sampler is not None else None,
        }, {"syscalls": syscalls_ok, "syscalls_detail": syscall_detail,
            "schedstat": os.path.exists(f"/proc/{pid}/task")})

    def _open_sampler(self, gil: dict[str, Any]) -> tuple[GilSampler | None, str]:
        if "address" not in gil:
            return None, "no GIL address to read: " + str(gil.get("reason", ""))
        mem, why = open_memory(self.proc.pid)
        if mem is not None and len(mem.read(int(gil["address"]), 32)) == 32:
            return GilSampler(mem, int(gil["address"])), ""
        if mem is not None:
            mem.close()
        return None, why or f"/proc/{self.proc.pid}/mem gave no bytes at the GIL's address"

    def _sample(self, with_threads: bool) -> None:
        """One sample: the GIL's words, then each watched thread's syscall file (a batch of them if many)."""
        sampler = self.sampler
        holder, locked = 0, 0
        if sampler is not None:
            if not sampler.sample():
                return
            holder, locked = sampler.holder[-1], sampler.locked[-1]
        if not with_threads:
            self.samples_taken += 1
            return
        live = self.live
        if len(live) > MAX_THREADS_PER_SAMPLE:
            k = self.rotation % len(live)
            batch = (live[k:] + live[:k])[:MAX_THREADS_PER_SAMPLE]
            self.rotation += MAX_THREADS_PER_SAMPLE
        else:
            batch = live
        lo, hi, futex = self.gil_lo, self.gil_hi, self.futex
        now = time.perf_counter_ns()
        for th in batch:
            if th.syscall is None:
                continue
            raw = th.syscall.read()
            if not raw:
                continue
            nr, arg0 = parse(raw)
            rec = th.rec
            state = classify(nr, arg0, bool(locked) and holder == rec.tstate != 0, lo, hi, futex)
            rec.t.append(now)
            rec.s.append(state)
        self.samples_taken += 1

    def _tick(self, elapsed: float) -> None:
        """Every 100 ms: new tasks, CPU per thread, the holder strip, the timeout."""
        self._scan_tasks()
        for th in self.live:
            if th.sched_fd >= 0:
                cpu = _schedstat_ns(th.sched_fd)
                if cpu is not None:
                    th.rec.cpu_ns = cpu
        if self.sampler is not None:
            self._feed_strip()
        if self.timeout_s is not None and elapsed > self.timeout_s and self.ending is None:
            self.ending = _Ending("timeout", time.monotonic())
            self._signal(signal.SIGINT)  # a traceback of where it hung, if it can still print one
            self.ending.forwarded = True
        self._escalate()

    def _feed_strip(self) -> None:
        s = self.sampler
        assert s is not None
        if not len(s.t):
            return
        self.spans.extend(self.strip.feed(s.t.tolist(), s.holder.tolist(), s.locked.tolist()))
        self.switch_ticks.append((s.t[-1], s.switch[-1]))
        self.last_switch = s.switch[-1]
        for arr in (s.t, s.holder, s.locked, s.switch):
            del arr[:]

    # -- threads ----------------------------------------------------------------------------------------
    def _add_thread(self, tid: int, name: str, tstate: int, t_ns: int, python: bool) -> _Watched:
        known = self.threads.get(tid)
        if known is not None and known.rec.end_ns is None:  # found in /proc first, announced now
            known.rec.name, known.rec.python = name, python or known.rec.python
            if tstate:
                known.rec.tstate = tstate
                self.owners[tstate] = known.index
            return known
        rec = ThreadRecord(name=name, tid=tid, python=python, tstate=tstate, start_ns=t_ns)
        th = _Watched(rec, len(self.order))
        pid = self.proc.pid
        try:
            th.syscall = SyscallFile(pid, tid)
            th.sched_fd = os.open(f"/proc/{pid}/task/{tid}/schedstat", os.O_RDONLY)
        except OSError as exc:
            if exc.errno in (24, 23):  # EMFILE, ENFILE
                self.unwatched += 1
            th.close()
        self.threads[tid] = th
        self.order.append(th)
        if tstate:
            self.owners[tstate] = th.index
        self.live = [t for t in self.order if t.syscall is not None]
        return th

    def _end_thread(self, th: _Watched, t_ns: int) -> None:
        if th.rec.end_ns is not None:
            return
        if th.sched_fd >= 0:
            th.rec.cpu_ns = _schedstat_ns(th.sched_fd) or th.rec.cpu_ns
        th.rec.end_ns = t_ns
        th.close()
        self.live = [t for t in self.order if t.syscall is not None]

    def _scan_tasks(self) -> None:
        """Threads nobody announced (started outside threading, or by C libraries) and threads gone."""
        pid = self.proc.pid
        try:
            tids = {int(x) for x in os.listdir(f"/proc/{pid}/task")}
        except OSError:
            return
        now = time.perf_counter_ns()
        for tid in tids - set(self.threads):
            try:
                with open(f"/proc/{pid}/task/{tid}/comm") as f:
                    comm = f.read().strip()
            except OSError:
                continue
            self._add_thread(tid, f"{comm} ({tid})", 0, now, python=False)
        for tid, th in self.threads.items():
            if tid not in tids and th.rec.end_ns is None and self.status is None:
                self._end_thread(th, now)

    def _raise_fd_limit(self) -> None:
        """Two files per live thread: a program with a thousand threads needs more than the usual 1,024. (The
        program started before this, with the limit it was given.)"""
        with contextlib.suppress(ValueError, OSError):
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            want = min(hard, 65_536) if hard != resource.RLIM_INFINITY else 65_536
            if soft != resource.RLIM_INFINITY and soft < want:
                resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))

    # -- notes, output, exit ----------------------------------------------------------------------------
    def _read_notes(self) -> list[dict[str, Any]]:
        out = []
        for line in self.notes.read():
            try:
                note = json.loads(line)
            except ValueError:
                continue
            if isinstance(note, dict):
                out.append(note)
        if self.notes.eof:
            self.notes_eof = True
        return out

    def _take_notes(self) -> None:
        pid = self.proc.pid
        for note in self._read_notes():
            kind = note.get("t")
            if kind == "fork":
                self.forks += 1
                st = _stat(int(note.get("pid", 0)))
                if st is not None:
                    self.family[int(note["pid"])] = st[1]
                continue
            if note.get("pid") != pid:
                continue
            if kind == "thread":
                self._add_thread(int(note["tid"]), str(note.get("name")), int(note.get("ts") or 0),
                                 int(note["t_ns"]), python=True)
            elif kind == "thread_end":
                th = self.threads.get(int(note["tid"]))
                if th is not None:
                    th.rec.name = str(note.get("name") or th.rec.name)  # renamed while it ran
                    self._end_thread(th, int(note["t_ns"]))
            elif kind == "exit":
                self.exit_note = note
            elif kind == "exec":
                self.exec_note = note
        if self.notes_eof and self.exit_note is None and self.sampling and not self._reap(block=False):
            self._after_exec()

    def _after_exec(self) -> None:
        """The notes pipe closed while the program lives: it replaced itself (exec) or closed every file. The
        memory at the GIL's address means something else now: measuring stops here; waiting goes on."""
        if self._reap(block=False, wait_s=0.05):
            return
        self.sampling = False
        self.exec_at = time.perf_counter_ns()
        if self.sampler is not None:
            self._feed_strip()
        for th in self.order:
            self._end_thread(th, self.exec_at)

    def _relay(self) -> None:
        for pipe, to in self.relay:
            if pipe is None:
                continue
            while True:
                try:
                    chunk = os.read(pipe.fileno(), 1 << 16)
                except (BlockingIOError, InterruptedError):
                    break
                except OSError:
                    chunk = b""
                if not chunk:
                    break
                if to is not None:
                    to.write(chunk.decode(errors="replace"))
                    to.flush()

    def _sleep(self, delay: float) -> None:
        """Sleeps until the next sample, waking early for a note, the program's output or its exit."""
        fds = [self.notes.fd] if not self.notes_eof else []
        if self.pidfd >= 0:
            fds.append(self.pidfd)
        fds += [p.fileno() for p, _to in self.relay if p is not None and not p.closed]
        if not fds:
            time.sleep(delay)
            return
        ready, _w, _x = select.select(fds, [], [], delay)
        if any(fd != self.notes.fd and fd != self.pidfd for fd in ready):
            self._relay()

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
                self.proc.returncode = os.waitstatus_to_exitcode(status)
                return True
            if time.monotonic() >= end:
                return False
            time.sleep(0.005)

    def _code(self) -> int:
        return os.waitstatus_to_exitcode(self.status) if self.status is not None else -1

    # -- stopping ---------------------------------------------------------------------------------------
    def _signal(self, sig: int) -> None:
        if self.status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.proc.pid, sig)

    def _interrupted(self) -> None:
        """Ctrl-C: the terminal told the program too; if it has not ended shortly, tell it again, then kill it.
        A second Ctrl-C kills it at once."""
        if self.ending is not None and self.ending.how == "interrupted":
            self.ending.killed = True
            self._signal(signal.SIGKILL)
            return
        self.ending = _Ending("interrupted", time.monotonic())

    def _escalate(self) -> None:
        e = self.ending
        if e is None or self.status is not None:
            return
        waited = time.monotonic() - e.since
        if not e.forwarded and waited > 0.5:
            e.forwarded = True
            self._signal(signal.SIGINT)
        elif not e.killed and waited > STOP_GRACE_S + 0.5:
            e.killed = True
            self._signal(signal.SIGKILL)

    def _stop_everything(self) -> None:
        """However the trace ends: the program and every process it started are gone, and reaped."""
        if self.status is None:
            self._signal(signal.SIGKILL)
            self._reap(block=True)
        self._relay()
        self._stop_family()

    def _stop_family(self) -> None:
        """The program's own child processes that outlived it (a fork, a daemon): stopped, and said so."""
        left = {p: st for p, st in self.family.items() if (cur := _stat(p)) is not None and cur[1] == st
                and cur[0] != "Z"}
        if self.reap_orphans:
            left.update({p: st[1] for p in children_of(os.getpid()) if (st := _stat(p)) is not None})
        left.pop(self.proc.pid, None)
        if left:
            self.notes_text.append(f"the program left {len(left)} process(es) running (pids "
                                   f"{', '.join(map(str, sorted(left)[:8]))}); gilscope stopped them")
            for sig in (signal.SIGTERM, signal.SIGKILL):
                for p, st in left.items():
                    cur = _stat(p)
                    if cur is not None and cur[1] == st and cur[0] != "Z":
                        with contextlib.suppress(ProcessLookupError, PermissionError):
                            os.kill(p, sig)
                deadline = time.monotonic() + 1.0
                while time.monotonic() < deadline and any(
                        (c := _stat(p)) is not None and c[1] == st and c[0] != "Z" for p, st in left.items()):
                    self._reap_orphans()
                    time.sleep(0.02)
        self._reap_orphans()
        self.family.clear()

    def _reap_orphans(self) -> None:
        if not self.reap_orphans:
            return
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass

    # -- the result -------------------------------------------------------------------------------------
    def _result(self, hello: dict[str, Any], t_end: int, cpu_ns: int | None, load: Any, sampler: dict[str, Any],
                instruments: dict[str, Any]) -> TraceResult:
        code = self._code()
        sig = -code if code < 0 else None
        how, error = "exited", None
        if self.ending is not None:
            how = self.ending.how
            error = (f"the program ran past its {self.timeout_s:g} s timeout and was stopped"
                     if how == "timeout" else "interrupted (Ctrl-C): the program was stopped")
        elif self.exec_at is not None:
            how = "exec"
            what = (self.exec_note or {}).get("path")
            error = (f"the program replaced itself (exec{' ' + what if what else ''}) after "
                     f"{(self.exec_at - self.t0) / 1e9:.2f} s: measured until then")
        notes = list(self.notes_text)
        if error:
            notes.insert(0, error)
        if sig is not None and how == "exited":
            name = signal.Signals(sig).name if sig in signal.valid_signals() else f"signal {sig}"
            notes.append(f"the program was killed by {name}")
        if self.forks:
            notes.append(f"the program forked {self.forks} time(s); only the first process is traced")
        if self.unwatched:
            notes.append(f"{self.unwatched} thread(s) could not be watched: out of file descriptors")
        exact = self.exit_note is not None and self.exit_note.get("switch") is not None
        start = hello.get("switch")
        end_switch = self.exit_note.get("switch") if exact and self.exit_note else self.last_switch
        if start is not None and not exact:
            notes.append("the program ended without its last word (killed, os._exit or exec): hand-offs are "
                         "counted up to the tracer's last sample")
        end_ns = self.exec_at if self.exec_at is not None else t_end
        rec = TraceRecord(
            program=self.program.argv(), hello=hello, threads=[th.rec for th in self.order], t0_ns=self.t0,
            t_end_ns=end_ns, interval_set_s=self.interval_s, switch_start=start, switch_end=end_switch,
            switch_exact=exact, holder_spans=self.spans, holder_changes=self.strip.changes,
            switch_ticks=self.switch_ticks, process_cpu_ns=cpu_ns, sampler=sampler, instruments=instruments,
            exit={"code": None if sig is not None else code, "signal": sig, "how": how}, notes=notes,
            machine=dict(load))
        summary = summarize_trace(rec)
        events = trace_events(rec, summary, self.proc.pid)
        shell = 128 + sig if sig is not None else code
        return TraceResult(summary, events, shell, "failed" if error else "done", error, rec)


def trace(program: Program, interval_s: float | None = None, timeout_s: float | None = None,
          period_s: float = DEFAULT_PERIOD_S, out: TextStream[str] | None = None,
          err: TextStream[str] | None = None, reap_orphans: bool = False) -> TraceResult:
    """Runs program under the microscope and returns what was seen (see Tracer)."""
    return Tracer(program, interval_s, timeout_s, period_s, out, err, reap_orphans).run()


def save(result: TraceResult, client: str = "cli") -> str:
    """Stores the trace in the dashboard's history (gilscope.store) with its event stream; returns its id."""
    import uuid

    from gilscope.store import RunDB

    run_id = uuid.uuid4().hex[:12]
    s = result.summary
    now = time.time()
    spec = {"mix": [{"kind": "trace", "threads": len(s["threads"])}],
            "switch_interval_s": s["interval_s"] or s["interval_set_s"], "duration_s": s["wall_s"],
            "program": result.record.program}
    db = RunDB()
    try:
        db.save_run({"id": run_id, "created": now, "started": now - s["wall_s"], "finished": now,
                     "status": result.status, "error": result.error, "client": client, "spec": spec,
                     "summary": s, "source": "trace"})
        db.save_events(run_id, [json.dumps(e, separators=(",", ":")) for e in result.events])
        if db.error:
            raise TraceError(f"the trace was not saved: {db.error}")
    finally:
        db.close()
    return run_id


def export_chrome(result: TraceResult, path: str) -> None:
    from gilscope.exports import chrome_trace, from_events

    text = chrome_trace(from_events(result.events), title="gilscope trace: " + " ".join(result.record.program))
    with open(path, "w") as f:
        f.write(text)

