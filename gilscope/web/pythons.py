"""The interpreters an experiment may run under, and whether each has a GIL."""

from __future__ import annotations

import functools
import json
import subprocess

from gilscope.config import pythons

_PROBE = (
    "import json, sys; print(json.dumps({'version': sys.version.split()[0], "
    "'gil_enabled': getattr(sys, '_is_gil_enabled', lambda: True)()}))"
)


@functools.lru_cache(maxsize=16)
def _describe(path: str) -> dict:
    try:
        out = subprocess.run([path, "-c", _PROBE], capture_output=True, text=True, timeout=20, check=True).stdout
        return {"path": path, "ok": True, **json.loads(out)}
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        return {"path": path, "ok": False, "error": str(exc)[:200]}


def describe_pythons() -> list[dict]:
    return [_describe(p) for p in pythons()]
