"""A real gilscope server on a free loopback port, for tests that talk HTTP or drive a browser."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# limits loose enough for a test module that sends many runs from one client
GENEROUS = {"GILSCOPE_RUNS_PER_CLIENT_PER_MINUTE": "100", "GILSCOPE_ACTIVE_PER_CLIENT": "10"}


@contextmanager
def running_server(env: dict[str, str] | None = None) -> Iterator[str]:
    with server_process(env) as (_proc, base):
        yield base


@contextmanager
def server_process(env: dict[str, str] | None = None) -> Iterator[tuple[subprocess.Popen, str]]:
    """The server's process (for its CPU time) and its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gilscope.cli", "serve", "--port", str(port)],
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not answer /healthz in 10 s")
        yield proc, base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
