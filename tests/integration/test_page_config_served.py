"""The page's constants reach the page both embedded and over HTTP. The app's lifespan starts its runner (a
child), so this runs here rather than with the unit tests."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from gilscope.web.app import create_app
from gilscope.web.page_config import page_config_json


def test_served_embedded_and_in_the_openapi_document(tmp_path, monkeypatch):
    monkeypatch.setenv("GILSCOPE_DATA", str(tmp_path))
    with TestClient(create_app()) as client:
        served = client.get("/api/page-config").json()
        assert served == json.loads(page_config_json())
        html = client.get("/?lang=uk").text
        tag = '<script type="application/json" id="gilscope-config">'
        start = html.index(tag) + len(tag)
        assert json.loads(html[start : html.index("</script>", start)]) == served
        assert 'max="20"' in html and 'value="12"' in html  # the slider's stops and its default, from the config
        assert "0,05" in html  # the scale's ends, in the page's language
        schema = client.get("/openapi.json").json()
        assert "PageConfig" in schema["components"]["schemas"]
        assert "/api/page-config" in schema["paths"]
