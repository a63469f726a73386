"""The shared vocabulary of gilscope: what crosses a process or a language line.

Every layer imports this module (the worker under any CPython 3.11+, the sampler, the analysis, the lessons, the
web layer and, through /api/page-config, the page) and it imports nothing of the project, like Starlette's
``types.py``. Stdlib only.
"""

from __future__ import annotations

# -- Thread states on the timeline (ints inside, names only at the edges) ------------------------------------
HOLDING, WAITING, IO, NATIVE = 0, 1, 2, 3
STATE_NAMES = ("holding", "waiting", "io", "native")
TRACE_STATE_NAMES = ("holding", "waiting", "blocked", "native")  # a traced thread's states, same indices
STATE_COLOURS = ("#2e9d58", "#e4572e", "#3a7bd5", "#9b59b6")  # same order as STATE_NAMES

# The sampled GIL-holder strip: a thread index, or one of these.
FREE, OTHER = -1, -2  # GIL not held; held by a thread that is not a workload thread
# The holder lane's colours for "nobody holds the GIL" and "a thread that is not a workload thread": greys, so
# that neither reads as a state or a thread. The page (via its config) and the notebook both draw with these.
FREE_COLOUR, OTHER_COLOUR = "#d0d0d0", "#555555"

# Colours for threads (holder strip, progress lines): none of them a state colour.
THREAD_COLOURS = (
    "#393b79",
    "#e377c2",
    "#bcbd22",
    "#17becf",
    "#8c564b",
    "#7f7f7f",
    "#843c39",
    "#637939",
    "#ad494a",
    "#5254a3",
    "#8c6d31",
    "#7b4173",
    "#9edae5",
    "#dbdb8d",
    "#c49c94",
    "#222222",
)

# -- The probe file: written by the worker's threads, read by the sampler and the analysis --------------------
# One flat array of int64 words: a global header, one header per thread, then each thread's records.
GLOBAL_WORDS = 16
# The global header words are reserved (the run's start and deadline travel as the "started" message).

THREAD_WORDS = 16
H_COUNT, H_PROGRESS, H_TSTATE, H_CUR_START, H_CUR_LAST = 0, 1, 2, 4, 5  # words 3, 6 and 7 are reserved
H_CPU_NS, H_DONE, H_OVERFLOW, H_FIRST_T, H_FIRST_SN, H_LAST_T, H_LAST_SN, H_STARTED = 8, 9, 10, 11, 12, 13, 14, 15

# A record: kind, t0, t1, sn0, sn1, extra.
#   REC_HOLD:   a slice of units run in one GIL epoch: t0 = first stamp, t1 = last stamp, sn0 = sn1 = epoch,
#               extra = units in it.
#   REC_REGION: one call that may release the GIL: t0 before it, t1 after it (GIL retaken), sn0/sn1 the switch
#               counter around it, extra = when it could have returned (0 unknown).
RECORD_WORDS = 6
REC_HOLD, REC_REGION = 1, 2

NO_SN = -1  # switch counter unavailable (no locator)


def thread_header(i: int) -> int:
    return GLOBAL_WORDS + i * THREAD_WORDS


def records_start(n_threads: int, cap: int, i: int) -> int:
    return GLOBAL_WORDS + n_threads * THREAD_WORDS + i * cap * RECORD_WORDS


def total_words(n_threads: int, cap: int) -> int:
    return GLOBAL_WORDS + n_threads * (THREAD_WORDS + cap * RECORD_WORDS)


# The worker's threads sleep until a common start line this far ahead, so that start-up is not measured.
START_DELAY_NS = 30_000_000
