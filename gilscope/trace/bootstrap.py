"""The first moments of a traced program: python -m gilscope.trace.bootstrap FD INTERVAL KIND TARGET [ARGS]

`gilscope trace` runs someone else's program, unmodified, in its own interpreter (any CPython 3.11+ with a GIL).
This module runs there first: it finds the GIL (sentinel scan), lets the parent read this process's memory, sets
the switch interval, and arranges for every thread to announce itself (name, native id, thread state address)
as it starts, by wrapping threading.Thread._bootstrap_inner: the new thread writes one line on the notes pipe
itself, so no thread of ours competes for the GIL being measured. Then it hands the process over to the program
(KIND is path, module or code) with the program's own argv, sys.path[0], stdin/stdout/stderr, working folder and
exit status, and tidies away every trace of itself it can (PYTHONPATH, its modules, its folder on sys.path).

Stdlib only. Written to parse under old interpreters too, so that they can be refused in words.
"""

from __future__ import annotations

import atexit
import ctypes
import importlib.machinery
import io
import json
import os
import runpy
import sys
import threading
import time
import types

REFUSED = 70  # exit status when the program was not started (the parent says why from the notes)
RESTORE_ENV = "GILSCOPE_TRACE_RESTORE"  # JSON: the environment variables to put back before the program runs


class Notes:
    """One JSON line per fact, on a pipe the parent reads. Writes under PIPE_BUF bytes are atomic, so threads
    never interleave; a parent that went away turns notes off instead of failing the program."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def write(self, kind: str, **fields: object) -> None:
        if self.fd < 0:
            return
        fields["t"] = kind
        fields["pid"] = os.getpid()
        fields["t_ns"] = time.perf_counter_ns()  # CLOCK_MONOTONIC: the parent's clock too
        data = (json.dumps(fields, separators=(",", ":"), default=str) + "\n").encode()
        try:
            os.write(self.fd, data[:4000])
        except OSError:
            self.fd = -1

    def close(self) -> None:
        if self.fd >= 0:
            try:
                os.close(self.fd)
            except OSError:
                pass
            self.fd = -1


def allow_parent_to_read(parent: int) -> None:
    """As the worker does (observe.child), and die with the parent, so that a tracer killed hard leaves no
    program running behind it."""
    from gilscope.observe.child import allow_parent_to_read as allow
    from gilscope.observe.child import die_with_parent

    allow(parent)
    die_with_parent()
    if os.getppid() != parent:  # the parent died before the line above: do not run unobserved
        os._exit(REFUSED)


def _watch_threads(notes: Notes, this_thread_state) -> None:
    """Every threading.Thread announces itself from inside, just before its target runs, and again when done."""
    original = threading.Thread._bootstrap_inner  # type: ignore[attr-defined]

    def _bootstrap_inner(self: threading.Thread) -> None:
        notes.write(
            "thread", tid=threading.get_native_id(), ts=this_thread_state(), name=self.name[:200], daemon=self.daemon
        )
        try:
            original(self)
        finally:
            notes.write("thread_end", tid=threading.get_native_id(), name=self.name[:200], cpu_ns=time.thread_time_ns())

    threading.Thread._bootstrap_inner = _bootstrap_inner  # type: ignore[attr-defined]


def _watch_forks_and_execs(notes: Notes) -> None:
    """A forked child is not traced: it says so once and lets go of the pipe. An exec replaces the interpreter
    whose GIL is being read: the parent must know before it reads memory that means something else now."""

    def in_child() -> None:
        notes.write("fork", ppid=os.getppid())
        notes.close()

    os.register_at_fork(after_in_child=in_child)
    for name in ("execv", "execve"):
        original = getattr(os, name)

        def wrapper(path, *args, _original=original, **kwargs):
            notes.write("exec", path=os.fsdecode(path)[:300] if isinstance(path, str | bytes) else str(path))
            return _original(path, *args, **kwargs)

        setattr(os, name, wrapper)


def _ours(filename: str) -> bool:
    return filename in (__file__, "<frozen runpy>", getattr(runpy, "__file__", None))


def _trimmed_excepthook(previous):
    """Tracebacks start at the program's own frames, as they would without gilscope."""

    def hook(kind, value, tb):
        while tb is not None and tb.tb_next is not None and _ours(tb.tb_frame.f_code.co_filename):
            tb = tb.tb_next
        if isinstance(value, BaseException):
            value.__traceback__ = tb  # the display reads the exception's own traceback first
        previous(kind, value, tb)

    return hook


def _restore_environment(code_dir: str) -> None:
    """The program sees the environment it was given: our PYTHONPATH entry and flags go."""
    try:
        saved = json.loads(os.environ.pop(RESTORE_ENV, "{}"))
    except ValueError:
        saved = {}
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    sys.dont_write_bytecode = bool(saved.get("PYTHONDONTWRITEBYTECODE")) or "-B" in sys.orig_argv
    if code_dir:
        sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != code_dir]
    for name in [m for m in sys.modules if m == "gilscope" or m.startswith("gilscope.")]:
        del sys.modules[name]


def _run_path(path: str, args: list[str]) -> None:
    sys.argv[:] = [path, *args]
    if os.path.isdir(path) or not os.path.isfile(path) or path.endswith((".zip", ".pyz")):
        if not sys.flags.safe_path:
            del sys.path[0]  # run_path puts the folder or archive there itself
        runpy.run_path(path, run_name="__main__")
        return
    if not sys.flags.safe_path:
        sys.path[0] = os.path.dirname(os.path.realpath(path))
    with io.open_code(path) as f:
        source = f.read()
    code = compile(source, path, "exec", dont_inherit=True)
    main = types.ModuleType("__main__")
    main.__dict__.update(
        __file__=path,
        __cached__=None,
        __package__=None,
        __spec__=None,
        __loader__=importlib.machinery.SourceFileLoader("__main__", path),
        __builtins__=sys.modules["builtins"],
    )
    sys.modules["__main__"] = main
    exec(code, main.__dict__)


def _run_code(code: str, args: list[str]) -> None:
    sys.argv[:] = ["-c", *args]
    if not sys.flags.safe_path:
        sys.path[0] = ""
    main = types.ModuleType("__main__")
    main.__dict__.update(__builtins__=sys.modules["builtins"], __loader__=importlib.machinery.BuiltinImporter)
    sys.modules["__main__"] = main
    exec(compile(code, "<string>", "exec", dont_inherit=True), main.__dict__)


def main(argv: list[str]) -> None:
    fd, interval, kind, target, args = int(argv[1]), argv[2], argv[3], argv[4], argv[5:]
    os.set_inheritable(fd, False)  # the program's own subprocesses get no notes pipe
    notes = Notes(fd)
    if sys.hexversion < 0x030B0000:  # refused by the parent already; said here too, for old interpreters
        notes.write("refuse", why=f"Python {sys.version.split()[0]} is too old: gilscope traces CPython 3.11 and newer")
        sys.exit(REFUSED)
    from gilscope.observe.child import gil_block, python_block, stacks_block
    from gilscope.observe.locate import FIELD_SWITCH_NUMBER, GilLocation, gil_enabled, locate, this_thread_state

    if not gil_enabled():
        notes.write(
            "refuse",
            why=f"{sys.executable} runs without a GIL (a free-threaded build): there is no GIL "
            "to watch. Trace the program under a CPython with a GIL, or with PYTHON_GIL=1.",
        )
        sys.exit(REFUSED)
    allow_parent_to_read(int(os.environ.pop("GILSCOPE_TRACE_PARENT", os.getppid())))
    program_interval = sys.getswitchinterval()
    found = locate()
    stacks = stacks_block()  # before threads are watched: its parked helper thread is not the program's
    sys.setswitchinterval(float(interval) if interval != "-" else program_interval)
    location = found if isinstance(found, GilLocation) else None
    counter = ctypes.c_ulong.from_address(location.address + FIELD_SWITCH_NUMBER) if location else None
    code_dir = os.environ.pop("GILSCOPE_TRACE_CODE", "")
    _restore_environment(os.path.abspath(code_dir) if code_dir else "")
    _watch_threads(notes, this_thread_state)
    _watch_forks_and_execs(notes)

    def at_exit() -> None:  # registered first, so it runs last: after the program's own handlers
        notes.write(
            "exit",
            switch=counter.value if counter is not None else None,
            cpu_ns=time.process_time_ns(),
            main_cpu_ns=time.thread_time_ns(),
            interval_s=sys.getswitchinterval(),
        )

    atexit.register(at_exit)
    sys.excepthook = _trimmed_excepthook(sys.excepthook)
    notes.write(
        "hello",
        python=python_block(True),
        gil=gil_block(found),
        stacks=stacks,
        interval_s=sys.getswitchinterval(),
        switch=counter.value if counter is not None else None,
        main={"tid": threading.get_native_id(), "ts": this_thread_state(), "name": threading.current_thread().name},
        machine=os.uname().machine,
        cpu_ns=time.process_time_ns(),
    )
    if kind == "module":
        sys.argv[:] = [target, *args]
        runpy._run_module_as_main(target, alter_argv=True)  # type: ignore[attr-defined]  # as python -m does
    elif kind == "code":
        _run_code(target, args)
    else:
        _run_path(target, args)


if __name__ == "__main__":
    main(sys.argv)
