"""Reads the worker threads' probe records out of the shared probe file, incrementally."""

from __future__ import annotations

import mmap
import os
from dataclasses import dataclass

from gilscope.records import (
    H_COUNT,
    H_CPU_NS,
    H_CUR_LAST,
    H_CUR_START,
    H_DONE,
    H_FIRST_SN,
    H_FIRST_T,
    H_LAST_SN,
    H_LAST_T,
    H_OVERFLOW,
    H_PROGRESS,
    H_STARTED,
    H_TSTATE,
    RECORD_WORDS,
    THREAD_WORDS,
    records_start,
    thread_header,
    total_words,
)


@dataclass(frozen=True)
class Header:
    count: int
    progress: int
    tstate: int
    cur_start: int
    cur_last: int
    cpu_ns: int
    done: bool
    overflow: bool
    first_t: int
    first_sn: int
    last_t: int
    last_sn: int
    started: bool


def create_probe_file(path: str, n_threads: int, cap: int) -> None:
    with open(path, "wb") as f:
        f.truncate(total_words(n_threads, cap) * 8)  # sparse: pages cost memory only once written


class ProbeReader:
    def __init__(self, path: str, n_threads: int, cap: int) -> None:
        self.n, self.cap = n_threads, cap
        fd = os.open(path, os.O_RDONLY)
        try:
            self.mm = mmap.mmap(fd, total_words(n_threads, cap) * 8, prot=mmap.PROT_READ)
        finally:
            os.close(fd)
        self.words = memoryview(self.mm).cast("q")
        self.read_upto = [0] * n_threads

    def header(self, i: int) -> Header:
        h = thread_header(i)
        w = self.words[h : h + THREAD_WORDS].tolist()
        return Header(
            w[H_COUNT],
            w[H_PROGRESS],
            w[H_TSTATE],
            w[H_CUR_START],
            w[H_CUR_LAST],
            w[H_CPU_NS],
            bool(w[H_DONE]),
            bool(w[H_OVERFLOW]),
            w[H_FIRST_T],
            w[H_FIRST_SN],
            w[H_LAST_T],
            w[H_LAST_SN],
            bool(w[H_STARTED]),
        )

    def new_records(self, i: int) -> list[tuple[int, ...]]:
        """Records thread i has written since the last call."""
        count = min(int(self.words[thread_header(i) + H_COUNT]), self.cap)
        lo = self.read_upto[i]
        if count <= lo:
            return []
        base = records_start(self.n, self.cap, i)
        flat = self.words[base + lo * RECORD_WORDS : base + count * RECORD_WORDS].tolist()
        self.read_upto[i] = count
        r = RECORD_WORDS
        return [tuple(flat[k : k + r]) for k in range(0, len(flat), r)]

    def all_records(self, i: int) -> list[tuple[int, ...]]:
        """Every record thread i wrote (for the final summary, independent of what was streamed)."""
        count = min(int(self.words[thread_header(i) + H_COUNT]), self.cap)
        base = records_start(self.n, self.cap, i)
        flat = self.words[base : base + count * RECORD_WORDS].tolist()
        r = RECORD_WORDS
        return [tuple(flat[k : k + r]) for k in range(0, len(flat), r)]

    def close(self) -> None:
        self.words.release()
        self.mm.close()
