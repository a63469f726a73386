"""Every test says what it costs by the folder it lives in, and carries that folder's marker:

- tests/unit/         `unit`: no subprocess, no server, no browser (tests/unit/conftest.py refuses a child)
- tests/integration/  `integration`: real children, real servers on loopback
- tests/browser/      `browser`: a real chromium against a real server

So `pytest -m unit` equals `pytest tests/unit`, and `pytest -m "not browser"` skips chromium; a test file outside
the three folders stops the run, so that no test escapes `make check` and `make test` both. `slow` stays where a
module or test sets it (real experiments for several seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent / "tests"
TIERS = ("unit", "integration", "browser")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    stray = set()
    for item in items:
        path = Path(item.path).resolve()
        tier = path.relative_to(TESTS).parts[0] if path.is_relative_to(TESTS) else None
        if tier in TIERS:
            item.add_marker(tier)
        else:
            stray.add(str(path))
    if stray:
        raise pytest.UsageError(
            f"tests in no tier (move them into tests/unit, integration or browser): {sorted(stray)}"
        )
