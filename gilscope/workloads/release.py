"""Calls that may release the GIL. Each factory returns call(t0) -> ready_ns: the moment (perf_counter_ns)
the call could have returned to Python had the GIL been free, or 0 where that cannot be known."""

from __future__ import annotations

import os
import socket
import struct
import time
from collections.abc import Callable

Call = Callable[[int], int]


def sleep(params: dict[str, float], ctx: dict) -> Call:
    seconds = float(params["sleep_ms"]) / 1000.0
    nanos = int(seconds * 1e9)
    _sleep = time.sleep

    def call(t0: int) -> int:
        _sleep(seconds)
        return t0 + nanos  # the sleep could not have ended earlier

    return call


def file(params: dict[str, float], ctx: dict) -> Call:
    block = os.urandom(int(params["block_kib"]) * 1024)
    path = os.path.join(ctx["tmpdir"], f"file-{ctx['index']}.bin")
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)

    def call(t0: int) -> int:
        os.pwrite(fd, block, 0)
        os.fsync(fd)
        os.pread(fd, len(block), 0)
        return 0

    return call


def socket_(params: dict[str, float], ctx: dict) -> Call:
    payload = b"x" * int(params["payload_bytes"])
    request = struct.pack("<I", len(payload)) + payload
    sock = socket.create_connection(ctx["echo_peer"]())
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    recv_into = sock.recv_into
    reply = bytearray(8)
    view = memoryview(reply)

    def call(t0: int) -> int:
        sock.sendall(request)
        got = 0
        while got < 8:
            n = recv_into(view[got:])
            if not n:
                raise ConnectionError("echo peer closed the connection")
            got += n
        return struct.unpack("<q", reply)[0]  # the peer's clock when it sent the reply

    return call


def _native(fn: Callable[[], object]) -> Call:
    thread_time_ns = time.thread_time_ns

    def call(t0: int) -> int:
        c0 = thread_time_ns()
        fn()
        # CPU the call itself used: the earliest it could have finished had it run without interruption.
        return t0 + (thread_time_ns() - c0)

    return call


def numpy(params: dict[str, float], ctx: dict) -> Call:
    import numpy as np  # BLAS thread count is set in the environment before this import (worker)

    n = int(params["n"])
    rng = np.random.default_rng(3)
    a, b = rng.random((n, n)), rng.random((n, n))
    return _native(lambda: a @ b)


def _block(params: dict[str, float]) -> bytes:
    # Half random, half repetitive: compressors do real work but not their worst case.
    size = int(params["block_kib"]) * 1024
    return (os.urandom(size // 2) + b"gilscope " * (size // 18 + 1))[:size]


def zlib(params: dict[str, float], ctx: dict) -> Call:
    import zlib as z

    data = _block(params)
    return _native(lambda: z.compress(data, 6))


def bz2(params: dict[str, float], ctx: dict) -> Call:
    import bz2 as b

    data = _block(params)
    return _native(lambda: b.compress(data, 9))


def lzma(params: dict[str, float], ctx: dict) -> Call:
    import lzma as lz

    data = _block(params)
    return _native(lambda: lz.compress(data, preset=1))


def hashlib(params: dict[str, float], ctx: dict) -> Call:
    import hashlib as h

    size = int(params["buffer_bytes"])
    buf = os.urandom(size)
    calls = max(1, (1 << 20) // size)  # 1 MiB per unit: the probes cost little beside the hashing

    def work() -> None:
        m = h.sha256()
        update = m.update
        for _ in range(calls):
            update(buf)

    return _native(work)
