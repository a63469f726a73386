"""Shared pieces of the web benchmarks: SSE viewers, process CPU, percentiles."""

from __future__ import annotations

import json
import os

import httpx


def process_cpu_s(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def follow(client: httpx.AsyncClient, base: str, run_id: str) -> list[int]:
    """The ids of every event a viewer receives for a run, in order."""
    ids: list[int] = []
    async with client.stream("GET", f"{base}/api/runs/{run_id}/events", timeout=120) as r:
        async for line in r.aiter_lines():
            if line.startswith("id:"):
                ids.append(int(line[3:]))
            elif line.startswith("data:") and json.loads(line[5:]).get("type") in ("summary", "failed", "cancelled"):
                pass
    return ids


def p95(values: list[float]) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(0.95 * len(s)))] if s else float("nan")
