"""A small threaded test suite to run under `gilscope trace -- python -m pytest tests/scripts/pytest_suite/...`:
CPU threads, sleepers, a queue and zlib, as a real suite might have. Not part of gilscope's own tests."""

import queue
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor


def spin(seconds: float) -> int:
    end, n = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        n += sum(range(500))
    return n


def test_cpu_threads_share_one_gil():
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="cpu") as pool:
        assert all(pool.map(spin, [0.4, 0.4]))


def test_sleepers_beside_a_cpu_thread():
    woke = []

    def nap() -> None:
        for _ in range(100):
            time.sleep(0.002)
        woke.append(1)

    threads = [threading.Thread(target=nap, name=f"sleeper-{i}") for i in range(2)]
    threads.append(threading.Thread(target=spin, args=(0.3,), name="busy"))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(woke) == 2


def test_producer_consumer_queue():
    q: queue.Queue[int | None] = queue.Queue(maxsize=16)
    got = []

    def produce() -> None:
        for i in range(2000):
            q.put(i)
        q.put(None)

    def consume() -> None:
        while (item := q.get()) is not None:
            got.append(item * 2)

    threads = [threading.Thread(target=produce, name="producer"), threading.Thread(target=consume, name="consumer")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 2000


def test_zlib_in_threads_runs_in_parallel():
    data = bytes(range(256)) * 8192

    def pack(_: int) -> int:
        return len(zlib.compress(data, 6))

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="zlib") as pool:
        assert all(n > 0 for n in pool.map(pack, range(16)))
