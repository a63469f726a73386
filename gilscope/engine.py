"""The measuring side of gilscope in one import, without the web stack: run an experiment, trace or attach to a
program. It was a package (`gilscope/engine/`) until the observer was split by pipeline (`observe/`,
`experiment/`, `trace/`); this module keeps `import gilscope.engine` working for scripts written against it."""

from __future__ import annotations

from gilscope.experiment.runner import RunFailed, run_experiment
from gilscope.spec import RunSpec
from gilscope.trace.attach import Attacher
from gilscope.trace.program import Program, TraceError
from gilscope.trace.result import TraceResult
from gilscope.trace.tracer import Tracer, trace

__all__ = [
    "Attacher",
    "Program",
    "RunFailed",
    "RunSpec",
    "TraceError",
    "TraceResult",
    "Tracer",
    "run_experiment",
    "trace",
]
