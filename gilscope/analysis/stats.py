"""Small, dependency-free statistics."""

from __future__ import annotations

from collections.abc import Sequence

from gilscope.schema import Percentiles


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100); None for no data."""
    if not values:
        return None
    return _sorted_percentile(sorted(values), q)


def _sorted_percentile(s: Sequence[float], q: float) -> float:
    pos = (len(s) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def p50_p90(values_ns: Sequence[float]) -> Percentiles | None:
    """p50/p90 in milliseconds, or None for no data."""
    if not values_ns:
        return None
    s = sorted(values_ns)
    return {
        "p50": round(_sorted_percentile(s, 50) / 1e6, 4),
        "p90": round(_sorted_percentile(s, 90) / 1e6, 4),
        "n": len(s),
    }


def thin(values: Sequence[float], limit: int) -> list[float]:
    """At most `limit` values, evenly spread: enough for a histogram, small enough to send."""
    if len(values) <= limit:
        return list(values)
    step = len(values) / limit
    return [values[int(i * step)] for i in range(limit)]
