"""Three threads for the holders test: grind loops in pure Python, backtrack runs a regex that keeps the GIL
for ~160 ms a call (C code that never lets go), dozer sleeps 1 ms at a time and so waits for the GIL."""

import re
import sys
import threading
import time

END = time.monotonic() + float(sys.argv[1] if len(sys.argv) > 1 else 3)
PATTERN = re.compile(r"(a+)+$")


def grind():
    n = 0
    while time.monotonic() < END:
        for i in range(5000):
            n += i * i  # GRIND_LINE


def backtrack():
    while time.monotonic() < END:
        PATTERN.match("a" * 21 + "b")  # BACKTRACK_LINE


def dozer():
    while time.monotonic() < END:
        time.sleep(0.001)


threads = [threading.Thread(target=f, name=f.__name__) for f in (grind, backtrack, dozer)]
for t in threads:
    t.start()
for t in threads:
    t.join()
