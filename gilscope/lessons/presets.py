"""The preset runs of every lesson, and how C5 finds a free-threaded interpreter to compare against.

Runs are 1-1.5 s so that each lesson stays under about 20 s in all; their keys are what the verdict rules read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from gilscope.lessons.claims import CLAIMS
from gilscope.lessons.model import Lesson, LessonRun
from gilscope.locale import Message, lazy_gettext, lazy_ngettext

DEFAULT_S = 0.005  # CPython's default switch interval
RUN_S = 1.5  # duration of one lesson run
SWEEP_S = 1.0  # duration of one point of a sweep (six points)
SWEEP_INTERVALS_S = (0.0001, 0.0005, 0.001, 0.005, 0.02, 0.05)
FREE_KEY = "free_cpu2"  # the C5 run under a free-threaded interpreter, when one is given

# python3.13t, python3.14t, python3t, python3.14t-dbg: CPython's names for its free-threaded builds.
_FREE_NAME = re.compile(r"^python(\d+(\.\d+)?)?t(-dbg)?(\.exe)?$")


def group(kind: str, threads: int = 1, **params: float) -> dict[str, Any]:
    return {"kind": kind, "threads": threads, "params": dict(params)}


def spec(
    *mix: dict[str, Any],
    interval_s: float = DEFAULT_S,
    duration_s: float = RUN_S,
    baseline: bool = False,
    python: str | None = None,
) -> dict[str, Any]:
    """A RunSpec body (plain dict: the caller validates it with gilscope.spec.RunSpec)."""
    body: dict[str, Any] = {
        "mix": list(mix),
        "switch_interval_s": interval_s,
        "duration_s": duration_s,
        "baseline": baseline,
    }
    if python is not None:
        body["python"] = python
    return body


def _ms(interval_s: float) -> float:
    """Milliseconds for a label (a float, so that the label writes it in the reader's language)."""
    return round(interval_s * 1e3, 6)


def _lesson(lid: str, runs: list[LessonRun], sweep: dict[str, Any] | None = None) -> Lesson:
    c = CLAIMS[lid]
    return Lesson(lid, c.title, c.claim, c.experiment, tuple(runs), sweep)


def _c1() -> Lesson:
    runs = [
        LessonRun(
            f"cpu{n}", lazy_ngettext("{n} pure-Python thread", "{n} pure-Python threads", n, n=n), spec(group("cpu", n))
        )
        for n in (1, 2, 4)
    ]
    return _lesson("C1", runs)


def _c2() -> Lesson:
    runs = [
        LessonRun("two_cpu", lazy_gettext("2 CPU-bound threads at 5 ms"), spec(group("cpu", 2))),
        LessonRun("lone", lazy_gettext("1 CPU-bound thread alone"), spec(group("cpu", 1))),
    ]
    return _lesson("C2", runs, spec(group("cpu", 2), duration_s=SWEEP_S))


def _c3() -> Lesson:
    runs = [
        LessonRun("cpu2_5ms", lazy_gettext("2 threads vs sequential, 5 ms"), spec(group("cpu", 2), baseline=True)),
        LessonRun("cpu4_5ms", lazy_gettext("4 threads vs sequential, 5 ms"), spec(group("cpu", 4), baseline=True)),
        LessonRun(
            "cpu2_0.1ms",
            lazy_gettext("2 threads vs sequential, 0.1 ms"),
            spec(group("cpu", 2), interval_s=0.0001, baseline=True),
        ),
    ]
    return _lesson("C3", runs, spec(group("cpu", 2), duration_s=SWEEP_S, baseline=True))


def _c4() -> Lesson:
    runs = [
        LessonRun(
            "blas1",
            lazy_gettext("NumPy matmul, 1 Python thread, 1 BLAS thread"),
            spec(group("numpy", 1, n=400, blas_threads=1)),
        ),
        LessonRun(
            "blas2",
            lazy_gettext("NumPy matmul, 1 Python thread, 2 BLAS threads"),
            spec(group("numpy", 1, n=400, blas_threads=2)),
        ),
        LessonRun("sleep2", lazy_gettext("2 sleeping threads (1 ms naps)"), spec(group("sleep", 2, sleep_ms=1))),
    ]
    return _lesson("C4", runs)


def _c5(free_python: str | None) -> Lesson:
    runs = [
        LessonRun(
            "sleep_cpu_5ms",
            lazy_gettext("Sleeper beside a CPU-bound thread, 5 ms"),
            spec(group("sleep", 1), group("cpu", 1)),
        ),
        LessonRun(
            "sleep_cpu_0.1ms",
            lazy_gettext("Sleeper beside a CPU-bound thread, 0.1 ms"),
            spec(group("sleep", 1), group("cpu", 1), interval_s=0.0001),
        ),
        LessonRun(
            "hash_1k",
            lazy_gettext("2 hashlib threads, 1 KiB calls (keeps the GIL)"),
            spec(group("hashlib", 2, buffer_bytes=1024)),
        ),
        LessonRun(
            "hash_64k",
            lazy_gettext("2 hashlib threads, 64 KiB calls (releases the GIL)"),
            spec(group("hashlib", 2, buffer_bytes=65536)),
        ),
    ]
    if free_python is not None:
        runs.append(
            LessonRun(
                FREE_KEY,
                lazy_gettext("2 pure-Python threads under {python}", python=os.path.basename(free_python)),
                spec(group("cpu", 2), python=free_python),
            )
        )
    return _lesson("C5", runs, spec(group("sleep", 1), group("cpu", 1), duration_s=SWEEP_S))


def _c6() -> Lesson:
    io = (group("sleep", 1, sleep_ms=1), group("file", 1), group("socket", 1))
    runs = [
        LessonRun(
            "io_cpu",
            lazy_gettext("Sleep, file and socket threads beside a CPU-bound thread, 5 ms"),
            spec(*io, group("cpu", 1)),
        ),
        LessonRun("io_alone", lazy_gettext("Sleep, file and socket threads alone, 5 ms"), spec(*io)),
    ]
    return _lesson("C6", runs, spec(group("sleep", 1), group("cpu", 1), duration_s=SWEEP_S))


class C7Kind(NamedTuple):
    """One kind the C7 lesson runs in two threads."""

    key: str  # the run's key
    kind: str  # the workload
    params: dict[str, float]
    name: Message
    claimed: bool  # the notes say it releases the GIL


C7_KINDS: tuple[C7Kind, ...] = (
    C7Kind("numpy2", "numpy", {"n": 200, "blas_threads": 1}, lazy_gettext("NumPy matrix multiplication"), True),
    C7Kind("zlib2", "zlib", {"block_kib": 64}, lazy_gettext("zlib.compress"), True),
    C7Kind("bz2_2", "bz2", {"block_kib": 64}, lazy_gettext("bz2.compress"), True),
    C7Kind("hash64k_2", "hashlib", {"buffer_bytes": 65536}, lazy_gettext("hashlib, 64 KiB calls"), True),
    C7Kind("hash1k_2", "hashlib", {"buffer_bytes": 1024}, lazy_gettext("hashlib, 1 KiB calls"), False),
    C7Kind("sorted2", "sorted", {"size": 2000}, lazy_gettext("sorted()"), False),
    C7Kind("regex2", "regex", {"text_kib": 8}, lazy_gettext("re.findall"), False),
    C7Kind("json2", "json", {"items": 200}, lazy_gettext("json.dumps + json.loads"), False),
)


def _c7() -> Lesson:
    runs = [
        LessonRun(k.key, lazy_gettext("2 threads: {kind}", kind=k.name), spec(group(k.kind, 2, **k.params)))
        for k in C7_KINDS
    ]
    return _lesson("C7", runs)


C8_CPU = (0, 1, 2)
C8_INTERVALS_S = (0.0001, 0.001, 0.005)
C8_SERVER_THREADS = 4


def c8_key(cpu_threads: int, interval_s: float) -> str:
    return f"echo_cpu{cpu_threads}_{interval_s * 1e3:g}ms"


def _c8() -> Lesson:
    server = group("echo_server", C8_SERVER_THREADS, payload_bytes=64)
    runs = []
    for iv in reversed(C8_INTERVALS_S):
        for c in C8_CPU:
            mix = [server] + ([group("cpu", c)] if c else [])
            label = lazy_ngettext(
                "Echo server + {n} CPU thread, {ms} ms", "Echo server + {n} CPU threads, {ms} ms", c, n=c, ms=_ms(iv)
            )
            runs.append(LessonRun(c8_key(c, iv), label, spec(*mix, interval_s=iv)))
    return _lesson("C8", runs, spec(server, group("cpu", 1), duration_s=SWEEP_S))


C9_RUNS = (("race2_5ms", 2, 0.005), ("race4_5ms", 4, 0.005), ("race2_0.05ms", 2, 0.00005))


def _c9() -> Lesson:
    runs = [
        LessonRun(
            key,
            lazy_ngettext("{n} racing thread, {ms} ms", "{n} racing threads, {ms} ms", n, n=n, ms=_ms(iv)),
            spec(group("race", n, chunk=1000), interval_s=iv),
        )
        for key, n, iv in C9_RUNS
    ]
    return _lesson("C9", runs)


def _c10() -> Lesson:
    cpu = group("cpu", 1)
    runs = [
        LessonRun("cpu_alone", lazy_gettext("CPU-bound thread alone"), spec(cpu)),
        LessonRun(
            "regex_cpu", lazy_gettext("re (keeps the GIL) beside a CPU-bound thread"), spec(group("regex", 1), cpu)
        ),
        LessonRun(
            "zlib_cpu",
            lazy_gettext("zlib on 1 MiB blocks (releases) beside a CPU-bound thread"),
            spec(group("zlib", 1, block_kib=1024), cpu),
        ),
        LessonRun(
            "hash1k_cpu",
            lazy_gettext("hashlib, 1 KiB calls (keeps) beside a CPU-bound thread"),
            spec(group("hashlib", 1, buffer_bytes=1024), cpu),
        ),
        LessonRun(
            "hash64k_cpu",
            lazy_gettext("hashlib, 64 KiB calls (releases) beside a CPU-bound thread"),
            spec(group("hashlib", 1, buffer_bytes=65536), cpu),
        ),
    ]
    return _lesson("C10", runs)


def looks_free_threaded(path: str) -> bool:
    """Guess from the file name alone (python3.13t, python3.14t): CPython installs its free-threaded builds so."""
    return bool(_FREE_NAME.match(os.path.basename(path)))


def free_threaded_python(python_paths: list[str], gil_enabled: Mapping[str, bool | None] | None = None) -> str | None:
    """The first interpreter without a GIL. A known flag (probed by running the interpreter) wins over the name."""
    known = gil_enabled or {}
    for path in python_paths:
        flag = known.get(path)
        if flag is False or (flag is None and looks_free_threaded(path)):
            return path
    return None


def build(free_python: str | None = None) -> dict[str, Lesson]:
    lessons = [_c1(), _c2(), _c3(), _c4(), _c5(free_python), _c6(), _c7(), _c8(), _c9(), _c10()]
    return {lesson.id: lesson for lesson in lessons}
