"""Runs that last: the SQLite store (see db.py), and saving a run that no server drove (saving.py)."""

from gilscope.store.db import FILE_NAME, RunDB, data_dir
from gilscope.store.record import RunRecord
from gilscope.store.saving import NotSaved, save_finished, save_trace, trace_spec

__all__ = ["FILE_NAME", "NotSaved", "RunDB", "RunRecord", "data_dir", "save_finished", "save_trace", "trace_spec"]
