"""Runs that last: the SQLite store (see db.py)."""

from gilscope.store.db import FILE_NAME, RunDB, data_dir

__all__ = ["FILE_NAME", "RunDB", "data_dir"]
