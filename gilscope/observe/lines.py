"""Non-blocking reading of a child's JSON-lines output, with a cap so a flood cannot exhaust memory."""

from __future__ import annotations

import os


class LineReader:
    def __init__(self, fd: int, max_bytes: int) -> None:
        self.fd, self.max_bytes = fd, max_bytes
        os.set_blocking(fd, False)
        self.buf = b""
        self.total = 0
        self.eof = False

    def read(self) -> list[str]:
        """Complete lines available now. Raises OverflowError past max_bytes in all."""
        while not self.eof:
            try:
                chunk = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                break
            if not chunk:
                self.eof = True
                break
            self.total += len(chunk)
            if self.total > self.max_bytes:
                raise OverflowError(f"more than {self.max_bytes >> 20} MiB")
            self.buf += chunk
        *lines, self.buf = self.buf.split(b"\n")
        return [ln.decode(errors="replace") for ln in lines if ln.strip()]

    def pending(self) -> bool:
        return not self.eof
