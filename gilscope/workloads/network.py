"""The network lesson's workload: a threaded echo server inside the experiment, driven by a load generator
in another process (so the client never competes for the experiment's GIL).

Each request carries the client's perf_counter_ns at sending (CLOCK_MONOTONIC, shared by all processes on
Linux), so the server thread can tell how long the request waited before it was answered.
Load generator: python -m gilscope.workloads.network PORT CONNECTIONS PAYLOAD; reads "START_NS DEADLINE_NS" on stdin,
runs closed-loop requests until the deadline, prints its results as JSON.
"""

from __future__ import annotations

import json
import selectors
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Callable

_HEAD = struct.Struct("<Iq")  # payload length, client's send time


class EchoServer:
    """The listening socket and the load generator; one accepted connection per server thread."""

    def __init__(self, connections: int, payload: int) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=connections)
        port = self.listener.getsockname()[1]
        self.client = subprocess.Popen(
            [sys.executable, "-m", "gilscope.workloads.network", str(port), str(connections), str(payload)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def accept(self) -> socket.socket:
        conn, _ = self.listener.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn

    def go(self, start_ns: int, deadline_ns: int) -> None:
        assert self.client.stdin is not None
        self.client.stdin.write(f"{start_ns} {deadline_ns}\n")
        self.client.stdin.flush()

    def results(self) -> dict:
        out, _ = self.client.communicate(timeout=30)
        self.listener.close()
        return json.loads(out) if out.strip() else {"error": "the load generator gave no results"}


def echo_server(params: dict[str, float], ctx: dict) -> Callable[[int], int]:
    shared = ctx["shared"]
    if "echo_server" not in shared:
        shared["echo_server"] = EchoServer(ctx["count"]("echo_server"), int(params["payload_bytes"]))
    server: EchoServer = shared["echo_server"]
    conn = server.accept()
    recv_into = conn.recv_into
    head = bytearray(_HEAD.size)
    body = bytearray(int(params["payload_bytes"]) + 64)
    reply = b"k" * 8

    def read_exact(buf: bytearray, n: int) -> bool:
        view, got = memoryview(buf), 0
        while got < n:
            k = recv_into(view[got:n])
            if not k:
                return False
            got += k
        return True

    def call(t0: int) -> int:
        try:
            if not read_exact(head, _HEAD.size):
                return -1  # the load generator closed: the run is over
            length, sent_ns = _HEAD.unpack(head)
            if not read_exact(body, length):
                return -1
            conn.sendall(reply)
        except ConnectionError:
            return -1  # closed mid-request at the deadline
        return sent_ns  # the earliest this request could have been answered

    call.warm_up = False  # type: ignore[attr-defined]  # requests come only once the run starts
    return call


def _load(port: int, connections: int, payload: int) -> dict:
    socks = []
    for _ in range(connections):  # connect first: the server threads accept before the run starts
        s = socket.create_connection(("127.0.0.1", port))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        socks.append(s)
    start_ns, deadline_ns = (int(x) for x in sys.stdin.readline().split())
    body = b"x" * payload
    sel = selectors.DefaultSelector()
    sent_at: dict[socket.socket, int] = {}
    latencies: list[int] = []
    errors = 0
    now = time.perf_counter_ns
    time.sleep(max(0, start_ns - now()) / 1e9)

    def send(s: socket.socket) -> None:
        t = now()
        s.sendall(_HEAD.pack(len(body), t) + body)
        sent_at[s] = t

    for s in socks:
        send(s)
        sel.register(s, selectors.EVENT_READ)
    while now() < deadline_ns:
        for key, _ in sel.select(timeout=max(0.0, (deadline_ns - now()) / 1e9)):
            s = key.fileobj  # type: ignore[assignment]
            try:
                data = s.recv(8)
            except OSError:
                data = b""
            if len(data) < 8:
                errors += 1
                sel.unregister(s)
                continue
            t = now()
            latencies.append(t - sent_at[s])
            if t < deadline_ns:
                send(s)
    for s in socks:
        s.close()
    latencies.sort()
    span = (deadline_ns - start_ns) / 1e9

    def pct(q: float) -> float | None:
        return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))] / 1e6, 4) if latencies else None

    return {
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / span, 1),
        "latency_ms": {"p50": pct(0.5), "p90": pct(0.9), "p99": pct(0.99)},
        "errors": errors,
        "connections": connections,
    }


if __name__ == "__main__":
    print(json.dumps(_load(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))), flush=True)
