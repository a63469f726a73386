"""One run as the store keeps it: the record a stored run and a live one (web/) both give, built in one place, so
no caller branches on where a run is or spells its shape again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

RUN_COLUMNS = (
    "id",
    "created",
    "started",
    "finished",
    "status",
    "error",
    "client",
    "spec",
    "summary",
    "lesson",
    "group_id",
    "source",
)
# What people give a run after it ran (PATCH /api/runs/{id}): stored beside the run's columns, never written by
# saving the run again (a run that ends after it was named keeps its name).
NOTE_COLUMNS = ("name", "note")


@dataclass(frozen=True)
class RunRecord:
    """A run's record, its events apart. `summary` is the whole summary (None in a listing, which carries the key
    `figures` instead); `source` says which pipeline made it: "run" (an experiment) or "trace" (a user's program)."""

    id: str
    created: float
    status: str
    spec: dict[str, Any]
    started: float | None = None
    finished: float | None = None
    error: str | None = None
    client: str | None = None
    summary: dict[str, Any] | None = None
    lesson: str | None = None
    group_id: str | None = None
    source: str = "run"
    figures: dict[str, Any] | None = None  # a listing's key figures (list_runs), in place of the summary
    name: str | None = None  # given by people, see NOTE_COLUMNS
    note: str | None = None
    group_kind: str | None = None  # a listing's: the run's group is a "sweep" or a "lesson" (its record's kind)
    group_label: str | None = None  # the group's lesson (C1..C10), for a sweep too
    group_runs: int | None = None  # a folded listing's: how many runs of its group match the filters

    def as_dict(self) -> dict[str, Any]:
        """The stored columns, as GET /api/runs/{id} gives a stored run and the summary export reads them."""
        return {**{k: getattr(self, k) for k in RUN_COLUMNS}, **{k: getattr(self, k) for k in NOTE_COLUMNS}}

    def listed(self) -> dict[str, Any]:
        """A row of a listing (GET /api/runs): the columns but the summary, and the key figures."""
        row = {k: getattr(self, k) for k in RUN_COLUMNS if k != "summary"}
        row.update({k: getattr(self, k) for k in NOTE_COLUMNS})
        row["figures"] = self.figures if self.figures is not None else {}
        if self.group_id is not None:
            row["group"] = {"kind": self.group_kind, "lesson": self.group_label or None, "runs": self.group_runs}
        return row
