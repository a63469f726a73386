"""A semester in minutes: RUNS short runs through one server, a random third of them cancelled mid-flight by
their owner, while 30 live viewers follow each run and 50 readers hold streams open without ever reading.

Prints the server's memory over time (RSS), the files left behind in the temporary folder and /dev/shm,
/healthz latency (p50, p99) sampled throughout, and events lost by the live viewers (each must see every id
from 1 to the run's last, in order). Run: python -m bench.soak [RUNS]   (default 500; about 5 minutes)
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile

import httpx

from tests.server import server_process

KINDS = [("cpu", {}), ("sleep", {}), ("file", {"block_kib": 256}), ("zlib", {}), ("socket", {})]
VIEWERS, STALLED = 30, 50


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        return int(f.read().split("VmRSS:")[1].split()[0]) / 1024


def p99_ms(sorted_s: list[float]) -> float:
    return sorted_s[int(0.99 * (len(sorted_s) - 1))] * 1000 if sorted_s else float("nan")


def leftovers(tmp: str, shm_before: set[str]) -> int:
    shm = {f for f in os.listdir("/dev/shm") if f.startswith("gilscope")} if os.path.isdir("/dev/shm") else set()
    return len(os.listdir(tmp)) + len(shm - shm_before)


async def viewer(base: str, rid: str) -> int:
    """A browser of its own following one run; returns how many event ids it missed (resuming with
    Last-Event-ID if cut off)."""
    async with httpx.AsyncClient(timeout=60, verify=False) as client:  # loopback http: no CA bundle to load
        return await _follow(client, base, rid)


async def _follow(client: httpx.AsyncClient, base: str, rid: str) -> int:
    seen: list[int] = []
    for _attempt in range(5):
        headers = {"Last-Event-ID": str(seen[-1])} if seen else {}
        try:
            async with client.stream("GET", f"{base}/api/runs/{rid}/events", headers=headers, timeout=60) as r:
                if r.status_code != 200:
                    await asyncio.sleep(0.2)
                    continue
                async for line in r.aiter_lines():
                    if line.startswith("id:"):
                        seen.append(int(line[3:]))
            break
        except httpx.HTTPError:
            await asyncio.sleep(0.1)
    return sum(1 for a, b in zip(seen, seen[1:], strict=False) if b != a + 1) + (0 if not seen or seen[0] == 1 else 1)


PROBER = """
import sys, time, urllib.request
base, out = sys.argv[1], sys.argv[2]
with open(out, "w") as f:
    while True:
        t = time.perf_counter()
        urllib.request.urlopen(base + "/healthz", timeout=10).read()
        f.write(f"{time.perf_counter() - t}\\n")
        f.flush()
        time.sleep(0.1)
"""


def start_prober(base: str, out: str) -> subprocess.Popen:
    """/healthz asked every 0.1 s from a process of its own: the bench's own clients cannot delay the asking."""
    return subprocess.Popen([sys.executable, "-c", PROBER, base, out])


async def soak(base: str, pid: int, runs: int, tmp: str, shm0: set[str]) -> int:
    rnd = random.Random(11)
    probe_file = os.path.join(tempfile.mkdtemp(), "healthz.txt")
    prober = start_prober(base, probe_file)

    def latency() -> list[float]:
        with open(probe_file) as f:
            return sorted(float(x) for x in f.read().split())

    stalled = []
    memory: list[tuple[int, float]] = [(0, rss_mb(pid))]
    lost = cancelled = failed = 0
    async with httpx.AsyncClient(timeout=30) as owner:
        await owner.get(base + "/")
        for i in range(runs):
            kind, params = rnd.choice(KINDS)
            spec = {
                "mix": [{"kind": kind, "threads": rnd.randint(1, 6), "params": params}],
                "switch_interval_s": rnd.choice((0.0005, 0.001, 0.005)),
                "duration_s": 0.3,
            }
            r = await owner.post(base + "/api/runs", json=spec)
            if r.status_code != 202:
                failed += 1
                await asyncio.sleep(0.5)
                continue
            rid = r.json()["id"]
            if i == 5:  # readers that open a stream and never read a byte
                for _ in range(STALLED):
                    s = socket.socket()
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                    s.connect(("127.0.0.1", int(base.rsplit(":", 1)[1])))
                    s.sendall(f"GET /api/runs/{rid}/events HTTP/1.1\r\nHost: x\r\n\r\n".encode())
                    stalled.append(s)
            watchers = [asyncio.create_task(viewer(base, rid)) for _ in range(VIEWERS)]
            if rnd.random() < 1 / 3:
                await asyncio.sleep(rnd.uniform(0.05, 0.4))
                await owner.post(f"{base}/api/runs/{rid}/cancel")
                cancelled += 1
            lost += sum(await asyncio.gather(*watchers))
            if (i + 1) % 50 == 0:
                memory.append((i + 1, rss_mb(pid)))
                print(
                    f"  {i + 1:>4} runs: server RSS {memory[-1][1]:.0f} MB, {leftovers(tmp, shm0)} files left, "
                    f"/healthz p99 so far {p99_ms(latency()):.0f} ms",
                    flush=True,
                )
    for s in stalled:
        s.close()
    prober.kill()
    prober.wait()
    await asyncio.sleep(2)
    left = leftovers(tmp, shm0)
    if left:
        print("left behind:", os.listdir(tmp)[:10])
    lat = latency()
    p99 = p99_ms(lat)
    warm = memory[min(2, len(memory) - 1)][1]
    growth = memory[-1][1] - warm
    print(
        f"runs {runs} ({cancelled} cancelled, {failed} refused), {VIEWERS} live viewers each, {STALLED} stalled readers"
    )
    print(f"server memory: {' '.join(f'{n}:{m:.0f}' for n, m in memory)} MB; after warm-up {growth:+.1f} MB")
    print(
        f"files left behind: {left}; /healthz p50 {statistics.median(lat) * 1000:.1f} ms, p99 {p99:.1f} ms "
        f"(<= 100); events lost by live viewers: {lost}"
    )
    ok = left == 0 and p99 <= 100 and lost == 0 and growth < 20
    print("ok" if ok else "NOT OK")
    return 0 if ok else 1


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    tmp = tempfile.mkdtemp(prefix="soak-")
    shm0 = {f for f in os.listdir("/dev/shm") if f.startswith("gilscope")} if os.path.isdir("/dev/shm") else set()
    env = {"GILSCOPE_DATA": tempfile.mkdtemp(), "TMPDIR": tmp, "GILSCOPE_RUNS_PER_CLIENT_PER_MINUTE": "1000"}
    with server_process(env) as (proc, base):
        return asyncio.run(soak(base, proc.pid, runs, tmp, shm0))


if __name__ == "__main__":
    sys.exit(main())
