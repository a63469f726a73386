"""The unit tier starts no process: a test that needs a child (an experiment, a server, a fresh interpreter)
belongs in tests/integration/, and this says so instead of letting the fast tier grow slow."""

from __future__ import annotations

import os
import subprocess

import pytest


class _NoChild(subprocess.Popen):  # type: ignore[type-arg]
    def __init__(self, *args: object, **kwargs: object) -> None:
        raise AssertionError(f"a unit test started a process {args[:1]!r}: move it to tests/integration/")


@pytest.fixture(autouse=True)
def no_child_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(subprocess, "Popen", _NoChild)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a unit test forked or spawned a process: move it to tests/integration/")

    for name in ("fork", "forkpty", "posix_spawn", "posix_spawnp", "system"):
        if hasattr(os, name):
            monkeypatch.setattr(os, name, refuse)
