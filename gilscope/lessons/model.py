"""The lesson data model, and small helpers the verdict rules share.

Kept apart from the rules so that the web layer can import the types without the rules, and so that every rule
formats numbers and handles missing runs the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

CONFIRMED = "confirmed"
NUANCED = "nuanced"
OUTDATED = "outdated"
INCONCLUSIVE = "inconclusive"
VERDICTS = (CONFIRMED, NUANCED, OUTDATED, INCONCLUSIVE)

Summary = dict[str, Any]


@dataclass(frozen=True)
class LessonRun:
    """One preset experiment of a lesson: a RunSpec body under a stable key the verdict rules look up."""

    key: str
    label_en: str
    label_uk: str
    spec: dict[str, Any]


@dataclass(frozen=True)
class Lesson:
    """One claim of the notes, both languages, with the runs that test it (and an optional sweep body)."""

    id: str
    title_en: str
    title_uk: str
    claim_en: str
    claim_uk: str
    experiment_en: str
    experiment_uk: str
    runs: tuple[LessonRun, ...]
    sweep: dict[str, Any] | None = None

    def run(self, key: str) -> LessonRun:
        for r in self.runs:
            if r.key == key:
                return r
        raise KeyError(f"{self.id} has no run {key!r}")


@dataclass(frozen=True)
class Verdict:
    """What the measurements say about a claim. Every sentence is built from the numbers, never written ahead."""

    verdict: str
    figure_label_en: str
    figure_label_uk: str
    figure: str
    text_en: str
    text_uk: str
    table: tuple[dict[str, Any], ...] = ()
    figure_uk: str = ""  # the same figure with Ukrainian units and decimal commas ("" when there is none)

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")


@dataclass(frozen=True)
class Text:
    """A sentence in both languages: rules build these so that no string exists in one language only."""

    en: str
    uk: str

    def __add__(self, other: Text) -> Text:
        return Text(f"{self.en} {other.en}".strip(), f"{self.uk} {other.uk}".strip())


Results = Mapping[str, Summary]  # run key -> that run's summary
Rule = Callable[[Results, Text], Verdict]  # one lesson's verdict rule
NONE = Text("-", "-")  # no deciding figure


def en(x: float, digits: int = 2) -> str:
    """English number: decimal point, comma thousands."""
    return f"{x:,.{digits}f}"


def uk(x: float, digits: int = 2) -> str:
    """Ukrainian number: decimal comma, space thousands."""
    return f"{x:,.{digits}f}".replace(",", "\u202f").replace(".", ",")


def uk_plural(n: int, one: str, few: str, many: str) -> str:
    """The Ukrainian noun form that agrees with an integer count (1 передача, 2 передачі, 5 передач)."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def verdict(kind: str, label: Text, figure: Text, text: Text, table: tuple[dict[str, Any], ...] = ()) -> Verdict:
    return Verdict(kind, label.en, label.uk, figure.en, text.en, text.uk, table, figure.uk)


def failed(summary: Any) -> bool:
    """A run that did not produce a usable summary: absent, an error record, or workload errors."""
    if not isinstance(summary, Mapping):
        return True
    return bool(summary.get("error")) or bool(summary.get("errors")) or "threads" not in summary


def missing(results: Mapping[str, Any], runs: tuple[LessonRun, ...], keys: list[str] | None = None) -> list[LessonRun]:
    """The runs (of those named by keys, default all) that are absent or failed."""
    wanted = [r for r in runs if keys is None or r.key in keys]
    return [r for r in wanted if failed(results.get(r.key))]


def inconclusive_missing(absent: list[LessonRun], label: Text) -> Verdict:
    names_en = "; ".join(r.label_en for r in absent)
    names_uk = "; ".join(r.label_uk for r in absent)
    text = Text(
        f"No verdict yet: {len(absent)} of the lesson's runs did not finish with a usable measurement "
        f"({names_en}). Run the lesson again; a run fails when a workload is unavailable under the chosen "
        "interpreter (NumPy for example) or when the run was stopped.",
        f"Висновку поки немає: {len(absent)} із запусків уроку не дали придатного вимірювання "
        f"({names_uk}). Запустіть урок ще раз; запуск не вдається, коли навантаження недоступне в обраному "
        "інтерпретаторі (наприклад, NumPy) або коли запуск зупинили.")
    return verdict(INCONCLUSIVE, label, Text("-", "-"), text)


def num(summary: Mapping[str, Any], *path: str) -> float | None:
    """A number nested in a summary, or None where any step is missing or null."""
    cur: Any = summary
    for step in path:
        if not isinstance(cur, Mapping) or cur.get(step) is None:
            return None
        cur = cur[step]
    return float(cur) if isinstance(cur, int | float) and not isinstance(cur, bool) else None


def gil_on(summary: Mapping[str, Any]) -> bool:
    """True unless the run's interpreter reported it ran without a GIL (unknown counts as on, like CPython)."""
    return (summary.get("python") or {}).get("gil_enabled") is not False


def threads_of(summary: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    return [t for t in summary.get("threads", []) if t.get("kind") == kind]


def kind_rate(summary: Mapping[str, Any], kind: str) -> float | None:
    """Units per second summed over the threads of one kind."""
    rates = [t.get("units_per_s") for t in threads_of(summary, kind)]
    if not rates or any(r is None for r in rates):
        return None
    return float(sum(float(r) for r in rates if r is not None))


def interval_ms(summary: Mapping[str, Any]) -> float:
    """The interval the run really had (read back), else the one asked for."""
    v = summary.get("interval_s") or summary.get("interval_set_s") or 0.005
    return float(v) * 1e3


@dataclass(frozen=True)
class Table:
    """Rows for lessons that compare runs; flat dicts of str/float only."""

    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(self, **row: Any) -> None:
        self.rows.append({k: (round(v, 4) if isinstance(v, float) else v) for k, v in row.items()})

    def freeze(self) -> tuple[dict[str, Any], ...]:
        return tuple(self.rows)
