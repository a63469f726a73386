"""The run's reading is true to its numbers, in English and Ukrainian: every word that directs or sizes a number
(faster or slower, how many switch intervals, which threads starved) is checked against that number, on recorded
runs (tests/data, with a comparison of interleaved rounds added where the recording has none) and on made-up
summaries that sit on either side of each threshold."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest

from gilscope.analysis.summary import summarize
from gilscope.lessons import reading
from gilscope.lessons.reading import STARVED
from tests.unit.test_lessons import cpus, summary, thread

LANGS = ("en", "uk")
FASTER = {"en": "times faster than one thread", "uk": "раза швидше, ніж один потік"}
SLOWER = {"en": "times slower than one thread", "uk": "раза повільніше, ніж один потік"}
SAME = {"en": "took about as long", "uk": "приблизно стільки ж часу"}
FACTOR = {"en": r"were ([\d.,]+) times (faster|slower)", "uk": r"впоралися в ([\d,\u202f]+) раза (швидше|повільніше)"}


def number(text: str) -> float:
    return float(text.replace("\u202f", "").replace(",", "") if "." in text else text.replace(",", "."))


def compared(ratio: float, resolution_pct: float = 2.0, conclusive: bool = True, **kw: Any) -> dict[str, Any]:
    base = {
        "threaded_over_sequential": ratio,
        "sequential_wall_s": 1.5 / ratio,
        "resolution_pct": resolution_pct,
        "noise_pct": 1.0,
        "conclusive": conclusive,
    }
    return cpus(2, baseline=base, **kw)


def baseline_sentence(text: str) -> str:
    found = [s for s in re.split(r"(?<=\.) ", text) if "one thread took" in s or "одному потоці тривала" in s]
    assert len(found) == 1, text
    return found[0]


# ---- threads against one thread: direction and size follow the ratio --------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("ratio", [0.25, 0.5, 0.641, 0.661, 0.9, 0.97, 1.0, 1.02, 1.04, 1.3, 2.0, 3.7])
def test_faster_or_slower_and_by_how_much(lang: str, ratio: float) -> None:
    said = baseline_sentence(reading(compared(ratio), lang))
    if abs(ratio - 1) <= 0.02:  # within the comparison's resolution: no direction to read
        assert SAME[lang] in said and FASTER[lang] not in said and SLOWER[lang] not in said
        return
    m = re.search(FACTOR[lang], said)
    assert m, said
    factor, direction = number(m.group(1)), m.group(2)
    assert direction in (("faster", "швидше") if ratio < 1 else ("slower", "повільніше"))
    assert factor > 1 and factor == pytest.approx(1 / ratio if ratio < 1 else ratio, abs=0.006)
    assert "більше часу" not in said and "as long" not in said  # the old words, whatever the direction


def test_the_ukrainian_sentence_that_was_wrong() -> None:
    """0.661: the threads were faster; the old sentence said they took "0,661 раза більше часу"."""
    uk = baseline_sentence(reading(compared(0.661), "uk"))
    assert "в 1,51 раза швидше" in uk and "(відношення часу 0,661)" in uk
    en = baseline_sentence(reading(compared(0.661), "en"))
    assert "1.51 times faster" in en and "(time ratio 0.661)" in en


def test_why_faster_is_said_only_when_it_is_so() -> None:
    sleepy = summary([thread("cpu", 100.0, 1), thread("sleep", 900.0, 2)], handoffs=300)
    sleepy["baseline"] = {"threaded_over_sequential": 0.64, "sequential_wall_s": 2.34, "conclusive": True}
    assert "overlapped the work" in reading(sleepy, "en") and "перекривалися з роботою" in reading(sleepy, "uk")
    sleepy["baseline"]["threaded_over_sequential"] = 1.3  # slower: no "because the sleeping overlapped"
    assert "overlapped" not in reading(sleepy, "en")
    parallel = compared(0.55, cores=1.9)
    assert "several cores at once" in reading(parallel, "en") and "overlapped" not in reading(parallel, "en")
    assert "several cores" not in reading(compared(0.55, cores=1.0), "en")


@pytest.mark.parametrize("lang", LANGS)
def test_an_inconclusive_comparison_names_no_direction(lang: str) -> None:
    for ratio in (0.6, 1.0, 1.6):
        said = baseline_sentence(reading(compared(ratio, resolution_pct=12.0, conclusive=False), lang))
        assert ("inconclusive" in said) if lang == "en" else ("непереконливе" in said)
        assert not re.search(FACTOR[lang], said) and SAME[lang] not in said


def test_the_resolution_decides_about_the_same() -> None:
    """1.04 is "about as long" when the comparison cannot tell 5% apart, slower when it tells 2% apart."""
    assert SAME["en"] in reading(compared(1.04, resolution_pct=5.0), "en")
    assert "1.04 times slower" in reading(compared(1.04, resolution_pct=2.0), "en")


# ---- waits in switch intervals -----------------------------------------------------------------------------------


INTERVAL_WORDS = {
    "en": r"about (\d+) switch intervals? of",
    "uk": r"приблизно (\d+) (інтервал|інтервали|інтервалів) перемикання",
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("times", [0.6, 0.8, 1.0, 1.4, 2.0, 2.4, 3.6, 5.0, 11.0, 21.0])
def test_a_wait_is_said_in_as_many_intervals_as_it_was(lang: str, times: float) -> None:
    text = reading(cpus(2, wake=5.0 * times), lang)
    assert "convoy" in text or "конвою" in text
    one = {"en": "about one switch interval (5 ms)", "uk": "приблизно один інтервал перемикання (5 мс)"}[lang]
    m = re.search(INTERVAL_WORDS[lang], text)
    if times < 0.75:
        assert not m and one not in text and f"{round(times * 100)}%" in text
    elif times < 1.5:
        assert one in text and not m
    else:
        assert m and one not in text, text
        n = int(m.group(1))
        assert abs(n - times) <= 0.5
        if lang == "uk":  # the form agrees with the count: 1, 21 інтервал; 2-4 інтервали; 5-20 інтервалів
            form = "інтервал" if n % 10 == 1 and n % 100 != 11 else "інтервали" if 2 <= n % 10 <= 4 else "інтервалів"
            assert m.group(2) == form, text


# ---- what the median slice is -------------------------------------------------------------------------------------


def test_the_median_slice_is_called_a_slice() -> None:
    en, uk = reading(cpus(2, slice_p50=5.19), "en"), reading(cpus(2, slice_p50=5.19), "uk")
    assert "the median slice (how long a thread held the GIL before it changed hands) was 5.19 ms" in en
    assert "median thread" not in en
    assert "медіанний відрізок" in uk and "5,19 мс" in uk and "медіанний потік" not in uk


# ---- starved threads ---------------------------------------------------------------------------------------------


def with_waits(waits: list[float], wall: float = 8.0, kind: str = "numpy") -> dict[str, Any]:
    threads = [dict(thread(kind, 50.0, i + 1), gil_wait_s=w) for i, w in enumerate(waits)]
    return summary(threads, handoffs=400, wall=wall)


def test_a_thread_that_waited_most_of_the_run_is_named() -> None:
    """The NumPy thread that waited 7.44 s of an 8 s run."""
    s = with_waits([7.44, 0.3])
    en, uk = reading(s, "en"), reading(s, "uk")
    assert "1 thread waited for the GIL most of the run: “numpy-1” (numpy) 7.44 s of 8 s." in en
    assert "numpy-2" not in en
    assert "1 потік чекав на GIL більшу частину запуску: «numpy-1» (numpy) — 7,44 с із 8 с." in uk


@pytest.mark.parametrize(
    ("waits", "en", "uk"),
    [
        ([4.1, 4.2], "2 threads waited", "2 потоки чекали"),
        ([6.0] * 5, "5 threads waited", "5 потоків чекали"),
        ([3.9, 4.0, 2.0], None, None),  # half the run is not most of it
    ],
)
def test_starved_threads_are_counted_in_both_languages(waits: list[float], en: str | None, uk: str | None) -> None:
    s = with_waits(waits)
    if en is None:
        assert "most of the run" not in reading(s, "en") and "більшу частину" not in reading(s, "uk")
        return
    assert en in reading(s, "en") and uk in reading(s, "uk")
    if len(waits) > 3:
        assert "and 2 more" in reading(s, "en") and "і ще 2" in reading(s, "uk")


# ---- recorded runs -----------------------------------------------------------------------------------------------


def with_pairs(raw: Any, ratio: float, rounds: int = 8) -> Any:
    """A recorded run with a comparison of interleaved rounds whose every pair has this ratio (A B B A order)."""
    seq_ns = 100_000_000
    pairs = [[round(seq_ns * ratio * (1 + 0.001 * (i % 3))), seq_ns] for i in range(rounds)]
    return dataclasses.replace(raw, baseline={"pairs_ns": pairs, "order": "ABBA"})


@pytest.mark.parametrize("name", ["cpu1_lone.json", "cpu2_sleep1_1ms.json", "zlib2.json"])
@pytest.mark.parametrize("lang", LANGS)
def test_recorded_runs_read_true(recorded: Any, name: str, lang: str) -> None:
    raw = recorded(name)
    s = summarize(raw)
    text = reading(s, lang)
    # starved: exactly the threads that waited more than half the run, each named
    for t in s["threads"]:
        named = (f"“{t['name']}”" if lang == "en" else f"«{t['name']}»") in text
        assert named == (t["gil_wait_s"] > STARVED * s["wall_s"]), (t, text)
    # the wait in intervals, where the run was a convoy
    wake = (s.get("io_wake_latency_ms") or {}).get("p50")
    m = re.search(INTERVAL_WORDS[lang], text)
    if m:
        assert wake is not None and abs(int(m.group(1)) - wake / (s["interval_s"] * 1000)) <= 0.5
    # the comparison, added: faster and slower as the pairs say
    for ratio, direction in ((0.661, 0), (1.56, 1)):
        said = baseline_sentence(reading(summarize(with_pairs(raw, ratio)), lang))
        got = re.search(FACTOR[lang], said)
        assert got, said
        assert got.group(2) == (("faster", "slower") if lang == "en" else ("швидше", "повільніше"))[direction]
        assert number(got.group(1)) == pytest.approx(1 / ratio if ratio < 1 else ratio, rel=0.01)


def test_the_convoy_recording_reads_two_intervals(recorded: Any) -> None:
    """cpu2_sleep1_1ms: a 1 ms interval and a 2.36 ms median wake-up, the case once written "about one"."""
    s = summarize(recorded("cpu2_sleep1_1ms.json"))
    assert "about 2 switch intervals of 1 ms" in reading(s, "en")
    assert "приблизно 2 інтервали перемикання по 1 мс" in reading(s, "uk")
