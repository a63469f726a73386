"""Turns probe records into timeline segments and GIL epochs, incrementally, one thread at a time.

A GIL epoch is one value of the interpreter's switch counter: between two hand-offs exactly one thread holds
the GIL, so every probe stamp tagged with a counter value names that epoch's holder. Segments are
(t0_ns, t1_ns, state); see gilscope.records for the record format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median

from gilscope.records import FREE, HOLDING, IO, NATIVE, NO_SN, OTHER, REC_HOLD, WAITING

Segment = tuple[int, int, int]


@dataclass
class Epoch:
    holder: int
    first: int
    last: int


@dataclass
class ThreadTimeline:
    """Segments and epoch sightings of one thread, built record by record."""

    index: int
    style: str  # "hold" or "release"
    region_state: int = NATIVE
    unit_ns: float = 0.0  # typical time of one unit: a new slice began about one unit before its first stamp
    prev_t1: int | None = None
    emitted_until: int = 0
    unit_samples: list[float] = field(default_factory=list)
    unit_fixed: bool = False  # set by prime(): the whole run's unit time, not a running estimate
    wake_latencies_ns: list[int] = field(default_factory=list)
    wait_ns: int = 0
    held_ns: int = 0
    single_gaps: list[int] = field(default_factory=list)  # live: stamp-to-stamp gaps of one-unit slices
    started_ns: int = 0  # the thread's own start: no slice of it begins earlier
    known_epochs: dict[int, Epoch] | None = None  # a finished run's epochs of every thread (a first pass)
    prev_sn: int = NO_SN  # the epoch the last record ended in
    prev_hold: bool = False  # the last record was a slice of units (the thread went on with its next unit)

    def prime(self, records: list[tuple[int, ...]], cpu_ns: int = 0, units: int = 0) -> None:
        """Fixes the unit time from a finished run's records, so every slice start uses the same estimate. A
        thread whose units each outlast a slice (one stamp a slice: a long C call that keeps the GIL) has no two
        stamps in one epoch to time a unit by: its CPU time per unit stands in (it runs while it holds)."""
        samples = [(r[2] - r[1]) / (r[5] - 1) for r in records if r[0] == REC_HOLD and r[5] >= 2]
        if samples:
            self.unit_ns, self.unit_fixed = median(samples), True
        elif cpu_ns > 0 and units > 0 and self.style == "hold":
            self.unit_ns, self.unit_fixed = cpu_ns / units, True

    def _unit(self) -> float:
        """Live: a running median of the latest units, refreshed every 64 new ones; until a slice has held two
        stamps, the shortest gap between single-stamp slices (a unit plus its wait: never less than the unit)."""
        if not self.unit_fixed and self.unit_samples and (not self.unit_ns or len(self.unit_samples) % 64 == 0):
            self.unit_ns = median(self.unit_samples[-512:])
        elif not self.unit_fixed and not self.unit_samples and self.single_gaps:
            self.unit_ns = min(self.single_gaps[-64:])
        return self.unit_ns

    def _emit(self, out: list[Segment], t0: int, t1: int, state: int) -> None:
        t0 = max(t0, self.emitted_until)
        if t1 > t0:
            out.append((t0, t1, state))
            if state == WAITING:
                self.wait_ns += t1 - t0
            elif state == HOLDING:
                self.held_ns += t1 - t0
            self.emitted_until = t1

    def feed(self, records: list[tuple[int, ...]], epochs: dict[int, Epoch]) -> list[Segment]:
        out: list[Segment] = []
        for kind, t0, t1, sn0, sn1, extra in records:
            if kind == REC_HOLD:
                if extra >= 2:
                    self.unit_samples.append((t1 - t0) / (extra - 1))
                elif self.prev_t1 is not None and t0 > self.prev_t1:
                    self.single_gaps.append(t0 - self.prev_t1)
                start = max(int(t0 - self._unit()), self.started_ns)
                before = (self.known_epochs or epochs).get(sn0 - 1) if extra == 1 and sn0 != NO_SN else None
                if before is not None and before.holder != self.index and before.last <= t0:
                    # one stamp in this slice (a unit that outlasts a slice): the GIL came to us after the previous
                    # holder's last stamp, and a unit that keeps the GIL ran from then on
                    start = max(before.last, self.started_ns)
                if self.prev_t1 is not None:
                    start = max(start, self.prev_t1)
                    self._emit(out, self.prev_t1, self._held_until(epochs, sn0, start), HOLDING)
                    self._emit(out, self.prev_t1, start, WAITING)
                self._emit(out, start, t1, HOLDING)
                _see(epochs, sn0, self.index, start, t1)
            else:
                if self.prev_t1 is not None:
                    self._emit(out, self.prev_t1, t0, HOLDING)  # Python between two calls
                ready = extra
                if 0 < ready < t1 and sn1 != sn0:
                    self._emit(out, t0, max(t0, ready), self.region_state)
                    self._emit(out, max(t0, ready), t1, WAITING)  # others held the GIL when we could go on
                else:
                    self._emit(out, t0, t1, self.region_state)
                if ready > 0 and self.region_state == IO:
                    self.wake_latencies_ns.append(max(0, t1 - ready))
                _see(epochs, sn0, self.index, t0, t0)
                _see(epochs, sn1, self.index, t1, t1)
            self.prev_t1 = t1
            self.prev_sn, self.prev_hold = sn1, kind == REC_HOLD
        return out

    def _held_until(self, epochs: dict[int, Epoch], sn0: int, start: int) -> int:
        """After a slice's last stamp the thread went on with its next unit, holding the GIL until the next
        epoch began: when that epoch is another thread's and was seen, the hand-off came at its first sighting
        (no later than this slice's start). Otherwise nothing after the last stamp is claimed."""
        prev_t1 = self.prev_t1 or 0
        if not self.prev_hold or self.prev_sn == NO_SN or sn0 == NO_SN or sn0 <= self.prev_sn + 1:
            return prev_t1
        nxt = (self.known_epochs or epochs).get(self.prev_sn + 1)
        if nxt is None or nxt.holder == self.index:
            return prev_t1
        return max(prev_t1, min(nxt.first, start))

    def tail(self, cur_start: int, cur_last: int, last_record_t1: int | None) -> list[Segment]:
        """The slice a hold-style thread is in right now (not yet closed by a record), for live views."""
        out: list[Segment] = []
        stale = last_record_t1 is not None and last_record_t1 >= cur_start
        if self.style != "hold" or cur_last <= cur_start or stale:
            return out
        start = int(cur_start - self._unit())
        if self.prev_t1 is not None:
            start = max(start, self.prev_t1)
            self._emit(out, self.prev_t1, start, WAITING)
        self._emit(out, start, cur_last, HOLDING)
        return out


def _see(epochs: dict[int, Epoch], sn: int, thread: int, first: int, last: int) -> None:
    if sn == NO_SN:
        return
    e = epochs.get(sn)
    if e is None:
        epochs[sn] = Epoch(thread, first, last)
    else:
        e.first, e.last = min(e.first, first), max(e.last, last)


@dataclass(frozen=True)
class EpochStats:
    timeline_handoffs: int
    slices_ns: list[int]
    matrix: dict[tuple[int, int], int]


def epoch_stats(epochs: dict[int, Epoch]) -> EpochStats:
    """Hand-offs the probes saw exactly (both sides observed), their from->to matrix, and slice lengths."""
    seen = 0
    slices: list[int] = []
    matrix: dict[tuple[int, int], int] = {}
    for sn in sorted(epochs):
        nxt = epochs.get(sn + 1)
        if nxt is None:
            continue
        cur = epochs[sn]
        seen += 1
        key = (cur.holder, nxt.holder)
        matrix[key] = matrix.get(key, 0) + 1
        slices.append(max(0, nxt.first - cur.first))
    return EpochStats(seen, slices, matrix)


class HolderStrip:
    """Run-length segments of the sampled GIL holder (a thread index, FREE or OTHER), fed sample by sample."""

    def __init__(self, owners: dict[int, int]) -> None:
        self.owners = owners
        self.who: int | None = None
        self.since = 0
        self.last_t = 0
        self.changes = 0  # hand-offs the samples saw: the holding thread changed (a free GIL in between or not)
        self.last_owner: int | None = None
        self.last_sw: int | None = None

    def feed(
        self, t: list[int], holder: list[int], locked: list[int], switch: list[int] | None = None
    ) -> list[tuple[int, int, int]]:
        """With the switch counter, two samples of the same holder whose counter differs are two holds, not one:
        the GIL changed hands unseen between them, so the span ends at the first and the next begins at the second
        (the gap between them is no sample; never drawn, nor counted, as one long hold)."""
        out: list[tuple[int, int, int]] = []
        sws: list[int | None] = list(switch) if switch is not None else [None] * len(t)
        for ti, h, lk, sw in zip(t, holder, locked, sws, strict=True):
            who = self.owners.get(h, OTHER) if lk else FREE
            unseen = sw is not None and self.last_sw is not None and sw != self.last_sw
            self.last_sw = sw if sw is not None else self.last_sw
            if who == self.who and unseen and who != FREE:
                if self.last_t > self.since:
                    out.append((self.since, self.last_t, who))
                self.since = ti
            elif who != self.who:
                if self.who is not None:
                    out.append((self.since, ti, self.who))
                if who != FREE:
                    if self.last_owner is not None and who != self.last_owner:
                        self.changes += 1
                    self.last_owner = who
                self.who, self.since = who, ti
            self.last_t = ti
        return out

    def flush(self) -> list[tuple[int, int, int]]:
        if self.who is None or self.last_t <= self.since:
            return []
        seg = [(self.since, self.last_t, self.who)]
        self.since = self.last_t
        return seg
