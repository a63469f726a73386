"""Reading a thread's Python stack from outside its process, on CPython 3.11 and newer, with no version table.

The layout (where a thread state keeps its current frame, where a frame keeps its code object, its caller and
its instruction pointer, where a code object keeps its names, line table and bytecode) changes between minor
versions and has broken tools that trusted tables on patch releases. So the child learns it from itself before
the program starts (`learn_layout`, measurement.md section 8a): it parks a helper thread in
`threading.Event().wait()`, whose stack then holds still (leaf `Condition.wait`, then `Event.wait`), and looks,
through /proc/self/mem, for the pointer paths that lead from that thread's state to those two code objects. It
then reads the parked thread's stack with the very reader the parent will use (`StackReader`) and compares it
with what `sys._current_frames()` says; only a layout that passes is handed to the parent.

Stdlib only: the learner runs inside the observed interpreter (the experiment's worker, the trace's bootstrap).
The parent uses `StackReader` on any `Memory` (os.pread of /proc/<pid>/mem): it never stops the child; a read
that races with a frame changing is validated and dropped, never guessed.
"""

from __future__ import annotations

import os
import struct
import sys
import threading
from dataclasses import dataclass
from typing import Any, Protocol

MAX_DEPTH = 128  # deeper stacks are cut here, and the cut is said (Stack.truncated)
TRAMPOLINE = "<interpreter trampoline>"  # 3.12+ shim frames between C and Python: not the program's code
_PTR = struct.Struct("<Q")
_I32 = struct.Struct("<i")


class Memory(Protocol):
    def read(self, address: int, size: int) -> bytes: ...


class _SelfMemory:
    """This process's own memory, read as the parent would read it (a bad address raises, never crashes)."""

    def __init__(self) -> None:
        self.fd = os.open("/proc/self/mem", os.O_RDONLY)

    def read(self, address: int, size: int) -> bytes:
        try:
            return os.pread(self.fd, size, address)
        except (OSError, OverflowError, ValueError):
            return b""

    def close(self) -> None:
        os.close(self.fd)


# -- the layout ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Layout:
    """Offsets in bytes, learned by the child. tstate_frame: one offset (3.13+: current_frame) or two (3.11
    and 3.12: cframe, then its current_frame)."""

    tstate_frame: tuple[int, ...]
    frame_code: int
    frame_prev: int
    frame_ip: int
    code_qualname: int
    code_filename: int
    code_linetable: int
    code_firstlineno: int
    code_bytecode: int
    code_type: int  # the address of the code type object in the child (identity check of a cached code)
    none: int  # the address of None: 3.13's entry frames (between C and Python) carry it instead of a code
    str_ascii_data: int
    str_compact_data: int
    bytes_data: int
    call_opcodes: tuple[int, ...]  # opcodes of a call (specialised ones too): a leaf there is in a C call

    def to_json(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Layout:
        fields = dict(d)
        fields["tstate_frame"] = tuple(int(x) for x in fields["tstate_frame"])
        fields["call_opcodes"] = tuple(int(x) for x in fields["call_opcodes"])
        return cls(**{k: fields[k] for k in cls.__dataclass_fields__})


# -- the reader ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Code:
    qualname: str
    filename: str
    firstlineno: int
    linetable: bytes
    qualname_ptr: int  # with the type, what a cached entry is checked against (a freed code's address reused)
    filename_ptr: int


@dataclass(frozen=True)
class Frame:
    function: str
    file: str
    line: int | None
    first_line: int


@dataclass(frozen=True)
class Stack:
    frames: tuple[Frame, ...]  # innermost first
    in_c_call: bool  # the leaf frame is at a call instruction: C code called from that line runs
    truncated: bool  # deeper than MAX_DEPTH


def _ptr(raw: bytes, off: int) -> int:
    return int(_PTR.unpack_from(raw, off)[0]) if len(raw) >= off + 8 else 0


def _varint(table: bytes, i: int) -> tuple[int, int]:
    shift = val = 0
    while True:
        b = table[i]
        i += 1
        val |= (b & 63) << shift
        shift += 6
        if not b & 64:
            return val, i


def line_of(table: bytes, first_line: int, index: int) -> int | None:
    """The line of code unit `index`, from a 3.11+ location table (Objects/locations.md)."""
    line, pos, i = first_line, 0, 0
    n = len(table)
    while i < n:
        head = table[i]
        i += 1
        code, length = (head >> 3) & 15, (head & 7) + 1
        delta: int | None = 0
        if code == 15:  # no location
            delta = None
        elif code == 14:  # long form
            v, i = _varint(table, i)
            delta = -(v >> 1) if v & 1 else v >> 1
            for _ in range(3):
                _v, i = _varint(table, i)
        elif code == 13:  # no column
            v, i = _varint(table, i)
            delta = -(v >> 1) if v & 1 else v >> 1
        elif code >= 10:  # one line, two column bytes
            delta = code - 10
            i += 2
        else:  # short form: same line, one column byte
            i += 1
        if delta is not None:
            line += delta
        if pos <= index < pos + length:
            return None if delta is None else line
        pos += length
    return None


class StackReader:
    """Reads Python stacks out of another process's memory. Code objects are read once and cached by address;
    a cached entry is trusted only while the object at that address is still a code object with the same
    name pointers."""

    def __init__(self, memory: Memory, layout: Layout, max_depth: int = MAX_DEPTH) -> None:
        self.memory, self.layout, self.max_depth = memory, layout, max_depth
        self.codes: dict[int, Code] = {}
        lay = layout
        self.frame_span = max(lay.frame_code, lay.frame_prev, lay.frame_ip) + 8
        self.code_span = max(lay.code_qualname, lay.code_filename, lay.code_linetable, lay.code_firstlineno) + 8
        self.lines: dict[tuple[int, int, int], int | None] = {}  # (code, its name pointer, unit) -> line
        self.reads = 0
        self.dropped = 0  # reads that raced with a changing frame (or a thread that ended) and were dropped

    def _read(self, address: int, size: int) -> bytes:
        self.reads += 1
        try:
            return self.memory.read(address, size)
        except (OSError, OverflowError, ValueError):
            return b""

    def _string(self, address: int) -> str | None:
        lay = self.layout
        head = self._read(address, 40)
        if len(head) < 40:
            return None
        length = _ptr(head, 16)
        state = _I32.unpack_from(head, 32)[0]
        kind, ascii_ = (state >> 2) & 7, (state >> 6) & 1
        if not 0 <= length <= 4096 or kind not in (1, 2, 4):
            return None
        data = self._read(address + (lay.str_ascii_data if ascii_ else lay.str_compact_data), length * kind)
        if len(data) < length * kind:
            return None
        codec = {1: "latin-1", 2: "utf-16-le", 4: "utf-32-le"}[kind]
        return data.decode(codec, errors="replace")

    def _bytes(self, address: int) -> bytes | None:
        head = self._read(address, 24)
        length = _ptr(head, 16)
        if len(head) < 24 or not 0 <= length <= 1 << 20:
            return None
        data = self._read(address + self.layout.bytes_data, length)
        return data if len(data) == length else None

    def code(self, address: int) -> Code | None:
        lay = self.layout
        raw = self._read(address, self.code_span)
        if len(raw) < self.code_span or _ptr(raw, 8) != lay.code_type:
            return None
        qual_p, file_p = _ptr(raw, lay.code_qualname), _ptr(raw, lay.code_filename)
        known = self.codes.get(address)
        if known is not None and (known.qualname_ptr, known.filename_ptr) == (qual_p, file_p):
            return known
        qualname, filename = self._string(qual_p), self._string(file_p)
        table = self._bytes(_ptr(raw, lay.code_linetable))
        if qualname is None or filename is None or table is None:
            return None
        first = _I32.unpack_from(raw, lay.code_firstlineno)[0]
        code = Code(qualname, filename, first, table, qual_p, file_p)
        self.codes[address] = code
        if len(self.codes) > 50_000:  # a program that makes code without end: start again
            self.codes.clear()
        return code

    def top_frame(self, tstate: int) -> int:
        addr = tstate
        for off in self.layout.tstate_frame:
            raw = self._read(addr + off, 8)
            addr = _ptr(raw, 0)
            if not addr:
                return 0
        return addr

    def read(self, tstate: int) -> Stack | None:
        """The stack of the thread whose state is at tstate, innermost first; None when it cannot be read
        consistently right now (the thread ended, or a frame changed under the read)."""
        lay = self.layout
        frame = self.top_frame(tstate)
        frames: list[Frame] = []
        in_call = False
        seen: set[int] = set()
        truncated = False
        while frame:
            if len(frames) >= self.max_depth:
                truncated = True
                break
            if frame in seen:  # a cycle: the chain changed under us
                self.dropped += 1
                return None
            seen.add(frame)
            raw = self._read(frame, self.frame_span)
            if len(raw) < self.frame_span:
                self.dropped += 1
                return None
            code_addr = _ptr(raw, lay.frame_code) & ~7  # 3.14 tags the reference's low bits
            if code_addr == lay.none:  # an entry frame: not the program's code
                frame = _ptr(raw, lay.frame_prev)
                continue
            code = self.code(code_addr) if code_addr else None
            if code is None:
                if not frames and code_addr == 0:
                    break
                self.dropped += 1
                return None
            if code.qualname != TRAMPOLINE:
                ip = _ptr(raw, lay.frame_ip)
                index = (ip - code_addr - lay.code_bytecode) // 2
                key = (code_addr, code.qualname_ptr, index)
                if key in self.lines:
                    line = self.lines[key]
                else:
                    line = line_of(code.linetable, code.firstlineno, index) if index >= 0 else None
                    if len(self.lines) > 200_000:
                        self.lines.clear()
                    self.lines[key] = line
                if not frames and ip and lay.call_opcodes:
                    op = self._read(ip, 1)
                    in_call = bool(op) and op[0] in lay.call_opcodes
                frames.append(Frame(code.qualname, code.filename, line, code.firstlineno))
            frame = _ptr(raw, lay.frame_prev)
        return Stack(tuple(frames), in_call, truncated)


# -- learning the layout, in the child ----------------------------------------------------------------------
def _call_opcodes() -> tuple[int, ...]:
    """The opcodes (specialised forms too) at which a frame calls out; those that push a Python frame are left
    out, so a leaf frame at one of these runs C code called from its line."""
    import dis
    import opcode

    names: dict[str, int] = dict(getattr(dis, "_all_opmap", None) or dis.opmap)
    names.update(getattr(opcode, "_specialized_opmap", None) or {})
    pushes_a_frame = ("CALL_PY_", "CALL_BOUND_METHOD_", "CALL_ALLOC_AND_ENTER_INIT", "PRECALL_PYFUNC")
    return tuple(
        sorted(
            op
            for name, op in names.items()
            if "CALL" in name and "INTRINSIC" not in name and not name.startswith(pushes_a_frame)
        )
    )


def _park() -> tuple[threading.Thread, threading.Event, int, int]:
    """A helper thread held in Event.wait(); its thread state address and ident."""
    from gilscope.observe.locate import this_thread_state

    ready, hold = threading.Event(), threading.Event()
    box: dict[str, int] = {}

    def park() -> None:
        box["ts"] = this_thread_state()
        ready.set()
        hold.wait()

    t = threading.Thread(target=park, name="gilscope-layout", daemon=True)
    t.start()
    ready.wait()
    wait_code = threading.Condition.wait.__code__
    for _ in range(2000):  # until it is inside Condition.wait
        f = sys._current_frames().get(t.ident or 0)
        if f is not None and f.f_code is wait_code:
            break
        threading.Event().wait(0.001)
    return t, hold, box["ts"], t.ident or 0


def _find_frame_path(mem: _SelfMemory, ts: int, leaf: int, caller: int) -> tuple[tuple[int, ...], int, int] | None:
    def ptr(a: int) -> int:
        return _ptr(mem.read(a, 8), 0)

    def match(frame: int) -> tuple[int, int] | None:
        raw = mem.read(frame, 96)
        if len(raw) < 96:
            return None
        for code_off in range(0, 88, 8):
            if _ptr(raw, code_off) & ~7 != leaf:
                continue
            for prev_off in range(0, 88, 8):
                prev = _ptr(raw, prev_off)
                if prev and prev != frame and ptr(prev + code_off) & ~7 == caller:
                    return code_off, prev_off
        return None

    for a in range(0, 320, 8):
        p = ptr(ts + a)
        if not p:
            continue
        found = match(p)
        if found:
            return (a,), *found
        for b in range(0, 48, 8):
            q = ptr(p + b)
            if q:
                found = match(q)
                if found:
                    return (a, b), *found
    return None


def _offset_of_ptr(raw: bytes, value: int) -> int:
    for off in range(0, len(raw) - 7, 8):
        if _ptr(raw, off) == value:
            return off
    return -1


def learn_layout() -> Layout | str:
    """This interpreter's layout, checked against its own frames; or why there is none."""
    if sys.hexversion < 0x030B0000:
        return f"Python {sys.version.split()[0]}: stacks are read on CPython 3.11 and newer"
    if sys.implementation.name != "cpython":
        return f"{sys.implementation.name} is not CPython"
    try:
        mem = _SelfMemory()
    except OSError as exc:
        return f"cannot read /proc/self/mem: {exc.strerror}"
    hold: threading.Event | None = None
    t: threading.Thread | None = None
    try:
        t, hold, ts, ident = _park()
        leaf, caller = threading.Condition.wait.__code__, threading.Event.wait.__code__
        path = _find_frame_path(mem, ts, id(leaf), id(caller))
        if path is None:
            return "no path from a thread state to its current frame was found"
        tstate_frame, frame_code, frame_prev = path
        frame = ts
        for off in tstate_frame:
            frame = _ptr(mem.read(frame + off, 8), 0)
        raw_code = mem.read(id(leaf), 512)
        offs = {
            name: _offset_of_ptr(raw_code, id(getattr(leaf, name)))
            for name in ("co_qualname", "co_filename", "co_linetable")
        }
        if min(offs.values()) < 0:
            return f"a code object's fields were not found: {offs}"
        first = [
            off
            for off in range(0, 256, 4)
            if all(
                _I32.unpack_from(mem.read(id(c), 260), off)[0] == c.co_firstlineno
                for c in (leaf, caller, learn_layout.__code__)
            )
        ]
        adaptive = bytes(getattr(leaf, "_co_code_adaptive", leaf.co_code))
        bc = raw_code.find(adaptive[: min(16, len(adaptive))])
        if not first or bc < 0:
            return "a code object's first line or bytecode was not found"
        raw_frame = mem.read(frame, 96)
        lo, hi = id(leaf) + bc, id(leaf) + bc + len(adaptive)
        ips = [off for off in range(0, 88, 8) if lo <= _ptr(raw_frame, off) < hi]
        if not ips:
            return "a frame's instruction pointer was not found"
        layout = Layout(
            tstate_frame=tstate_frame,
            frame_code=frame_code,
            frame_prev=frame_prev,
            frame_ip=ips[0],
            code_qualname=offs["co_qualname"],
            code_filename=offs["co_filename"],
            code_linetable=offs["co_linetable"],
            code_firstlineno=first[0],
            code_bytecode=bc,
            code_type=id(type(leaf)),
            none=id(None),
            str_ascii_data=sys.getsizeof("") - 1,
            str_compact_data=sys.getsizeof("\xe9" * 3) - 4,  # a fresh string: no cached UTF-8 copy counted
            bytes_data=sys.getsizeof(b"") - 1,
            call_opcodes=_call_opcodes(),
        )
        why = _verify(mem, layout, ts, ident)
        return why or layout
    finally:
        if hold is not None:
            hold.set()
        if t is not None:
            t.join(1.0)  # gone before the program starts: it never sees our thread
        mem.close()


def _verify(mem: _SelfMemory, layout: Layout, ts: int, ident: int) -> str:
    """Reads the parked thread's stack as the parent will and compares it with sys._current_frames()."""
    got = StackReader(mem, layout).read(ts)
    f = sys._current_frames().get(ident)
    want = []
    while f is not None:
        want.append((f.f_code.co_qualname, f.f_code.co_filename, f.f_lineno))
        f = f.f_back
    if got is None:
        return "the layout found does not read this interpreter's own stack"
    seen = [(fr.function, fr.file, fr.line) for fr in got.frames]
    if seen != want:
        return f"the layout found reads {seen[:3]} where the interpreter says {want[:3]}"
    for text in ("\xe9t\xe9", "\u0100x", "\U00010000y"):
        code = compile("pass", text, "exec")
        if StackReader(mem, layout)._string(id(code.co_filename)) != text:
            return "non-ASCII names do not read back"
    return ""
