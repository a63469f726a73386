"""One schema: what the analysis builds and the runner streams matches gilscope.schema, which the OpenAPI
document publishes."""

import pytest
from pydantic import TypeAdapter

from gilscope.analysis.summary import summarize
from gilscope.schema import Event, Summary
from gilscope.web.openapi import shared_schemas

SUMMARY = TypeAdapter(Summary)
EVENT = TypeAdapter(Event)


@pytest.mark.parametrize("name", ["cpu1_lone.json", "cpu2_sleep1_1ms.json", "zlib2.json"])
def test_recorded_summaries_match_the_schema(recorded, name):
    s = summarize(recorded(name))
    assert SUMMARY.validate_python(s, strict=True) == s
    extra = set(s) - set(Summary.__annotations__)
    assert not extra, f"summary keys not in the schema: {extra}"


def test_events_match_the_schema(recorded):
    s = summarize(recorded("cpu2_sleep1_1ms.json"))
    events = [
        {"type": "phase", "phase": "running"},
        {"type": "queue", "position": 2, "running": "0123456789ab"},
        {
            "type": "tick",
            "t_s": 0.1,
            "segments": [[0, 0, 1.5, 2.5]],
            "holder": [[1.5, 2.5, -1]],
            "progress": [3],
            "figures": {"handoffs": 12, "handoffs_per_s": 120.0, "cores_now": 1.01},
        },
        {"type": "stacks", "folded": ["cpu-1;unit (hold.py:18) 12"]},
        {"type": "summary", "summary": s},
        {"type": "failed", "error": "the experiment process was killed by SIGKILL"},
    ]
    for event in events:
        EVENT.validate_python(event, strict=True)
    with pytest.raises(ValueError):
        EVENT.validate_python({"type": "tick", "t_s": "soon"}, strict=True)


def test_openapi_publishes_the_summary_and_every_event():
    schemas = shared_schemas()
    for name in (
        "Summary",
        "ThreadSummary",
        "HelloEvent",
        "TickEvent",
        "SummaryEvent",
        "FailedEvent",
        "Event",
        "ThreadsEvent",
        "HoldersEvent",
    ):
        assert name in schemas
    assert "handoffs" in schemas["Summary"]["properties"]
    assert len(schemas["Event"]["oneOf"]) == 9  # with the live threads and holders events
