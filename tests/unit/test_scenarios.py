"""The experiment page's one-click scenarios: each is a valid RunSpec the builder can show as it is (its interval
one of the slider's stops, its kinds and parameters the catalogue's), with its texts in both catalogs."""

from __future__ import annotations

import pytest

from gilscope.lessons.scenarios import SCENARIOS
from gilscope.locale import translation
from gilscope.spec import RunSpec
from gilscope.web.page_config import page_config
from gilscope.workloads import KINDS


def test_the_four_scenarios_the_issue_names():
    assert [s.key for s in SCENARIOS] == ["convoy", "cpu_io", "numpy", "race"]
    kinds = {s.key: {g["kind"] for g in s.spec["mix"]} for s in SCENARIOS}
    assert kinds["convoy"] == {"cpu", "socket"}
    assert "numpy" in kinds["numpy"] and "cpu" in kinds["numpy"]
    assert kinds["race"] == {"race"}
    assert {"cpu", "sleep"} <= kinds["cpu_io"]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.key)
def test_a_scenario_is_a_spec_the_builder_can_show(scenario):
    spec = RunSpec.model_validate(scenario.spec)
    config = page_config()
    assert round(spec.switch_interval_s * 1000, 6) in config["interval_steps_ms"]
    assert config["min_duration_s"] <= spec.duration_s <= config["max_duration_s"]
    assert sum(g.threads for g in spec.mix) <= config["lanes"]
    assert "python" not in scenario.spec and not spec.baseline
    for g in scenario.spec["mix"]:
        assert set(g["params"]) <= {p.name for p in KINDS[g["kind"]].params}
    assert len({g["kind"] for g in scenario.spec["mix"]}) == len(scenario.spec["mix"])  # one row per kind


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.key)
def test_a_scenario_speaks_ukrainian(scenario):
    uk = translation("uk")
    for text in (scenario.title, scenario.explain):
        assert uk.gettext(text) != text, text
