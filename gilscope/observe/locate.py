"""Finds this interpreter's GIL state by planting sentinel switch intervals (README: "How it measures").

CPython's `struct _gil_runtime_state` begins with: interval (unsigned long, microseconds), last_holder
(PyThreadState*), locked (int, padded to 8), switch_number (unsigned long). Nothing exports its address, so
we set the interval to two unusual values and scan `_PyRuntime` for the one word that follows both.
Runs inside the worker; stdlib only.
"""

from __future__ import annotations

import ctypes
import sys
from dataclasses import dataclass

SENTINELS = (0.004321, 0.001234)
FIELD_INTERVAL, FIELD_LAST_HOLDER, FIELD_LOCKED, FIELD_SWITCH_NUMBER = 0, 8, 16, 24
STATE_BYTES = 32
_MAX_SCAN = 4 << 20


@dataclass(frozen=True)
class GilLocation:
    address: int  # of the interval field; the other fields follow at the offsets above
    runtime_offset: int
    scanned_bytes: int


def gil_enabled() -> bool:
    check = getattr(sys, "_is_gil_enabled", None)
    return True if check is None else bool(check())


def this_thread_state() -> int:
    get = ctypes.pythonapi.PyThreadState_Get
    get.restype = ctypes.c_void_p
    return int(get() or 0)


def _readable_span(address: int) -> int:
    """Bytes readable from address on: its mapping and the contiguous ones after it that belong to the same
    object (its .bss), never the heap, whose end moves."""
    spans = []
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split()
            lo, hi = (int(x, 16) for x in fields[0].split("-"))
            name = fields[5] if len(fields) > 5 else ""
            spans.append((lo, hi, fields[1].startswith("r"), name))
    end, owner = None, ""
    for lo, hi, readable, name in spans:
        if end is None and lo <= address < hi and readable:
            end, owner = hi, name
        elif end is not None and lo == end and readable and name in ("", owner):
            end = hi
        elif end is not None:
            break
    return 0 if end is None else min(end - address, _MAX_SCAN)


def _matches(base: int, size: int, value: int) -> set[int]:
    words = memoryview(ctypes.string_at(base, size)).cast("B")[: size // 8 * 8].cast("L")
    return {i * 8 for i, w in enumerate(words) if w == value}


def locate() -> GilLocation | str:
    """The GIL's address, or the reason it could not be found. Leaves the switch interval at a sentinel."""
    if not gil_enabled():
        return "free-threaded build: this interpreter runs without a GIL"
    if not sys.platform.startswith("linux"):
        return f"the GIL locator reads /proc/self/maps, which {sys.platform} does not have"
    try:
        base = ctypes.addressof(ctypes.c_char.in_dll(ctypes.pythonapi, "_PyRuntime"))
    except (ValueError, AttributeError) as exc:
        return f"no _PyRuntime symbol in this interpreter ({exc})"
    size = _readable_span(base)
    if size < STATE_BYTES:
        return "_PyRuntime is not in a readable mapping"
    found: set[int] | None = None
    for sentinel in SENTINELS:
        sys.setswitchinterval(sentinel)
        hits = _matches(base, size, round(sentinel * 1e6))
        found = hits if found is None else found & hits
    if not found or len(found) != 1:
        return f"sentinel scan of {size} bytes found {len(found or ())} candidates, not exactly one"
    offset = found.pop()
    address = base + offset
    words = (ctypes.c_ulong * 4).from_address(address)
    # We hold the GIL right now: a true find says locked and names us as the last holder.
    if words[2] & 0xFFFFFFFF != 1 or words[1] != this_thread_state():
        return "sentinel matched, but the words after it do not look like a held GIL"
    return GilLocation(address, offset, size)
