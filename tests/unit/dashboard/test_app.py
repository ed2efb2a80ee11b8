"""The app factory: two apps side by side, each with its own settings."""

from __future__ import annotations

import json

from dashboard.app import create_app
from dashboard.config import Settings


def test_two_apps_do_not_share_state():
    a = create_app(Settings(language="zh"))
    b = create_app(Settings(language="en"))
    assert a is not b and a.server is not b.server
    ca, cb = a.server.test_client(), b.server.test_client()
    assert ca.get("/healthz").json["status"] == "ok"
    layout_a = json.dumps(ca.get("/_dash-layout").json, ensure_ascii=False)
    layout_b = json.dumps(cb.get("/_dash-layout").json, ensure_ascii=False)
    assert "示范带" in layout_a and "demonstration belts" in layout_b.lower()


def test_assets_and_topojson_are_served_locally():
    client = create_app(Settings()).server.test_client()
    assert client.get("/assets/topojson/world_110m.json").status_code == 200
    assert client.get("/assets/style.css").status_code == 200


def test_responses_are_compressed():
    client = create_app(Settings()).server.test_client()
    resp = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert resp.headers.get("Content-Encoding") == "gzip"


def _geojson_urls(node, found):
    """Every trace's GeoJSON URL in a ``/_dash-layout`` answer."""
    if isinstance(node, dict):
        if isinstance(node.get("geojson"), str):
            found.add(node["geojson"])
        for value in node.values():
            _geojson_urls(value, found)
    elif isinstance(node, list):
        for value in node:
            _geojson_urls(value, found)
    return found


def _preloaded(resp) -> list[str]:
    return [part.split(">")[0].strip().lstrip("<") for part in resp.headers.get("Link", "").split(",") if part]


def test_a_page_preloads_what_its_map_will_fetch_and_nothing_else_does():
    client = create_app(Settings()).server.test_client()
    for path in ("/", "/wall", "/brief"):
        preloaded = _preloaded(client.get(path))
        layout = client.get("/_dash-layout", headers={"Referer": f"http://localhost{path}"}).json
        wanted = _geojson_urls(layout, set())
        assert wanted and wanted <= set(preloaded), path
        assert "/assets/topojson/world_110m.json" in preloaded
        assert all(client.get(url).status_code == 200 for url in preloaded)
    # not an address Dash answers with its page, nor the layout or a callback
    for path in ("/login", "/no-such-page", "/_dash-layout", "/healthz"):
        assert "Link" not in client.get(path).headers, path


def test_the_page_answers_without_its_preload_when_the_data_cannot_be_read(monkeypatch):
    from dashboard import pages
    from geodata.errors import DatabaseUnavailable

    client = create_app(Settings()).server.test_client()

    def unreachable(*args):
        raise DatabaseUnavailable("the database does not answer")

    monkeypatch.setattr(pages, "page_fetches", unreachable)
    resp = client.get("/")
    assert resp.status_code == 200 and "Link" not in resp.headers
