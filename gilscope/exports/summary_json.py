"""The run's record as one JSON document: id, spec, status, error and summary."""

from __future__ import annotations

import json
from typing import Any


def summary_json(record: dict[str, Any]) -> str:
    keep = ("id", "status", "error", "created", "started", "finished", "spec", "summary", "lesson", "group_id")
    return json.dumps({k: record.get(k) for k in keep}, indent=2, ensure_ascii=False) + "\n"
