"""What an observer needs to watch a CPython process that it did not start (`gilscope attach`), learned by a
child of the same executable: the GIL's offset inside `_PyRuntime`, the way from `_PyRuntime` to the main
interpreter's thread states, and the frame layout (observe.stacks).

For one build these offsets are the same in every process, so `python -m gilscope.observe.runtime_layout`,
run with the target's own executable (/proc/<pid>/exe), prints them as one JSON line; the attacher adds the
target's `_PyRuntime` address (observe.elf) and checks everything against the live process before trusting it.
Learned as the GIL locator learns: by looking for known values (this interpreter's own pointers and thread
ids) in its own memory, never from a version table. Stdlib only.
"""

from __future__ import annotations

import ctypes
import json
import os
import struct
import sys
import threading
from typing import Any

_PTR = struct.Struct("<Q")
SCAN = 4096
INTERP_SCAN = 1 << 20  # 3.13's interpreter state keeps its thread list far in


def _read(address: int, size: int) -> bytes:
    """Through /proc/self/mem: a read past a mapping's end comes back short, never crashes."""
    fd = os.open("/proc/self/mem", os.O_RDONLY)
    try:
        out = b""
        while len(out) < size:
            try:
                chunk = os.pread(fd, size - len(out), address + len(out))
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        return out
    finally:
        os.close(fd)


def _words(address: int, size: int) -> list[int]:
    raw = _read(address, size)
    return [_PTR.unpack_from(raw, i)[0] for i in range(0, len(raw) - 7, 8)]


def _offset_of(address: int, size: int, value: int) -> int:
    for i, w in enumerate(_words(address, size)):
        if w == value:
            return i * 8
    return -1


def learn_threads() -> dict[str, Any] | str:
    """Offsets of the main interpreter's thread list: _PyRuntime -> interpreter -> newest thread state ->
    next (older) thread state, and a thread state's native thread id."""
    api = ctypes.pythonapi
    try:
        runtime = ctypes.addressof(ctypes.c_char.in_dll(api, "_PyRuntime"))
    except (ValueError, AttributeError) as exc:
        return f"no _PyRuntime symbol in this interpreter ({exc})"
    api.PyInterpreterState_Get.restype = ctypes.c_void_p
    api.PyThreadState_Get.restype = ctypes.c_void_p
    interp = int(api.PyInterpreterState_Get())
    main_ts = int(api.PyThreadState_Get())
    ready, hold, box = threading.Event(), threading.Event(), {}

    def park() -> None:
        box["ts"] = int(api.PyThreadState_Get())
        box["native"] = threading.get_native_id()
        ready.set()
        hold.wait()

    t = threading.Thread(target=park, name="gilscope-learn", daemon=True)
    t.start()
    ready.wait()
    try:
        if len(threading.enumerate()) != 2:
            return "learning needs an interpreter with no other threads"
        runtime_interp = _offset_of(runtime, SCAN, interp)
        threads_head = _offset_of(interp, INTERP_SCAN, box["ts"])
        ts_next = _offset_of(box["ts"], SCAN, main_ts)
        ts_native = _offset_of(box["ts"], SCAN, box["native"])
        ts_interp = _offset_of(box["ts"], SCAN, interp)
        found = {
            "runtime_interpreters_head": runtime_interp,
            "interp_threads_head": threads_head,
            "tstate_next": ts_next,
            "tstate_native_thread_id": ts_native,
            "tstate_interp": ts_interp,
        }
        if min(found.values()) < 0:
            return f"the thread list's offsets were not all found: {found}"
        # check: walking the list from _PyRuntime finds both threads, newest first, with their native ids
        walked: list[tuple[int, int]] = []
        ts = _words(_words(runtime + runtime_interp, 8)[0] + threads_head, 8)[0]
        while ts and len(walked) < 8:
            walked.append((ts, _words(ts + ts_native, 8)[0]))
            ts = _words(ts + ts_next, 8)[0]
        if walked[:2] != [(box["ts"], box["native"]), (main_ts, threading.main_thread().native_id)]:
            return "walking the learned thread list does not find this interpreter's threads"
        return found
    finally:
        hold.set()
        t.join(1.0)


def learn() -> dict[str, Any]:
    """Everything attach needs, each part with the reason when it is missing."""
    from gilscope.observe.child import gil_block, python_block, stacks_block
    from gilscope.observe.locate import gil_enabled, locate

    out: dict[str, Any] = {"python": python_block(gil_enabled())}
    interval = sys.getswitchinterval()
    out["gil"] = gil_block(locate())
    sys.setswitchinterval(interval)
    out["stacks"] = stacks_block()
    threads = learn_threads()
    out["threads"] = {"reason": threads} if isinstance(threads, str) else {"layout": threads}
    from gilscope.observe.thread_names import names_block

    out["names"] = names_block(out["stacks"])
    out["pid"] = os.getpid()
    try:  # the statics the stack layout names (the code type, None) move with _PyRuntime: same object file
        out["runtime"] = ctypes.addressof(ctypes.c_char.in_dll(ctypes.pythonapi, "_PyRuntime"))
    except (ValueError, AttributeError):
        out["runtime"] = None
    return out


if __name__ == "__main__":
    print(json.dumps(learn()), flush=True)
