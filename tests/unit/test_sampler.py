import struct

from gilscope.observe.locate import GilLocation, locate
from gilscope.observe.sampler import GilSampler


class FakeMemory:
    """A dict of address -> bytes, standing in for another process's memory."""

    def __init__(self, blocks: dict[int, bytes] | None = None) -> None:
        self.blocks = dict(blocks or {})

    def read(self, address: int, size: int) -> bytes:
        return self.blocks.get(address, b"")[:size]

    def close(self) -> None:
        pass


def test_sampler_reads_the_four_words_and_notices_exit():
    mem = FakeMemory({0x1000: struct.pack("<QQiiQ", 5000, 0xABC, 1, 0, 42)})
    s = GilSampler(mem, 0x1000)
    assert s.sample()
    assert (s.holder[0], s.locked[0], s.switch[0]) == (0xABC, 1, 42)
    mem.blocks.clear()
    assert not s.sample() and s.gone


def test_locator_finds_this_interpreters_gil():
    import sys

    before = sys.getswitchinterval()
    found = locate()
    sys.setswitchinterval(before)
    assert isinstance(found, GilLocation), found
