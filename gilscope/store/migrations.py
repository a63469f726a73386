"""The database's schema, as numbered steps: a new version appends a step, never edits an old one.

``PRAGMA user_version`` says which steps a file has; opening it applies the rest in one transaction each.
"""

from __future__ import annotations

import sqlite3

STEPS: tuple[str, ...] = (
    # 1: runs, their event streams (compressed), and groups (a sweep, a lesson's runs)
    """
    CREATE TABLE runs (
        id          TEXT PRIMARY KEY,
        created     REAL NOT NULL,
        started     REAL,
        finished    REAL,
        status      TEXT NOT NULL,
        error       TEXT,
        client      TEXT,
        spec        TEXT NOT NULL,          -- RunSpec as JSON
        figures     TEXT,                   -- the summary's key figures as JSON, for listings
        kinds       TEXT NOT NULL,          -- ",cpu,sleep," for filtering by workload kind
        interval_s  REAL NOT NULL,
        duration_s  REAL NOT NULL,
        threads     INTEGER NOT NULL,
        lesson      TEXT,                   -- claim id (C1..C10) when a lesson ran it
        group_id    TEXT,
        source      TEXT NOT NULL DEFAULT 'run'   -- 'run' (built-in workloads) or 'trace' (a user's program)
    );
    CREATE INDEX runs_created ON runs (created DESC);
    CREATE INDEX runs_group ON runs (group_id);
    CREATE INDEX runs_status ON runs (status, created DESC);
    CREATE INDEX runs_lesson ON runs (lesson, created DESC);
    CREATE INDEX runs_interval ON runs (interval_s, created DESC);
    CREATE TABLE summaries (                -- apart from runs, so that listing and filtering read small rows
        run_id      TEXT PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
        data        TEXT NOT NULL           -- Summary as JSON
    );
    CREATE TABLE events (
        run_id      TEXT PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
        count       INTEGER NOT NULL,
        data        BLOB NOT NULL           -- zlib of the events' JSON, one per line, in order
    );
    CREATE TABLE groups (
        id          TEXT PRIMARY KEY,
        kind        TEXT NOT NULL,          -- 'sweep' or 'lesson'
        label       TEXT NOT NULL,
        created     REAL NOT NULL
    );
    """,
    # 2: a run's name and note, given by people (PATCH /api/runs/{id}); a run saved again keeps them
    """
    ALTER TABLE runs ADD COLUMN name TEXT;
    ALTER TABLE runs ADD COLUMN note TEXT;
    """,
    # 3: a lesson's last verdict outlives the server: a group's end, its runs in the plan's order, and its verdict
    """
    ALTER TABLE groups ADD COLUMN finished REAL;    -- when its last run ended
    ALTER TABLE groups ADD COLUMN steps TEXT;       -- JSON: [{key, repeat, run_id, status}] in the plan's order
    ALTER TABLE groups ADD COLUMN verdict TEXT;     -- JSON: {"en": Verdict, "uk": Verdict}, a lesson's groups only
    CREATE INDEX groups_lesson ON groups (kind, label, finished DESC);
    """,
)

VERSION = len(STEPS)


def migrate(db: sqlite3.Connection) -> int:
    """Brings the file up to VERSION; returns the version it found. A newer file than this code is refused."""
    found = int(db.execute("PRAGMA user_version").fetchone()[0])
    if found > VERSION:
        raise sqlite3.DatabaseError(f"the database is version {found}, newer than this gilscope ({VERSION})")
    for version in range(found, VERSION):
        try:
            db.executescript("BEGIN;" + STEPS[version] + f";PRAGMA user_version = {version + 1};COMMIT;")
        except sqlite3.Error:
            if db.in_transaction:
                db.rollback()
            raise
    return found
