"""What plotly.js fetches to draw a figure (the page's preload header names it)."""

from __future__ import annotations

from dashboard.figures.fetches import plotly_fetches, preload_header, topojson_name

CONFIG = {"topojsonURL": "/assets/topojson/"}


def test_geojson_named_by_url_is_fetched_once_inline_geojson_never():
    figure = {"data": [{"type": "choropleth", "geojson": "/geo/v/villages.geojson"},
                       {"type": "choropleth", "geojson": {"type": "FeatureCollection", "features": []}},
                       {"type": "choropleth", "geojson": "/geo/v/villages.geojson", "geo": "geo"}],
              "layout": {}}
    assert plotly_fetches(figure, {}) == ["/geo/v/villages.geojson"]


def test_topojson_of_each_geo_subplot_a_trace_is_drawn_on():
    figure = {"data": [{"type": "scattergeo"}, {"type": "scattergeo", "geo": "geo2"}, {"type": "bar"}],
              "layout": {"geo": {}, "geo2": {"scope": "north america", "resolution": 50},
                         "geo3": {"scope": "asia"}}}  # geo3 has no trace: plotly draws no base map for it
    assert plotly_fetches(figure, CONFIG) == ["/assets/topojson/world_110m.json",
                                              "/assets/topojson/north-america_50m.json"]


def test_no_topojson_without_a_local_topojson_url():
    # plotly would take its CDN: nothing to preload (and the app never configures that)
    assert plotly_fetches({"data": [{"type": "scattergeo"}], "layout": {}}, {}) == []


def test_topojson_name_follows_plotly_defaults():
    assert topojson_name({}) == "world_110m.json"
    assert topojson_name({"resolution": 50.0}) == "world_50m.json"


def test_preload_header_asks_as_plotlys_fetch_does():
    assert preload_header(["/a.json", "/b.json"]) == ("</a.json>; rel=preload; as=fetch; crossorigin, "
                                                      "</b.json>; rel=preload; as=fetch; crossorigin")
