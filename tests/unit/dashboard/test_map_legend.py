"""The explorer map's legend (pure builders): read from the map figure, drawn as HTML, a belt emphasised."""

from __future__ import annotations

import json

import plotly.utils
import pytest

from dashboard.figures.map import MapData, build_map_figure
from dashboard.map_legend import legend_groups, legend_panel, legend_panel_children, names_of
from dashboard.state import DEFAULT_LAYERS, LAYERS
from geodata import Audience
from geodata.overlays import overlays


@pytest.fixture(scope="module")
def figure(dataset):
    data = MapData(county=dataset.county(), townships=dataset.townships(),
                   villages=dataset.villages().drop(columns="geometry"), villages_geojson="/v.geojson",
                   belts=dataset.belts(), overlays=overlays(dataset, Audience.STAFF))
    return build_map_figure(data)


def as_json(value) -> object:
    return json.loads(json.dumps(value, cls=plotly.utils.PlotlyJSONEncoder))


def test_the_legend_lists_what_the_map_draws_grouped_as_plotly_would(figure, dataset):
    groups = legend_groups(figure, DEFAULT_LAYERS)
    belts = next(g for g in groups if g.title.startswith("示范带"))
    assert [e.name for e in belts.entries] == dataset.belts().sort_values("belt_id").name.tolist()
    assert [e.belt for e in belts.entries] == [f"B{i:02d}" for i in range(1, 22)]
    assert all(e.line and e.line[0] == tr["line"]["color"] for e, tr in
               zip(belts.entries, [tr for tr in figure["data"] if tr["uid"].startswith("belt-")]))
    names = names_of(groups)
    assert names[0].startswith("村(社区)") and "县界" in names and names[-1] == "公报记载"
    villages = groups[0].entries[0]
    assert villages.area and not villages.line and not villages.marker
    # hidden layers are not listed; one switched on joins its group (ponds beside the rivers)
    assert not any("山塘" in n for n in names)
    with_ponds = legend_groups(figure, (*DEFAULT_LAYERS, "ponds"))
    water = next(g for g in with_ponds if any("河流" in e.name for e in g.entries))
    assert [e.uid for e in water.entries] == ["rivers-main", "rivers-streams", "ponds"]
    assert water.entries[2].marker[2] == "circle"
    # labels and the traces of the inset are never listed
    everything = names_of(legend_groups(figure, LAYERS))
    assert len(everything) == len(set(everything)) and "" not in everything
    assert not any(g.title.startswith("示范带") for g in legend_groups(figure, ("villages", "county")))


def test_names_are_shown_as_the_characters_they_hold():
    figure = {"data": [{"type": "scattergeo", "uid": "belt-B01", "name": "A &amp; B &lt;i&gt;", "mode": "lines",
                        "line": {"color": "#123456", "width": 3}, "legendgroup": "belts",
                        "legendgrouptitle": {"text": "带 &amp; 路"}}], "layout": {}}
    (group,) = legend_groups(figure, DEFAULT_LAYERS)
    assert group.title == "带 & 路" and group.entries[0].name == "A & B <i>"
    text = json.dumps(as_json(legend_panel_children((group,))), ensure_ascii=False)
    assert "A & B <i>" in text and "&amp;" not in text  # React writes it as text


def test_a_selected_belt_stands_out_and_the_others_fade(figure):
    groups = legend_groups(figure, DEFAULT_LAYERS)
    items = [li for g in as_json(legend_panel_children(groups, "B05")) for part in g["props"]["children"]
             if part["type"] == "Ul" for li in part["props"]["children"]]
    classes = {li["props"].get("data-belt"): li["props"]["className"] for li in items}
    assert classes["B05"] == "kb-lg-item kb-selected"
    assert sum(c.endswith("kb-faded") for c in classes.values()) == 20
    assert classes[None] == "kb-lg-item"  # non-belt entries never fade
    plain = [li["props"]["className"] for g in as_json(legend_panel_children(groups)) for part in
             g["props"]["children"] if part["type"] == "Ul" for li in part["props"]["children"]]
    assert set(plain) == {"kb-lg-item"}


def test_an_empty_legend_is_hidden():
    panel = legend_panel(())
    assert panel.hidden is True and panel.children == []
