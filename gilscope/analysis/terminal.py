"""A trace's (or a run's) threads and holders as lines for a terminal: sorted by what they cost in GIL
seconds, short-lived threads of one name pattern folded into one row, and where the GIL was held."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from gilscope.records import TRACE_STATE_NAMES
from gilscope.schema import Summary, ThreadSummary

FOLD_AT = 5  # this many threads of one name pattern fold into one row
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Row:
    name: str
    count: int
    life_s: float
    cpu_s: float
    held_s: float
    waited_s: float
    states: dict[str, float]  # shares of the rows' summed life

    @property
    def gil_s(self) -> float:
        return self.held_s + self.waited_s


def pattern(name: str) -> str:
    return _DIGITS.sub("N", name)


def _row(name: str, threads: Sequence[ThreadSummary]) -> Row:
    life = sum(float(t.get("life_s") or 0.0) for t in threads)
    shares: dict[str, float] = dict.fromkeys(TRACE_STATE_NAMES, 0.0)
    for t in threads:
        st = cast(Mapping[str, float], t.get("states") or {})
        w = float(t.get("life_s") or 0.0)
        for k in TRACE_STATE_NAMES:
            shares[k] += float(st.get(k, 0.0)) * w
    if life > 0:
        shares = {k: v / life for k, v in shares.items()}
    return Row(
        name,
        len(threads),
        life,
        sum(t["cpu_s"] for t in threads),
        shares["holding"] * life,
        sum(t["gil_wait_s"] for t in threads),
        shares,
    )


def thread_rows(threads: Sequence[ThreadSummary]) -> list[Row]:
    """One row a thread, or one a name pattern with FOLD_AT threads or more; heaviest GIL seconds first."""
    groups: dict[str, list[ThreadSummary]] = {}
    for t in threads:
        if t.get("states"):
            groups.setdefault(pattern(t["name"]), []).append(t)
    rows: list[Row] = []
    for pat, members in groups.items():
        if len(members) >= FOLD_AT:
            rows.append(_row(pat, members))
        else:
            rows += [_row(t["name"], [t]) for t in members]
    rows.sort(key=lambda r: (-r.gil_s, -r.cpu_s, r.name))
    return rows


def most_waiting(threads: Sequence[ThreadSummary]) -> tuple[str, float, float] | None:
    """The thread (or folded pattern) that waited the most seconds: name, seconds, share of its life."""
    rows = [r for r in thread_rows(threads) if r.waited_s > 0]
    if not rows:
        return None
    top = max(rows, key=lambda r: r.waited_s)
    name = f"{top.name} × {top.count}" if top.count > 1 else top.name
    return name, top.waited_s, top.waited_s / top.life_s if top.life_s > 0 else 0.0


def _where(file: str | None, line: int | None) -> str:
    return f"{os.path.basename(file or '?')}:{line if line is not None else '?'}"


def holder_lines(s: Summary, top: int = 5) -> list[str]:
    """Where the GIL was held, what waited behind it, and the long holds; or why stacks are missing."""
    stacks = s.get("stacks")
    if stacks is None:
        return []
    if not stacks["ok"]:
        return [f"  stacks unavailable: {stacks['detail']}"]
    out = []
    holders = s.get("gil_holders") or []
    if holders:
        out.append(f"  where the GIL was held ({stacks['samples']:,} stacks, {stacks['rate_hz'] or 0:,.0f} Hz):")
        for h in holders[:top]:
            c = ", in a C call" if h["in_c_call"] else ""
            out.append(
                f"  {h['share']:>6.0%} {h['held_s']:>8.2f} s  {h['function']} ({_where(h['file'], h['line'])}{c})"
                f"  [{', '.join(h['threads'][:3])}]"
            )
    waits = s.get("waits_behind") or []
    if waits:
        out.append("  waited behind:")
        for w in waits[:top]:
            out.append(
                f"  {w['waiter'][:24]:<24} {w['waited_s']:>8.2f} s behind {w['function']} "
                f"({_where(w['file'], w['line'])}) in {w['holder_thread']}"
            )
    longs = s.get("long_holds") or []
    if longs:
        worst = longs[0]
        c = ", a C call" if worst["in_c_call"] else ""
        out.append(
            f"  {len(longs)} long hold(s) of the GIL; the longest {worst['held_ms']:,.0f} ms at "
            f"{worst['start_ms'] / 1e3:.2f} s in {worst['thread']}: {worst['function'] or '?'} "
            f"({_where(worst['file'], worst['line'])}{c})"
        )
    return out
