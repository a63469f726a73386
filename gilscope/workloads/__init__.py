"""Thread workloads for gilscope experiments (stdlib only, apart from numpy for its own kind)."""

from gilscope.workloads.catalogue import HOLD, KINDS, RELEASE, Kind, Param

__all__ = ["HOLD", "KINDS", "RELEASE", "Kind", "Param"]
