"""The verdict rules, grouped by what they judge; RULES maps each claim's id to its rule and deciding figure.

Every rule gets only runs that finished (judge() checks), reads the measured summaries, and builds every sentence
from the numbers in the current language. Thresholds are named where they are used and chosen to separate
behaviours (a GIL build from a free-threaded one, a release from a keep, a convoy from a quick wake-up), not to
bracket one expected value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from gilscope.lessons.model import Finding, Results
from gilscope.lessons.verdicts import io_latency, levers, native_code, parallelism, races, switching
from gilscope.locale import N_


class Rule(NamedTuple):
    figure_label: str  # English msgid: what the deciding figure is
    judge: Callable[[Results], Finding]


RULES: dict[str, Rule] = {
    "C1": Rule(N_("cores used by 2 and 4 pure-Python threads (the larger)"), parallelism.one_thread_at_a_time),
    "C2": Rule(N_("median slice of 2 threads at 5 ms; hand-offs of 1 thread alone"), switching.switch_interval),
    "C3": Rule(N_("2 threads: threaded / sequential wall time at 5 ms"), switching.threads_vs_sequential),
    "C4": Rule(N_("cores used by 1 Python thread with 2 BLAS threads"), native_code.c_code_threads),
    "C5": Rule(N_("median wake latency beside a CPU thread, 5 ms vs 0.1 ms"), levers.developer_levers),
    "C6": Rule(
        N_("median wake latency of the slowest I/O thread beside a CPU thread"), io_latency.system_calls_release
    ),
    "C7": Rule(N_("cores of the releasing kinds (lowest); hashlib on 1 KiB"), native_code.libraries_release),
    "C8": Rule(N_("requests/s at 5 ms: no CPU thread → one CPU thread"), io_latency.network_server),
    "C9": Rule(N_("increments of the shared counter lost"), races.refcount_race),
    "C10": Rule(N_("CPU thread's speed beside re vs beside zlib"), native_code.c_extensions),
}
