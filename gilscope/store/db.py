"""Stored runs: one SQLite file, ``$GILSCOPE_DATA/gilscope.sqlite3`` (stdlib sqlite3, WAL).

Each finished run keeps its spec, status, summary and complete event stream (zlib-compressed), so a permalink
re-renders it after any restart without running it again. The only module that imports sqlite3.

A file that is not a gilscope database (damaged, foreign, newer, unreadable, read-only) is never written to: the
store then keeps this session's runs in memory, and ``health()`` says what is wrong, so the server still starts
and runs still work. Methods block; the web layer calls them from a worker thread, never on its event loop.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gilscope.store.migrations import VERSION, migrate
from gilscope.store.record import NOTE_COLUMNS, RUN_COLUMNS, RunRecord

FILE_NAME = "gilscope.sqlite3"
SQLITE_MAGIC = b"SQLite format 3\x00"

FIGURES = (
    "handoffs",
    "handoffs_per_s",
    "cores_used",
    "wall_s",
    "slice_ms.p50",
    "baseline.threaded_over_sequential",
    "baseline.conclusive",  # false: the run's own noise left the ratio undecided (the listing says so)
)
LISTED = [c for c in RUN_COLUMNS if c != "summary"] + list(NOTE_COLUMNS) + ["figures"]
# A listing's columns, each run's group's kind and lesson with them (groups g, joined on the run's group)
LIST_COLUMNS = ", ".join([f"r.{c}" for c in LISTED] + ["g.kind AS group_kind", "g.label AS group_label"])


def data_dir() -> Path:
    return Path(os.environ.get("GILSCOPE_DATA") or Path.home() / ".local" / "share" / "gilscope")


class RunDB:
    def __init__(self, folder: Path | None = None, keep_runs: int = 10_000, max_bytes: int = 2 << 30) -> None:
        self.keep_runs, self.max_bytes = keep_runs, max_bytes
        self.lock = threading.Lock()
        self.path: Path | None = (folder or data_dir()) / FILE_NAME
        self.error: str | None = None
        try:
            self.db = self._open(self.path)
        except (OSError, sqlite3.Error) as exc:
            self.error = f"{self.path}: {exc}; runs are kept in memory until the server stops"
            self.path = None
            self.db = self._connect(":memory:")
            migrate(self.db)

    # -- opening -----------------------------------------------------------------------------------------
    @staticmethod
    def _connect(target: str) -> sqlite3.Connection:
        db = sqlite3.connect(target, check_same_thread=False, timeout=5)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys = ON")
        return db

    def _open(self, path: Path) -> sqlite3.Connection:
        """Opens (or creates) the file, refusing anything that is not a gilscope database before SQLite
        touches it: a garbage file handed to SQLite could be 'repaired' over."""
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > 0:
            with open(path, "rb") as f:
                if f.read(16) != SQLITE_MAGIC:
                    raise sqlite3.DatabaseError("not an SQLite database (damaged?); left as it is")
            if not _writable(path) or not _writable(path.parent):
                raise OSError("the database or its folder is read-only")
        elif not _writable(path.parent):
            raise OSError("the data folder is read-only")
        db = self._connect(str(path))
        try:  # read-only checks first: nothing is written until the file is known to be ours
            ok = db.execute("PRAGMA quick_check").fetchone()[0]
            if ok != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {ok}")
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if tables and "runs" not in tables:
                raise sqlite3.DatabaseError("an SQLite file of something else, not gilscope's runs")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            migrate(db)
        except sqlite3.Error:
            db.close()
            raise
        return db

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self.lock, self.db:
            yield self.db

    def health(self) -> dict[str, Any]:
        """Cheap and lock-free: /healthz asks it often and must never wait behind a write."""
        out: dict[str, Any] = {
            "ok": self.error is None,
            "schema_version": VERSION,
            "path": str(self.path) if self.path else None,
        }
        if self.error:
            out["error"] = self.error
        return out

    def _failed(self, exc: sqlite3.Error) -> None:
        """A write that failed after a good start (disk full, file damaged meanwhile): said, never raised."""
        self.error = f"{self.path}: {exc}"

    # -- runs --------------------------------------------------------------------------------------------
    def save_run(self, record: RunRecord) -> None:
        """Inserts or updates one run."""
        spec = record.spec
        kinds = "," + ",".join(sorted({g["kind"] for g in spec.get("mix", [])})) + ","
        summary = record.summary
        row: dict[str, Any] = {k: getattr(record, k) for k in RUN_COLUMNS if k != "summary"}
        row.update(
            spec=json.dumps(spec),
            figures=json.dumps(_figures(summary)) if summary else None,
            kinds=kinds,
            interval_s=float(spec.get("switch_interval_s", 0.005)),
            duration_s=float(spec.get("duration_s", 0)),
            source=record.source or "run",
            threads=sum(int(g.get("threads", 1)) for g in spec.get("mix", [])),
        )
        cols = list(row)
        try:
            with self._tx() as db:
                db.execute(
                    f"INSERT INTO runs ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
                    f"ON CONFLICT (id) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in cols if c != "id"),
                    [row[c] for c in cols],
                )
                if summary:
                    db.execute(
                        "INSERT OR REPLACE INTO summaries (run_id, data) VALUES (?, ?)",
                        (row["id"], json.dumps(summary)),
                    )
        except sqlite3.Error as exc:
            self._failed(exc)

    def save_events(self, run_id: str, events: list[str]) -> None:
        data = zlib.compress("\n".join(events).encode(), 6)
        try:
            with self._tx() as db:
                db.execute(
                    "INSERT OR REPLACE INTO events (run_id, count, data) VALUES (?, ?, ?)", (run_id, len(events), data)
                )
        except sqlite3.Error as exc:
            self._failed(exc)
        self.prune()

    def get(self, run_id: str) -> RunRecord | None:
        with self.lock:
            row = self.db.execute(
                "SELECT runs.*, summaries.data AS summary FROM runs LEFT JOIN summaries ON run_id = id WHERE id = ?",
                (run_id,),
            ).fetchone()
        return _record(row) if row is not None else None

    def events(self, run_id: str) -> list[str] | None:
        with self.lock:
            row = self.db.execute("SELECT data FROM events WHERE run_id = ?", (run_id,)).fetchone()
        if row is None:
            return None
        text = zlib.decompress(row["data"]).decode()
        return text.split("\n") if text else []

    def list_runs(
        self,
        *,
        kind: str | None = None,
        interval_s: float | None = None,
        status: str | None = None,
        lesson: str | None = None,
        group: str | None = None,
        source: str | None = None,
        fold: bool = False,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[RunRecord], int]:
        """Runs newest first, filtered and paged, each with its key figures but not its whole summary; also
        how many match in all. Folded, a group's runs (a sweep's, a lesson's) count as one row: its newest run
        that matches, with how many of its runs match (`group_runs`)."""
        where: list[str] = []
        args: list[object] = []
        if kind:
            where.append("kinds LIKE ?")
            args.append(f"%,{kind},%")
        if interval_s is not None:
            where.append("abs(interval_s - ?) < 1e-9")
            args.append(interval_s)
        for column, value in (("status", status), ("lesson", lesson), ("group_id", group), ("source", source)):
            if value:
                where.append(f"{column} = ?")
                args.append(value)
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        join = " r LEFT JOIN groups g ON g.id = r.group_id"
        with self.lock:
            if fold:
                total = self.db.execute(
                    f"SELECT count(DISTINCT coalesce(group_id, id)) FROM runs{clause}", args
                ).fetchone()[0]
                rows = self.db.execute(
                    f"WITH m AS (SELECT *, row_number() OVER (PARTITION BY coalesce(group_id, id) "
                    f"ORDER BY created DESC) AS rank_in_group, count(*) OVER (PARTITION BY coalesce(group_id, id)) "
                    f"AS group_runs FROM runs{clause}) "
                    f"SELECT {LIST_COLUMNS}, r.group_runs FROM m{join} WHERE r.rank_in_group = 1 "
                    f"ORDER BY r.created DESC LIMIT ? OFFSET ?",
                    [*args, limit, offset],
                ).fetchall()
            else:
                total = self.db.execute(f"SELECT count(*) FROM runs{clause}", args).fetchone()[0]
                rows = self.db.execute(
                    f"SELECT {LIST_COLUMNS} FROM runs{join}{clause} ORDER BY r.created DESC LIMIT ? OFFSET ?",
                    [*args, limit, offset],
                ).fetchall()
        return [_listed(r) for r in rows], int(total)

    def set_notes(self, run_id: str, notes: dict[str, str | None]) -> bool:
        """Sets a run's name and/or note (NOTE_COLUMNS; None or "" clears one); False for a run the store
        does not have."""
        cols = [c for c in NOTE_COLUMNS if c in notes]
        if not cols:
            return self.get(run_id) is not None
        try:
            with self._tx() as db:
                changed = db.execute(
                    f"UPDATE runs SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
                    [notes[c] or None for c in cols] + [run_id],
                ).rowcount
        except sqlite3.Error as exc:
            self._failed(exc)
            raise
        return changed > 0

    def notes(self, run_id: str) -> dict[str, str | None]:
        """A run's name and note (None for each it has not, or for a run the store does not have)."""
        with self.lock:
            row = self.db.execute(f"SELECT {', '.join(NOTE_COLUMNS)} FROM runs WHERE id = ?", (run_id,)).fetchone()
        return {c: (row[c] if row is not None else None) for c in NOTE_COLUMNS}

    def mark_interrupted(self, message: str) -> int:
        """Runs left in flight by a server that stopped (or was killed): they ended there."""
        try:
            with self._tx() as db:
                return db.execute(
                    "UPDATE runs SET status = 'failed', error = ?, finished = coalesce(finished, ?) "
                    "WHERE status IN ('queued', 'running', 'cancelling')",
                    (message, time.time()),
                ).rowcount
        except sqlite3.Error as exc:
            self._failed(exc)
            return 0

    # -- groups ------------------------------------------------------------------------------------------
    def save_group(self, group_id: str, kind: str, label: str) -> None:
        try:
            with self._tx() as db:
                db.execute(
                    "INSERT OR IGNORE INTO groups (id, kind, label, created) VALUES (?, ?, ?, ?)",
                    (group_id, kind, label, time.time()),
                )
        except sqlite3.Error as exc:
            self._failed(exc)

    def group(self, group_id: str) -> dict[str, Any] | None:
        with self.lock:
            row = self.db.execute("SELECT * FROM groups WHERE id = ?", (group_id,)).fetchone()
            if row is None:
                return None
            ids = [
                r[0] for r in self.db.execute("SELECT id FROM runs WHERE group_id = ? ORDER BY created", (group_id,))
            ]
        return {**dict(row), "runs": ids}

    def finish_group(self, group_id: str, steps: list[dict[str, Any]], verdict: dict[str, Any] | None) -> None:
        """A group whose runs have all ended: its steps and (a lesson's) verdict in every language, kept."""
        try:
            with self._tx() as db:
                db.execute(
                    "UPDATE groups SET finished = ?, steps = ?, verdict = ? WHERE id = ?",
                    (time.time(), json.dumps(steps), json.dumps(verdict) if verdict is not None else None, group_id),
                )
        except sqlite3.Error as exc:
            self._failed(exc)

    def last_verdicts(self) -> dict[str, dict[str, Any]]:
        """Each lesson's latest finished group with a verdict: lesson id -> {id, created, finished, steps,
        verdict}."""
        with self.lock:
            rows = self.db.execute(
                "SELECT id, label, created, finished, steps, verdict FROM groups WHERE kind = 'lesson' AND "
                "verdict IS NOT NULL ORDER BY finished"
            ).fetchall()
        out: dict[str, dict[str, Any]] = {}
        for r in rows:  # oldest first: the latest of each lesson stays
            out[r["label"]] = {
                "id": r["id"],
                "lesson": r["label"],
                "created": r["created"],
                "finished": r["finished"],
                "steps": json.loads(r["steps"]) if r["steps"] else [],
                "verdict": json.loads(r["verdict"]),
            }
        return out

    # -- retention ---------------------------------------------------------------------------------------
    def size_bytes(self) -> int:
        if self.path is None:
            return 0
        return sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.exists())

    def prune(self) -> int:
        """Oldest finished runs first, until at most keep_runs remain and the file fits max_bytes."""
        removed = 0
        try:
            with self._tx() as db:
                extra = db.execute("SELECT count(*) FROM runs").fetchone()[0] - self.keep_runs
                if extra > 0:
                    removed += db.execute(
                        "DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE status IN "
                        "('done', 'failed', 'cancelled') ORDER BY created LIMIT ?)",
                        (extra,),
                    ).rowcount
            while self.size_bytes() > self.max_bytes:
                with self._tx() as db:
                    oldest = db.execute(
                        "SELECT run_id FROM events JOIN runs ON runs.id = run_id ORDER BY runs.created LIMIT 20"
                    ).fetchall()
                    if not oldest:
                        break
                    db.executemany("DELETE FROM runs WHERE id = ?", [(r[0],) for r in oldest])
                    removed += len(oldest)
                with self.lock:
                    self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    self.db.execute("VACUUM")
        except sqlite3.Error as exc:
            self._failed(exc)
        return removed

    def close(self) -> None:
        with self.lock:
            self.db.close()


def _writable(path: Path) -> bool:
    """Writable for us, and meant to be: a file or folder without write permission bits is read-only even for
    root, who could write it anyway."""
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o200)


def _figures(summary: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in FIGURES:
        value: Any = summary
        for part in name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        out[name] = value
    return out


def _listed(row: sqlite3.Row) -> RunRecord:
    """A listing's row: the key figures, not the whole summary; its group's kind and lesson, and when the
    listing is folded how many of its group's runs it stands for."""
    out: dict[str, Any] = {k: row[k] for k in LISTED if k != "figures"}
    out["spec"] = json.loads(row["spec"])
    out["figures"] = json.loads(row["figures"]) if row["figures"] else {}
    out["group_kind"], out["group_label"] = row["group_kind"], row["group_label"]
    out["group_runs"] = row["group_runs"] if "group_runs" in row.keys() else None
    return RunRecord(**out)


def _record(row: sqlite3.Row) -> RunRecord:
    out = {k: row[k] for k in (*RUN_COLUMNS, *NOTE_COLUMNS)}
    out["spec"] = json.loads(row["spec"])
    out["summary"] = json.loads(row["summary"]) if row["summary"] else None
    return RunRecord(**out)
