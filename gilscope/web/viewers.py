"""Open event streams, counted, so that a classroom of tabs cannot hold every connection of the server.

A stream holds a slot for as long as it is open. The slot is a context manager, so it is given back however the
stream ends: finished, its browser gone, or an error in the middle.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class TooManyStreams(Exception):
    pass


class Viewers:
    def __init__(self, max_streams: int, per_client: int) -> None:
        self.max_streams, self.per_client = max_streams, per_client
        self.open = 0  # event streams open now
        self.of: dict[str, int] = {}  # open event streams per client id

    @asynccontextmanager
    async def slot(self, client: str) -> AsyncIterator[None]:
        """One stream's slot for the client, or TooManyStreams when the server's or the client's cap is reached."""
        if self.open >= self.max_streams or self.of.get(client, 0) >= self.per_client:
            raise TooManyStreams(f"at most {self.max_streams} streams, {self.per_client} per client")
        self.open += 1
        self.of[client] = self.of.get(client, 0) + 1
        try:
            yield
        finally:
            self.open -= 1
            left = self.of.pop(client, 1) - 1
            if left > 0:
                self.of[client] = left
