"""What `gilscope trace` is asked to run, checked before anything starts: which interpreter, which program, and
whether gilscope can watch it; when it cannot, the reason in words, and nothing is left running.

The forms: `script.py [args]` and `-m module [args]` under this interpreter, or `-- python [options] script.py
[args]` (also `-m`, `-c`) under the interpreter named, or `-- ./tool [args]` for a script whose #! line names a
Python. An interpreter other than this one is asked what it is first (one short run of `python -c`), so that an
old Python, another implementation or a free-threaded build is refused before the program starts.
"""

from __future__ import annotations

import functools
import json
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass

PROBE = (
    "import json, sys; print(json.dumps({'version': list(sys.version_info[:3]), "
    "'implementation': getattr(getattr(sys, 'implementation', None), 'name', 'cpython'), "
    "'executable': sys.executable, 'gil': getattr(sys, '_is_gil_enabled', lambda: True)()}))"
)
_FLAG_WITH_VALUE = ("-X", "-W", "--check-hash-based-pycs")
_UNSUPPORTED = {
    "-E": "-E ignores PYTHONPATH, which gilscope's bootstrap needs",
    "-I": "-I (isolated mode) ignores PYTHONPATH, which gilscope's bootstrap needs",
    "-i": "-i (interactive) is not supported",
    "-": "a program read from stdin is not supported",
    "-h": "-h only prints help",
    "--help": "--help only prints help",
    "-V": "-V only prints the version",
    "--version": "--version only prints the version",
}


class TraceError(Exception):
    """gilscope could not trace the program; the message says why, for the person who asked."""


@dataclass(frozen=True)
class Program:
    python: str  # the interpreter
    kind: str  # path, module or code
    target: str  # the script's path, the module's name or the code
    args: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()  # interpreter options, passed on

    def argv(self) -> list[str]:
        """The command as the program sees it run."""
        head = {"module": ["-m", self.target], "code": ["-c", self.target]}.get(self.kind, [self.target])
        return [self.python, *self.flags, *head, *self.args]


def from_script(words: list[str]) -> Program:
    """`gilscope trace script.py [args]`: this interpreter."""
    if not words:
        raise TraceError("give the program to trace: gilscope trace script.py, -m module, or -- python script.py")
    return Program(sys.executable, "path", words[0], tuple(words[1:]))


def from_module(module: str, args: list[str]) -> Program:
    return Program(sys.executable, "module", module, tuple(args))


def from_command(words: list[str]) -> Program:
    """`gilscope trace -- COMMAND`: an interpreter with its arguments, or a script (its #! line, or this
    interpreter for a .py file)."""
    if not words:
        raise TraceError("give the command after --, e.g. gilscope trace -- python script.py")
    first = words[0]
    if first.endswith((".py", ".pyw", ".pyz")) or os.path.isdir(first):
        return from_script(words)
    path = first if os.sep in first else shutil.which(first)
    if path is None or not os.path.exists(path):
        raise TraceError(f"{first}: no such program")
    head = _head(path)
    if head.startswith(b"#!"):
        line = head[2:].split(b"\n", 1)[0].decode(errors="replace").split()
        if any("python" in os.path.basename(w) for w in line[:3]):
            cmd = line[1:] if os.path.basename(line[0]) == "env" else line
            cmd = cmd[1:] if cmd[:1] == ["-S"] else cmd  # env -S splits the rest into words
            python = shutil.which(cmd[0]) if cmd and os.sep not in cmd[0] else (cmd[0] if cmd else None)
            if python is None:
                raise TraceError(f"{first} wants {' '.join(line)}, which is not installed")
            return Program(python, "path", path, tuple(words[1:]), tuple(cmd[1:]))
    if _is_binary(head) or os.access(path, os.X_OK):
        describe_interpreter(path)  # says so now if it is not a Python at all
        return interpreter_command(path, words[1:])
    return from_script([path, *words[1:]])


def interpreter_command(python: str, rest: list[str]) -> Program:
    """python [options] (script | -m module | -c code) [args], as the interpreter's own command line."""
    flags: list[str] = []
    i = 0
    while i < len(rest):
        w = rest[i]
        if w in _UNSUPPORTED or (w.startswith("-") and not w.startswith("--") and w[1:2] in ("E", "I", "i")):
            raise TraceError(f"{python} {w}: " + _UNSUPPORTED.get(w, _UNSUPPORTED.get(w[:2], "not supported")))
        if w in ("-m", "-c"):
            if i + 1 >= len(rest):
                raise TraceError(f"{python} {w}: missing its argument")
            return Program(python, "module" if w == "-m" else "code", rest[i + 1], tuple(rest[i + 2 :]), tuple(flags))
        if w.startswith(("-m", "-c")) and len(w) > 2:
            return Program(python, "module" if w[1] == "m" else "code", w[2:], tuple(rest[i + 1 :]), tuple(flags))
        if w in _FLAG_WITH_VALUE:
            flags += rest[i : i + 2]
            i += 2
            continue
        if w.startswith("-"):
            flags.append(w)
            i += 1
            continue
        return Program(python, "path", w, tuple(rest[i + 1 :]), tuple(flags))
    raise TraceError(f"no program for {python} to run: give a script, -m module or -c code")


def _head(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(4096)
    except OSError as exc:
        raise TraceError(f"{path}: {exc.strerror}") from None


def _is_binary(head: bytes) -> bool:
    return head.startswith(b"\x7fELF") or b"\x00" in head


def _same(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


@functools.lru_cache(maxsize=8)
def describe_interpreter(python: str) -> dict:
    """What the interpreter says it is (version, implementation, GIL), asked in a short run of its own."""
    if _same(python, sys.executable):
        return {
            "version": list(sys.version_info[:3]),
            "implementation": sys.implementation.name,
            "executable": sys.executable,
            "gil": getattr(sys, "_is_gil_enabled", lambda: True)(),
        }
    said = ""
    try:
        out = subprocess.run([python, "-c", PROBE], capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
        said = (out.stderr.decode(errors="replace").strip().splitlines() or [""])[0][:200]
        info = json.loads(out.stdout.decode().strip().splitlines()[-1])
        if not isinstance(info, dict):
            raise ValueError(info)
        return info
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        said = f"; it said: {said}" if said else ""
        raise TraceError(
            f"{python} is not a Python interpreter gilscope can use (it did not answer "
            f"`{shlex.quote(python)} -c ...` as CPython 3.11+ does{said})"
        ) from None


def check_program(p: Program) -> None:
    """Refuses, in words, what cannot be traced; a program that can is left to run (its own errors are its)."""
    info = describe_interpreter(p.python)
    version = ".".join(str(x) for x in info.get("version", []))
    if info.get("implementation") != "cpython":
        raise TraceError(f"{p.python} is {info.get('implementation')} {version}: gilscope reads CPython's GIL")
    if tuple(info.get("version", (0,)))[:2] < (3, 11):
        raise TraceError(f"{p.python} is Python {version}: gilscope traces CPython 3.11 and newer")
    if info.get("gil") is False:
        raise TraceError(
            f"{p.python} (Python {version}) runs without a GIL (a free-threaded build): there is no "
            "GIL to watch. Trace the program under a CPython with a GIL, or set PYTHON_GIL=1."
        )
    if not sys.platform.startswith("linux"):
        raise TraceError(f"gilscope trace reads /proc, which {sys.platform} does not have")
    if p.kind != "path":
        return
    if not os.path.exists(p.target):
        raise TraceError(f"{p.target}: no such file")
    if os.path.isdir(p.target):
        if not os.path.exists(os.path.join(p.target, "__main__.py")):
            raise TraceError(f"{p.target} is a folder without a __main__.py: not a Python program")
        return
    head = _head(p.target)
    if p.target.endswith((".pyc", ".pyz", ".zip")):
        return
    if _is_binary(head):
        kind = "an executable" if head.startswith(b"\x7fELF") else "binary data"
        raise TraceError(
            f"{p.target} is not a Python program ({kind}); to trace a Python program, give its "
            "script, or the interpreter that runs it: gilscope trace -- python prog.py"
        )
    if _same(p.python, sys.executable):
        try:
            with open(p.target, "rb") as f:
                compile(f.read(), p.target, "exec", dont_inherit=True)
        except SyntaxError as exc:
            raise TraceError(
                f"{p.target} is not a Python program this interpreter can run: {exc.msg} (line {exc.lineno})"
            ) from None
        except (ValueError, OSError) as exc:
            raise TraceError(f"{p.target} is not a Python program: {exc}") from None


def bootstrap_command(
    p: Program, interval_s: float | None, code: str, notes_fd: int, env: dict[str, str]
) -> tuple[list[str], dict[str, str]]:
    """The command and environment that start the program under gilscope's bootstrap: the program's own
    interpreter and options, our package first on PYTHONPATH (the folder holding only it), and what the
    bootstrap must put back before the program runs."""
    restore = {k: env.get(k) for k in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}
    env = {
        **env,
        "PYTHONPATH": code + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""),
        "PYTHONDONTWRITEBYTECODE": "1",  # for our modules only; the program's own setting is put back
        "GILSCOPE_TRACE_RESTORE": json.dumps(restore),
        "GILSCOPE_TRACE_CODE": code,
        "GILSCOPE_TRACE_PARENT": str(os.getpid()),
    }
    interval = repr(float(interval_s)) if interval_s is not None else "-"
    cmd = [
        p.python,
        *p.flags,
        "-m",
        "gilscope.trace.bootstrap",
        str(notes_fd),
        interval,
        p.kind,
        p.target,
        *p.args,
    ]
    return cmd, env
