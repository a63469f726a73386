"""The study notes the lessons put to the test, shipped inside the package as data.

gil.uk.txt is the student's own page (Ukrainian, with its wiki links and callouts), copied unchanged; gil.en.md is
the English rendering beside it, which numbers the claims C1..C10 (its header names the files as they are here).
The lessons quote gil.uk.txt word for word (the Ukrainian catalog's claims); the tests check every quote.
"""

from __future__ import annotations

from importlib.resources import files

UKRAINIAN = "gil.uk.txt"
ENGLISH = "gil.en.md"


def read(name: str) -> str:
    return files(__name__).joinpath(name).read_text(encoding="utf-8")


def ukrainian() -> str:
    """The notes as the student wrote them."""
    return read(UKRAINIAN)


def english() -> str:
    """The English rendering, with claim ids in brackets."""
    return read(ENGLISH)
