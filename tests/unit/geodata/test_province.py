"""Province-scale data: same schema, unique codes, and a map that aggregates until you drill in."""

from __future__ import annotations

import json
import re

import pytest
import shapely
from dash import no_update

from callbacks.explorer import on_map_click
from callbacks.map import update_map
from dashboard.config import Settings
from dashboard.figures.map import LABEL_TRACES, build_map_figure, trace_index
from dashboard.map_data import map_data_for
from dashboard.map_view import reference_figure
from dashboard.state import ViewState
from geodata import LAYERS, Audience, open_dataset
from geodata.build.generate import write_gpkg
from geodata.build.province import build_province
from geodata.figures import scope_villages
from geodata.geojson import layer_geojson, parse_name
from geodata.ledger import check_ledger


@pytest.fixture(scope="module")
def province(tmp_path_factory, dataset):
    path = tmp_path_factory.mktemp("province") / "province.gpkg"
    write_gpkg(build_province(dataset, 4), path)
    return open_dataset(path)


def test_same_schema_and_unique_codes(province):
    for name in LAYERS:
        province.layer(name)  # every layer loads and passes the schema check
    vil = province.villages()
    assert len(vil) == 4 * 266 and vil.code.is_unique and province.belts().belt_id.is_unique
    assert sorted(province.county().code) == ["330824", "338801", "338802", "338803"]
    assert (vil.code.str.len() == 12).all()
    assert province.county().set_index("code").synthetic.to_dict() == {
        "330824": False, "338801": True, "338802": True, "338803": True}


def test_kaihua_stays_itself_inside_the_province(province, dataset):
    kaihua = province.villages()
    kaihua = kaihua[kaihua.code.str.startswith("330824")].reset_index(drop=True)
    assert kaihua.code.tolist() == dataset.villages().code.tolist()
    assert kaihua.geometry.geom_equals(dataset.villages().geometry).all()
    assert all(c.ok for c in check_ledger(dataset))


def test_overview_draws_counties_only_and_drilling_draws_one_county(province):
    overview = build_map_figure(map_data_for(Audience.STAFF, province, "/"))
    assert len(overview["data"][trace_index(overview, "counties")]["locations"]) == 4
    assert overview["data"][trace_index(overview, "villages")]["locations"] == ["-"]
    assert not any(t["uid"].startswith("belt-") for t in overview["data"])
    county = build_map_figure(map_data_for(Audience.STAFF, province, "/", "338802"))
    villages = county["data"][trace_index(county, "villages")]
    assert len(villages["locations"]) == 266 and all(c.startswith("338802") for c in villages["locations"])
    assert villages["geojson"].endswith("/villages-338802.geojson")
    assert sum(t["uid"].startswith("belt-") for t in county["data"]) == 21


def test_every_view_of_the_province_has_css_safe_trace_uids(province):
    # Leaving a county removes its traces, and plotly's cleanup selects ".cb" + uid for each: one uid that is
    # not a CSS class name (a ":") throws there, aborts the redraw and leaves the old county drawn.
    for county in (None, "330824", "338802"):
        figure = build_map_figure(map_data_for(Audience.STAFF, province, "/", county))
        assert all(re.fullmatch(r"[A-Za-z0-9_-]+", t["uid"]) for t in figure["data"]), county


def test_a_county_is_a_scope(province):
    codes = scope_villages(province, "county", "338802")
    assert len(codes) == 266 and all(c.startswith("338802") for c in codes)
    assert len(scope_villages(province, "county", None)) == 4 * 266


def test_per_county_geojson(province):
    assert parse_name("villages-338802") == ("villages", "338802")
    assert parse_name("villages-../x") is None and parse_name("cadres") is None
    features = json.loads(layer_geojson(province, "villages", "338802"))["features"]
    assert len(features) == 266 and all(f["id"].startswith("338802") for f in features)
    assert len(json.loads(layer_geojson(province, "counties"))["features"]) == 4


def test_clicking_a_county_drills_in_and_the_map_is_rebuilt_for_it(province):
    settings = Settings(data_path=province.path)
    state = on_map_click({"points": [{"customdata": "county:338803"}]}, ViewState().to_dict(), province)
    assert state["county"] == "338803"
    patch, applied = update_map(state, ViewState().to_dict(), settings, province, "/", Audience.STAFF)
    body = json.dumps(patch.to_plotly_json())
    assert "villages-338803.geojson" in body and applied["county"] == "338803"
    belt = on_map_click({"points": [{"customdata": "belt:C03B02"}]}, state, province)
    assert belt["county"] == "338803" and belt["belt"] == "C03B02"
    patch, _ = update_map(belt, state, settings, province, "/", Audience.STAFF)
    ops = patch.to_plotly_json()["operations"]
    # within a county, selections stay patches: styles, plus the few points placed per view (labels, stories)
    assert not any(op["location"][-1] in ("data", "layout", "geojson") for op in ops)
    figure = reference_figure(Audience.STAFF, province, "zh", "/", "338803")
    placed = {trace_index(figure, uid) for uid in (*LABEL_TRACES, "stories")}
    styles = [op for op in ops if not (op["location"][0] == "data" and op["location"][1] in placed)]
    assert len(json.dumps(styles)) < 10_000 and len(json.dumps(ops)) < 20_000


def test_one_county_data_has_no_drill_level(dataset):
    assert on_map_click({"points": [{"customdata": "county:330824"}]}, ViewState().to_dict(), dataset) is no_update


def test_a_belt_export_on_province_data_draws_the_belts_county_with_inline_shapes(province):
    from dashboard.exports.routes import dossier_state
    from dashboard.exports.snapshot import snapshot_figure

    belt = province.belts().belt_id.iloc[-1]
    state = dossier_state(province, belt, "zh", 2018)
    assert state.county and belt_members_in(province, belt, state.county)
    fig = snapshot_figure(state, Audience.STAFF, province)
    assert not [tr["uid"] for tr in fig["data"] if isinstance(tr.get("geojson"), str)]  # nothing to fetch
    villages = fig["data"][trace_index(fig, "villages")]
    assert {f["id"][:6] for f in villages["geojson"]["features"]} == {state.county}
    assert len(villages["selectedpoints"]) == len(province.belt_villages().query("belt_id == @belt"))


def belt_members_in(ds, belt, county) -> bool:
    return all(c.startswith(county) for c in ds.belt_villages().query("belt_id == @belt").village_code)


def test_county_shapes_are_served_simplified_and_valid(province):
    # plotly re-projects every vertex of the county shapes on each redraw of a drilled map
    served = json.loads(layer_geojson(province, "counties"))["features"]
    shapes = [shapely.geometry.shape(f["geometry"]) for f in served]
    full = province.county().geometry.values
    assert [f["id"] for f in served] == province.county().code.tolist()
    assert all(s.is_valid and not s.is_empty for s in shapes)
    assert shapely.get_num_coordinates(shapes).sum() < 0.5 * shapely.get_num_coordinates(full).sum()
    assert all(s.symmetric_difference(g).area < 0.01 * g.area for s, g in zip(shapes, full))


def test_the_province_at_a_glance_draws_simplified_county_outlines(province):
    import numpy as np
    import shapely

    from geodata.shapes import PROVINCE_PRECISION, PROVINCE_ZOOM, province_counties, tolerance

    full, simple = province.county(), province_counties(province)
    assert simple.code.tolist() == full.code.tolist() and simple.geometry.is_valid.all()
    assert list(simple.columns) == list(full.columns)
    moved = shapely.hausdorff_distance(np.asarray(simple.geometry.values), np.asarray(full.geometry.values))
    assert (moved <= tolerance(PROVINCE_ZOOM) + 10 ** -PROVINCE_PRECISION).all()  # nothing moved a visible amount
    vertices = shapely.get_num_coordinates(np.asarray(simple.geometry.values)).sum()
    assert vertices * 4 < shapely.get_num_coordinates(np.asarray(full.geometry.values)).sum()
    overview = build_map_figure(map_data_for(Audience.PUBLIC, province, "/"))
    outline = overview["data"][trace_index(overview, "county")]
    assert sum(v is not None for v in outline["lon"]) <= vertices + len(full) * 2  # the simplified outlines
    served = json.loads(layer_geojson(province, "counties"))["features"]
    assert [f["id"] for f in served] == full.code.tolist()
    assert sum(len(json.dumps(f["geometry"])) for f in served) * 3 < sum(
        len(shapely.to_geojson(g)) for g in full.geometry)


def test_the_province_panel_lists_counties_and_a_drilled_county_its_belts(province):
    from dashboard.panels import scope_list

    def ids_in(node) -> list:
        found, stack = [], [node]
        while stack:
            item = stack.pop()
            if isinstance(item, (list, tuple)):
                stack.extend(item)
            elif hasattr(item, "children") or hasattr(item, "id"):
                if getattr(item, "id", None) is not None:
                    found.append(item.id)
                stack.append(getattr(item, "children", None))
        return found

    overview = [i for i in ids_in(scope_list(province.county(), province.belts(), None, "zh")) if isinstance(i, dict)]
    assert len(overview) == 4 and all(i["type"] == "county-link" for i in overview)
    county = [i for i in ids_in(scope_list(province.county(), province.belts(), "338802", "zh")) if isinstance(i, dict)]
    assert len(county) == 21 and all(i["type"] == "belt-item" for i in county)


def test_the_master_warms_what_every_countys_first_view_shares(province):
    from dashboard.app import create_app
    from dashboard.serving import warm_province
    from geodata.scores import _normalised, _village_scores
    from geodata.vocabulary import vocabulary

    app = create_app(Settings(data_path=province.path))
    ds = open_dataset(province.path)
    _normalised.cache_clear(ds)
    _village_scores.cache_clear(ds)
    warm_province(app)
    assert _normalised.cache_info(ds).currsize == 1  # pooled over the province once, before the fork
    assert _village_scores.cache_info(ds).currsize == len(vocabulary(ds).years)
