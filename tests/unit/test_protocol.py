"""The worker's protocol: every message names itself in `type`, the runner refuses a line that is no message,
and a real worker speaks exactly the shapes experiment.protocol declares."""

from __future__ import annotations

from pathlib import Path

import pytest

from gilscope.experiment.protocol import (
    parse_message,
    parse_spec,
)

ROOT = Path(__file__).resolve().parents[2]


def test_messages_parse_by_their_type():
    assert parse_message('{"type": "started", "start_ns": 5, "deadline_ns": 9}')["type"] == "started"
    assert parse_message(b'{"type": "done", "errors": [], "cpu_total_ns": 1}')["type"] == "done"


@pytest.mark.parametrize(
    "line", ["not json", "[1, 2]", '"hello"', '{"start_ns": 5}', '{"type": "spec"}', '{"type": "tick"}']
)
def test_a_line_that_is_no_message_is_refused(line):
    with pytest.raises(ValueError):
        parse_message(line)


def test_the_spec_names_itself():
    assert parse_spec('{"type": "spec", "threads": []}')["type"] == "spec"
    with pytest.raises(ValueError, match="not a spec"):
        parse_spec('{"mode": "threaded", "threads": []}')
