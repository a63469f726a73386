"""Reads the worker threads' probe records out of the shared probe file, incrementally."""

from __future__ import annotations

import mmap
import os
from dataclasses import dataclass

from gilscope.engine import layout as L


@dataclass(frozen=True)
class Header:
    count: int
    progress: int
    tstate: int
    tid: int
    cur_start: int
    cur_last: int
    cur_sn: int
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
        f.truncate(L.total_words(n_threads, cap) * 8)  # sparse: pages cost memory only once written


class ProbeReader:
    def __init__(self, path: str, n_threads: int, cap: int) -> None:
        self.n, self.cap = n_threads, cap
        fd = os.open(path, os.O_RDONLY)
        try:
            self.mm = mmap.mmap(fd, L.total_words(n_threads, cap) * 8, prot=mmap.PROT_READ)
        finally:
            os.close(fd)
        self.words = memoryview(self.mm).cast("q")
        self.read_upto = [0] * n_threads

    def header(self, i: int) -> Header:
        h = L.thread_header(i)
        w = self.words[h:h + L.THREAD_WORDS].tolist()
        return Header(w[L.H_COUNT], w[L.H_PROGRESS], w[L.H_TSTATE], w[L.H_TID], w[L.H_CUR_START],
                      w[L.H_CUR_LAST], w[L.H_CUR_SN], w[L.H_CPU_NS], bool(w[L.H_DONE]), bool(w[L.H_OVERFLOW]),
                      w[L.H_FIRST_T], w[L.H_FIRST_SN], w[L.H_LAST_T], w[L.H_LAST_SN], bool(w[L.H_STARTED]))

    def start_ns(self) -> int:
        return int(self.words[L.G_START_NS])

    def new_records(self, i: int) -> list[tuple[int, ...]]:
        """Records thread i has written since the last call."""
        count = min(int(self.words[L.thread_header(i) + L.H_COUNT]), self.cap)
        lo = self.read_upto[i]
        if count <= lo:
            return []
        base = L.records_start(self.n, self.cap, i)
        flat = self.words[base + lo * L.RECORD_WORDS: base + count * L.RECORD_WORDS].tolist()
        self.read_upto[i] = count
        r = L.RECORD_WORDS
        return [tuple(flat[k:k + r]) for k in range(0, len(flat), r)]

    def all_records(self, i: int) -> list[tuple[int, ...]]:
        """Every record thread i wrote (for the final summary, independent of what was streamed)."""
        count = min(int(self.words[L.thread_header(i) + L.H_COUNT]), self.cap)
        base = L.records_start(self.n, self.cap, i)
        flat = self.words[base: base + count * L.RECORD_WORDS].tolist()
        r = L.RECORD_WORDS
        return [tuple(flat[k:k + r]) for k in range(0, len(flat), r)]

    def close(self) -> None:
        self.words.release()
        self.mm.close()
