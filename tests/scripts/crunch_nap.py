"""A program started without gilscope, for attach: two pure-Python threads and a 1 ms sleeper, for S seconds."""

import sys
import threading
import time

END = time.monotonic() + float(sys.argv[1] if len(sys.argv) > 1 else 30)
print("ready", flush=True)


def crunch():
    n = 0
    while time.monotonic() < END:
        for i in range(2000):
            n += i


def nap():
    while time.monotonic() < END:
        time.sleep(0.001)


ts = [
    threading.Thread(target=crunch, name="crunch-1"),
    threading.Thread(target=crunch, name="crunch-2"),
    threading.Thread(target=nap, name="napper"),
]
for t in ts:
    t.start()
for t in ts:
    t.join()
