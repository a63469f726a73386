"""Drives one experiment: starts the worker, samples it from outside, streams live updates, summarizes.

This process is the worker's parent and its only observer. It is single-threaded and sleeps between reads.
`run_experiment` is the one code path behind `gilscope run`, the web server's runs and the lessons; the web
server runs it in a process of its own (python -m gilscope.experiment.runner) so that it never shares a GIL with it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from gilscope.analysis import blocks, events
from gilscope.analysis.summary import Comparison, RawRun, ThreadMeta, run_stacks_event, summarize
from gilscope.analysis.timeline import Epoch, HolderStrip, ThreadTimeline
from gilscope.config import limits
from gilscope.experiment.launch import describe_exit, start_worker
from gilscope.experiment.probes import ProbeReader, create_probe_file
from gilscope.experiment.protocol import DoneMessage, HelloMessage, Message, Mode, SpecMessage, parse_message
from gilscope.observe import machine, scratch
from gilscope.observe.holder_stacks import HolderStacks
from gilscope.observe.instruments import open_sampler, sampler_report
from gilscope.observe.launch import PACKAGE, code_dir
from gilscope.observe.lines import LineReader
from gilscope.observe.sampler import GilSampler, Pacer
from gilscope.observe.schedstat import SchedStat
from gilscope.records import IO, NATIVE, total_words
from gilscope.schema import Event, GilBlock, MachineLoad, Summary, TickEvent
from gilscope.spec import STARTUP_S, RunSpec
from gilscope.workloads import KINDS

Emit = Callable[[Event], None]
TICK_S = 0.1
MIN_PAIRS, MAX_PAIRS = (
    8,
    240,
)  # rounds of the threads-vs-one-thread comparison (8: the fewest whose median has a 95% interval)
ROUND_S = 0.01  # a comparison round's length, when the duration allows it (see comparison_pairs)
# Until its first tick the observer reads the worker's messages every POLL_S (sleeping in between), and ticks
# first FIRST_TICK_S after the threads' start line: the timeline's first data, not a whole tick later.
POLL_S = 0.01
FIRST_TICK_S = 0.02
RECORDS_PER_S = 40_000  # probe capacity per thread and second; a thread that writes more says so


def probe_dir(size: int) -> str | None:
    """Memory-backed /dev/shm when the whole probe file would fit there (Docker gives it 64 MB by default, and
    a write past its end is a SIGBUS), else the ordinary temporary folder."""
    try:
        st = os.statvfs("/dev/shm")
        if st.f_bavail * st.f_frsize >= size:
            return "/dev/shm"
    except OSError:
        pass
    return None


def comparison_pairs(duration_s: float) -> int:
    """How many threaded/sequential pairs the comparison alternates: at least 8, rounds of about 10 ms. Short
    rounds side by side see the same machine: on this shared host its speed changes in bursts of tens of ms,
    and a burst then spoils a few whole rounds (which the median shrugs off) instead of a slice of most of
    them. Measured here with one thread against the truth of 1.00, 1 s a side: rounds of 40 ms left the
    median's 95% interval at 12-19%, rounds of 10 ms at 1.4-4.5%. The worker stops early when units longer
    than a round stretch the rounds past the duration."""
    return max(MIN_PAIRS, min(MAX_PAIRS, round(duration_s / ROUND_S)))


@dataclass
class ReadyWorker:
    """A worker started ahead of its run (by a runner started ahead): started up, the GIL located, waiting for
    its spec's path on stdin. Its code folder and stderr file go when its run ends."""

    proc: subprocess.Popen
    code: str
    stderr_path: str
    python: str

    @classmethod
    def start(cls) -> ReadyWorker:
        code = code_dir()
        fd, err = tempfile.mkstemp(prefix=scratch.prefix() + "stderr-")
        os.close(fd)
        return cls(start_worker(sys.executable, "-", code, err, limits().worker_memory_mb), code, err, sys.executable)

    def close(self) -> None:
        """Sends it away unused (a run on another interpreter): an empty line ends it."""
        if self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.close()
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        self.cleanup()

    def cleanup(self) -> None:
        shutil.rmtree(self.code, ignore_errors=True)
        try:
            os.unlink(self.stderr_path)
        except OSError:
            pass


class RunFailed(Exception):
    """The experiment did not finish; the message says why, in words for the person who ran it."""


def _ms(t: int, t0: int) -> float:
    return round((t - t0) / 1e6, 4)


class Experiment:
    """One run of the worker (threaded or sequential), observed until it ends."""

    def __init__(self, spec: RunSpec, emit: Emit, mode: Mode = "threaded", ready: ReadyWorker | None = None):
        self.spec, self.emit, self.mode = spec, emit, mode
        self.ready = ready  # a worker started ahead, on this run's interpreter
        self.lim = limits()
        self.threads = spec.thread_list()
        self.meta = [
            ThreadMeta(
                t["name"],
                t["kind"],
                KINDS[t["kind"]].probe_style(t["params"]),
                KINDS[t["kind"]].region or "native",
                t["params"],
            )
            for t in self.threads
        ]
        self.cap = int(spec.duration_s * RECORDS_PER_S) + 1000
        self.work = tempfile.mkdtemp(
            prefix=scratch.prefix() + "run-", dir=probe_dir(total_words(len(self.threads), self.cap) * 8)
        )
        self.pending: list[Message] = []  # messages read from the worker but not yet handled
        self.stderr_path = ready.stderr_path if ready else os.path.join(self.work, "stderr.txt")

    # -- start ------------------------------------------------------------------------------------------
    def _write_spec(self) -> str:
        probe = os.path.join(self.work, "probes.bin")
        create_probe_file(probe, len(self.threads), self.cap)
        body: SpecMessage = {
            "type": "spec",
            "mode": self.mode,
            "interval_s": self.spec.switch_interval_s,
            "duration_s": self.spec.duration_s,
            "probe_path": probe,
            "probe_cap": self.cap,
            "blas_threads": self.spec.blas_threads(),
            "pairs": comparison_pairs(self.spec.duration_s),
            "threads": [{"name": t["name"], "kind": t["kind"], "params": t["params"]} for t in self.threads],
        }
        path = os.path.join(self.work, "spec.json")
        with open(path, "w") as f:
            json.dump(body, f)
        self.probe_path = probe
        return path

    def run(self) -> RawRun | Comparison:
        """The threaded run's raw measurements, or the interleaved comparison's pairs."""
        self.code = code = self.ready.code if self.ready else code_dir()
        try:
            return self._run(code)
        finally:
            shutil.rmtree(code, ignore_errors=True)
            shutil.rmtree(self.work, ignore_errors=True)
            if self.ready:
                self.ready.cleanup()

    def _fail(self, proc: subprocess.Popen, why: str) -> RunFailed:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        try:
            with open(self.stderr_path, "rb") as f:
                f.seek(max(0, os.path.getsize(f.name) - 2000))
                tail = f.read().decode(errors="replace").strip().splitlines()[-3:]
        except OSError:
            tail = []
        return RunFailed(why + (": " + " | ".join(tail) if tail else ""))

    def _run(self, code: str) -> RawRun | Comparison:
        python = self.spec.python or sys.executable
        spec_path = self._write_spec()
        t_begin = time.perf_counter()
        cpu_begin = time.process_time()
        if self.ready:
            proc = self.ready.proc
            assert proc.stdin is not None
            try:
                proc.stdin.write((spec_path + "\n").encode())
                proc.stdin.close()
            except OSError:
                pass  # it died while it waited: its exit is noticed below, with its last words
        else:
            proc = start_worker(python, spec_path, code, self.stderr_path, self.lim.worker_memory_mb)
        self.proc = proc
        assert proc.stdout is not None
        lines = LineReader(proc.stdout.fileno(), max_bytes=4 << 20)
        try:
            hello = self._wait_for_hello(proc, lines, STARTUP_S)
            if self.mode == "interleaved":
                start_mark = machine.mark(proc.pid)
                done = self._baseline(proc, lines, hello)
                load = machine.load_between(start_mark, machine.mark(proc.pid, done.get("cpu_total_ns")))
                proc.wait(timeout=10)
                return {"pairs_ns": done["pairs_ns"], "order": "ABBA", "machine": load}
            return self._observe(proc, lines, hello, t_begin, cpu_begin)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()

    def _baseline(self, proc: subprocess.Popen, lines: LineReader, hello: HelloMessage) -> DoneMessage:
        """Waits for the interleaved comparison while sampling it exactly as the threaded run was sampled, so
        that it runs under the same observer (an idle observer made the one-thread side up to 20% slower)."""
        sampler, _detail = self._open_sampler(proc, hello.get("gil", {}))
        end = time.monotonic() + self.spec.comparison_budget_s()
        period = self.lim.sample_period_s if sampler else 0.01
        try:
            while time.monotonic() < end:
                self.pending.extend(self._messages(proc, lines))
                for msg in self.pending:
                    if msg["type"] == "done":
                        return msg
                self.pending.clear()
                if proc.poll() is not None and not lines.pending():
                    raise self._fail(proc, describe_exit(proc.returncode) + " during the one-thread baseline")
                for _ in range(int(0.01 / period) or 1):
                    if sampler is not None:
                        sampler.sample()
                    time.sleep(period * (0.8 + 0.4 * random.random()))
        finally:
            if sampler is not None:
                sampler.memory.close()
        raise self._fail(proc, "the one-thread baseline did not finish in time and was stopped")

    def _wait_for_hello(self, proc: subprocess.Popen, lines: LineReader, timeout: float) -> HelloMessage:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.pending.extend(self._messages(proc, lines))
            while self.pending:
                msg = self.pending.pop(0)
                if msg["type"] == "hello":
                    return msg  # later messages stay pending for the observer
            if proc.poll() is not None and not lines.pending():
                raise self._fail(proc, describe_exit(proc.returncode))
            time.sleep(0.01)
        raise self._fail(proc, f"the experiment process gave no 'hello' within {timeout:g} s and was stopped")

    def _messages(self, proc: subprocess.Popen, lines: LineReader) -> list[Message]:
        try:
            raw = lines.read()
        except OverflowError as exc:
            raise self._fail(proc, f"the experiment process flooded its output ({exc}) and was stopped") from None
        out = []
        for line in raw:
            try:
                out.append(parse_message(line))
            except ValueError:
                raise self._fail(
                    proc, f"the experiment process wrote something that is not a message: {line[:80]!r}"
                ) from None
        return out

    # -- observe: open the instruments, announce, loop (sample between ticks), collect ----------------------
    def _open_sampler(self, proc: subprocess.Popen, gil: GilBlock) -> tuple[GilSampler | None, str]:
        return open_sampler(proc.pid, gil, self.lim.sample_period_s)

    def _announce(self, proc: subprocess.Popen, hello: HelloMessage, live: _Live) -> None:
        gil = hello.get("gil", {})
        self.emit(
            events.hello(
                proc.pid,
                [events.hello_thread(m.name, m.kind, m.style, m.region) for m in self.meta],
                hello.get("python"),
                hello.get("interval_s"),
                blocks.instruments(
                    gil,
                    live.sampler is not None,
                    live.sampler_detail,
                    live.sched.available,
                    True,
                    detail=gil.get("reason", "found"),  # live: no more than that
                ),
            )
        )

    def _observe(
        self, proc: subprocess.Popen, lines: LineReader, hello: HelloMessage, t_begin: float, cpu_begin: float
    ) -> RawRun:
        """The deadline loop: reads the GIL words every sample period (sleeping in between) and, every tick,
        the worker's messages and probes, which it streams as one tick event. Ends when the worker is done."""
        sampler, detail = self._open_sampler(proc, hello.get("gil", {}))
        live = _Live(
            ProbeReader(self.probe_path, len(self.threads), self.cap),
            sampler,
            detail,
            SchedStat(proc.pid),
            [ThreadTimeline(i, m.style, IO if m.region == "io" else NATIVE) for i, m in enumerate(self.meta)],
        )
        live.stacks = HolderStacks.open(sampler.memory if sampler else None, hello)
        self._announce(proc, hello, live)
        start_mark = machine.mark(proc.pid)
        pacer = Pacer(self.lim.sample_period_s)
        next_tick = time.perf_counter()
        while True:
            now = time.perf_counter()
            if sampler is not None and pacer.due(now):
                if sampler.sample():  # after the worker exits it reads nothing; the exit is noticed at the tick
                    live.stacks.maybe_sample(sampler.t[-1], sampler.holder[-1], sampler.locked[-1])
                pacer.advance(now)
            if now >= next_tick:
                self._take_messages(proc, lines, live)
                self._enforce_limits(proc, live)
                first = live.start_ns / 1e9 + FIRST_TICK_S if live.start_ns else None  # perf_counter's clock
                if first is not None and (live.ticked or now >= first or live.done is not None):
                    self._emit_tick(live)
                    live.ticked = True
                if live.done is not None:
                    break
                if live.ticked:
                    next_tick += TICK_S
                else:
                    next_tick = first if first is not None else now + POLL_S
            wake = min(pacer.next, next_tick) if sampler is not None else next_tick
            delay = wake - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
        load = machine.load_between(start_mark, machine.mark(proc.pid, (live.done or {}).get("cpu_total_ns")))
        proc.wait(timeout=10)
        return self._collect(live, hello, pacer, t_begin, cpu_begin, load)

    def _take_messages(self, proc: subprocess.Popen, lines: LineReader, live: _Live) -> None:
        """The worker's "started" (sets the deadline) and "done"; an exit without "done" fails the run."""
        self.pending.extend(self._messages(proc, lines))
        if proc.poll() is not None and live.done is None:
            self.pending.extend(self._messages(proc, lines))  # its last words, written before it exited
        while self.pending:
            msg = self.pending.pop(0)
            if msg["type"] == "started":
                live.start_ns = msg["start_ns"]
                # the worker's start line, on the same clock (CLOCK_MONOTONIC): a late tick does not move the deadline
                live.deadline = msg["start_ns"] / 1e9 + self.spec.duration_s + self.spec.grace_s()
            elif msg["type"] == "done":
                live.done = msg
        if proc.poll() is not None and live.done is None:
            raise self._fail(proc, describe_exit(proc.returncode) + " before the run ended")

    def _enforce_limits(self, proc: subprocess.Popen, live: _Live) -> None:
        if live.done is not None:
            return
        now = time.perf_counter()
        if live.deadline is not None and now > live.deadline:
            raise self._fail(
                proc,
                f"the experiment overran its {self.spec.duration_s:g} s by more than "
                f"{self.spec.grace_s():g} s and was stopped",
            )
        if live.deadline is None and now - live.observed_from > STARTUP_S:
            raise self._fail(proc, f"the experiment's threads did not start within {STARTUP_S:g} s")

    def _live_cores(self, live: _Live) -> float | None:
        """CPU of every task in the worker (BLAS threads too) over the last tick, from schedstat."""
        if not live.sched.available:
            return None
        live.sched.rescan()
        total, t = sum(live.sched.read().values()), time.perf_counter_ns()
        cores = None
        if live.last_cpu is not None and t > live.last_cpu[1]:
            cores = round((total - live.last_cpu[0]) / (t - live.last_cpu[1]), 3)
        live.last_cpu = (total, t)
        return cores

    def _emit_tick(self, live: _Live) -> None:
        cores = self._live_cores(live)
        tick = self._tick(live, live.done is not None)
        live.sent_samples = len(live.sampler.t) if live.sampler else 0
        tick["figures"]["cores_now"] = cores
        self.emit(tick)

    def _collect(
        self, live: _Live, hello: HelloMessage, pacer: Pacer, t_begin: float, cpu_begin: float, load: MachineLoad
    ) -> RawRun:
        """Everything the run measured, as plain data; the instruments are closed."""
        reader, sampler, n = live.reader, live.sampler, len(self.threads)
        headers = []
        for i in range(n):
            h = reader.header(i)
            headers.append(
                {
                    "first_t": h.first_t,
                    "first_sn": h.first_sn,
                    "last_t": h.last_t,
                    "last_sn": h.last_sn,
                    "progress": h.progress,
                    "cpu_ns": h.cpu_ns,
                    "overflow": int(h.overflow),
                }
            )
        records = [[list(r) for r in reader.all_records(i)] for i in range(n)]
        reader.close()
        wall = time.perf_counter() - t_begin
        observed_s = max(1e-9, time.perf_counter() - live.observed_from)
        sampler_info = sampler_report(
            sampler,
            live.sampler_detail,
            len(sampler.t) if sampler else 0,
            observed_s,
            pacer,
            time.process_time() - cpu_begin,
            wall,
            live.strip.changes,
        )
        if sampler:
            sampler.memory.close()
        live.sched.close()
        done = live.done
        assert done is not None  # the loop ends only once the worker said it was done
        if done.get("errors"):
            raise RunFailed("a workload thread failed: " + done["errors"][0].strip().splitlines()[-1])
        return RawRun(
            self.meta,
            records,
            headers,
            hello,
            done,
            self.spec.switch_interval_s,
            self.spec.duration_s,
            sampler_info,
            {"ok": live.sched.available},
            machine=load,
            stacks=live.stacks.report(observed_s),
            stack_samples=[
                [t, live.owners.get(ts, -1), [list(f) for f in frames], in_c]
                for t, ts, frames, in_c in live.stacks.finished(self.code, str(PACKAGE))
            ],
            stack_sample_s=live.stacks.sample_s(observed_s),
            start_ns=live.start_ns,
        )

    def _tick(self, live: _Live, final: bool) -> TickEvent:
        """New segments of every thread, new holder-strip spans and the counter, as one tick event."""
        reader, sampler, t0 = live.reader, live.sampler, live.start_ns
        segs: list[list[float]] = []
        progress: list[int] = []
        for i, tl in enumerate(live.timelines):
            h = reader.header(i)
            if h.tstate and h.tstate not in live.owners:
                live.owners[h.tstate] = i
            tl.started_ns = tl.started_ns or h.first_t
            out = tl.feed(reader.new_records(i), live.epochs)
            if not final and not h.done:
                out += tl.tail(h.cur_start, h.cur_last, tl.prev_t1)
            segs.extend([i, s, _ms(a, t0), _ms(b, t0)] for a, b, s in out)
            progress.append(h.progress)
        holder = []
        sent = live.sent_samples
        if sampler is not None:
            new = live.strip.feed(
                sampler.t[sent:].tolist(),
                sampler.holder[sent:].tolist(),
                sampler.locked[sent:].tolist(),
                sampler.switch[sent:].tolist(),
            )
            if final:
                new += live.strip.flush()
            holder = [[_ms(a, t0), _ms(b, t0), who] for a, b, who in new if b > t0]
        elapsed = min(max(1e-9, (time.perf_counter_ns() - t0) / 1e9), self.spec.duration_s)
        switches = None
        if sampler is not None and len(sampler.switch) and len(sampler.t):
            first = next((k for k, t in enumerate(sampler.t) if t >= t0), None)
            if first is not None:
                switches = sampler.switch[-1] - sampler.switch[first]
        return events.tick(round(elapsed, 3), segs, holder, progress, events.figures(switches, elapsed))


@dataclass
class _Live:
    """What the observe loop keeps between ticks: its instruments and what it learned so far."""

    reader: ProbeReader
    sampler: GilSampler | None
    sampler_detail: str
    sched: SchedStat
    timelines: list[ThreadTimeline]
    epochs: dict[int, Epoch] = field(default_factory=dict)
    owners: dict[int, int] = field(default_factory=dict)  # thread state address -> thread index
    strip: HolderStrip = field(init=False)
    start_ns: int = 0
    deadline: float | None = None
    done: DoneMessage | None = None
    sent_samples: int = 0
    ticked: bool = False  # the first tick was sent
    last_cpu: tuple[int, int] | None = None
    observed_from: float = field(default_factory=time.perf_counter)
    stacks: HolderStacks = field(default_factory=lambda: HolderStacks(None, "not opened"))

    def __post_init__(self) -> None:
        self.strip = HolderStrip(self.owners)


def run_experiment(
    spec: RunSpec,
    emit: Emit | None = None,
    keep_raw: Callable[[RawRun], None] | None = None,
    ready: ReadyWorker | None = None,
) -> Summary:
    """Runs spec (and its sequential baseline if asked), streaming live events to emit; returns the summary.
    ready: a worker started ahead for the threaded run (sent away if the spec asks for another interpreter)."""
    emit = emit or (lambda _e: None)
    if ready is not None and (spec.python or sys.executable) != ready.python:
        ready.close()
        ready = None
    raw = Experiment(spec, emit, ready=ready).run()
    assert isinstance(raw, RawRun)  # a threaded run's
    if spec.baseline:
        emit(events.phase("baseline"))
        base = Experiment(spec, emit, mode="interleaved").run()
        assert not isinstance(base, RawRun)  # the comparison's pairs
        raw = dataclasses.replace(raw, baseline=base)
    if keep_raw is not None:
        keep_raw(raw)
    summary = summarize(raw)
    if raw.stack_samples:
        emit(run_stacks_event(raw, raw.start_ns))
    emit(events.summary(summary))
    return summary


def main(argv: list[str]) -> int:
    """python -m gilscope.experiment.runner [SPEC_JSON]: the web server's way in; JSON lines out, one per event.

    Without an argument it reads the spec from one line of stdin: the server starts a runner ahead of time
    (imports done, and its worker started up too) so that a run begins the moment it is asked for."""
    ready = ReadyWorker.start() if len(argv) <= 1 else None
    text = argv[1] if len(argv) > 1 else sys.stdin.readline()
    if not text.strip():
        if ready is not None:
            ready.close()
        return 0  # a spare runner whose server went away
    try:
        spec = RunSpec.model_validate_json(text)
    except ValueError:
        if ready is not None:
            ready.close()
        raise

    def emit(event: Event) -> None:
        sys.stdout.write(json.dumps(event, separators=(",", ":")) + "\n")
        sys.stdout.flush()

    try:
        run_experiment(spec, emit, ready=ready)
    except RunFailed as exc:
        emit(events.failed(str(exc)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
