"""A classroom on loopback: 30 viewers follow every run while 5 clients submit runs for a minute.

Prints: runs submitted / refused (429) / ended in a final state (lost = neither), events each viewer got
against the run's own count (lost events), and the page's latency (p95 of GET /) during the load.
Run: python -m bench.classroom_load [--seconds 60] [--viewers 30] [--submitters 5]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import random
import sys
import tempfile
import time

import httpx

from bench.sse_clients import follow, p95
from tests.server import server_process

FINAL = ("done", "failed", "cancelled")


async def submitter(client: httpx.AsyncClient, base: str, until: float, log: dict) -> None:
    rng = random.Random()
    while time.monotonic() < until:
        spec = {
            "mix": [{"kind": rng.choice(["cpu", "sleep", "zlib"]), "threads": rng.randint(1, 3)}],
            "switch_interval_s": rng.choice([0.0005, 0.001, 0.005]),
            "duration_s": 0.5,
        }
        try:
            r = await client.post(base + "/api/runs", json=spec)
        except httpx.HTTPError:
            log["errors"] += 1
            continue
        if r.status_code == 202:
            log["submitted"].append(r.json()["id"])
        elif r.status_code == 429:
            log["refused"] += 1
        else:
            log["errors"] += 1
        await asyncio.sleep(rng.uniform(0.5, 2.0))


async def viewer(client: httpx.AsyncClient, base: str, until: float, seen: dict[str, list[int]], tasks: list) -> None:
    """Like a student's "now running" page: asks what runs once a second and follows each new run."""
    following: set[str] = set()
    while time.monotonic() < until + 30:
        now = (await client.get(base + "/api/now")).json()
        rid = now["running"]
        if rid and rid not in following:
            following.add(rid)
            tasks.append(asyncio.create_task(_keep(follow(client, base, rid), seen, f"{id(following)}:{rid}")))
        if time.monotonic() > until and not now["running"] and not now["queued"]:
            return
        await asyncio.sleep(1.0)


async def _keep(coro, seen: dict[str, list[int]], key: str) -> None:
    seen[key] = await coro


def prober(base: str, seconds: float, out: multiprocessing.Queue) -> None:
    """GET / ten times a second from a process of its own, so the load's clients do not delay the timing."""
    times, until = [], time.monotonic() + seconds
    with httpx.Client(timeout=30) as client:
        while time.monotonic() < until:
            t = time.perf_counter()
            if client.get(base + "/").status_code == 200:
                times.append(time.perf_counter() - t)
            time.sleep(0.1)
    out.put(times)


async def main(args: argparse.Namespace) -> int:
    env = {"GILSCOPE_DATA": tempfile.mkdtemp(), "GILSCOPE_RUNS_PER_CLIENT_PER_MINUTE": "1000"}
    with server_process(env) as (_proc, base):
        limits = httpx.Limits(max_connections=2000, max_keepalive_connections=200)
        async with httpx.AsyncClient(limits=limits, timeout=120) as client:
            until = time.monotonic() + args.seconds
            log = {"submitted": [], "refused": 0, "errors": 0}
            seen: dict[str, list[int]] = {}
            tasks: list = []
            queue: multiprocessing.Queue = multiprocessing.Queue()
            probe = multiprocessing.Process(target=prober, args=(base, args.seconds, queue))
            probe.start()
            await asyncio.gather(
                *(submitter(client, base, until, log) for _ in range(args.submitters)),
                *(viewer(client, base, until, seen, tasks) for _ in range(args.viewers)),
            )
            page_times: list[float] = queue.get(timeout=60)
            probe.join()
            await asyncio.gather(*tasks)
            final, counts = 0, {}
            for rid in log["submitted"]:
                run = (await client.get(f"{base}/api/runs/{rid}")).json()
                final += run["status"] in FINAL
                counts[rid] = run["events"]
    lost_runs = len(log["submitted"]) - final
    lost_events = 0
    for key, ids in seen.items():
        rid = key.split(":", 1)[1]
        first = ids[0] if ids else 1
        want = list(range(first, counts.get(rid, 0) + 1))  # a viewer that joined mid-queue starts later
        lost_events += len(set(want) - set(ids)) + (len(ids) - len(set(ids)))
    print(
        f"runs: submitted {len(log['submitted'])}, refused {log['refused']} (429), ended {final}, "
        f"lost {lost_runs}; request errors {log['errors']}"
    )
    print(
        f"viewers: {args.viewers}, streams followed {len(seen)}, events received "
        f"{sum(len(v) for v in seen.values())}, lost or repeated {lost_events}"
    )
    print(
        f"page during load: GET / p95 {p95(page_times) * 1000:.1f} ms over {len(page_times)} requests (target < 200 ms)"
    )
    return 0 if lost_runs == 0 and lost_events == 0 and p95(page_times) < 0.2 else 1


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--viewers", type=int, default=30)
    p.add_argument("--submitters", type=int, default=5)
    sys.exit(asyncio.run(main(p.parse_args())))
