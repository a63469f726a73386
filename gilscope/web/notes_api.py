"""Naming and noting a run: PATCH /api/runs/{id} with a name and/or a note, kept in the store with the run.

A class keeps many runs; "2 CPU threads at 0.1 ms, Olena's" is easier to find again than a time of day. Anyone
who can see a run may name it (the history is the class's); the bounds keep the store and the pages small.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from gilscope.locale import _, language
from gilscope.web.deps import not_found, service
from gilscope.web.i18n import request_lang

router = APIRouter()

NAME_MAX, NOTE_MAX = 80, 2000  # characters


class RunNotes(BaseModel):
    """A run's name and note: either or both; an empty one clears it."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=NAME_MAX, description=f"One line, at most {NAME_MAX} characters")
    note: str | None = Field(None, max_length=NOTE_MAX, description=f"At most {NOTE_MAX} characters")

    @field_validator("name")
    @classmethod
    def _one_line(cls, v: str | None) -> str | None:
        if v is None:
            return v
        if any(unicodedata.category(c) == "Cc" for c in v):
            raise ValueError("a name is one line of text: no line breaks, tabs or control characters")
        return v.strip()

    @field_validator("note")
    @classmethod
    def _text(cls, v: str | None) -> str | None:
        if v is None:
            return v
        if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in v):
            raise ValueError("a note is text: no control characters but line breaks and tabs")
        return v.strip()

    @model_validator(mode="after")
    def _something(self) -> RunNotes:
        if not self.model_fields_set & {"name", "note"}:
            raise ValueError("give a name, a note or both")
        return self


@router.patch("/api/runs/{run_id}", responses={404: {"description": "No such run"}})
async def name_run(run_id: str, notes: RunNotes, request: Request, lang: str = Depends(request_lang)) -> dict[str, Any]:
    """Names and/or notes a run (an empty string clears either); the answer is the run's name and note now.
    422 names the field at fault (`name`, `note`)."""
    m = service(request)
    given = {k: getattr(notes, k) for k in notes.model_fields_set & {"name", "note"}}
    try:
        found = await m.set_notes(run_id, given)
    except Exception:  # the store failed (full disk, damaged file): said, not hidden
        with language(lang):
            raise HTTPException(503, _("The run's name could not be saved: the store failed.")) from None
    if not found:
        raise not_found(run_id, lang)
    record = await m.lookup(run_id)
    return {"id": run_id, "name": record.name if record else None, "note": record.note if record else None}
