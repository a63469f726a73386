"""The GIL holder's Python stack, sampled beside the GIL's words at a lower rate, for both pipelines.

The GIL words are read every sample period; a stack costs about ten reads more, so it is taken at most
`rate_hz` times a second and only while the GIL is held. Every attempt counts, held or not, so that each stack
stands for the same slice of observed time (observed time / attempts) and held seconds stay unbiased.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from gilscope.observe.memory import Memory
from gilscope.observe.stacks import Layout, StackReader

DEFAULT_RATE_HZ = 100.0


def default_rate_hz() -> float:
    """GILSCOPE_STACK_RATE_HZ (0 turns stacks off), else DEFAULT_RATE_HZ."""
    try:
        return float(os.environ.get("GILSCOPE_STACK_RATE_HZ", DEFAULT_RATE_HZ))
    except ValueError:
        return DEFAULT_RATE_HZ


FrameKey = tuple[str, str, int | None]
RawStack = tuple[int, int, tuple[FrameKey, ...], bool]  # t_ns, holder's thread state, frames outermost first, in C


class HolderStacks:
    def __init__(self, reader: StackReader | None, detail: str, rate_hz: float = DEFAULT_RATE_HZ) -> None:
        self.reader, self.detail = reader, detail
        self.every_ns = int(1e9 / rate_hz) if rate_hz > 0 else 0
        self.next_ns = 0
        self.attempts = 0
        self.samples: list[RawStack] = []

    @classmethod
    def open(cls, memory: Memory | None, hello: Mapping[str, Any], rate_hz: float | None = None) -> HolderStacks:
        """From the child's hello `stacks` block: a reader, or none and the reason the run will say."""
        rate_hz = default_rate_hz() if rate_hz is None else rate_hz
        block = hello.get("stacks")
        if memory is None:
            return cls(None, "no memory reader")
        if not isinstance(block, Mapping):
            return cls(None, "the child did not say how its frames are laid out")
        if "layout" not in block:
            return cls(None, str(block.get("reason") or "no layout"))
        if rate_hz <= 0:
            return cls(None, "stack sampling turned off (GILSCOPE_STACK_RATE_HZ=0)")
        try:
            layout = Layout.from_json(dict(block["layout"]))
        except (KeyError, TypeError, ValueError) as exc:
            return cls(None, f"the child's layout cannot be read: {exc!r}")
        return cls(StackReader(memory, layout), "", rate_hz)

    def maybe_sample(self, t_ns: int, holder: int, locked: int) -> None:
        """After a GIL sample: the holder's stack, when one is due."""
        if self.reader is None or t_ns < self.next_ns:
            return
        self.next_ns = t_ns + self.every_ns
        self.attempts += 1
        if not (locked and holder):
            return
        stack = self.reader.read(holder)
        if stack is None or not stack.frames:
            return
        frames = tuple((f.function, f.file, f.line) for f in reversed(stack.frames))
        self.samples.append((t_ns, holder, frames, stack.in_c_call))

    def finished(self, code_dir: str, package: str, hide: tuple[str, ...] = (), start: int = 0) -> list[RawStack]:
        """The samples with files in the child's code folder (a temporary symlink to the package) named by the
        package's real place, and frames at and above the last one in a module of `hide` (gilscope's own
        bootstrap: the program never called it) dropped. From sample `start` on (a live feed takes the new ones)."""
        prefix = code_dir.rstrip("/") + "/gilscope/"
        real = package.rstrip("/") + "/"
        hidden = tuple("/gilscope/" + h for h in hide)  # wherever the child imported gilscope from
        out: list[RawStack] = []
        for t, ts, frames, in_c in self.samples[start:]:
            cut = 0
            for i, (_fn, file, _line) in enumerate(frames):
                if file.endswith(hidden):
                    cut = i + 1
            kept = tuple(
                (fn, real + file[len(prefix) :] if file.startswith(prefix) else file, line)
                for fn, file, line in frames[cut:]
            )
            if kept:
                out.append((t, ts, kept, in_c))
        return out

    def sample_s(self, observed_s: float) -> float:
        """The observed time each stack stands for."""
        return observed_s / self.attempts if self.attempts else 0.0

    def report(self, observed_s: float) -> dict[str, Any]:
        """The summary's `stacks` block."""
        ok = self.reader is not None
        return {
            "ok": ok,
            "detail": self.detail,
            "rate_hz": round(self.attempts / observed_s, 1) if ok and observed_s > 0 else None,
            "samples": len(self.samples),
            "dropped": self.reader.dropped if self.reader is not None else 0,
        }
