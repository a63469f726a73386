"""The preset runs of every lesson, and how C5 finds a free-threaded interpreter to compare against.

Runs are 1-1.5 s so that each lesson stays under about 20 s in all; their keys are what the verdict rules read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from gilscope.lessons.claims import CLAIMS
from gilscope.lessons.model import Lesson, LessonRun

DEFAULT_S = 0.005  # CPython's default switch interval
RUN_S = 1.5  # duration of one lesson run
SWEEP_S = 1.0  # duration of one point of a sweep (six points)
SWEEP_INTERVALS_S = (0.0001, 0.0005, 0.001, 0.005, 0.02, 0.05)
FREE_KEY = "free_cpu2"  # the C5 run under a free-threaded interpreter, when one is given

# python3.13t, python3.14t, python3t, python3.14t-dbg: CPython's names for its free-threaded builds.
_FREE_NAME = re.compile(r"^python(\d+(\.\d+)?)?t(-dbg)?(\.exe)?$")


def group(kind: str, threads: int = 1, **params: float) -> dict[str, Any]:
    return {"kind": kind, "threads": threads, "params": dict(params)}


def spec(*mix: dict[str, Any], interval_s: float = DEFAULT_S, duration_s: float = RUN_S, baseline: bool = False,
         python: str | None = None) -> dict[str, Any]:
    """A RunSpec body (plain dict: the caller validates it with gilscope.spec.RunSpec)."""
    body: dict[str, Any] = {"mix": list(mix), "switch_interval_s": interval_s, "duration_s": duration_s,
                            "baseline": baseline}
    if python is not None:
        body["python"] = python
    return body


def _ms(interval_s: float) -> str:
    return f"{interval_s * 1e3:g}"


def _uk_ms(interval_s: float) -> str:
    return _ms(interval_s).replace(".", ",")


def _lesson(lid: str, runs: list[LessonRun], sweep: dict[str, Any] | None = None) -> Lesson:
    c = CLAIMS[lid]
    return Lesson(lid, c.title_en, c.title_uk, c.claim_en, c.claim_uk, c.experiment_en, c.experiment_uk,
                  tuple(runs), sweep)


def _c1() -> Lesson:
    runs = [LessonRun(f"cpu{n}", f"{n} pure-Python thread{'s' if n > 1 else ''}",
                      f"{n} {'потік' if n == 1 else 'потоки'} на чистому Python", spec(group("cpu", n)))
            for n in (1, 2, 4)]
    return _lesson("C1", runs)


def _c2() -> Lesson:
    runs = [LessonRun("two_cpu", "2 CPU-bound threads at 5 ms", "2 потоки обчислень за 5 мс", spec(group("cpu", 2))),
            LessonRun("lone", "1 CPU-bound thread alone", "1 потік обчислень сам", spec(group("cpu", 1)))]
    return _lesson("C2", runs, spec(group("cpu", 2), duration_s=SWEEP_S))


def _c3() -> Lesson:
    runs = [LessonRun("cpu2_5ms", "2 threads vs sequential, 5 ms", "2 потоки проти послідовного, 5 мс",
                      spec(group("cpu", 2), baseline=True)),
            LessonRun("cpu4_5ms", "4 threads vs sequential, 5 ms", "4 потоки проти послідовного, 5 мс",
                      spec(group("cpu", 4), baseline=True)),
            LessonRun("cpu2_0.1ms", "2 threads vs sequential, 0.1 ms", "2 потоки проти послідовного, 0,1 мс",
                      spec(group("cpu", 2), interval_s=0.0001, baseline=True))]
    return _lesson("C3", runs, spec(group("cpu", 2), duration_s=SWEEP_S, baseline=True))


def _c4() -> Lesson:
    runs = [LessonRun("blas1", "NumPy matmul, 1 Python thread, 1 BLAS thread",
                      "Множення матриць NumPy, 1 потік Python, 1 потік BLAS",
                      spec(group("numpy", 1, n=400, blas_threads=1))),
            LessonRun("blas2", "NumPy matmul, 1 Python thread, 2 BLAS threads",
                      "Множення матриць NumPy, 1 потік Python, 2 потоки BLAS",
                      spec(group("numpy", 1, n=400, blas_threads=2))),
            LessonRun("sleep2", "2 sleeping threads (1 ms naps)", "2 сплячі потоки (сни по 1 мс)",
                      spec(group("sleep", 2, sleep_ms=1)))]
    return _lesson("C4", runs)


def _c5(free_python: str | None) -> Lesson:
    runs = [LessonRun("sleep_cpu_5ms", "Sleeper beside a CPU-bound thread, 5 ms",
                      "Сплячий потік поруч із потоком обчислень, 5 мс", spec(group("sleep", 1), group("cpu", 1))),
            LessonRun("sleep_cpu_0.1ms", "Sleeper beside a CPU-bound thread, 0.1 ms",
                      "Сплячий потік поруч із потоком обчислень, 0,1 мс",
                      spec(group("sleep", 1), group("cpu", 1), interval_s=0.0001)),
            LessonRun("hash_1k", "2 hashlib threads, 1 KiB calls (keeps the GIL)",
                      "2 потоки hashlib, виклики по 1 КіБ (тримає GIL)",
                      spec(group("hashlib", 2, buffer_bytes=1024))),
            LessonRun("hash_64k", "2 hashlib threads, 64 KiB calls (releases the GIL)",
                      "2 потоки hashlib, виклики по 64 КіБ (звільняє GIL)",
                      spec(group("hashlib", 2, buffer_bytes=65536)))]
    if free_python is not None:
        name = os.path.basename(free_python)
        runs.append(LessonRun(FREE_KEY, f"2 pure-Python threads under {name}",
                              f"2 потоки на чистому Python під {name}", spec(group("cpu", 2), python=free_python)))
    return _lesson("C5", runs, spec(group("sleep", 1), group("cpu", 1), duration_s=SWEEP_S))


def _c6() -> Lesson:
    io = (group("sleep", 1, sleep_ms=1), group("file", 1), group("socket", 1))
    runs = [LessonRun("io_cpu", "Sleep, file and socket threads beside a CPU-bound thread, 5 ms",
                      "Потоки сну, файлу й сокета поруч із потоком обчислень, 5 мс", spec(*io, group("cpu", 1))),
            LessonRun("io_alone", "Sleep, file and socket threads alone, 5 ms",
                      "Потоки сну, файлу й сокета самі, 5 мс", spec(*io))]
    return _lesson("C6", runs, spec(group("sleep", 1), group("cpu", 1), duration_s=SWEEP_S))


# C7: (key, kind, params, label_en, label_uk, the notes claim it releases)
C7_KINDS: tuple[tuple[str, str, dict[str, float], str, str, bool], ...] = (
    ("numpy2", "numpy", {"n": 200, "blas_threads": 1}, "NumPy matmul", "множення матриць NumPy", True),
    ("zlib2", "zlib", {"block_kib": 64}, "zlib.compress", "zlib.compress", True),
    ("bz2_2", "bz2", {"block_kib": 64}, "bz2.compress", "bz2.compress", True),
    ("hash64k_2", "hashlib", {"buffer_bytes": 65536}, "hashlib, 64 KiB calls", "hashlib, виклики по 64 КіБ", True),
    ("hash1k_2", "hashlib", {"buffer_bytes": 1024}, "hashlib, 1 KiB calls", "hashlib, виклики по 1 КіБ", False),
    ("sorted2", "sorted", {"size": 2000}, "sorted()", "sorted()", False),
    ("regex2", "regex", {"text_kib": 8}, "re.findall", "re.findall", False),
    ("json2", "json", {"items": 200}, "json.dumps + json.loads", "json.dumps + json.loads", False),
)


def _c7() -> Lesson:
    runs = [LessonRun(key, f"2 threads: {en}", f"2 потоки: {uk}", spec(group(kind, 2, **params)))
            for key, kind, params, en, uk, _claimed in C7_KINDS]
    return _lesson("C7", runs)


C8_CPU = (0, 1, 2)
C8_INTERVALS_S = (0.0001, 0.001, 0.005)
C8_SERVER_THREADS = 4


def c8_key(cpu_threads: int, interval_s: float) -> str:
    return f"echo_cpu{cpu_threads}_{_ms(interval_s)}ms"


def _c8() -> Lesson:
    server = group("echo_server", C8_SERVER_THREADS, payload_bytes=64)
    runs = []
    for iv in reversed(C8_INTERVALS_S):
        for c in C8_CPU:
            mix = [server] + ([group("cpu", c)] if c else [])
            runs.append(LessonRun(c8_key(c, iv), f"Echo server + {c} CPU thread{'' if c == 1 else 's'}, {_ms(iv)} ms",
                                  f"Ехо-сервер + потоків обчислень: {c}, {_uk_ms(iv)} мс",
                                  spec(*mix, interval_s=iv)))
    return _lesson("C8", runs, spec(server, group("cpu", 1), duration_s=SWEEP_S))


C9_RUNS = (("race2_5ms", 2, 0.005), ("race4_5ms", 4, 0.005), ("race2_0.05ms", 2, 0.00005))


def _c9() -> Lesson:
    runs = [LessonRun(key, f"{n} racing threads, {_ms(iv)} ms", f"{n} потоки в гонці, {_uk_ms(iv)} мс",
                      spec(group("race", n, chunk=1000), interval_s=iv)) for key, n, iv in C9_RUNS]
    return _lesson("C9", runs)


def _c10() -> Lesson:
    cpu = group("cpu", 1)
    runs = [LessonRun("cpu_alone", "CPU-bound thread alone", "Потік обчислень сам", spec(cpu)),
            LessonRun("regex_cpu", "re (keeps the GIL) beside a CPU-bound thread",
                      "re (тримає GIL) поруч із потоком обчислень", spec(group("regex", 1), cpu)),
            LessonRun("zlib_cpu", "zlib on 1 MiB blocks (releases) beside a CPU-bound thread",
                      "zlib на блоках по 1 МіБ (звільняє) поруч із потоком обчислень",
                      spec(group("zlib", 1, block_kib=1024), cpu)),
            LessonRun("hash1k_cpu", "hashlib, 1 KiB calls (keeps) beside a CPU-bound thread",
                      "hashlib, виклики по 1 КіБ (тримає) поруч із потоком обчислень",
                      spec(group("hashlib", 1, buffer_bytes=1024), cpu)),
            LessonRun("hash64k_cpu", "hashlib, 64 KiB calls (releases) beside a CPU-bound thread",
                      "hashlib, виклики по 64 КіБ (звільняє) поруч із потоком обчислень",
                      spec(group("hashlib", 1, buffer_bytes=65536), cpu))]
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
