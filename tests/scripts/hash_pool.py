"""A ThreadPoolExecutor hashing 1 MiB buffers with hashlib, which releases the GIL for data of 2048 bytes or
more: the pool's threads run on several cores at once."""

import hashlib
import sys
from concurrent.futures import ThreadPoolExecutor

JOBS = int(sys.argv[1]) if len(sys.argv) > 1 else 400
BUFFER = bytes(range(256)) * 4096  # 1 MiB


def digest(i: int) -> str:
    h = hashlib.sha256(BUFFER)
    for _ in range(3):
        h.update(BUFFER)
    return h.hexdigest()[:8] + str(i)


with ThreadPoolExecutor(max_workers=4) as pool:
    done = list(pool.map(digest, range(JOBS)))
print(f"{len(done)} digests")
