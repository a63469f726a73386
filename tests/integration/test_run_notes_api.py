"""Through a real server on a seeded store: PATCH /api/runs/{id} names and notes a run (4xx naming the field),
the listing folds groups, /compare?group= shows one run per spec, and /docs and /redoc need nothing from outside."""

import re

import httpx
import pytest

from tests.seed_store import LESSON_GROUP, SWEEP_GROUP, seed
from tests.server import running_server


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    ids = seed(data)
    with running_server({"GILSCOPE_DATA": str(data)}) as base:
        yield base, ids


def test_a_run_is_named_and_noted(served):
    base, ids = served
    rid = ids["single"][0]
    c = httpx.Client(base_url=base, timeout=10)
    r = c.patch(f"/api/runs/{rid}", json={"name": " two CPU threads ", "note": "Olena's\nfirst try"})
    assert r.status_code == 200 and r.json() == {"id": rid, "name": "two CPU threads", "note": "Olena's\nfirst try"}
    view = c.get(f"/api/runs/{rid}").json()
    assert (view["name"], view["note"]) == ("two CPU threads", "Olena's\nfirst try")
    listed = {r["id"]: r for r in c.get("/api/runs").json()["runs"]}
    assert listed[rid]["name"] == "two CPU threads"
    assert c.patch(f"/api/runs/{rid}", json={"note": ""}).json()["note"] is None
    assert c.get(f"/api/runs/{rid}").json()["name"] == "two CPU threads"


@pytest.mark.parametrize(
    "body, field",
    [({"name": "x" * 81}, "name"), ({"name": "a\tb"}, "name"), ({"note": "n" * 2001}, "note"), ({"size": 1}, "size")],
)
def test_a_bad_name_or_note_is_refused_naming_its_field(served, body, field):
    base, ids = served
    r = httpx.patch(f"{base}/api/runs/{ids['single'][1]}", json=body, timeout=10)
    assert r.status_code == 422
    assert [d["field"] for d in r.json()["detail"]] == [field]


def test_an_unknown_run_is_404_and_an_empty_body_422(served):
    base, ids = served
    assert httpx.patch(f"{base}/api/runs/nosuchrun", json={"name": "x"}, timeout=10).status_code == 404
    assert httpx.patch(f"{base}/api/runs/{ids['single'][0]}", json={}, timeout=10).status_code == 422


def test_the_listing_folds_groups(served):
    base, _ids = served
    data = httpx.get(f"{base}/api/runs?fold=true", timeout=10).json()
    assert data["total"] == 4
    groups = {r["group_id"]: r["group"] for r in data["runs"] if r["group_id"]}
    assert groups[LESSON_GROUP]["runs"] == 4 and groups[SWEEP_GROUP] == {"kind": "sweep", "lesson": "C8", "runs": 3}


def test_a_group_comparison_shows_one_run_per_spec(served):
    base, ids = served
    page = httpx.get(f"{base}/compare?group={LESSON_GROUP}&lang=en", timeout=10).text
    shown = re.search(r'data-runs="([^"]*)"', page).group(1).split(",")
    assert shown == ["lesson1r1", "lesson2r0"]
    assert "one run of each different experiment is shown (2)" in page
    sweep = httpx.get(f"{base}/compare?group={SWEEP_GROUP}&lang=uk", timeout=10).text
    assert re.search(r'data-runs="([^"]*)"', sweep).group(1).split(",") == ids["sweep"]
    assert "Урок C8" in sweep


def test_docs_and_redoc_use_only_this_server(served):
    base, _ids = served
    for path in ("/docs", "/redoc"):
        html = httpx.get(base + path, timeout=10).text
        outside = [u for u in re.findall(r'(?:src|href)="([^"]+)"', html) if "://" in u or u.startswith("//")]
        assert not outside, (path, outside)
    assert "/vendor/swagger/swagger-ui-bundle.js" in httpx.get(base + "/docs", timeout=10).text
    for asset in (
        "/vendor/swagger/swagger-ui-bundle.js",
        "/vendor/swagger/swagger-ui.css",
        "/static/vendor/redoc.standalone.js",
    ):
        assert httpx.get(base + asset, timeout=10).status_code == 200, asset
    assert httpx.get(base + "/vendor/swagger/core.py", timeout=10).status_code == 404
    assert httpx.get(base + "/openapi.json", timeout=10).json()["paths"]["/api/runs/{run_id}"]["patch"]
