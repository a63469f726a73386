"""A thread's state seen from outside, without probes: the kernel's /proc/<pid>/task/<tid>/syscall joined with
the GIL's own words (README, "A program you did not write").

The syscall file says `running` (on a CPU, or runnable) or the number of the call the thread is blocked in, with
its arguments. A thread blocked in futex on a word inside the GIL's struct is waiting for the GIL; in any other
call it is blocked (I/O, sleep, another lock). Holding comes from the holder word (locked and last_holder equal to
the thread's state), never from `running`: a running thread without the GIL runs native code or waits for a core.
Pure parsing here, plus a small reader that keeps each file open (one pread per sample).
"""

from __future__ import annotations

import os
import platform

from gilscope.records import HOLDING, IO, NATIVE, WAITING

# futex's number per machine (the syscall file gives numbers, not names)
FUTEX_BY_MACHINE = {
    "x86_64": 202,
    "amd64": 202,
    "aarch64": 98,
    "arm64": 98,
    "riscv64": 98,
    "i686": 240,
    "i386": 240,
    "armv7l": 240,
    "ppc64le": 221,
    "ppc64": 221,
    "s390x": 238,
}
# struct _gil_runtime_state: interval, last_holder, locked, switch_number (32 bytes), then cond, mutex,
# switch_cond and switch_mutex (48 + 40 + 48 + 40 on glibc). Waits on any of them are waits for the GIL; the
# switch pair is where a thread that just let go waits until another has taken it (FORCE_SWITCHING).
GIL_STRUCT_BYTES = 208
RUNNING = -2  # the file said `running`; -1 is the kernel's own "blocked, but not in a system call"
UNREADABLE = -3

# What the trace reports per thread; IO is "blocked" here: the kernel tells us it waits, not for what.


def futex_number(machine: str | None = None) -> int | None:
    return FUTEX_BY_MACHINE.get((machine or platform.machine()).lower())


def parse(raw: bytes) -> tuple[int, int]:
    """(syscall number, first argument) from the file's text; (RUNNING, 0) while on a CPU."""
    if raw.startswith(b"running"):
        return RUNNING, 0
    fields = raw.split(None, 2)
    try:
        nr = int(fields[0])
        arg0 = int(fields[1], 16) if nr >= 0 and len(fields) > 1 else 0
    except (IndexError, ValueError):
        return UNREADABLE, 0
    return nr, arg0


def classify(nr: int, arg0: int, holds: bool, gil_lo: int, gil_hi: int, futex: int | None) -> int:
    """One thread's state at one sample (a gilscope.records state: IO stands for blocked)."""
    if holds:
        return HOLDING
    if nr == RUNNING or nr < 0:
        return NATIVE
    if nr == futex and gil_lo <= arg0 < gil_hi:
        return WAITING
    return IO


class SyscallFile:
    """One thread's syscall file, opened once; read() is a single pread. Needs the right to read the
    process's memory (we are its parent)."""

    def __init__(self, pid: int, tid: int) -> None:
        self.fd = os.open(f"/proc/{pid}/task/{tid}/syscall", os.O_RDONLY)

    def read(self) -> bytes:
        """The file's text; b"" once the thread has exited."""
        try:
            return os.pread(self.fd, 160, 0)
        except OSError:
            return b""

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
