"""dashboard.serving: which responses are compressed once and cached, and which headers they carry."""

from __future__ import annotations

import gzip

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.serving import IMMUTABLE, CompressedCache
from geodata import open_dataset


def test_cache_keeps_only_marked_keys_and_stays_bounded():
    cache = CompressedCache(max_bytes=100)
    cache.set("gzip;-", b"x" * 10)  # a callback POST: never kept
    assert cache.get("gzip;-") is None
    cache.set("gzip;+/a", b"a" * 20)
    cache.set("gzip;+/b", b"b" * 20)
    cache.set("gzip;+/c", b"c" * 20)
    cache.set("gzip;+/d", b"d" * 20)
    cache.get("gzip;+/a")  # recently used: survives
    cache.set("gzip;+/e", b"e" * 20)
    cache.set("gzip;+/f", b"f" * 20)
    assert cache.size <= 100 and cache.get("gzip;+/a") and cache.get("gzip;+/b") is None


def test_geometry_layout_and_assets_are_compressed_with_the_right_cache_headers():
    app = create_app(Settings())
    client = app.server.test_client()
    gz = {"Accept-Encoding": "gzip"}
    geo = client.get(f"/geo/{open_dataset().version}/villages.geojson", headers=gz)
    assert geo.headers["Content-Encoding"] == "gzip" and geo.headers["Cache-Control"] == IMMUTABLE
    layout = [client.get("/_dash-layout", headers=gz) for _ in range(2)]
    assert layout[0].get_data() == layout[1].get_data()
    assert "immutable" not in layout[1].headers.get("Cache-Control", "")  # the data may be republished
    assert gzip.decompress(layout[1].get_data()).startswith(b"{")
    topo = client.get("/assets/topojson/world_110m.json", headers=gz)
    assert topo.headers["Content-Encoding"] == "gzip"
    assert "immutable" not in topo.headers.get("Cache-Control", "")  # unversioned URL: revalidated
    css = client.get("/assets/style.css?m=1", headers=gz)
    assert css.headers["Cache-Control"] == IMMUTABLE
