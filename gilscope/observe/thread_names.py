"""A Python thread's name (`threading.Thread.name`), read from outside its process on CPython 3.11 to 3.13.

CPython 3.14 gives each thread's name to the kernel (/proc/<pid>/task/<tid>/comm); before it the name lives only
in the Thread object, as the attribute `_name`. An attacher finds that object where every thread started by
`threading` keeps it: the `self` of its `Thread._bootstrap_inner` frame. From there the way to the attribute
(the object's values, the type's shared keys, the entries of those keys) differs between minor versions. As
for stacks (observe.stacks), no version table: the child of the program's executable learns the way from its
own Thread objects, then reads them back through the very reader the parent uses, an instance of a subclass
with attributes of its own among them; only a way that passes is handed over.

Every read is checked (the object's type is a class whose keys hold "_name", the value is a str); a thread whose
name cannot be read so is named as before (by the function it runs), never by a guess.
Stdlib only: the learner runs inside the observed program's interpreter.
"""

from __future__ import annotations

import struct
import sys
import threading
from dataclasses import dataclass
from typing import Any

from gilscope.observe.stacks import Layout, Memory, StackReader

_PTR = struct.Struct("<Q")
PROBE = "gilscope-probe-\u00e9"  # a name no program gives (and not ASCII: its characters are read back too)
ENTRY = 16  # a shared-keys entry: the key, then a value slot (checked by the learner)
MAX_ATTRS = 256  # entries looked through for "_name"
TYPE_SCAN = 2048
OBJECT_SCAN = 1024


@dataclass(frozen=True)
class NameLayout:
    """Offsets in bytes, learned by the child. values_at: where an object's values are: "inline" (3.13: after
    the object, at its type's basic size) or "pointer" (3.11, 3.12: a pointer at a negative offset, plus
    `pointer_adjust`, which 3.12's tagged pointer needs)."""

    frame_self: int  # Thread._bootstrap_inner's frame: its `self`
    type_basicsize: int  # a type object's tp_basicsize
    type_keys: int  # a heap type's shared keys (ht_cached_keys)
    keys_log2_index: int  # byte in a keys object: log2 of its index table's bytes
    keys_header: int  # bytes before a keys object's index table
    values_at: str
    values_offset: int  # inline: bytes past the basic size to the first value; pointer: the pointer's offset
    pointer_adjust: int
    str_type: int  # the address of the str type in the child (moved to the program's like the stack layout's)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> NameLayout:
        return cls(**{k: d[k] for k in cls.__dataclass_fields__})


def _ptr(raw: bytes, off: int) -> int:
    return int(_PTR.unpack_from(raw, off)[0]) if 0 <= off <= len(raw) - 8 else 0


class NameReader:
    """Reads thread names out of another process. A class's index of "_name" is looked up once per keys
    object; anything unexpected gives None."""

    def __init__(self, stacks: StackReader, layout: NameLayout, bootstrap_inner: str = "Thread._bootstrap_inner"):
        self.stacks, self.layout, self.bootstrap_inner = stacks, layout, bootstrap_inner
        self.index: dict[tuple[int, int], int | None] = {}  # (type, keys) -> index of "_name"

    def _read(self, address: int, size: int) -> bytes:
        return self.stacks._read(address, size)

    def thread_object(self, tstate: int) -> int:
        """The Thread object of the thread whose state is at tstate: its _bootstrap_inner frame's self; 0 if
        it has none (the main thread, a thread not started by `threading`)."""
        lay = self.stacks.layout
        frame, seen = self.stacks.top_frame(tstate), 0
        while frame and seen < 4 * self.stacks.max_depth:
            seen += 1
            raw = self._read(frame, self.stacks.frame_span)
            if len(raw) < self.stacks.frame_span:
                return 0
            code_addr = _ptr(raw, lay.frame_code) & ~7
            code = self.stacks.code(code_addr) if code_addr and code_addr != lay.none else None
            if code is not None and code.qualname == self.bootstrap_inner:
                return _ptr(self._read(frame + self.layout.frame_self, 8), 0)
            frame = _ptr(raw, lay.frame_prev)
        return 0

    def _name_index(self, type_addr: int) -> int | None:
        lay = self.layout
        keys = _ptr(self._read(type_addr + lay.type_keys, 8), 0)
        if not keys:
            return None
        if (type_addr, keys) in self.index:
            return self.index[(type_addr, keys)]
        head = self._read(keys, lay.keys_header)
        found: int | None = None
        if len(head) == lay.keys_header and head[lay.keys_log2_index] < 32:
            entries = keys + lay.keys_header + (1 << head[lay.keys_log2_index])
            raw = self._read(entries, ENTRY * MAX_ATTRS)
            for k in range(len(raw) // ENTRY):
                key = _ptr(raw, k * ENTRY)
                if not key or _ptr(self._read(key, 16), 8) != lay.str_type:
                    break
                if self.stacks._string(key) == "_name":
                    found = k
                    break
        if len(self.index) > 4096:
            self.index.clear()
        self.index[(type_addr, keys)] = found
        return found

    def _values(self, obj: int, type_addr: int) -> int:
        lay = self.layout
        if lay.values_at == "inline":
            return obj + _ptr(self._read(type_addr + lay.type_basicsize, 8), 0) + lay.values_offset
        word = _ptr(self._read(obj + lay.values_offset, 8), 0)
        values = word + lay.pointer_adjust
        return values if word and values % 8 == 0 else 0  # else a dict of its own (no shared values): not read

    def name_of(self, obj: int) -> str | None:
        """The `_name` of the Thread object at obj, or None."""
        if not obj:
            return None
        type_addr = _ptr(self._read(obj + 8, 8), 0)
        if not type_addr:
            return None
        k = self._name_index(type_addr)
        values = self._values(obj, type_addr) if k is not None else 0
        if not values or k is None:
            return None
        name = _ptr(self._read(values + 8 * k, 8), 0)
        if not name or _ptr(self._read(name, 16), 8) != self.layout.str_type:
            return None
        return self.stacks._string(name)

    def read(self, tstate: int) -> str | None:
        return self.name_of(self.thread_object(tstate))


# -- learning the layout, in the child ----------------------------------------------------------------------
class _Named(threading.Thread):
    """A subclass that sets attributes of its own before Thread's: its "_name" sits elsewhere in its keys."""

    def __init__(self, name: str, target: Any) -> None:
        self.first, self.second, self.third = "a", "b", "c"
        super().__init__(target=target, name=name, daemon=True)


_hold = threading.Event()


def _words(mem: Memory, address: int, size: int) -> list[int]:
    raw = mem.read(address, size)
    return [_ptr(raw, i) for i in range(0, len(raw) - 7, 8)]


def _word(mem: Memory, address: int) -> int:
    """The word at address, or 0 where nothing can be read."""
    return _ptr(mem.read(address, 8), 0) if address > 0 else 0


def _offsets(mem: Memory, address: int, size: int, value: int) -> list[int]:
    return [i * 8 for i, w in enumerate(_words(mem, address, size)) if w == value]


def learn_names(mem: Memory, layout: Layout) -> NameLayout | str:
    """This interpreter's way to a Thread's name, checked on its own threads; or why there is none."""
    from gilscope.observe.locate import this_thread_state

    if not 0x030B0000 <= sys.hexversion < 0x030E0000:
        return f"Python {sys.version.split()[0]}: names are read from the kernel (3.14+) or not at all"
    states: dict[str, int] = {}
    ready = threading.Event()

    def park() -> None:
        states[threading.current_thread().name] = this_thread_state()
        if len(states) == 2:
            ready.set()
        _hold.wait()

    plain = threading.Thread(target=park, name=PROBE, daemon=True)
    sub = _Named(PROBE + "-sub", park)
    _hold.clear()
    plain.start()
    sub.start()
    try:
        if not ready.wait(5.0):
            return "the learner's threads did not start"
        for _ in range(2000):  # until both are inside Event.wait, below _bootstrap_inner
            frames = sys._current_frames()
            if all(
                (f := frames.get(t.ident or 0)) is not None and f.f_code is threading.Condition.wait.__code__
                for t in (plain, sub)
            ):
                break
            threading.Event().wait(0.001)
        return _learn(mem, layout, plain, states[PROBE], sub, states[PROBE + "-sub"])
    finally:
        _hold.set()
        plain.join(1.0)
        sub.join(1.0)


def _learn(
    mem: Memory, layout: Layout, plain: threading.Thread, plain_ts: int, sub: threading.Thread, sub_ts: int
) -> NameLayout | str:
    reader = StackReader(mem, layout)
    frame = 0
    # the frame of _bootstrap_inner, and where it keeps self
    f = reader.top_frame(plain_ts)
    target = id(threading.Thread._bootstrap_inner.__code__)  # type: ignore[attr-defined]
    while f:
        raw = mem.read(f, reader.frame_span)
        if _ptr(raw, layout.frame_code) & ~7 == target:
            frame = f
            break
        f = _ptr(raw, layout.frame_prev)
    if not frame:
        return "Thread._bootstrap_inner's frame was not found"
    selfs = _offsets(mem, frame, 512, id(plain))
    if not selfs:
        return "where a frame keeps its arguments was not found"
    # a type's basic size: the one offset where several types keep theirs
    basics = [
        off
        for off in range(0, 256, 8)
        if all(_word(mem, id(tp) + off) == tp.__basicsize__ for tp in (object, int, tuple, dict, type(plain)))
    ]
    # a heap type's shared keys: a pointer to the attributes' names, in their order, ENTRY bytes apart
    attrs = [id(sys.intern(a)) for a in vars(threading.Thread(name="x"))]  # a third Thread's dict, made here
    keys_offs = [
        off
        for off, p in enumerate(_words(mem, id(threading.Thread), TYPE_SCAN))
        if p and p % 8 == 0 and _in_order(_words(mem, p, 1024), attrs)
    ]
    if not basics or not keys_offs:
        return f"a type's basic size {basics} or shared keys {keys_offs} were not found"
    # of the pointers that lead to those names, the one that does so in every class: the type's shared keys
    type_basicsize, type_keys = basics[0], -1
    header: tuple[int, int] | str = "no shared keys"
    for off in keys_offs:
        header = _keys_header(mem, off * 8)
        if not isinstance(header, str):
            type_keys = off * 8
            break
    if isinstance(header, str):
        return header
    log2_byte, header_bytes = header
    k = attrs.index(id(sys.intern("_name")))
    name_addr = id(plain._name)  # type: ignore[attr-defined]
    ways = [
        ("inline", o - type(plain).__basicsize__ - 8 * k, 0) for o in _offsets(mem, id(plain), OBJECT_SCAN, name_addr)
    ]
    for back in range(8, 48, 8):
        word = _word(mem, id(plain) - back)
        for adjust in (0, 1):
            if word and (word + adjust) % 8 == 0 and _word(mem, word + adjust + 8 * k) == name_addr:
                ways.append(("pointer", -back, adjust))
    for at, offset, adjust in ways:
        found = NameLayout(
            frame_self=selfs[0],
            type_basicsize=type_basicsize,
            type_keys=type_keys,
            keys_log2_index=log2_byte,
            keys_header=header_bytes,
            values_at=at,
            values_offset=offset,
            pointer_adjust=adjust,
            str_type=id(str),
        )
        names = NameReader(reader, found)
        if names.read(plain_ts) == plain.name and names.read(sub_ts) == sub.name:
            return found
    return f"no way to a thread's name reads this interpreter's own threads back (tried {len(ways)})"


def _in_order(words: list[int], wanted: list[int]) -> bool:
    """The wanted values appear in words, in order, ENTRY bytes apart."""
    step = ENTRY // 8
    return any(words[i : i + step * len(wanted) : step] == wanted for i, w in enumerate(words) if w == wanted[0])


def _keys_header(mem: Memory, type_keys: int) -> tuple[int, int] | str:
    """Which byte of a keys object holds log2 of its index table's size in bytes, and how long its header is:
    the answer that places the entries of two classes with different numbers of attributes."""

    class Few:
        def __init__(self) -> None:
            self.a1 = self.a2 = 1

    class Many:
        def __init__(self) -> None:
            for i in range(20):  # within the most attributes keys are shared for (30)
                setattr(self, f"attr{i:02d}", i)

    fits: list[set[tuple[int, int]]] = []
    for cls in (Few, Many, threading.Thread):
        obj = cls() if cls is not threading.Thread else threading.Thread(name="y")
        attrs = list(vars(obj))
        keys = _word(mem, id(cls) + type_keys)
        if not keys:
            return f"{cls.__name__} has no shared keys"
        raw = mem.read(keys, 64)
        first = _offsets(mem, keys, 8192, id(sys.intern(attrs[0])))
        if not first:
            return f"the first key of {cls.__name__} was not found in its keys"
        e0 = first[0]
        if any(_word(mem, keys + e0 + ENTRY * j) != id(sys.intern(a)) for j, a in enumerate(attrs)):
            return f"the keys of {cls.__name__} are not {ENTRY} bytes apart"
        fits.append({(b, e0 - (1 << raw[b])) for b in range(8, 16) if raw[b] < 16 and 16 <= e0 - (1 << raw[b]) <= 64})
    both = set.intersection(*fits)
    # shared keys have as many index bytes as slots: their size's byte fits as well as the index bytes' one
    if len({header for _b, header in both}) != 1:
        return f"a keys object's header was not told apart: {sorted(both)}"
    return min(both)


def names_block(stacks: dict[str, Any]) -> dict[str, Any]:
    """What attach is told of names: the learned layout, or why there is none (learning never stops the child)."""
    if "layout" not in stacks:
        return {"reason": "no stack layout"}
    try:
        from gilscope.observe.stacks import _SelfMemory

        mem = _SelfMemory()
        try:
            found = learn_names(mem, Layout.from_json(stacks["layout"]))
        finally:
            mem.close()
    except Exception as exc:
        return {"reason": f"learning where a thread keeps its name failed: {exc!r}"}
    return {"reason": found} if isinstance(found, str) else {"layout": found.to_json()}
