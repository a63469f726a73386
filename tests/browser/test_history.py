"""Runs that last, in a real chromium: the history (filters in the address, paging, ticking runs to compare), a
run's permalink (its facts, exports and replayed timeline, after a server restart too), the comparison of runs
and of a group, and the banner every page shows when runs are not being saved. Real runs through the API."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from tests.browser.conftest import shot
from tests.server import server_process

pytestmark = pytest.mark.browser

FINAL = ("done", "failed", "cancelled")
FILLERS = 14  # with the runs below, 22 runs: two pages of the history (20 a page)
DRAWN = (
    "() => { const e = document.querySelector('.timeline');"
    " return !!e && (e.data||[]).some(t => (t.x||[]).length > 0) }"
)
COMPARED = (
    "(n) => { const e = document.getElementById('timelines');"
    " const axes = new Set((e && e.data || []).filter(t => (t.x||[]).length).map(t => t.yaxis));"
    " return axes.size === n && document.querySelectorAll('#figures-table tbody tr').length === 5"
    " && !!document.getElementById('bars').data }"
)
ENV = {
    "GILSCOPE_RUNS_PER_CLIENT_PER_MINUTE": "200",
    "GILSCOPE_QUEUE_LENGTH": "40",
    "GILSCOPE_ACTIVE_PER_CLIENT": "4",
}
PROGRAM = """
import threading, time
def work():
    end = time.perf_counter() + 0.3
    while time.perf_counter() < end:
        sum(range(500))
threads = [threading.Thread(target=work) for _ in range(2)]
for t in threads: t.start()
for t in threads: t.join()
"""


def spec(*mix: tuple[str, int], interval_s: float = 0.005, duration_s: float = 0.3, baseline: bool = False) -> dict:
    return {
        "mix": [{"kind": k, "threads": n} for k, n in mix],
        "switch_interval_s": interval_s,
        "duration_s": duration_s,
        "baseline": baseline,
    }


def wait_final(base: str, run_id: str, timeout: float = 90) -> dict:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        run = httpx.get(f"{base}/api/runs/{run_id}", timeout=10).json()
        if run["status"] in FINAL:
            return run
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} did not end")


class Server:
    """A server on a data folder of its own, which a test may restart on the same folder."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.stack = ExitStack()
        self.base = ""

    def start(self) -> None:
        _proc, self.base = self.stack.enter_context(server_process({**ENV, "GILSCOPE_DATA": str(self.data)}))

    def restart(self) -> None:
        self.stack.close()
        self.stack = ExitStack()
        self.start()


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """A server with 22 stored runs: a few of each kind a history shows, a sweep's group, a cancelled run, a traced
    program, and short fillers."""
    data = tmp_path_factory.mktemp("history-data")
    srv = Server(data)
    srv.start()
    client = httpx.Client(base_url=srv.base, timeout=30)  # one browser: it may cancel its own run
    ids: dict[str, str] = {}

    def submit(name: str, body: dict, **query: str) -> str:
        r = client.post("/api/runs", json=body, params=query)
        assert r.status_code == 202, r.text
        ids[name] = r.json()["id"]
        return ids[name]

    submit("ratio", spec(("cpu", 2), baseline=True), lesson="C4")
    wait_final(srv.base, ids["ratio"])
    submit("mixed", spec(("cpu", 2), ("sleep", 1), interval_s=0.001))
    submit("hashlib", spec(("hashlib", 2), baseline=True))
    wait_final(srv.base, ids["hashlib"])
    for ms in (1, 5, 20):
        submit(f"sweep{ms}", spec(("cpu", 2), interval_s=ms / 1000), group="sweep-t")
    wait_final(srv.base, ids["sweep20"])
    rid = submit("cancelled", spec(("cpu", 1), duration_s=8))
    end = time.monotonic() + 30
    while httpx.get(f"{srv.base}/api/runs/{rid}").json()["status"] != "running" and time.monotonic() < end:
        time.sleep(0.05)
    time.sleep(0.3)
    assert client.post(f"/api/runs/{rid}/cancel").json()["status"] == "cancelled"
    for i in range(FILLERS):
        submit(f"fill{i}", spec(("sleep", 1), interval_s=0.0005, duration_s=0.1), group="fill-t")
    wait_final(srv.base, ids[f"fill{FILLERS - 1}"])
    # a traced program, saved into the same store by `gilscope trace --save` while the server runs
    script = data / "two_threads.py"
    script.write_text(PROGRAM)
    out = subprocess.run(
        [sys.executable, "-m", "gilscope.cli", "trace", "--save", str(script)],
        env={**os.environ, "GILSCOPE_DATA": str(data)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    ids["trace"] = re.search(r"saved as run (\w+)", out.stdout + out.stderr).group(1)
    listed = httpx.get(f"{srv.base}/api/runs", params={"limit": 100}).json()
    assert listed["total"] == 22, [(r["id"], r["status"]) for r in listed["runs"]]
    srv.ids = ids
    yield srv
    client.close()
    srv.stack.close()


@pytest.fixture
def tab(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = ctx.new_page()
    pg.console_errors = []
    pg.outside = []
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    pg.on(
        "request", lambda r: not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) and pg.outside.append(r.url)
    )
    yield pg
    ctx.close()


def rows(page) -> list[str]:
    """The run ids the history shows, once its listing has come (rows, or the words for none)."""
    page.wait_for_function(
        "() => !document.querySelector('#runs').hasAttribute('aria-busy')"
        " && (document.querySelector('#range').textContent || !document.querySelector('#empty').hidden)"
    )
    return page.locator("#runs tbody tr").evaluate_all("rs => rs.map(r => r.dataset.id)")


def test_history_filters_and_pages_are_links(tab, stored):
    page, base, ids = tab, stored.base, stored.ids
    page.goto(base + "/history?lang=en&groups=all", wait_until="networkidle")
    first = rows(page)
    assert len(first) == 20 and first[0] == ids["trace"]  # newest first
    assert page.locator("#range").inner_text() == "1–20 of 22"
    assert page.locator("#prev").is_disabled()
    assert page.locator("#store-banner").is_hidden()  # the store is fine
    page.locator("#next").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert rows(page) == [ids["mixed"], ids["ratio"]]  # the oldest two
    assert page.locator("#range").inner_text() == "21–22 of 22"
    assert page.locator("#next").is_disabled()
    page.go_back()
    page.wait_for_function("() => document.querySelector('#range').textContent.startsWith('1–20')")
    assert rows(page) == first

    # each filter narrows the list and lands in the address: the filtered view is a link
    for name, value, expected in (
        ("status", "cancelled", [ids["cancelled"]]),
        ("kind", "hashlib", [ids["hashlib"]]),
        ("interval_ms", "20", [ids["sweep20"]]),
        ("lesson", "C4", [ids["ratio"]]),
        ("source", "trace", [ids["trace"]]),
    ):
        page.goto(base + "/history?lang=en&groups=all", wait_until="networkidle")
        rows(page)
        page.select_option(f"select[name={name}]", value)
        page.wait_for_url(re.compile(rf"{name}={value}\b"))
        assert rows(page) == expected, (name, value)
        link = page.url
        page.goto(link, wait_until="networkidle")
        assert page.locator(f"select[name={name}]").input_value() == value
        assert rows(page) == expected, link
    # two filters at once, and nothing matching says so
    page.goto(base + "/history?lang=en&groups=all&kind=hashlib&status=cancelled", wait_until="networkidle")
    assert rows(page) == []
    assert page.locator("#empty").inner_text() == "No stored run matches these filters."
    page.get_by_role("button", name="Clear the filters").click()
    assert len(rows(page)) == 20 and "kind=" not in page.url

    # what a row says
    page.goto(base + "/history?lang=en&groups=all&source=trace", wait_until="networkidle")
    rows(page)
    cells = page.locator("#runs tbody tr").first.locator("td").all_inner_texts()
    assert "two_threads.py" in cells[2] and "python" in cells[2] and "traced" in cells[2], cells
    page.goto(base + "/history?lang=en&groups=all&lesson=C4", wait_until="networkidle")
    rows(page)
    cells = page.locator("#runs tbody tr").first.locator("td").all_inner_texts()
    assert cells[2] == "cpu×2" and cells[3] == "5 ms" and cells[4] == "0.3 s" and cells[5] == "done"
    assert cells[6] == "C4" and re.fullmatch(r"×[\d.]+", cells[9]), cells  # the threads / one thread ratio
    assert (
        page.locator("#runs tbody tr a", has_text=re.compile(r"\d{2}:\d{2}:\d{2}")).get_attribute("href")
        == "/runs/" + ids["ratio"]
    )
    assert not page.console_errors and not page.outside


def test_tick_two_runs_and_compare(tab, stored):
    page, base, ids = tab, stored.base, stored.ids
    page.goto(base + "/history?lang=en&groups=all", wait_until="networkidle")
    rows(page)
    button = page.locator("#compare-picked")
    assert button.is_disabled()
    # the listing marks a ratio its run's noise left undecided, and only such a ratio
    undecided = httpx.get(f"{base}/api/runs/{ids['hashlib']}").json()["summary"]["baseline"]["conclusive"] is False
    ratio_cell = page.locator(f"tr[data-id='{ids['hashlib']}'] td.num").last
    assert re.match(r"×[\d.]+", ratio_cell.inner_text()), ratio_cell.inner_text()
    assert ("inconclusive" in (ratio_cell.get_attribute("class") or "")) == undecided
    # by keyboard: focus a run's box and press Space
    page.locator(f"tr[data-id='{ids['hashlib']}'] input[type=checkbox]").focus()
    page.keyboard.press("Space")
    assert button.is_disabled() and button.inner_text() == "Compare 1 run"
    page.locator("#next").click()  # a tick stays across pages
    page.wait_for_url(re.compile(r"page=2"))
    rows(page)
    page.locator(f"tr[data-id='{ids['ratio']}'] input[type=checkbox]").check()
    assert button.inner_text() == "Compare 2 runs" and button.is_enabled()
    button.click()
    page.wait_for_url(re.compile(r"/compare\?runs="))
    assert page.url.endswith(f"runs={ids['hashlib']},{ids['ratio']}")
    page.wait_for_function(COMPARED, arg=2, timeout=30_000)
    legend = page.locator("#legend tbody tr").all_inner_texts()
    assert "hashlib×2" in legend[0] and "cpu×2" in legend[1], legend
    # the timelines share one x axis, each run on a y axis of its own
    axes = page.evaluate(
        "() => { const l = document.getElementById('timelines').layout;"
        " return [l.xaxis.anchor, l.yaxis.domain, l.yaxis2.domain] }"
    )
    assert axes[0] == "y2" and axes[1][0] > axes[2][1], axes  # run 1 above run 2
    # they open on twenty of the longest switch interval, inside every run; "all of it" and "10 intervals" span
    specs = [httpx.get(f"{base}/api/runs/{ids[k]}").json()["spec"] for k in ("hashlib", "ratio")]
    longest = max(s["switch_interval_s"] for s in specs) * 1000
    x_range = "() => document.getElementById('timelines').layout.xaxis.range.map(Number)"
    a, b = page.evaluate(x_range)
    assert b - a == pytest.approx(20 * longest) and a > 0 and b < min(s["duration_s"] for s in specs) * 1000, (a, b)
    readout = page.locator(".window-readout")
    assert readout.get_attribute("data-whole") == "false" and "showing" in readout.inner_text()
    page.locator(".timeline-tools [data-span=span_all]").click()
    page.wait_for_function("() => document.querySelector('.window-readout').dataset.whole === 'true'")
    whole = page.evaluate(x_range)
    assert whole[0] == 0 and whole[1] >= max(s["duration_s"] for s in specs) * 1000 * 0.9, whole
    page.locator(".timeline-tools [data-span=span_ten]").click()
    page.wait_for_function("() => document.querySelector('.window-readout').dataset.whole === 'false'")
    a, b = page.evaluate(x_range)
    assert b - a == pytest.approx(10 * longest), (a, b)
    table = page.locator("#figures-table tbody tr")
    handoffs = table.nth(0).locator("td")
    assert re.fullmatch(r"[\d,.]+", handoffs.nth(0).inner_text()), handoffs.nth(0).inner_text()
    assert re.search(r"^[+−]", handoffs.nth(1).locator(".diff").inner_text())  # the difference to run 1
    ratio = page.locator("#figures-table tr[data-figure=ratio] td").all_inner_texts()
    assert all(re.search(r"\[[\d.]+–[\d.]+\]", r) for r in ratio), ratio  # with its spread
    # a comparison its run's noise left undecided says so, and no difference is read from it
    conclusive = [
        httpx.get(f"{base}/api/runs/{ids[k]}").json()["summary"]["baseline"]["conclusive"] for k in ("hashlib", "ratio")
    ]
    cells = page.locator("#figures-table tr[data-figure=ratio] td")
    for i, c in enumerate(conclusive):
        assert ("inconclusive" in (cells.nth(i).get_attribute("class") or "")) == (not c), (i, c)
        assert ("inconclusive:" in cells.nth(i).inner_text()) == (not c), cells.nth(i).inner_text()
    diff = cells.nth(1).locator(".diff").inner_text()
    assert (diff == "no difference can be read: a run's own noise left it undecided") == (not all(conclusive)), diff
    # both runs compared threads with one thread: the bars show the ratio, with whiskers
    assert page.locator("#figure-pick").input_value() == "ratio"
    bars = page.evaluate("() => document.getElementById('bars').data[0]")
    assert bars["x"] == ["#1", "#2"] and all(v > 0 for v in bars["y"])
    assert bars["error_y"]["visible"] and all(v is not None for v in bars["error_y"]["array"])
    page.select_option("#figure-pick", "handoffs_per_s")
    page.wait_for_function("() => !document.getElementById('bars').data[0].error_y")
    assert not page.console_errors and not page.outside


def test_a_group_opens_as_a_comparison(tab, stored):
    page, base, ids = tab, stored.base, stored.ids
    page.goto(base + "/history?lang=en&interval_ms=20", wait_until="networkidle")
    rows(page)
    page.get_by_role("link", name="open as comparison").click()
    page.wait_for_url(re.compile(r"/compare\?group=sweep-t"))
    page.wait_for_function(COMPARED, arg=3, timeout=30_000)
    assert "Sweep of the switch interval" in page.locator("h2").inner_text()
    links = page.locator("#legend tbody th a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert links == [f"/runs/{ids[f'sweep{ms}']}" for ms in (1, 5, 20)]  # in the order they ran
    intervals = page.locator("#legend tbody td:nth-child(3)").all_inner_texts()
    assert intervals == ["1 ms", "5 ms", "20 ms"]
    # a bigger group: its first eight, and a note that says so
    page.goto(base + "/compare?group=fill-t&lang=en", wait_until="networkidle")
    assert "This group has 14 runs; the first 8 are shown." in page.locator(".note").inner_text()
    page.wait_for_function(COMPARED, arg=8, timeout=60_000)
    assert httpx.get(base + "/compare?group=nope").status_code == 404
    assert httpx.get(base + "/compare?runs=" + ",".join(ids[f"fill{i}"] for i in range(9))).status_code == 422
    assert not page.console_errors and not page.outside


def test_permalink_replays_the_run_with_its_exports(tab, stored):
    page, base, ids = tab, stored.base, stored.ids
    rid = ids["ratio"]
    page.goto(f"{base}/runs/{rid}?lang=en", wait_until="networkidle")
    page.wait_for_function(DRAWN, timeout=20_000)
    page.wait_for_selector(".status.done", timeout=20_000)
    fact = lambda name: page.locator(f"[data-fact={name}]").inner_text()  # noqa: E731
    assert fact("what") == "cpu×2" and fact("interval") == "5 ms" and fact("duration").startswith("0.3 s")
    assert fact("status") == "done" and fact("lesson") == "C4" and re.search(r"\d{2}:\d{2}:\d{2}", fact("when"))
    assert page.locator("#reason").count() == 0
    assert page.locator(".card strong").first.inner_text() != "–"  # hand-offs/s, from the stored summary
    assert page.locator(".after .reading").inner_text()
    # the progress lines of a replayed run: every thread's units, its last point the stored count
    page.wait_for_function(
        "() => { const d = document.querySelector('.plot.progress').data || [];"
        " return d.length > 0 && d.every(t => (t.x || []).length > 0) }",
        timeout=10_000,
    )
    last = page.evaluate("() => document.querySelector('.plot.progress').data.map(t => [t.name, t.y[t.y.length - 1]])")
    done = {t["name"]: t["progress"] for t in httpx.get(f"{base}/api/runs/{rid}").json()["summary"]["threads"]}
    assert all(0 < y <= done[name] for name, y in last), (last, done)
    for name in ("summary.json", "segments.csv", "trace.json"):
        link = page.get_by_role("link", name=name)
        assert link.get_attribute("download") is not None
        r = httpx.get(base + link.get_attribute("href"))
        assert r.status_code == 200 and "attachment" in r.headers["content-disposition"], name
    page.get_by_role("link", name="← History").click()
    page.wait_for_url(re.compile(r"/history$"))
    # a cancelled run says why it ended; a traced one shows its program
    page.goto(f"{base}/runs/{ids['cancelled']}?lang=en", wait_until="networkidle")
    assert page.locator("#reason").inner_text() == "Why it ended: cancelled by request"
    assert fact("status") == "cancelled"
    page.goto(f"{base}/runs/{ids['trace']}?lang=en", wait_until="networkidle")
    page.wait_for_function(DRAWN, timeout=20_000)
    assert "two_threads.py" in fact("what")
    assert httpx.get(f"{base}/runs/nope").status_code == 404
    assert not page.console_errors and not page.outside


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_screenshots(tab, stored, lang):
    """The three pages as a user sees them, in both languages (looked at by eye: GILSCOPE_SCREENSHOTS=/tmp/shots);
    in Ukrainian no English word of the interface is left, and counted words agree with their numbers."""
    page, base, ids = tab, stored.base, stored.ids
    page.goto(f"{base}/history?lang={lang}", wait_until="networkidle")
    rows(page)
    boxes = page.locator("#runs tbody input[type=checkbox]")
    for i in range(2):
        boxes.nth(i).check()
    if lang == "uk":
        assert page.locator("#compare-picked").inner_text() == "Порівняти 2 запуски"
        for i in range(2, 5):
            boxes.nth(i).check()
        assert page.locator("#compare-picked").inner_text() == "Порівняти 5 запусків"
        for i in range(2, 5):
            boxes.nth(i).uncheck()
        ui = page.locator(
            "header, .history h2, .history > .hint, #runs thead, .pick-bar button, .pager"
        ).all_inner_texts()
        # the filters' captions and their "any" (the choices are kind names and the lessons' titles)
        ui += page.locator(".filters label").evaluate_all(
            "ls => ls.map(l => l.firstChild.textContent + ' ' + l.querySelector('option').textContent)"
        )
        words = set(re.findall(r"[A-Za-z]{4,}", " ".join(ui)))
        assert words <= {"gilscope", "English"}, words
        states = set(page.locator("#runs tbody .state").all_inner_texts())
        assert states <= {"завершено", "скасовано"}, states
    shot(page, f"history-{lang}")
    page.goto(f"{base}/runs/{ids['ratio']}?lang={lang}", wait_until="networkidle")
    page.wait_for_function(DRAWN, timeout=20_000)
    page.wait_for_selector(".status.done", timeout=20_000)
    if lang == "uk":
        facts = " ".join(page.locator(".run-facts dt, .run-facts .hint, .exports").all_inner_texts())
        files = {"summary", "json", "segments", "trace", "stacks", "folded"}  # the exports' file names
        assert not set(re.findall(r"[A-Za-z]{4,}", facts)) - files, facts
    shot(page, f"run-{lang}")
    page.goto(
        f"{base}/compare?runs={ids['ratio']},{ids['mixed']},{ids['hashlib']}&lang={lang}", wait_until="networkidle"
    )
    page.wait_for_function(COMPARED, arg=3, timeout=30_000)
    if lang == "uk":
        ui = page.locator("header, .compare h2, .compare .hint, #legend thead, h3, #figures-table tbody th")
        words = set(re.findall(r"[A-Za-z]{4,}", " ".join(ui.all_inner_texts())))
        assert words <= {"gilscope", "English"}, words
    shot(page, f"compare-{lang}")
    assert not page.console_errors and not page.outside


def test_permalink_after_a_restart(tab, stored):
    """The run comes from the store: a new server on the same data folder renders it whole."""
    rid = stored.ids["mixed"]
    stored.restart()
    page, base = tab, stored.base
    assert httpx.get(f"{base}/api/runs", params={"limit": 1}).json()["total"] == 22
    page.goto(f"{base}/runs/{rid}?lang=en", wait_until="networkidle")
    page.wait_for_function(DRAWN, timeout=20_000)
    page.wait_for_selector(".status.done", timeout=20_000)
    lanes = page.evaluate("() => document.querySelector('.timeline').layout.yaxis.ticktext")
    assert lanes[1:] == ["cpu-1", "cpu-2", "sleep-1"], lanes
    assert page.locator("[data-fact=what]").inner_text() == "cpu×2 + sleep×1"
    assert page.locator(".after .plot").count() >= 1
    assert not page.console_errors and not page.outside


def test_every_page_says_when_runs_are_not_saved(tab, tmp_path):
    (tmp_path / "gilscope.sqlite3").write_bytes(b"this is not a database, and must stay as it is")
    with server_process({"GILSCOPE_DATA": str(tmp_path)}) as (_proc, base):
        for path in ("/history?lang=en", "/lessons?lang=en", "/?lang=en"):
            tab.goto(base + path, wait_until="networkidle")
            banner = tab.locator("#store-banner")
            banner.wait_for(state="visible", timeout=5000)
            assert banner.inner_text().startswith("Runs are not being saved: "), banner.inner_text()
            assert "not an SQLite database" in banner.inner_text()
        tab.goto(base + "/history?lang=uk", wait_until="networkidle")
        tab.locator("#store-banner").wait_for(state="visible", timeout=5000)
        assert tab.locator("#store-banner").inner_text().startswith("Запуски не зберігаються: ")
    assert (tmp_path / "gilscope.sqlite3").read_bytes().startswith(b"this is not")
