"""The map builder: data in, figure dict out."""

from __future__ import annotations

import json

import pytest

from dashboard.figures.map import MapData, build_map_figure, trace_index


@pytest.fixture(scope="module")
def map_data(dataset):
    return MapData(county=dataset.county(), townships=dataset.townships(),
                   villages=dataset.villages().drop(columns="geometry"), villages_geojson="/geo/v/villages.geojson",
                   belts=dataset.belts(), rivers=dataset.rivers())


def test_villages_reference_geojson_by_url_not_inline(map_data):
    fig = build_map_figure(map_data)
    villages = fig["data"][trace_index(fig, "villages")]
    assert villages["geojson"] == "/geo/v/villages.geojson"
    assert len(villages["locations"]) == 269
    assert len(json.dumps(fig)) < 400_000  # outlines and routes only; the polygons travel separately


def test_one_trace_per_belt_in_its_own_colour(map_data):
    fig = build_map_figure(map_data)
    belts = [t for t in fig["data"] if t["uid"].startswith("belt:")]
    assert [t["uid"] for t in belts] == [f"belt:B{i:02d}" for i in range(1, 22)]
    assert len({t["line"]["color"] for t in belts}) == 21
    assert all(set(t["customdata"]) == {t["uid"][5:]} for t in belts)


def test_language_switch_changes_labels(map_data):
    zh = build_map_figure(map_data, "zh")
    en = build_map_figure(map_data, "en")
    labels_zh = zh["data"][trace_index(zh, "township-labels")]["text"]
    labels_en = en["data"][trace_index(en, "township-labels")]["text"]
    assert "华埠镇" in labels_zh and "Huabu" in labels_en
    assert zh["data"][0]["name"] != en["data"][0]["name"]


def test_map_is_framed_on_the_county(map_data):
    fig = build_map_figure(map_data)
    lon = fig["layout"]["geo"]["lonaxis"]["range"]
    lat = fig["layout"]["geo"]["lataxis"]["range"]
    assert 117.9 < lon[0] < 118.05 and 118.6 < lon[1] < 118.7
    assert 28.85 < lat[0] < 28.95 and 29.49 < lat[1] < 29.55


def test_trace_index_unknown_uid():
    with pytest.raises(KeyError):
        trace_index({"data": [{"uid": "a"}]}, "b")
