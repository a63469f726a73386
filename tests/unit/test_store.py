"""The SQLite store, on real files: round trips, filters and paging, migrations, retention, and damaged or
read-only databases that are reported and never written over."""

import hashlib
import os
import sqlite3
import time

import pytest

from gilscope.store import FILE_NAME, RunDB, RunRecord
from gilscope.store.migrations import VERSION


def record(rid: str, kinds=("cpu",), interval=0.005, status="done", created=None, lesson=None, group=None):
    return RunRecord(
        id=rid,
        created=created or time.time(),
        status=status,
        error=None,
        client="c1",
        spec={"mix": [{"kind": k, "threads": 2} for k in kinds], "switch_interval_s": interval, "duration_s": 1.0},
        summary={"handoffs": 42} if status == "done" else None,
        lesson=lesson,
        group_id=group,
    )


def test_round_trip_and_events(tmp_path):
    db = RunDB(tmp_path)
    db.save_run(record("a1"))
    db.save_events("a1", ['{"type":"hello"}', '{"type":"summary","summary":{}}'])
    db.close()
    again = RunDB(tmp_path)  # a restart
    got = again.get("a1")
    assert got.summary == {"handoffs": 42} and got.spec["switch_interval_s"] == 0.005
    assert again.events("a1") == ['{"type":"hello"}', '{"type":"summary","summary":{}}']
    assert again.get("zz") is None and again.events("zz") is None
    assert again.health()["ok"] and again.list_runs()[1] == 1
    assert (tmp_path / FILE_NAME).exists()
    with sqlite3.connect(tmp_path / FILE_NAME) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA user_version").fetchone()[0] == VERSION


def test_filters_and_paging_newest_first(tmp_path):
    db = RunDB(tmp_path)
    t = time.time()
    for i in range(30):
        db.save_run(
            record(
                f"r{i:02d}",
                kinds=("cpu", "sleep") if i % 2 else ("zlib",),
                created=t + i,
                interval=0.001 if i % 3 == 0 else 0.005,
                status="failed" if i == 7 else "done",
                lesson="C3" if i < 5 else None,
            )
        )
    rows, total = db.list_runs(limit=10)
    assert total == 30 and [r.id for r in rows][:3] == ["r29", "r28", "r27"]
    rows, total = db.list_runs(limit=10, offset=25)
    assert [r.id for r in rows] == ["r04", "r03", "r02", "r01", "r00"]
    assert db.list_runs(kind="sleep")[1] == 15 and db.list_runs(kind="sle")[1] == 0
    assert db.list_runs(interval_s=0.001)[1] == 10
    assert [r.id for r in db.list_runs(status="failed")[0]] == ["r07"]
    assert db.list_runs(lesson="C3")[1] == 5


def test_interrupted_runs_are_marked_and_earlier_runs_kept(tmp_path):
    db = RunDB(tmp_path)
    db.save_run(record("done1"))
    db.save_run(record("flight", status="running"))
    db.close()
    again = RunDB(tmp_path)
    assert again.mark_interrupted("interrupted") == 1
    assert again.get("flight").status == "failed" and again.get("flight").error == "interrupted"
    assert again.get("done1").status == "done"


def test_retention_drops_the_oldest_first(tmp_path):
    db = RunDB(tmp_path, keep_runs=5)
    for i in range(8):
        db.save_run(record(f"k{i}", created=1000 + i))
        db.save_events(f"k{i}", ["{}"])
    ids = [r.id for r in db.list_runs()[0]]
    assert ids == ["k7", "k6", "k5", "k4", "k3"]
    assert db.events("k0") is None  # its events went with it


def test_groups(tmp_path):
    db = RunDB(tmp_path)
    db.save_group("g1", "sweep", "C6 sweep")
    for i in range(3):
        db.save_run(record(f"s{i}", group="g1", created=10 + i))
    assert db.group("g1")["runs"] == ["s0", "s1", "s2"] and db.group("nope") is None


@pytest.mark.parametrize("content", [os.urandom(65536), b"SQLite format 3\x00" + os.urandom(8192), b"hello"])
def test_a_damaged_database_is_reported_and_never_written_over(tmp_path, content):
    path = tmp_path / FILE_NAME
    path.write_bytes(content)
    before = hashlib.sha256(content).hexdigest()
    db = RunDB(tmp_path)
    health = db.health()
    assert health["ok"] is False and "error" in health
    db.save_run(record("m1"))  # runs still work, in memory
    db.save_events("m1", ["{}"])
    assert db.get("m1").status == "done" and db.events("m1") == ["{}"]
    db.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [FILE_NAME]


def test_a_foreign_sqlite_file_is_left_alone(tmp_path):
    path = tmp_path / FILE_NAME
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE photos (x)")
    before = path.read_bytes()
    db = RunDB(tmp_path)
    assert db.health()["ok"] is False
    db.save_run(record("m1"))
    assert path.read_bytes() == before


def test_a_read_only_folder_still_serves_runs(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        db = RunDB(folder)
        assert db.health()["ok"] is False
        db.save_run(record("m1"))
        assert db.get("m1") is not None
    finally:
        folder.chmod(0o700)


def test_a_read_only_database_file_is_not_written(tmp_path):
    db = RunDB(tmp_path)
    db.save_run(record("a1"))
    db.close()
    path = tmp_path / FILE_NAME
    for p in tmp_path.iterdir():
        p.chmod(0o400)
    before = path.read_bytes()
    again = RunDB(tmp_path)
    assert again.health()["ok"] is False
    again.save_run(record("a2"))
    assert path.read_bytes() == before
