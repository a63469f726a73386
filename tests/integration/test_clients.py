"""Owners and a teacher, a fair queue, identity that cannot be made up: on a real server."""

import time

import httpx
import pytest

from tests.server import running_server

TEACHER = "teacher-secret-1"
LONG = {"mix": [{"kind": "sleep", "threads": 1}], "duration_s": 20}


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    env = {
        "GILSCOPE_DATA": str(tmp_path_factory.mktemp("data")),
        "GILSCOPE_TEACHER_TOKEN": TEACHER,
        "GILSCOPE_RUNS_PER_CLIENT_PER_MINUTE": "100",
        "GILSCOPE_QUEUE_LENGTH": "8",
    }
    with running_server(env) as url:
        yield url


@pytest.fixture(autouse=True)
def idle(base):
    """Each test starts on an idle server: all clients here share one address, so earlier runs would count."""
    yield
    teacher = httpx.Client(headers={"Authorization": f"Bearer {TEACHER}"})
    teacher.post(base + "/api/queue/clear")
    for _ in range(300):
        now = httpx.get(base + "/api/runs?limit=1").json()
        if now["running"] is None and not now["queued"]:
            return
        if now["running"]:
            teacher.post(f"{base}/api/runs/{now['running']}/cancel")
        time.sleep(0.1)
    raise AssertionError("the server did not go idle")


def wait_final(client: httpx.Client, base: str, rid: str) -> str:
    for _ in range(300):
        status = client.get(f"{base}/api/runs/{rid}").json()["status"]
        if status in ("done", "failed", "cancelled"):
            return status
        time.sleep(0.1)
    raise AssertionError("no end")


def test_a_first_visit_gets_an_httponly_client_cookie(base):
    r = httpx.get(base + "/")
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("gilscope_client=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    with httpx.Client() as browser:
        browser.get(base + "/")
        assert "set-cookie" not in browser.get(base + "/").headers  # kept, not renewed


def test_only_the_owner_or_the_teacher_may_cancel(base):
    owner, stranger = httpx.Client(), httpx.Client()
    teacher = httpx.Client(headers={"Authorization": f"Bearer {TEACHER}"})
    wrong = httpx.Client(headers={"Authorization": "Bearer guess"})
    for c in (owner, stranger):
        c.get(base + "/")
    first = owner.post(base + "/api/runs", json=LONG).json()["id"]
    for intruder in (stranger, wrong, httpx.Client()):
        r = intruder.post(f"{base}/api/runs/{first}/cancel")
        assert r.status_code == 403 and "cancel" in r.json()["detail"]
    assert owner.get(f"{base}/api/runs/{first}").json()["status"] in ("queued", "running")
    assert owner.post(f"{base}/api/runs/{first}/cancel").json()["status"] == "cancelled"
    second = owner.post(base + "/api/runs", json=LONG).json()["id"]
    teacher.post(f"{base}/api/runs/{second}/cancel")
    assert wait_final(owner, base, second) == "cancelled"


def test_a_client_holds_at_most_two_submissions_but_a_lesson_counts_once(base):
    c = httpx.Client()
    c.get(base + "/")
    first = [c.post(base + "/api/runs", json=LONG) for _ in range(3)]
    assert [r.status_code for r in first] == [202, 202, 429]
    assert "2 runs queued or running" in first[2].json()["detail"]
    teacher = httpx.Client(headers={"Authorization": f"Bearer {TEACHER}"})
    for r in first[:2]:
        teacher.post(f"{base}/api/runs/{r.json()['id']}/cancel")
    # a sweep's six runs in one group: one submission, queued one after another
    short = {"mix": [{"kind": "cpu", "threads": 1}], "duration_s": 0.2}
    sweep = [c.post(base + "/api/runs?group=sweep-abc&lesson=C6", json=short) for _ in range(6)]
    assert [r.status_code for r in sweep] == [202] * 6
    assert c.post(base + "/api/runs", json=short).status_code == 202  # the second submission
    assert c.post(base + "/api/runs", json=short).status_code == 429
    for r in sweep:
        wait_final(c, base, r.json()["id"])
    listed = c.get(base + "/api/runs?group=sweep-abc").json()
    assert listed["total"] == 6 and {r["lesson"] for r in listed["runs"]} == {"C6"}
    assert c.post(base + "/api/runs?group=../../etc", json=short).status_code == 422


def test_the_teacher_clears_the_queue_and_nobody_else(base):
    teacher = httpx.Client(headers={"Authorization": f"Bearer {TEACHER}"})
    assert httpx.post(base + "/api/queue/clear").status_code == 403
    a, b = httpx.Client(), httpx.Client()
    ids = [a.post(base + "/api/runs?group=g1", json=LONG).json()["id"] for _ in range(3)]
    assert teacher.post(base + "/api/queue/clear").json()["cancelled"] >= 2
    teacher.post(f"{base}/api/runs/{ids[0]}/cancel")
    assert {wait_final(b, base, i) for i in ids} == {"cancelled"}


def test_a_made_up_forwarded_for_header_does_not_reset_the_limits(base):
    c = httpx.Client()
    rids = [c.post(base + "/api/runs", json=LONG, headers={"X-Forwarded-For": f"10.0.0.{i}"}) for i in range(3)]
    assert [r.status_code for r in rids] == [202, 202, 429], [r.text for r in rids]
    teacher = httpx.Client(headers={"Authorization": f"Bearer {TEACHER}"})
    for r in rids[:2]:
        teacher.post(f"{base}/api/runs/{r.json()['id']}/cancel")


def test_open_event_streams_are_capped_per_browser_and_released_at_once(base):
    c = httpx.Client(timeout=30)
    rid = c.post(base + "/api/runs", json=LONG).json()["id"]
    streams = []
    for _ in range(12):
        cm = c.stream("GET", f"{base}/api/runs/{rid}/events")
        r = cm.__enter__()
        assert r.status_code == 200
        streams.append(cm)
    extra = c.get(f"{base}/api/runs/{rid}/events")
    assert extra.status_code == 429 and "streams" in extra.json()["detail"]
    other = httpx.Client(timeout=30)
    with other.stream("GET", f"{base}/api/runs/{rid}/events") as r:  # another browser is not held back
        assert r.status_code == 200
    for cm in streams:
        cm.__exit__(None, None, None)
    for _ in range(50):
        if httpx.get(base + "/healthz").json()["viewers"] == 0:
            break
        time.sleep(0.1)
    assert httpx.get(base + "/healthz").json()["viewers"] == 0
    with c.stream("GET", f"{base}/api/runs/{rid}/events") as r:
        assert r.status_code == 200
