"""The map builders: data in, figure dict out."""

from __future__ import annotations

import json

import pytest

from dashboard.figures.map import LAYER_TRACES, MapData, build_map_figure, layer_of, trace_index, visibility
from dashboard.figures.map_overlays import INSET
from dashboard.state import DEFAULT_LAYERS, LAYERS
from geodata import Audience
from geodata.overlays import overlays


def _data(dataset, audience=Audience.STAFF):
    return MapData(county=dataset.county(), townships=dataset.townships(),
                   villages=dataset.villages().drop(columns="geometry"), villages_geojson="/geo/v/villages.geojson",
                   belts=dataset.belts(), overlays=overlays(dataset, audience))


@pytest.fixture(scope="module")
def figure(dataset):
    return build_map_figure(_data(dataset))


def test_villages_reference_geojson_by_url_not_inline(figure):
    villages = figure["data"][trace_index(figure, "villages")]
    assert villages["geojson"] == "/geo/v/villages.geojson"
    assert len(villages["locations"]) == 266
    assert all(c.startswith("village:") for c in villages["customdata"])


def test_one_trace_per_belt_in_its_own_colour(figure):
    belts = [t for t in figure["data"] if t["uid"].startswith("belt-")]
    assert [t["uid"] for t in belts] == [f"belt-B{i:02d}" for i in range(1, 22)]
    assert len({t["line"]["color"] for t in belts}) == 21
    assert all(set(t["customdata"]) == {"belt:" + t["uid"][5:]} for t in belts)


def test_every_layer_has_traces_and_every_trace_a_layer(figure):
    uids = [t["uid"] for t in figure["data"]]
    for layer in LAYERS:
        assert any(layer_of(u) == layer for u in uids), layer
    assert all(layer_of(u) is not None for u in uids)
    assert set(LAYER_TRACES) == set(LAYERS)


def test_visibility_follows_layers(dataset):
    fig = build_map_figure(_data(dataset), layers=("villages", "ponds"))
    shown = {t["uid"] for t in fig["data"] if t["visible"]}
    assert shown == {"villages", "labels-villages", "ponds"}
    assert fig["layout"][INSET]["showland"] is False
    fig = build_map_figure(_data(dataset), layers=("advisers",))
    assert fig["layout"][INSET]["showland"] is True
    assert visibility(fig, DEFAULT_LAYERS).count(True) > 20


def test_river_stretches_name_village_and_chief(figure):
    rivers = figure["data"][trace_index(figure, "rivers-main")]
    labels = {t for t in rivers["hovertext"] if t}
    assert any("马金溪" in t and "河长(村书记)" in t for t in labels)


def test_a_trace_never_hovered_carries_no_hover_data(figure):
    """plotly neither shows nor reports (hover or click) a ``hoverinfo: skip`` trace: labels there are bytes
    sent and parsed for nothing (the village streams' were half of the page's layout)."""
    skipped = [t for t in figure["data"] if t.get("hoverinfo") == "skip"]
    assert "rivers-streams" in {t["uid"] for t in skipped}
    for trace in skipped:
        assert not {"hovertext", "hovertemplate", "customdata"} & set(trace), trace["uid"]


def test_public_map_carries_no_personal_names(dataset):
    staff = json.dumps(build_map_figure(_data(dataset, Audience.STAFF)), ensure_ascii=False)
    public = json.dumps(build_map_figure(_data(dataset, Audience.PUBLIC)), ensure_ascii=False)
    names = set(dataset.layer("river_chiefs").name) | set(dataset.layer("pond_chiefs").name)
    assert any(n in staff for n in names)
    assert not any(n in public for n in names)
    assert "陈强龙" not in public


def test_adviser_flows_sit_in_the_inset(figure):
    flows = figure["data"][trace_index(figure, "adviser-flows")]
    assert flows["geo"] == INSET
    assert max(x for x in flows["lon"] if x is not None) > 120  # Hangzhou, Shanghai ... not on the county map


def test_language_switch_changes_labels(dataset):
    zh = build_map_figure(_data(dataset), "zh")
    en = build_map_figure(_data(dataset), "en")
    assert zh["data"][0]["name"] != en["data"][0]["name"]
    belt_names = [tr["name"] for tr in en["data"] if tr["uid"].startswith("belt-")]
    assert len(belt_names) == 21 and all(name.isascii() for name in belt_names)  # romanised: no English in the data


def test_map_is_framed_on_the_county(figure, dataset):
    lon = figure["layout"]["geo"]["lonaxis"]["range"]
    lat = figure["layout"]["geo"]["lataxis"]["range"]
    minx, miny, maxx, maxy = dataset.county().total_bounds
    assert lon[0] < minx and maxx < lon[1] and lat[0] < miny and maxy < lat[1]  # all of it, with room around
    assert abs((lon[0] + lon[1]) / 2 - (minx + maxx) / 2) < 1e-3  # centred
    assert lat[1] - lat[0] < 1.2 * (maxy - miny)  # and not lost in a frame much larger than it


def test_trace_index_unknown_uid():
    with pytest.raises(KeyError):
        trace_index({"data": [{"uid": "a"}]}, "b")


def test_trace_uids_are_safe_css_class_names(figure):
    # plotly.js builds CSS selectors from uids; a ":" breaks the PNG export ("not a valid selector").
    import re

    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", t["uid"]) for t in figure["data"])
