"""``make serve``'s production server starts, answers, compresses and sets cache headers; then stops."""

from __future__ import annotations

import gzip
import json
import re
import urllib.request

import pytest

from benchmarks.server import Gunicorn
from geodata import open_dataset


def get(url: str, encoding: str = "gzip") -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(req, timeout=20) as resp:
        return resp.status, dict(resp.headers), resp.read()


@pytest.fixture(scope="module")
def served():
    with Gunicorn() as server:
        yield server


def test_index_and_health(served):
    status, headers, body = get(served.url + "/")
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert b"react-entry-point" in gzip.decompress(body)
    status, _, body = get(served.url + "/healthz", encoding="identity")
    assert status == 200 and open_dataset().version.encode() in body


def test_geometry_is_compressed_and_immutable(served):
    status, headers, body = get(f"{served.url}/geo/{open_dataset().version}/villages.geojson")
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"] and "max-age=31536000" in headers["Cache-Control"]
    assert gzip.decompress(body).startswith(b'{"type":"FeatureCollection"')


def test_fingerprinted_scripts_and_assets_are_cached_for_good(served):
    _, _, body = get(served.url + "/")
    html = gzip.decompress(body).decode()
    for pattern in (r'src="(/_dash-component-suites/dash/dash-renderer/[^"]+)"', r'src="(/assets/vendor/[^"]+)"',
                    r'href="(/assets/style\.css\?m=[^"]+)"'):
        path = re.search(pattern, html).group(1)
        status, headers, _ = get(served.url + path)
        assert status == 200 and headers.get("Content-Encoding") == "gzip", path
        assert "immutable" in headers["Cache-Control"], path


def test_callback_posts_are_never_served_from_the_cache(served):
    # Two different requests to the one callback URL must get two different answers.
    answers = set()
    for text in ("华", "马"):
        body = json.dumps({"output": "search.options", "outputs": {"id": "search", "property": "options"},
                           "inputs": [{"id": "search", "property": "search_value", "value": text}],
                           "state": [{"id": "search", "property": "value", "value": None}],
                           "changedPropIds": ["search.search_value"]}).encode()
        req = urllib.request.Request(served.url + "/_dash-update-component", data=body,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=20) as resp:
            answers.add(resp.read())
    assert len(answers) == 2
