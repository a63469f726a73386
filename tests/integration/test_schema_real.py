"""A real run's every event matches gilscope.schema, which the OpenAPI document publishes."""

from pydantic import TypeAdapter

from gilscope.schema import Event

EVENT = TypeAdapter(Event)


def test_a_real_runs_events_match_the_schema():
    from gilscope.experiment.runner import run_experiment
    from gilscope.spec import RunSpec

    events: list[dict] = []
    spec = RunSpec(mix=[{"kind": "cpu", "threads": 2}, {"kind": "sleep", "threads": 1}], duration_s=0.3, baseline=True)
    run_experiment(spec, events.append)
    assert [e["type"] for e in events][0] == "hello" and events[-1]["type"] == "summary"
    assert any(e["type"] == "tick" for e in events)
    for event in events:
        EVENT.validate_python(event, strict=True)
