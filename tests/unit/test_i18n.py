"""The gettext catalogs guard every string the program shows: complete in both languages, never fuzzy, compiled,
and holding exactly the strings the package's Python and templates mark (extracted here with Babel, the same
way gilscope/locale/__init__.py documents)."""

from __future__ import annotations

import gettext
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from gilscope.lessons import VERDICTS, judge
from gilscope.locale import LANGS, forms, language, translation
from gilscope.locale import Message as LazyMessage
from gilscope.web.i18n import JS_STRINGS, language_name, pick_lang, table
from gilscope.workloads import KINDS

ROOT = Path(__file__).resolve().parents[2]
LOCALE = Path(str(files("gilscope.locale")))
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{(\w*)\}")
NPLURALS = {"en": 2, "uk": 3}
Key = tuple[str | None, str]  # (context, msgid)


def po(lang: str) -> Catalog:
    with open(LOCALE / lang / "LC_MESSAGES" / "gilscope.po", "rb") as f:
        return read_po(f, locale=lang)


def entries(catalog: Catalog) -> dict[Key, Message]:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog if m.id}


def _flat(x: Any) -> tuple[str, ...]:
    return (x,) if isinstance(x, str) else tuple(x)


def extracted() -> dict[Key, Any]:
    """What the package's Python files and templates mark for translation, found as `pybabel extract` does."""
    with open(LOCALE / "babel.cfg", encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found: dict[Key, Any] = {}
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found[(context, message if isinstance(message, str) else message[0])] = message
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_is_complete_and_not_fuzzy(lang: str) -> None:
    catalog = po(lang)
    assert catalog.num_plurals == NPLURALS[lang], catalog.plural_forms
    assert not catalog.fuzzy, "the header is marked fuzzy"
    for key, m in entries(catalog).items():
        assert not m.fuzzy, f"{lang}: fuzzy entry {key}"
        strings = [m.string] if isinstance(m.id, str) else list(m.string)
        if isinstance(m.id, str):
            assert isinstance(m.string, str)
        else:
            assert len(strings) == NPLURALS[lang], f"{lang}: {key} needs {NPLURALS[lang]} plural forms: {strings}"
        assert all(s and s.strip() for s in strings), f"{lang}: no translation for {key}"


@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_the_placeholders(lang: str) -> None:
    """A translation may reorder {placeholders} but not lose, add or misspell one (str.format would fail)."""
    for key, m in entries(po(lang)).items():
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        strings = [m.string] if isinstance(m.id, str) else list(m.string)
        for s in strings:
            assert set(PLACEHOLDER.findall(s)) == wanted, (lang, key, s)


def test_catalogs_hold_exactly_the_marked_strings() -> None:
    marked = extracted()
    assert len(marked) > 300
    for lang in LANGS:
        have = entries(po(lang))
        missing = sorted(set(marked) - set(have), key=str)
        stale = sorted(set(have) - set(marked), key=str)
        assert not missing, f"marked in the code but not in the {lang} catalog (run pybabel update): {missing}"
        assert not stale, f"in the {lang} catalog but no longer in the code: {stale}"
        for key, message in marked.items():  # a string marked as counted must be counted in the catalog too
            assert isinstance(message, str) == isinstance(have[key].id, str), (lang, key)


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalogs_are_up_to_date(lang: str) -> None:
    """The committed .mo says what the .po says (run `pybabel compile` after editing a .po)."""
    with open(LOCALE / lang / "LC_MESSAGES" / "gilscope.mo", "rb") as f:
        compiled = entries(read_mo(f))
    source = entries(po(lang))
    assert compiled.keys() == source.keys()
    for key, m in source.items():
        assert _flat(compiled[key].id) == _flat(m.id) and _flat(compiled[key].string) == _flat(m.string), (lang, key)
    assert read_mo(open(LOCALE / lang / "LC_MESSAGES" / "gilscope.mo", "rb")).plural_forms == po(lang).plural_forms


def test_the_package_loads_its_catalogs() -> None:
    for lang in LANGS:
        assert isinstance(translation(lang), gettext.GNUTranslations)
    with language("uk"):
        from gilscope.locale import _, ngettext

        assert _("Lessons") == "Уроки"
        assert [ngettext("{n} time", "{n} times", n).format(n=n) for n in (1, 3, 5, 11, 21, 22, 25)] == [
            "1 раз",
            "3 рази",
            "5 разів",
            "11 разів",
            "21 раз",
            "22 рази",
            "25 разів",
        ]
    assert forms("{n} CPU thread", "{n} CPU threads", "uk") == [
        "{n} потік обчислень",
        "{n} потоки обчислень",
        "{n} потоків обчислень",
    ]
    assert forms("{n} CPU thread", "{n} CPU threads", "en") == ["{n} CPU thread", "{n} CPU threads"]
    assert language_name("uk") == "Українською" and language_name("en") == "English"
    with pytest.raises(ValueError):
        translation("fr")


def test_no_plural_shortcuts() -> None:
    """Counted words agree with their numbers through ngettext: never "потоки(ів)", "потік(и)" or "thread(s)"."""
    hack = re.compile(r"\w\((s|es|и|ів|ей|і|а|ї)\)", re.IGNORECASE)
    for lang in LANGS:
        for key, m in entries(po(lang)).items():
            strings = [m.string] if isinstance(m.id, str) else list(m.string)
            for s in strings:
                assert not hack.search(s), (lang, key, s)


@pytest.mark.parametrize("lang", LANGS)
def test_page_table(lang: str) -> None:
    """window.T: every key translated from the catalog; counted keys as the language's plural forms."""
    t = table(lang)
    assert t.keys() == JS_STRINGS.keys()
    for key, value in t.items():
        counted = isinstance(JS_STRINGS[key], LazyMessage)
        assert isinstance(value, list if counted else str), key
        if counted:
            assert len(value) == NPLURALS[lang] and all("{n}" in v for v in value), (key, value)
    # keys the page builds from data: verdict names, release badges, the verdict tables' columns
    for v in VERDICTS:
        assert f"v_{v}" in t
    for k in KINDS.values():
        assert f"releases_{k.releases_gil}" in t
    from tests.unit.test_lessons import IDS, plausible

    for lid in IDS:
        for row in judge(lid, plausible(lid)).table:
            for column in row:
                assert column in ("run", "label") or f"col_{column}" in t, (lid, column)


def test_page_scripts_use_known_keys() -> None:
    used: dict[str, set[str]] = {"tr": set(), "plural": set()}
    for js in (ROOT / "gilscope" / "static").glob("*.js"):
        for fn, key in re.findall(r"\b(tr|plural)\(\"(\w+)\"\s*[,)]", js.read_text(encoding="utf-8")):
            used[fn].add(key)
    t = table("uk")
    assert used["tr"] | used["plural"] <= t.keys(), sorted((used["tr"] | used["plural"]) - t.keys())
    assert all(isinstance(t[k], list) for k in used["plural"]), sorted(used["plural"])
    scripts = "".join(js.read_text(encoding="utf-8") for js in (ROOT / "gilscope" / "static").glob("*.js"))
    built = re.compile(r"(st|v|col|releases)_")  # keys the scripts build from data (tested in test_page_table)
    unused = [k for k in t if f'"{k}"' not in scripts and not built.match(k)]
    assert not unused, f"window.T keys no script uses (drop them from i18n.JS_STRINGS): {unused}"


def test_pick_lang() -> None:
    assert pick_lang("uk", "en", "en") == "uk"
    assert pick_lang(None, "uk", "en") == "uk"
    assert pick_lang("fr", None, "de, uk;q=0.8, en;q=0.5") == "uk"
    assert pick_lang(None, None, "uk-UA,uk;q=0.9") == "uk"
    assert pick_lang(None, None, None) == "en"


def test_the_api_sends_the_reading_in_the_viewers_language() -> None:
    """The events stream's summary event (and GET /api/runs/{id}, through the same with_reading) carry
    summary["reading"] in the request's language."""
    import asyncio
    import concurrent.futures
    import json

    from gilscope.spec import RunSpec
    from gilscope.web.api import _stream, with_reading
    from gilscope.web.runs import Run
    from tests.unit.test_lessons import cpus

    run = Run("r1", RunSpec.model_validate({"mix": [{"kind": "cpu", "threads": 2}]}), "test")
    run.events = [json.dumps({"type": "tick", "t_s": 0.5}), json.dumps({"type": "summary", "summary": cpus(2)})]
    run.status = "done"

    async def collect(lang: str) -> list[dict[str, Any]]:
        return [json.loads(str(e.raw_data)) async for e in _stream(run, 0, lang)]

    for lang, words in (("en", "2 threads ran"), ("uk", "2 потоки працювали")):
        with concurrent.futures.ThreadPoolExecutor(1) as pool:  # a loop of its own, whatever runs in this thread
            tick, final = pool.submit(asyncio.run, collect(lang)).result()
        assert "reading" not in tick and final["summary"]["reading"].startswith(words)
        assert json.loads(run.events[-1])["summary"].get("reading") is None  # the stored event stays neutral
        view = with_reading(cpus(2), lang)
        assert view is not None and view["reading"].startswith(words)
    assert with_reading(None, "uk") is None


def test_api_refusals_speak_the_request_language() -> None:
    from types import SimpleNamespace

    from gilscope.web.api import refusal
    from gilscope.web.runs import QueueFull, RateLimited

    m: Any = SimpleNamespace(limits=SimpleNamespace(queue_length=2, runs_per_client_per_minute=21))
    assert refusal(QueueFull("x"), m, "en") == "The queue is full (2 runs waiting); try again shortly."
    assert refusal(QueueFull("x"), m, "uk") == "Черга заповнена (чекають 2 запуски); спробуйте трохи згодом."
    assert refusal(RateLimited("x"), m, "uk").startswith("Не більше 21 запуску від одного клієнта")
