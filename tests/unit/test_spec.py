import pytest
from pydantic import ValidationError

from gilscope.spec import RunSpec


def errors(**kw) -> str:
    with pytest.raises(ValidationError) as exc:
        RunSpec(**kw)
    return str(exc.value)


def test_defaults_fill_params():
    s = RunSpec(mix=[{"kind": "hashlib", "threads": 2}])
    assert s.mix[0].params == {"buffer_bytes": 65536}
    assert [t["name"] for t in s.thread_list()] == ["hashlib-1", "hashlib-2"]


@pytest.mark.parametrize(
    "kw, field, words",
    [
        ({"mix": [{"kind": "nope"}]}, "kind", "unknown kind"),
        ({"mix": [{"kind": "cpu", "threads": 0}]}, "threads", "between 1 and"),
        ({"mix": [{"kind": "cpu", "threads": 10000}]}, "threads", "between 1 and"),
        ({"mix": [{"kind": "cpu"}], "switch_interval_s": -0.001}, "switch_interval_s", "between"),
        ({"mix": [{"kind": "cpu"}], "duration_s": 10_000}, "duration_s", "between 0.1 and"),
        ({"mix": [{"kind": "cpu", "params": {"chunk": 1}}]}, "chunk", "between"),
        ({"mix": [{"kind": "cpu", "params": {"bogus": 1}}]}, "bogus", "no such parameter"),
        ({"mix": []}, "mix", "at least 1"),
        ({"mix": [{"kind": "cpu"}], "extra": 1}, "extra", "Extra inputs"),
        ({"mix": [{"kind": "cpu", "threads": 9}, {"kind": "sleep", "threads": 9}]}, "mix", "limit is 16"),
    ],
)
def test_out_of_bounds_names_the_field(kw, field, words):
    text = errors(**kw)
    assert field in text and words in text


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("GILSCOPE_MAX_THREADS", "3")
    assert "between 1 and 3" in errors(mix=[{"kind": "cpu", "threads": 4}])
