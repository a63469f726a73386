"""One thread of pure Python for a fixed amount of work (no GIL hand-offs): the tracer's overhead bench. Prints
how long the work itself took."""

import sys
import time

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 60
t0 = time.perf_counter()
total = 0
for _ in range(ROUNDS):
    total += sum(i * i % 7 for i in range(100_000))
print(f"work {time.perf_counter() - t0:.4f} s (total {total})")
