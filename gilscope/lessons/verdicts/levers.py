"""Levers: what a developer can change about the GIL (C5): the switch interval, C calls that release it, and an
interpreter without it. Each lever that moves a measurement by a clear factor counts against the claim.
"""

from __future__ import annotations

from gilscope.lessons.model import (
    CONFIRMED,
    INCONCLUSIVE,
    NONE,
    OUTDATED,
    Figure,
    Finding,
    Results,
    failed,
    gil_on,
    join,
    num,
)
from gilscope.lessons.presets import FREE_KEY
from gilscope.locale import _, decimal

INTERVAL_WAKE_RATIO = 3.0  # wake latency at 5 ms / at 0.1 ms: the interval lever works above this
RELEASE_CORES_RATIO = 1.3  # cores with 64 KiB hashlib calls / with 1 KiB calls: the release lever works above this
FREE_THREADED_CORES = 1.5  # cores of 2 pure-Python threads under a free-threaded interpreter: no GIL above this


def developer_levers(r: Results) -> Finding:
    """C5: the interval (a sleeper's wake latency), a releasing C call (hashlib's cores), a free-threaded build."""
    w5, w01 = (
        num(r["sleep_cpu_5ms"], "io_wake_latency_ms", "p50"),
        num(r["sleep_cpu_0.1ms"], "io_wake_latency_ms", "p50"),
    )
    k1, k64 = num(r["hash_1k"], "cores_used"), num(r["hash_64k"], "cores_used")
    moved, measured = 0, 0
    parts: list[str] = []
    fig = NONE
    if w5 is not None and w01 is not None and w01 > 0:
        measured += 1
        ratio = w5 / w01
        moved += ratio >= INTERVAL_WAKE_RATIO
        fig = Figure(w5, _("wake {slow} → {fast} ms").format(slow=decimal(w5), fast=decimal(w01)))
        parts.append(
            _(
                "sys.setswitchinterval: a sleeper beside a CPU-bound thread waited a median {slow} ms for the "
                "GIL at 5 ms and {fast} ms at 0.1 ms, {ratio} times less."
            ).format(slow=decimal(w5), fast=decimal(w01), ratio=decimal(ratio, 1))
        )
    if k1 is not None and k64 is not None and k1 > 0:
        measured += 1
        moved += k64 / k1 >= RELEASE_CORES_RATIO
        if fig == NONE:
            fig = Figure(k1, _("{small} → {large} cores").format(small=decimal(k1), large=decimal(k64)))
        parts.append(
            _(
                "A C call that releases the GIL: two hashlib threads used {small} cores on 1 KiB calls, which "
                "keep it, and {large} on 64 KiB calls, which release it."
            ).format(small=decimal(k1), large=decimal(k64))
        )
    free = r.get(FREE_KEY)
    if free is None:
        parts.append(
            _(
                "No free-threaded interpreter is configured: install python3.13t or python3.14t and set "
                "GILSCOPE_PYTHONS=/path/to/python3.14t to try the third lever, running without a GIL."
            )
        )
    elif failed(free):
        parts.append(_("The run under the free-threaded interpreter failed, so that lever is not shown."))
    else:
        version = (free.get("python") or {}).get("version") or "?"
        measured += 1
        if gil_on(free):
            parts.append(
                _(
                    "Python {version} ran with its GIL enabled (PYTHON_GIL=1, or a module that needs the GIL), "
                    "so it shows nothing here."
                ).format(version=version)
            )
        else:
            cores = num(free, "cores_used") or 0.0
            moved += cores > FREE_THREADED_CORES
            parts.append(
                _(
                    "Without a GIL: two pure-Python threads under Python {version} (free-threaded) used {cores} cores."
                ).format(version=version, cores=decimal(cores))
            )
    if measured == 0:
        return Finding(INCONCLUSIVE, fig, join(*parts, _("No lever could be measured in these runs.")))
    if moved:
        return Finding(
            OUTDATED,
            fig,
            join(
                _("Levers that measurably changed how the GIL behaves: {moved} of {measured}.").format(
                    moved=moved, measured=measured
                ),
                *parts,
            ),
        )
    return Finding(
        CONFIRMED,
        fig,
        join(
            _("No lever changed the measurement by a clear factor on this machine ({measured} measured).").format(
                measured=measured
            ),
            *parts,
        ),
    )
