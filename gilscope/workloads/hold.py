"""Units of work that keep the GIL: pure Python, and C calls that never release it."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable


def cpu(params: dict[str, float]) -> Callable[[], None]:
    """Pure-Python loop."""
    n = int(params["chunk"])

    def unit() -> None:
        acc = 0
        for i in range(n):
            acc += i * i

    return unit


def sorted_(params: dict[str, float]) -> Callable[[], None]:
    """sorted() of a shuffled list: C code holding the GIL."""
    rng = random.Random(1)
    data = [rng.random() for _ in range(int(params["size"]))]

    def unit() -> None:
        sorted(data)

    return unit


def regex(params: dict[str, float]) -> Callable[[], None]:
    """re.findall over text: C code holding the GIL."""
    rng = random.Random(2)
    words = ["gil", "lock", "thread", "python", "switch", "interval", "convoy", "mutex"]
    text = " ".join(rng.choice(words) + str(rng.randrange(100)) for _ in range(int(params["text_kib"]) * 128))
    pattern = re.compile(r"\b(?:[a-z]+)(\d{2})\b")

    def unit() -> None:
        pattern.findall(text)

    return unit


def json_(params: dict[str, float]) -> Callable[[], None]:
    """json.dumps and json.loads: the C accelerator keeps the GIL."""
    doc = [
        {"id": i, "name": f"item{i}", "tags": ["a", "b", "c"], "score": i * 0.5} for i in range(int(params["items"]))
    ]

    def unit() -> None:
        json.loads(json.dumps(doc))

    return unit
