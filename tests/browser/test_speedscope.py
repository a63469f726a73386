"""A real run's trace.json export opened in a viewer gilscope did not write: speedscope's offline build (the npm
package `speedscope`, fetched once with `npm pack` into ~/.cache/gilscope-tests/), served from loopback and
given the export by its #profileURL= in chromium. Speedscope must import it as one profile per thread, with the
GIL states as its frames, and draw it."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.browser.conftest import shot

pytestmark = pytest.mark.browser

VERSION = "1.22.2"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gilscope-tests"
# What speedscope says when an import goes wrong, or when slices of one thread overlap (it then nests them)
IMPORT_FAILED = re.compile(r"something went wrong|failed to|unrecognized format|not a valid", re.IGNORECASE)
NESTING = re.compile(r"Tried to end|was still open at end of profile")


def speedscope_release() -> Path:
    """speedscope's dist/release folder (index.html works from files), from the npm registry once."""
    release = CACHE / f"speedscope-{VERSION}" / "dist" / "release"
    if (release / "index.html").exists():
        return release
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is missing: it fetches speedscope's offline build (`npm pack speedscope`); install Node.js")
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        packed = subprocess.run(
            [npm, "pack", f"speedscope@{VERSION}", "--pack-destination", tmp],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert packed.returncode == 0, f"npm pack speedscope@{VERSION} failed:\n{packed.stderr[-2000:]}"
        tgz = next(Path(tmp).glob("speedscope-*.tgz"))
        with tarfile.open(tgz) as tar:
            safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}  # Python 3.11.4 on
            tar.extractall(tmp, **safe)
        try:  # into place whole, so that a run stopped half-way leaves nothing that looks complete
            os.replace(Path(tmp) / "package", CACHE / f"speedscope-{VERSION}")
        except OSError:
            if not (release / "index.html").exists():  # else another run put it there meanwhile
                raise
    return release


class Files(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def viewer(tmp_path_factory):
    """speedscope and the profiles to open in it, from one loopback origin (the server's own folder)."""
    root = tmp_path_factory.mktemp("speedscope-site")
    os.symlink(speedscope_release(), root / "speedscope")
    (root / "profiles").mkdir()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Files, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def exported(server):
    """A real run (two CPU threads and a sleeping one) and its trace.json export."""
    body = {"mix": [{"kind": "cpu", "threads": 2}, {"kind": "sleep", "threads": 1}], "duration_s": 0.5}
    rid = httpx.post(server + "/api/runs", json=body, timeout=10).json()["id"]
    end = time.monotonic() + 90
    while httpx.get(f"{server}/api/runs/{rid}", timeout=10).json()["status"] not in ("done", "failed", "cancelled"):
        assert time.monotonic() < end, "the run did not end"
        time.sleep(0.1)
    r = httpx.get(f"{server}/api/runs/{rid}/export/trace.json", timeout=30)
    assert r.status_code == 200
    return rid, r.content


def open_in_speedscope(browser, viewer, rid: str, content: bytes):
    root, origin = viewer
    (root / "profiles" / f"{rid}.json").write_bytes(content)
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    page.messages = []
    page.outside = []
    page.on("console", lambda m: page.messages.append((m.type, m.text)))
    page.on("pageerror", lambda e: page.messages.append(("pageerror", str(e))))
    page.on("request", lambda r: not r.url.startswith(origin) and page.outside.append(r.url))
    page.goto(f"{origin}/speedscope/index.html#profileURL={origin}/profiles/{rid}.json")
    # the toolbar names the profile on show: "<process> (pid 1), <thread> (tid n) (1/4)"
    page.get_by_text(re.compile(r"\(tid \d+\) \(1/\d+\)")).wait_for(timeout=30_000)
    return ctx, page


def test_speedscope_shows_each_thread_of_the_export(browser, viewer, exported):
    rid, content = exported
    ctx, page = open_in_speedscope(browser, viewer, rid, content)
    try:
        title = page.get_by_text(re.compile(r"\(tid \d+\) \(1/\d+\)"))
        assert f"gilscope run {rid}" in title.inner_text() and "(1/4)" in title.inner_text()
        # one profile per thread, named as the run named them, and the sampled GIL holder's track
        title.click()
        for name in ("cpu-1 (tid 1)", "cpu-2 (tid 2)", "sleep-1 (tid 3)", "GIL holder (sampled) (tid 1000)"):
            page.get_by_text(name).first.wait_for(timeout=5000)
        page.keyboard.press("Escape")
        # the flame chart is drawn: canvases of the page's size
        sizes = page.evaluate("() => [...document.querySelectorAll('canvas')].map(c => c.width * c.height)")
        assert sizes and max(sizes) > 100_000, sizes
        # the GIL states are its frames: the sandwich view lists them with their time
        page.get_by_text("Sandwich").click()
        table = page.locator("body")
        for state in ("holding", "waiting"):
            table.get_by_text(state, exact=True).first.wait_for(timeout=5000)
        shot(page, "speedscope-sandwich")
        page.get_by_text("Time Order").click()
        shot(page, "speedscope")
        errors = [t for kind, t in page.messages if kind in ("error", "pageerror") or IMPORT_FAILED.search(t)]
        assert not errors, errors
        assert not IMPORT_FAILED.search(page.locator("body").inner_text())
        assert not page.outside, page.outside  # offline: nothing left the machine
    finally:
        ctx.close()


def test_speedscope_draws_each_thread_flat(browser, viewer, exported):
    """A thread's states follow one another: speedscope must not nest one inside another."""
    rid, content = exported
    ctx, page = open_in_speedscope(browser, viewer, rid, content)
    try:
        nested = [t for _kind, t in page.messages if NESTING.search(t)]
        assert not nested, f"{len(nested)} slices nested, e.g. {nested[:3]}"
    finally:
        ctx.close()
