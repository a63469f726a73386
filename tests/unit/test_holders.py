"""Holders, waits behind them and long holds, from hand-built samples whose answer is known."""

from gilscope.analysis.holders import StackSample, folded, gil_holders, long_holds, waits_behind

MS = 1_000_000
RENDER = ("render", "app.py", 22)
SPIN = ("spin", "app.py", 9)
MAIN = ("<module>", "app.py", 30)


def samples() -> list[StackSample]:
    out = []
    for k in range(100):  # one sample a ms: 0-59 ms thread 1 in render (in a C call), 60-99 ms thread 0 spins
        t = k * MS
        if k < 60:
            out.append(StackSample(t, 1, (MAIN, RENDER), True))
        else:
            out.append(StackSample(t, 0, (MAIN, SPIN), False))
    return out


def test_holders_are_weighted_by_the_time_each_sample_stands_for():
    h = gil_holders(samples(), ["loop", "pool-1"], 0.001, 0.1)
    assert [(x["function"], x["in_c_call"], x["held_s"], x["share"]) for x in h] == [
        ("render", True, 0.06, 0.6),
        ("spin", False, 0.04, 0.4),
    ]
    assert h[0]["threads"] == ["pool-1"] and h[0]["stack"] == ["<module> (app.py:30)", "render (app.py:22)"]


def test_a_wait_is_charged_to_the_line_that_held_the_gil_meanwhile():
    waiting = [[(10 * MS, 50 * MS)], [(70 * MS, 75 * MS)]]
    w = waits_behind(samples(), waiting, ["loop", "pool-1"], 0.001)
    assert [(x["waiter"], x["holder_thread"], x["function"], x["waited_s"]) for x in w] == [
        ("loop", "pool-1", "render", 0.04),
        ("pool-1", "loop", "spin", 0.005),
    ]


def test_only_holds_past_the_threshold_are_long_and_they_name_their_line():
    spans = [(0, 60 * MS, 1), (60 * MS, 62 * MS, 0), (62 * MS, 100 * MS, 0)]
    lh = long_holds(spans, samples(), ["loop", "pool-1"], 0, 0.005)
    assert [(x["thread"], x["function"], x["line"], x["in_c_call"], x["held_ms"]) for x in lh] == [
        ("pool-1", "render", 22, True, 60.0)
    ]
    assert long_holds(spans, samples(), ["loop", "pool-1"], 0, 0.01) == []  # 10 intervals = 100 ms


def test_folded_stacks_count_each_stack_once_per_sample():
    lines = folded(samples(), ["loop", "pool-1"])
    assert "pool-1;<module> (app.py:30);render (app.py:22);[C call] 60" in lines
    assert "loop;<module> (app.py:30);spin (app.py:9) 40" in lines
