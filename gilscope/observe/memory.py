"""The only door into another process's memory: read(addr, n). A fake stands in for it in tests."""

from __future__ import annotations

import os
from typing import Protocol


class Memory(Protocol):
    def read(self, address: int, size: int) -> bytes: ...
    def close(self) -> None: ...


class ProcMemory:
    """Reads a live process through /proc/<pid>/mem with pread: no ptrace stop, no shared lock."""

    def __init__(self, pid: int) -> None:
        self.fd = os.open(f"/proc/{pid}/mem", os.O_RDONLY)

    def read(self, address: int, size: int) -> bytes:
        return os.pread(self.fd, size, address)  # b"" once the process has exited

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def open_memory(pid: int) -> tuple[Memory | None, str]:
    """A reader for pid's memory, or None and why not (e.g. Yama ptrace_scope=2, not Linux)."""
    try:
        mem = ProcMemory(pid)
    except OSError as exc:
        return None, f"cannot open /proc/{pid}/mem: {exc.strerror}"
    return mem, ""
