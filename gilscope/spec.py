"""RunSpec: the one description of an experiment, used by the CLI, the API and the lessons."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from gilscope.config import limits, pythons
from gilscope.workloads import KINDS

NO_ONE_THREAD_FORM = {"echo_server"}  # kinds whose work needs the other threads (a client's requests)
MIN_DURATION_S = 0.1  # shorter runs are all start-up noise
STARTUP_S = 30.0  # allowance for a process to start: the interpreter, its imports, the GIL's locator


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
                raise ValueError(
                    f"params.{name} must be between {p.minimum:g} and {p.maximum:g} {p.unit}, got {value:g}"
                )
        self.params = {**kind.defaults(), **self.params}
        return self


class RunSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mix: list[ThreadGroup] = Field(min_length=1, description="Thread groups to run together")
    switch_interval_s: float = Field(0.005, description="sys.setswitchinterval for the run")
    duration_s: float = Field(2.0, description="How long the threads run")
    baseline: bool = Field(
        False,
        description="Also compare with the same work in one thread: interleaved rounds, "
        "threaded and sequential (A B B A), at least 8 pairs; the machine's noise between identical rounds "
        "decides whether the comparison is conclusive",
    )
    python: str | None = Field(None, description="Interpreter to run under (one of GET /api/pythons)")

    @field_validator("switch_interval_s")
    @classmethod
    def _interval(cls, v: float) -> float:
        lim = limits()
        if not lim.min_interval_s <= v <= lim.max_interval_s:
            raise ValueError(
                f"switch_interval_s must be between {lim.min_interval_s:g} and "
                f"{lim.max_interval_s:g} seconds, got {v:g}"
            )
        return v

    @field_validator("duration_s")
    @classmethod
    def _duration(cls, v: float) -> float:
        top = limits().max_duration_s
        if not MIN_DURATION_S <= v <= top:
            raise ValueError(f"duration_s must be between {MIN_DURATION_S:g} and {top:g} seconds, got {v:g}")
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
            raise ValueError(
                "baseline: an echo_server thread answers requests from a client that runs with the "
                "threads; there is no one-thread form of that work to compare with"
            )
        return self

    @model_validator(mode="after")
    def _fits_the_time_cap(self) -> RunSpec:
        top = limits().max_run_s
        cap = self.time_cap_s()
        if cap <= top:
            return self
        lo, hi = MIN_DURATION_S, self.duration_s  # the longest duration that fits (the cap grows with the duration)
        for _ in range(40):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if self.model_copy(update={"duration_s": mid}).time_cap_s() <= top else (lo, mid)
        what = "these threads and the one-thread comparison" if self.baseline else "these threads"
        fix = f"shorten duration_s to at most {lo:.1f} s" if lo > MIN_DURATION_S + 1e-6 else "use fewer threads"
        if self.baseline:
            fix += " or turn baseline off"
        raise ValueError(
            f"duration_s: with {what} the run may take up to {cap:.0f} s, over the limit of {top:g} s "
            f"(GILSCOPE_MAX_RUN_S); {fix}"
        )

    def grace_s(self) -> float:
        """How long past its duration a run may take to wind down (a last long call) before it is stopped."""
        lim = limits()
        return lim.overrun_grace_s if lim.overrun_grace_s >= 0 else max(10.0, self.duration_s)

    def comparison_budget_s(self) -> float:
        """The longest the threads-vs-one-thread comparison may take. Its threaded rounds last the duration; its
        sequential rounds redo that work in one thread: GIL-holding threads shared one core, so together they
        take about the duration again, while each releasing thread (sleep, I/O, native code) ran beside the
        others and alone takes up to the duration. Half as much again for a busy machine."""
        if not self.baseline:
            return 0.0
        releasing = sum(g.threads for g in self.mix if KINDS[g.kind].probe_style(g.params) == "release")
        holding = any(KINDS[g.kind].probe_style(g.params) != "release" for g in self.mix)
        return STARTUP_S + self.duration_s * (1 + int(holding) + releasing) * 1.5

    def time_cap_s(self) -> float:
        """The longest this run may hold the runner, one-thread comparison included; past it, it is stopped."""
        return STARTUP_S + self.duration_s + self.grace_s() + self.comparison_budget_s()

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
