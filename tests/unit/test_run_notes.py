"""A run's name and note in the store (migration 2), the history's folded listing, PATCH's body, and the group
comparison's pick of one run per spec: on real SQLite files, in this process."""

import sqlite3

import pytest
from pydantic import ValidationError

from gilscope.store import FILE_NAME, RunDB, RunRecord
from gilscope.store.migrations import STEPS, VERSION
from gilscope.web.history_pages import one_per_spec
from gilscope.web.notes_api import NAME_MAX, RunNotes
from tests.seed_store import LESSON_GROUP, SWEEP_GROUP, seed


def test_a_version_1_file_gains_names_and_keeps_its_runs(tmp_path):
    raw = sqlite3.connect(tmp_path / FILE_NAME)
    raw.executescript("BEGIN;" + STEPS[0] + ";PRAGMA user_version = 1;COMMIT;")
    raw.execute(
        "INSERT INTO runs (id, created, status, spec, kinds, interval_s, duration_s, threads) "
        "VALUES ('old1', 1.0, 'done', '{\"mix\": []}', ',cpu,', 0.005, 1.0, 2)"
    )
    raw.commit()
    raw.close()
    db = RunDB(tmp_path)
    assert db.health()["ok"] and db.health()["schema_version"] == VERSION >= 2
    old = db.get("old1")
    assert old is not None and old.status == "done" and old.name is None and old.note is None
    assert db.set_notes("old1", {"name": "the first run", "note": "before names existed"})
    db.close()
    with sqlite3.connect(tmp_path / FILE_NAME) as again:
        assert again.execute("PRAGMA user_version").fetchone()[0] == VERSION
    got = RunDB(tmp_path).get("old1")
    assert (got.name, got.note) == ("the first run", "before names existed")


def test_a_name_survives_the_run_being_saved_again_and_clears_with_empty(tmp_path):
    db = RunDB(tmp_path)
    run = RunRecord(id="r1", created=1.0, status="running", spec={"mix": [{"kind": "cpu", "threads": 1}]})
    db.save_run(run)
    assert db.set_notes("r1", {"name": "mine"})
    db.save_run(RunRecord(id="r1", created=1.0, status="done", spec=run.spec, summary={"handoffs": 3}))
    assert db.get("r1").name == "mine" and db.notes("r1") == {"name": "mine", "note": None}
    assert db.set_notes("r1", {"note": "a note"}) and db.get("r1").name == "mine"  # only what was given changes
    assert db.set_notes("r1", {"name": ""}) and db.get("r1").name is None
    assert not db.set_notes("nope", {"name": "x"})
    rows, _ = db.list_runs()
    assert rows[0].listed()["note"] == "a note"


def test_the_folded_listing_counts_a_group_once(tmp_path):
    ids = seed(tmp_path)
    db = RunDB(tmp_path)
    flat, total = db.list_runs()
    assert total == 9 and len(flat) == 9
    folded, groups = db.list_runs(fold=True)
    assert groups == 4  # two singles, the lesson, the sweep
    by_group = {r.group_id: r for r in folded}
    lesson, sweep = by_group[LESSON_GROUP].listed(), by_group[SWEEP_GROUP].listed()
    assert lesson["id"] == ids["lesson"][-1] and lesson["group"] == {"kind": "lesson", "lesson": "C3", "runs": 4}
    assert sweep["group"] == {"kind": "sweep", "lesson": "C8", "runs": 3}  # a sweep is tagged with its lesson
    assert [r.created for r in folded] == sorted((r.created for r in folded), reverse=True)
    only_done, n = db.list_runs(fold=True, status="done")
    assert n == 4 and {r.group_id: r.group_runs for r in only_done}[LESSON_GROUP] == 3  # the filters apply inside
    page, n = db.list_runs(fold=True, limit=2, offset=2)
    assert n == 4 and len(page) == 2


def test_one_run_per_spec_prefers_a_finished_one(tmp_path):
    ids = seed(tmp_path)
    db = RunDB(tmp_path)
    rows, _ = db.list_runs(group=LESSON_GROUP)
    picked = one_per_spec(ids["lesson"], {r.id: r for r in rows})
    # lesson1r0 failed: its repeat stands for the one-thread spec; the order is the order the specs first ran
    assert picked == ["lesson1r1", "lesson2r0"]
    assert one_per_spec(["x", "y"], {}) == ["x", "y"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "x" * (NAME_MAX + 1)}, "name"),
        ({"name": "two\nlines"}, "name"),
        ({"note": "bell\x07"}, "note"),
        ({"note": "y" * 2001}, "note"),
        ({"colour": "red"}, "colour"),
        ({}, None),
    ],
)
def test_a_bad_body_names_its_field(body, field):
    with pytest.raises(ValidationError) as err:
        RunNotes(**body)
    locs = [e["loc"] for e in err.value.errors()]
    assert (field,) in locs if field else locs == [()]


def test_a_good_body_is_trimmed():
    notes = RunNotes(name="  fast  ", note="line one\nline two\t ")
    assert (notes.name, notes.note) == ("fast", "line one\nline two")
    assert RunNotes(name="").name == ""
