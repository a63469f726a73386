"""A busy machine shows: another process spinning a core beside a run is counted as others' CPU, apart from
the run's own (worker and observer), the run is marked disturbed, and its comparison with one thread is not
conclusive."""

import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/stat is Linux's")


def test_a_spinning_neighbour_is_counted_and_marks_the_run_disturbed(run):
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        s = run({"cpu": 1}, 0.005, 1.0, baseline=True)
    finally:
        spinner.kill()
        spinner.wait()
    m = s["machine"]
    assert m["ok"] and m["cpus"] >= 1
    assert m["others_cores"] >= 0.5 and m["disturbed"] is True, m  # the spinner takes about one core
    assert 0.5 <= m["run_cores"] <= 1.5, m  # one CPU thread and a sleeping observer
    assert s["baseline"]["machine"]["others_cores"] >= 0.5
    # a comparison a busy machine may bend unevenly decides nothing, however narrow its interval
    assert s["baseline"]["machine"]["disturbed"] is True and s["baseline"]["conclusive"] is False


def test_the_runs_own_threads_are_not_counted_as_others(run):
    s = run({"cpu": 2}, 0.005, 1.0)
    m = s["machine"]
    # Two CPU threads take one core between them (the GIL); the observer a little more. None of it is others'.
    assert m["run_cores"] >= 0.8 and m["busy_cores"] >= m["run_cores"] - 0.1, m
