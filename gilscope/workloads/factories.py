"""Maps each kind to the factory that builds its unit of work."""

from __future__ import annotations

from gilscope.workloads import hold, network, race, release

HOLD_FACTORIES = {"cpu": hold.cpu, "sorted": hold.sorted_, "regex": hold.regex, "json": hold.json_}
SHARED_HOLD_FACTORIES = {"race": race.race}  # take the run's shared context
RELEASE_FACTORIES = {
    "sleep": release.sleep,
    "file": release.file,
    "socket": release.socket_,
    "numpy": release.numpy,
    "zlib": release.zlib,
    "bz2": release.bz2,
    "lzma": release.lzma,
    "hashlib": release.hashlib,
    "echo_server": network.echo_server,
}
