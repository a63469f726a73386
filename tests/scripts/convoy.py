"""Two CPU threads and a napper (1 ms sleeps): the convoy, as in the acceptance check. Exits with status 3."""

import sys
import threading
import time

SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0


def crunch() -> None:
    end = time.monotonic() + SECONDS
    while time.monotonic() < end:
        sum(i * i for i in range(2000))


def nap() -> None:
    end = time.monotonic() + SECONDS
    while time.monotonic() < end:
        time.sleep(0.001)


threads = [
    threading.Thread(target=crunch, name="crunch-1"),
    threading.Thread(target=crunch, name="crunch-2"),
    threading.Thread(target=nap, name="napper"),
]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("script says hello")
sys.exit(3)
