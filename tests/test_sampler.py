import struct

from gilscope.engine.locate import GilLocation, locate
from gilscope.engine.memory import FakeMemory
from gilscope.engine.sampler import GilSampler


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
