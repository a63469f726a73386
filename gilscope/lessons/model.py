"""The lesson data model, the verdict every lesson ends in, and small helpers the verdict rules share.

Kept apart from the rules so that the web layer can import the types without the rules, and so that every rule
reads summaries and handles missing runs the same way. Texts are gettext messages (gilscope.locale): a lesson
holds English msgids and lazy messages, and a verdict is rendered in the language judge() is asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, get_args

from pydantic import BaseModel, ConfigDict, Field

from gilscope.locale import Message, _, ngettext

VerdictKind = Literal["confirmed", "nuanced", "outdated", "inconclusive"]
CONFIRMED: VerdictKind = "confirmed"
NUANCED: VerdictKind = "nuanced"
OUTDATED: VerdictKind = "outdated"
INCONCLUSIVE: VerdictKind = "inconclusive"
VERDICTS: tuple[VerdictKind, ...] = get_args(VerdictKind)

Summary = Mapping[str, Any]  # one run's summary, as the analysis builds it
Cell = str | float | bool | None
Row = dict[str, Cell]  # one row of a verdict's table: flat, JSON-ready


@dataclass(frozen=True)
class LessonRun:
    """One preset experiment of a lesson: a RunSpec body under a stable key the verdict rules look up."""

    key: str
    label: Message
    spec: dict[str, Any]


@dataclass(frozen=True)
class Lesson:
    """One claim of the notes with the runs that test it (and an optional sweep body). title, claim and
    experiment are English msgids: translate them with _() where they are shown."""

    id: str
    title: str
    claim: str
    experiment: str
    runs: tuple[LessonRun, ...]
    sweep: dict[str, Any] | None = None

    def run(self, key: str) -> LessonRun:
        for r in self.runs:
            if r.key == key:
                return r
        raise KeyError(f"{self.id} has no run {key!r}")


class Verdict(BaseModel):  # noqa: F821 (Repeat is defined below and resolved by model_rebuild)
    """What the measurements say about a claim, in one language. Every sentence is built from the numbers, never
    written ahead."""

    model_config = ConfigDict(frozen=True)

    lesson: str = Field(description="The claim's id, C1..C10")
    verdict: VerdictKind
    figure_label: str = Field(description="What the deciding figure is")
    figure: str = Field(description="The deciding figure, with its unit ('-' when there is none)")
    value: float | None = Field(
        default=None, description="The deciding figure's number, in the unit its text shows (null when there is none)"
    )
    text: str = Field(description="Why: the measured numbers and what they mean for the claim")
    table: list[Row] = Field(default_factory=list, description="The runs compared, for lessons that compare them")
    repeats: list[Repeat] = Field(
        default_factory=list,
        description="Each repeat's own verdict and deciding figure, when the lesson ran more than once",
    )
    disagree: bool = Field(
        default=False, description="The repeats came out with different verdicts (the verdict is then 'inconclusive')"
    )
    repeat: int = Field(
        default=0,
        description="The repeat (from 0) whose runs the figure and the text come from: the runs the verdict is about",
    )


class Repeat(BaseModel):
    """One repeat of a lesson's runs, judged alone: the spread of these is the verdict's noise."""

    model_config = ConfigDict(frozen=True)
    verdict: VerdictKind
    figure: str
    value: float | None = None


class Figure(NamedTuple):
    """A deciding figure: its number (in the unit the text shows; None when there is none) and its text, written
    from that number in the current language. Repeats are ordered by the number, never by parsing the text."""

    value: float | None
    text: str


class Finding(NamedTuple):
    """A rule's answer: a Verdict without the lesson's id and figure label, which the dispatcher adds."""

    verdict: VerdictKind
    figure: Figure
    text: str
    table: tuple[Row, ...] = ()


Results = Mapping[str, Summary]  # run key -> that run's summary
NONE = Figure(None, "-")  # no deciding figure


def join(*sentences: str) -> str:
    """Sentences in a row, skipping the empty ones."""
    return " ".join(s for s in sentences if s)


def percent(share: float) -> str:
    """A share as a whole percentage (0.47 -> 47%)."""
    return f"{share * 100:.0f}%"


def points(n: int) -> str:
    """A difference of percentages, in points that agree with the count."""
    return ngettext("{n} point", "{n} points", n).format(n=n)


def failed(summary: Any) -> bool:
    """A run that did not produce a usable summary: absent, an error record, or workload errors."""
    if not isinstance(summary, Mapping):
        return True
    return bool(summary.get("error")) or bool(summary.get("errors")) or "threads" not in summary


def missing(results: Mapping[str, Any], runs: tuple[LessonRun, ...]) -> list[LessonRun]:
    """The runs that are absent or failed."""
    return [r for r in runs if failed(results.get(r.key))]


def inconclusive_missing(absent: list[LessonRun]) -> Finding:
    text = ngettext(
        "No verdict yet: {n} of the lesson's runs did not finish with a usable measurement ({runs}). Run the lesson "
        "again; a run fails when a workload is unavailable under the chosen interpreter (NumPy for example) or "
        "when the run was stopped.",
        "No verdict yet: {n} of the lesson's runs did not finish with a usable measurement ({runs}). Run the lesson "
        "again; a run fails when a workload is unavailable under the chosen interpreter (NumPy for example) or "
        "when the run was stopped.",
        len(absent),
    )
    return Finding(INCONCLUSIVE, NONE, text.format(n=len(absent), runs="; ".join(str(r.label) for r in absent)))


def num(summary: Mapping[str, Any], *path: str) -> float | None:
    """A number nested in a summary, or None where any step is missing or null."""
    cur: Any = summary
    for step in path:
        if not isinstance(cur, Mapping) or cur.get(step) is None:
            return None
        cur = cur[step]
    return float(cur) if isinstance(cur, int | float) and not isinstance(cur, bool) else None


DECIDES = 0.05  # the difference a comparison must tell apart to carry a verdict (analysis.summary.DECIDES)


def undecided(comparisons: list[Any]) -> str | None:
    """Why comparisons with one thread that the machine's noise could not decide leave no verdict, naming the
    noise; None when each could (a comparison recorded before the noise was measured counts as decided)."""
    loud = [b for b in comparisons if isinstance(b, Mapping) and b.get("conclusive") is False]
    if not loud:
        return None
    n = len(loud)
    said = ngettext(
        "{n} of the {total} comparisons with one thread could not tell a {share} difference apart.",
        "{n} of the {total} comparisons with one thread could not tell a {share} difference apart.",
        n,
    ).format(n=n, total=len(comparisons), share=percent(DECIDES))
    noise = [x for b in loud if (x := num(b, "noise_pct")) is not None]
    res = [x for b in loud if (x := num(b, "resolution_pct")) is not None]
    if noise and res:
        said = join(
            said,
            _(
                "The machine's own speed varied up to {noise} between identical rounds: differences under {res} "
                "cannot be told apart."
            ).format(noise=percent(max(noise) / 100), res=percent(max(res) / 100)),
        )
    elif res:
        said = join(said, _("Differences under {res} cannot be told apart.").format(res=percent(max(res) / 100)))
    busy = [b for b in loud if isinstance(b.get("machine"), Mapping) and b["machine"].get("disturbed")]
    if busy:
        said = join(
            said,
            ngettext(
                "Other processes took CPU while {n} of them ran, which does not slow both kinds of round alike.",
                "Other processes took CPU while {n} of them ran, which does not slow both kinds of round alike.",
                len(busy),
            ).format(n=len(busy)),
        )
    return join(
        said,
        _(
            "On this machine the figures are noise, not physics: no conclusion about threads against one thread. "
            "Run the lesson again on a quieter machine."
        ),
    )


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
    """Rows for lessons that compare runs; flat dicts of str/float/bool only."""

    rows: list[Row] = field(default_factory=list)

    def add(self, **row: Cell) -> None:
        self.rows.append({k: (round(v, 4) if isinstance(v, float) else v) for k, v in row.items()})

    def freeze(self) -> tuple[Row, ...]:
        return tuple(self.rows)


Verdict.model_rebuild()


def code_line(h: Mapping[str, Any]) -> str:
    """Where a holder's line is, as a reader looks for it: the file's base name and the line (app.py:22)."""
    base = str(h.get("file") or "?").replace("\\", "/").rsplit("/", 1)[-1]
    line = h.get("line")
    return f"{base}:{line}" if isinstance(line, int) and not isinstance(line, bool) else base
