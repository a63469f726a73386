"""Limits and settings, each overridable by an environment variable (GILSCOPE_*)."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _env(name: str, default: float) -> float:
    raw = os.environ.get(f"GILSCOPE_{name}")
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise SystemExit(f"GILSCOPE_{name}={raw!r} is not a number") from exc


@dataclass(frozen=True)
class Limits:
    max_threads: int  # workload threads in one run
    max_duration_s: float  # of one run (a baseline adds up to as much again)
    min_interval_s: float
    max_interval_s: float
    queue_length: int  # runs waiting, not counting the one running
    max_event_bytes: int  # largest single streamed event; bigger ones are thinned
    runs_per_client_per_minute: int
    active_per_client: int  # submissions queued or running per client address (a lesson or sweep counts once)
    worker_memory_mb: int  # address-space limit of the experiment process
    max_body_bytes: int
    sample_period_s: float  # sampler's sleep between reads of the GIL words; 0 turns sampling off
    overrun_grace_s: float  # how long past its duration a run may wind down; -1: max(10 s, duration)
    keep_runs: int  # stored runs kept, oldest dropped first
    watchdog_silence_s: float  # a runner silent this long while its threads run is stopped (ticks come every 0.1 s)
    event_cache_mb: int  # finished runs' events kept in memory for replay; the store keeps them all
    max_streams: int  # open event streams in all
    streams_per_client: int  # open event streams per browser (client id)
    lesson_repeats: int  # how many times a lesson runs each of its runs: the verdict knows its noise
    max_run_s: float  # the longest one run may hold the runner (comparison included); longer specs get 422
    store_max_mb: int  # the database's size limit, oldest runs dropped first


def limits() -> Limits:
    return Limits(
        max_threads=int(_env("MAX_THREADS", 16)),
        max_duration_s=_env("MAX_DURATION_S", 30.0),
        min_interval_s=_env("MIN_INTERVAL_S", 0.00005),
        max_interval_s=_env("MAX_INTERVAL_S", 0.1),
        queue_length=int(_env("QUEUE_LENGTH", 8)),
        max_event_bytes=int(_env("MAX_EVENT_BYTES", 512 * 1024)),
        runs_per_client_per_minute=int(_env("RUNS_PER_CLIENT_PER_MINUTE", 40)),
        active_per_client=int(_env("ACTIVE_PER_CLIENT", 2)),
        worker_memory_mb=int(_env("WORKER_MEMORY_MB", 4096)),
        max_body_bytes=int(_env("MAX_BODY_BYTES", 16 * 1024)),
        sample_period_s=_env("SAMPLE_PERIOD_S", 0.00025),
        overrun_grace_s=_env("OVERRUN_GRACE_S", -1),
        keep_runs=int(_env("KEEP_RUNS", 10_000)),
        max_run_s=_env("MAX_RUN_S", 120.0),
        lesson_repeats=max(1, int(_env("LESSON_REPEATS", 3))),
        max_streams=int(_env("MAX_STREAMS", 300)),
        event_cache_mb=int(_env("EVENT_CACHE_MB", 64)),
        streams_per_client=int(_env("STREAMS_PER_CLIENT", 12)),
        watchdog_silence_s=_env("WATCHDOG_SILENCE_S", 45.0),
        store_max_mb=int(_env("STORE_MAX_MB", 2048)),
    )


def pythons() -> list[str]:
    """Interpreters an experiment may run under: this one, plus GILSCOPE_PYTHONS=path,path."""
    import sys

    extra = [p.strip() for p in os.environ.get("GILSCOPE_PYTHONS", "").split(",") if p.strip()]
    out = [sys.executable]
    for p in extra:
        if p not in out:
            out.append(p)
    return out
