"""RunSpec: the one description of an experiment, used by the CLI, the API and the lessons."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from gilscope.config import limits, pythons
from gilscope.workloads import KINDS

NO_ONE_THREAD_FORM = {"echo_server"}  # kinds whose work needs the other threads (a client's requests)


class ThreadGroup(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="A workload kind from GET /api/workloads")
    threads: int = Field(1, description="How many threads of this kind")
    params: dict[str, float] = Field(default_factory=dict, description="The kind's parameters; defaults fill gaps")

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, v: str) -> str:
        if v not in KINDS:
            raise ValueError(f"unknown kind {v!r}; known kinds: {', '.join(KINDS)}")
        return v

    @field_validator("threads")
    @classmethod
    def _thread_count(cls, v: int) -> int:
        top = limits().max_threads
        if not 1 <= v <= top:
            raise ValueError(f"threads must be between 1 and {top}, got {v}")
        return v

    @model_validator(mode="after")
    def _params_in_bounds(self) -> ThreadGroup:
        kind = KINDS[self.kind]
        known = {p.name: p for p in kind.params}
        for name, value in self.params.items():
            p = known.get(name)
            if p is None:
                raise ValueError(f"params.{name}: {self.kind} has no such parameter; it has {', '.join(known)}")
            if not p.minimum <= value <= p.maximum:
                raise ValueError(f"params.{name} must be between {p.minimum:g} and {p.maximum:g} {p.unit}, "
                                 f"got {value:g}")
        self.params = {**kind.defaults(), **self.params}
        return self


class RunSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mix: list[ThreadGroup] = Field(min_length=1, description="Thread groups to run together")
    switch_interval_s: float = Field(0.005, description="sys.setswitchinterval for the run")
    duration_s: float = Field(2.0, description="How long the threads run")
    baseline: bool = Field(False, description="Also compare with the same work in one thread: interleaved rounds, "
                                              "threaded and sequential, at least 5 pairs")
    python: str | None = Field(None, description="Interpreter to run under (one of GET /api/pythons)")

    @field_validator("switch_interval_s")
    @classmethod
    def _interval(cls, v: float) -> float:
        lim = limits()
        if not lim.min_interval_s <= v <= lim.max_interval_s:
            raise ValueError(f"switch_interval_s must be between {lim.min_interval_s:g} and "
                             f"{lim.max_interval_s:g} seconds, got {v:g}")
        return v

    @field_validator("duration_s")
    @classmethod
    def _duration(cls, v: float) -> float:
        top = limits().max_duration_s
        if not 0.1 <= v <= top:
            raise ValueError(f"duration_s must be between 0.1 and {top:g} seconds, got {v:g}")
        return v

    @field_validator("python")
    @classmethod
    def _python(cls, v: str | None) -> str | None:
        if v is not None and v not in pythons():
            raise ValueError("python must be one of the configured interpreters (GILSCOPE_PYTHONS)")
        return v

    @model_validator(mode="after")
    def _total_threads(self) -> RunSpec:
        total = sum(g.threads for g in self.mix)
        top = limits().max_threads
        if total > top:
            raise ValueError(f"mix: {total} threads in all, the limit is {top}")
        return self

    @model_validator(mode="after")
    def _baseline_has_a_one_thread_form(self) -> RunSpec:
        if self.baseline and any(g.kind in NO_ONE_THREAD_FORM for g in self.mix):
            raise ValueError("baseline: an echo_server thread answers requests from a client that runs with the "
                             "threads; there is no one-thread form of that work to compare with")
        return self

    def thread_list(self) -> list[dict[str, Any]]:
        """One entry per thread, named kind-N."""
        out: list[dict[str, Any]] = []
        seen: dict[str, int] = {}
        for g in self.mix:
            for _ in range(g.threads):
                seen[g.kind] = seen.get(g.kind, 0) + 1
                out.append({"name": f"{g.kind}-{seen[g.kind]}", "kind": g.kind, "params": dict(g.params)})
        return out

    def blas_threads(self) -> int:
        return max([int(g.params.get("blas_threads", 1)) for g in self.mix if g.kind == "numpy"] or [1])
