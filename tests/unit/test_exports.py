"""Exports of a finished run's plain data (a real run's streams: tests/integration/test_exports_real.py)."""

import json

from gilscope.exports import summary_json


def test_summary_json_round_trips():
    rec = {"id": "ab12", "status": "done", "spec": {"mix": []}, "summary": {"handoffs": 3}, "error": None}
    assert json.loads(summary_json(rec))["summary"] == {"handoffs": 3}
