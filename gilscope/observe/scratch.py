"""Names for every file a run leaves on disk, so that whoever started the run can remove them all however it
ended (done, failed, cancelled by SIGKILL, the server stopping), and a new server can sweep what a dead one
left, never touching the files of another live one.

Every file or folder a run makes (probe folder in /dev/shm or the temporary folder, code folder, the worker's
own temporary files) is named ``gilscope-<owner pid>-<runner pid>-...``: the owner is the server that started
the runner (GILSCOPE_OWNER_PID), or the runner itself when run from the command line. Stdlib only: the worker
uses it too.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile

PREFIX = "gilscope-"
OWNER_ENV = "GILSCOPE_OWNER_PID"
_NAME = re.compile(r"^gilscope-(\d+)-(\d+)-")


def prefix(runner_pid: int | None = None) -> str:
    """The prefix this process's run files carry (the worker inherits its runner's through the environment)."""
    inherited = os.environ.get("GILSCOPE_SCRATCH_PREFIX")
    if inherited and runner_pid is None:
        return inherited
    runner = runner_pid or os.getpid()
    owner = os.environ.get(OWNER_ENV) or str(runner)
    return f"{PREFIX}{owner}-{runner}-"


def roots() -> list[str]:
    out = [tempfile.gettempdir()]
    if os.path.isdir("/dev/shm"):
        out.append("/dev/shm")
    return out


def _remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            os.unlink(path)
        except OSError:
            pass


def _run_entries() -> list[tuple[str, int, int]]:
    """Every run file or folder in the scratch roots: (path, owner pid, runner pid)."""
    out = []
    for root in roots():
        try:
            names = os.listdir(root)
        except OSError:
            continue
        for name in names:
            m = _NAME.match(name)
            if m:
                out.append((os.path.join(root, name), int(m.group(1)), int(m.group(2))))
    return out


def remove_run_files(owner_pid: int, runner_pid: int) -> int:
    """Removes every file of one runner; returns how many entries went."""
    mine = [path for path, owner, runner in _run_entries() if (owner, runner) == (owner_pid, runner_pid)]
    for path in mine:
        _remove(path)
    return len(mine)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def sweep_stale() -> int:
    """Removes run files whose owner is gone (a server or command that died); a live owner's are kept."""
    stale = [path for path, owner, _runner in _run_entries() if not _alive(owner)]
    for path in stale:
        _remove(path)
    return len(stale)
