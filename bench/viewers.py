"""30 browsers following one run's events at once, on loopback: all receive every update; the server's CPU
cost per viewer is measured (1 viewer vs 30, same run, side by side). Run: python -m bench.viewers"""

from __future__ import annotations

import asyncio
import sys
import tempfile

import httpx

from bench.sse_clients import follow, process_cpu_s
from tests.server import server_process

SPEC = {
    "mix": [{"kind": "cpu", "threads": 2}, {"kind": "sleep", "threads": 1}],
    "switch_interval_s": 0.001,
    "duration_s": 3.0,
}


async def one_round(base: str, pid: int, viewers: int) -> tuple[float, int, bool, float]:
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=viewers + 5)) as client:
        rid = (await client.post(base + "/api/runs", json=SPEC)).json()["id"]
        cpu0 = process_cpu_s(pid)
        got = await asyncio.gather(*(follow(client, base, rid) for _ in range(viewers)))
        cpu = process_cpu_s(pid) - cpu0
        total = (await client.get(f"{base}/api/runs/{rid}")).json()["events"]
    complete = all(ids == list(range(1, total + 1)) for ids in got)
    return cpu, total, complete, SPEC["duration_s"]


async def main() -> int:
    with server_process({"GILSCOPE_DATA": tempfile.mkdtemp()}) as (proc, base):
        rows = []
        for n in (1, 30, 1, 30):
            rows.append((n, *await one_round(base, proc.pid, n)))
    ok = all(r[3] for r in rows)
    cpu1 = sum(r[1] for r in rows if r[0] == 1) / 2
    cpu30 = sum(r[1] for r in rows if r[0] == 30) / 2
    events = rows[-1][2]
    print(f"30 viewers: every viewer got all {events} events of the run: {ok}")
    print(
        f"server CPU for a {SPEC['duration_s']:g} s run: {cpu1:.3f} s with 1 viewer, {cpu30:.3f} s with 30; "
        f"per extra viewer {(cpu30 - cpu1) / 29 * 1000:.1f} ms "
        f"({(cpu30 - cpu1) / 29 / SPEC['duration_s'] * 100:.2f}% of a core each); ratio 30/1 = {cpu30 / cpu1:.2f}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
