"""The one way gilscope speaks two languages: gettext catalogs, English msgids, Ukrainian and English translations.

Every string the program shows (pages, the page scripts' table, API messages, lessons and verdicts, the run's
plain-language reading) is marked in the source with ``_()``, ``ngettext()``, ``N_()`` (marked now, translated
where it is shown) or ``lazy_gettext()`` / ``lazy_ngettext()`` (a message with values, built once and shown in
many languages), and translated from ``locale/<lang>/LC_MESSAGES/gilscope.mo`` in the language of the request
(``language(lang)``). The ``.po`` files are the sources; the ``.mo`` files are compiled from them and committed,
so that a wheel carries them (tests/test_i18n.py fails when one is stale, incomplete, fuzzy or misses a string).

After changing a marked string, from the repository's root (Babel comes with the test extra)::

    pybabel extract -F gilscope/locale/babel.cfg -k lazy_gettext -k lazy_ngettext:1,2 \\
        --no-location --sort-output --omit-header -o /tmp/gilscope.pot .
    pybabel update -i /tmp/gilscope.pot -d gilscope/locale -D gilscope --ignore-obsolete --no-fuzzy-matching -w 120
    # translate the new or changed entries in gilscope/locale/{uk,en}/LC_MESSAGES/gilscope.po, then
    pybabel compile -d gilscope/locale -D gilscope --statistics

(The English catalog translates every msgid to itself, so that a missing entry is caught there too.)

Stdlib only: the workloads' catalogue marks its texts with ``N_`` from here, and the experiment's worker imports
that catalogue under any CPython on the list.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from importlib.resources import as_file, files

LANGS = ("en", "uk")
DEFAULT = "en"
DOMAIN = "gilscope"

_current: ContextVar[str] = ContextVar("gilscope_language", default=DEFAULT)


@cache
def translation(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog of one language, read once. English falls back to the msgids themselves (they are
    English); Ukrainian must be there, or the package was built without its catalogs."""
    if lang not in LANGS:
        raise ValueError(f"no language {lang!r}; gilscope speaks {', '.join(LANGS)}")
    with as_file(files(__name__)) as localedir:
        return _gettext.translation(DOMAIN, localedir=str(localedir), languages=[lang], fallback=lang == DEFAULT)


def current() -> str:
    """The language being rendered now (English unless inside ``language()``)."""
    return _current.get()


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Render in ``lang`` inside the block: every ``_()``, ``ngettext()`` and lazy message reads it."""
    translation(lang)  # an unknown language fails here, not in the middle of a sentence
    token = _current.set(lang)
    try:
        yield
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """The message in the current language."""
    return translation(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted message that agrees with n in the current language (uk has three, en two)."""
    return translation(current()).ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the conventional name of gettext's no-op marker
    """Marks a message for the catalog without translating it: it is translated with ``_()`` where it is shown."""
    return message


def forms(singular: str, plural: str, lang: str) -> list[str]:
    """Every plural form of a counted message in one language, in the catalog's order (en: one, other;
    uk: one, few, many), for the page's scripts to choose from."""
    t = translation(lang)
    choose = getattr(t, "plural", None)  # GNUTranslations has the catalog's Plural-Forms rule; the fallback not
    if choose is None:
        return [singular, plural]
    first: dict[int, int] = {}
    for n in range(200):  # 0..199 meets every form of both languages (11-14 and 111-114 included)
        first.setdefault(choose(n), n)
    return [t.ngettext(singular, plural, first[i]) for i in sorted(first)]


def decimal(x: float, digits: int = 2) -> str:
    """A number with fixed decimals in the current language: 1,234.50 in English, 1 234,50 in Ukrainian."""
    text = f"{x:,.{digits}f}"
    return text.replace(",", "\u202f").replace(".", ",") if current() == "uk" else text


def short(x: float) -> str:
    """A number as short as it can be written (5, 0.1, 0.05), with the current language's decimal mark."""
    text = f"{x:g}"
    return text.replace(".", ",") if current() == "uk" else text


def significant(x: float, digits: int = 3) -> str:
    """A measured figure to a few significant digits (4.64, 0.0123, 290), whole and grouped from 1000 up."""
    if abs(x) >= 1000:
        return decimal(round(x), 0)
    return short(float(f"{x:.{digits}g}"))


@dataclass(frozen=True)
class Message:
    """A message translated when it is shown, not when it is made: lessons are built once and read in either
    language. Its values are put into the translated text with str.format; a float value is written in the
    reader's language (short()), and a Message value is translated too."""

    singular: str
    plural: str | None = None
    n: int = 0
    values: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        text = _(self.singular) if self.plural is None else ngettext(self.singular, self.plural, self.n)
        return text.format(**{k: short(v) if isinstance(v, float) else v for k, v in self.values})


def lazy_gettext(message: str, /, **values: object) -> Message:
    return Message(message, values=tuple(values.items()))


def lazy_ngettext(singular: str, plural: str, n: int, /, **values: object) -> Message:
    return Message(singular, plural, n, tuple(values.items()))
