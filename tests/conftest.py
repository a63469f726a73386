from __future__ import annotations

import json
from pathlib import Path

import pytest

from gilscope.analysis.summary import RawRun

DATA = Path(__file__).parent / "data"


@pytest.fixture
def recorded():
    def load(name: str) -> RawRun:
        return RawRun.from_json(json.loads((DATA / name).read_text()))

    return load
