"""The shared-memory layout of the probe file: written by the worker's threads, read by the sampler.

One flat array of int64 words: a global header, one header per thread, then each thread's records.
Kept in one place (stdlib only) because both sides of the process boundary import it.
"""

from __future__ import annotations

GLOBAL_WORDS = 16
G_MAGIC, G_THREADS, G_CAP, G_START_NS, G_DEADLINE_NS, G_READY = range(6)
MAGIC = 0x67696C73636F7065  # "gilscope"

THREAD_WORDS = 16
(H_COUNT, H_PROGRESS, H_TSTATE, H_TID, H_CUR_START, H_CUR_LAST, H_CUR_SN, H_CUR_UNITS,
 H_CPU_NS, H_DONE, H_OVERFLOW, H_FIRST_T, H_FIRST_SN, H_LAST_T, H_LAST_SN, H_STARTED) = range(16)

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
