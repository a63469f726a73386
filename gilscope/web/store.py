"""A small on-disk index of runs (status, spec, summary), so a restart can say which runs it interrupted."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any


def data_dir() -> Path:
    return Path(os.environ.get("GILSCOPE_DATA") or Path.home() / ".local" / "share" / "gilscope")


class RunStore:
    def __init__(self, folder: Path | None = None, keep: int = 500) -> None:
        self.folder = folder or data_dir()
        self.keep = keep
        self.lock = threading.Lock()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.path: Path | None = self.folder / "runs.json"
        except OSError:
            self.path = None  # read-only disk: runs still work, they are just not remembered
        self.records: dict[str, dict[str, Any]] = self.load()

    def load(self) -> dict[str, dict[str, Any]]:
        if self.path is None or not self.path.exists():
            return {}
        try:
            return json.loads(self.path.read_text())
        except (OSError, ValueError):
            return {}

    def save(self, run: Any) -> None:
        self.write_record(run.id, {"status": run.status, "spec": run.spec.model_dump(), "summary": run.summary,
                                   "error": run.error, "created": run.created, "finished": run.finished})

    def write_record(self, rid: str, record: dict[str, Any]) -> None:
        with self.lock:
            self.records[rid] = record
            while len(self.records) > self.keep:
                self.records.pop(next(iter(self.records)))
            if self.path is None:
                return
            tmp = self.path.with_suffix(".tmp")
            try:
                tmp.write_text(json.dumps(self.records))
                os.replace(tmp, self.path)
            except OSError:
                pass
