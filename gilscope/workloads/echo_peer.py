"""The socket workload's echo peer: a separate process, so it never competes for the experiment's GIL.

Reads length-prefixed requests and answers each with its own perf_counter_ns at sending (CLOCK_MONOTONIC,
shared by all processes on Linux), so the client can tell when its answer was ready.
Run as: python -m gilscope.workloads.echo_peer  (prints its port, then serves until stdin closes).
"""

from __future__ import annotations

import selectors
import socket
import struct
import sys
import time


def serve() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    print(listener.getsockname()[1], flush=True)
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ, None)
    sel.register(sys.stdin, selectors.EVENT_READ, "stdin")
    buffers: dict[socket.socket, bytearray] = {}
    while True:
        for key, _ in sel.select():
            if key.data == "stdin":
                return
            if key.fileobj is listener:
                conn, _addr = listener.accept()
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                conn.setblocking(False)
                buffers[conn] = bytearray()
                sel.register(conn, selectors.EVENT_READ, "conn")
                continue
            conn = key.fileobj  # type: ignore[assignment]
            try:
                data = conn.recv(1 << 16)
            except (BlockingIOError, ConnectionError):
                data = b""
            if not data:
                sel.unregister(conn)
                buffers.pop(conn, None)
                conn.close()
                continue
            buf = buffers[conn]
            buf += data
            while len(buf) >= 4:
                (n,) = struct.unpack_from("<I", buf)
                if len(buf) < 4 + n:
                    break
                del buf[: 4 + n]
                conn.setblocking(True)
                conn.sendall(struct.pack("<q", time.perf_counter_ns()))
                conn.setblocking(False)


if __name__ == "__main__":
    serve()
