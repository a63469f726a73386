"""CPython 3.13 and newer publish their layout in `_Py_DebugOffsets`, the first field of `_PyRuntime` (cookie
"xdebugpy"). gilscope learns its layout itself (observe.stacks, observe.runtime_layout) and uses this table as
a second opinion: a layout that disagrees with the interpreter's own description is not trusted."""

from __future__ import annotations

import struct
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

COOKIE = b"xdebugpy"
WORDS = 128


class Memory(Protocol):
    def read(self, address: int, size: int) -> bytes: ...


def _has_run(words: Sequence[int], run: Sequence[int]) -> bool:
    n = len(run)
    return any(list(words[i : i + n]) == list(run) for i in range(len(words) - n + 1))


def cross_check(memory: Memory, runtime: int, stacks: Mapping[str, Any], threads: Mapping[str, int]) -> str:
    """ "" when the learned offsets agree with _Py_DebugOffsets (or there is none: before 3.13); else why not.
    Checked runs of the table: a frame's previous, code and instruction pointer; a thread state's next,
    interpreter and current frame; the main interpreter's and its thread list's places."""
    raw = memory.read(runtime, 8 * WORDS)
    if len(raw) < 8 * WORDS or raw[:8] != COOKIE:
        return ""
    words = struct.unpack(f"<{WORDS}Q", raw)
    wanted = [
        ("the frame layout", (stacks["frame_prev"], stacks["frame_code"], stacks["frame_ip"])),
        ("the thread state's links", (threads["tstate_next"], threads["tstate_interp"], stacks["tstate_frame"][-1])),
        ("the code object's names", (stacks["code_filename"],)),
        ("the interpreter list", (threads["runtime_interpreters_head"],)),
        ("the thread list", (threads["interp_threads_head"],)),
    ]
    for what, run in wanted:
        if not _has_run(words, run):
            return f"_Py_DebugOffsets disagrees with the learned layout ({what})"
    return ""
