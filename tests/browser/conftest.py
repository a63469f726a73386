from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.server import running_server

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SHOTS = Path(os.environ.get("GILSCOPE_SCREENSHOTS", Path(tempfile.gettempdir()) / "gilscope-screenshots"))


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def server():
    data = tempfile.mkdtemp(prefix="gilscope-data-")
    with running_server(
        {"GILSCOPE_DATA": data, "GILSCOPE_RUNS_PER_CLIENT_PER_MINUTE": "200", "GILSCOPE_QUEUE_LENGTH": "40"}
    ) as base:
        yield base
    shutil.rmtree(data, ignore_errors=True)


@pytest.fixture
def page(browser, server):
    """A page that records console errors and any request that leaves the machine."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = ctx.new_page()
    pg.console_errors = []
    pg.outside = []
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
    local = ("http://127.0.0.1", "data:", "blob:")
    pg.on("request", lambda r: not r.url.startswith(local) and pg.outside.append(r.url))
    yield pg
    ctx.close()


def shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
