from __future__ import annotations

import pytest

from gilscope.experiment.runner import run_experiment
from gilscope.spec import RunSpec


@pytest.fixture
def run():
    """Runs a real experiment in its own interpreter and returns its summary."""

    def go(mix: dict[str, int] | list[dict], interval: float = 0.005, duration: float = 2.0, **kw):
        groups = mix if isinstance(mix, list) else [{"kind": k, "threads": n} for k, n in mix.items()]
        return run_experiment(RunSpec(mix=groups, switch_interval_s=interval, duration_s=duration, **kw))

    return go
