"""Small, dependency-free statistics."""

from __future__ import annotations

from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100); None for no data."""
    if not values:
        return None
    s = sorted(values)
    pos = (len(s) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def p50_p90(values_ns: Sequence[float]) -> dict[str, float] | None:
    """p50/p90 in milliseconds, or None for no data."""
    if not values_ns:
        return None
    return {"p50": round(percentile(values_ns, 50) / 1e6, 4),  # type: ignore[operator]
            "p90": round(percentile(values_ns, 90) / 1e6, 4),  # type: ignore[operator]
            "n": len(values_ns)}


def thin(values: Sequence[float], limit: int) -> list[float]:
    """At most `limit` values, evenly spread: enough for a histogram, small enough to send."""
    if len(values) <= limit:
        return list(values)
    step = len(values) / limit
    return [values[int(i * step)] for i in range(limit)]
