"""Charts callbacks, called as plain functions, and once through Dash's HTTP endpoint."""

from __future__ import annotations

import json

import dash
import pandas as pd
import pytest

from callbacks import charts as cb
from dashboard import ids
from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.state import ViewState
from dashboard.users import Role
from geodata import figures as gf
from geodata.audience import Audience
from geodata.figures import KEY_FIGURES
from geodata.queries import belt_township
from geodata.schema import PILLARS
from tests.accounts import add_test_users, log_in


def click(belt) -> dict:
    return {"points": [{"curveNumber": 0, "pointNumber": 3, "customdata": belt, "x": 50.1, "y": "4. 某带"}]}


def test_bar_click_selects_the_belt_and_clears_finer_selections(dataset):
    before = ViewState(township="330824108", village="330824108220", year=2016, measure="pillar:talent", lang="en")
    after = cb.select_belt(click("B07"), before.to_dict(), dataset)
    # the same state as a click on the belt on the map: its township stays in the breadcrumb
    assert after == before.with_(belt="B07", township=belt_township(dataset, "B07"), village=None).to_dict()
    assert after["year"] == 2016 and after["measure"] == "pillar:talent" and after["lang"] == "en"


@pytest.mark.parametrize("payload", [
    None, {}, [], "B03", {"points": []}, {"points": None}, {"points": [{}]}, {"points": [None]},
    click("B99"), click(None), click(3), click(["B03"]), click({"belt": "B03"}), click("<script>alert(1)</script>"),
    click("B03" * 10_000), click("b03"), click(" B03"),
])
def test_hostile_or_unknown_clicks_change_nothing(dataset, payload):
    assert cb.select_belt(payload, ViewState().to_dict(), dataset) is dash.no_update


def test_bar_click_with_a_hostile_state_still_gives_a_valid_state(dataset):
    out = cb.select_belt(click("B02"), {"year": "DROP TABLE", "belt": "B99", "lang": "xx"}, dataset)
    expected = ViewState(belt="B02", township=belt_township(dataset, "B02")).to_dict()
    assert out == expected
    assert cb.select_belt(click("B02"), "not a dict", dataset) == expected


@pytest.mark.parametrize("data", [None, "x", [], {"belt": "B99", "year": 1900, "measure": "pillar:luck"},
                                  {"village": {"$ne": 1}, "lang": "fr", "layers": 7}])
def test_hostile_view_state_draws_the_county(dataset, data):
    state = cb.parse_state(dataset, data)
    assert state.scope == ("county", None) and state.year == 2018 and state.lang == "zh"
    out = cb.chart_outputs(dataset, Audience.STAFF, state)
    assert out["scope_title"] == "全县 · 2018" and out["key_figures"]["villages"] == "255个"


def test_a_township_in_english(dataset):
    town = dataset.townships().set_index("code")
    code = town.index[0]
    out = cb.chart_outputs(dataset, Audience.STAFF, cb.parse_state(dataset, {"township": code, "lang": "en"}))
    assert out["scope_title"] == f"{town.name_en[code]} · 2018"
    assert out["radar"]["data"][1]["name"] == town.name_en[code]
    assert out["ranking"]["layout"]["meta"]["selected"] is None


def test_county_key_figures_show_the_bulletins_numbers(dataset):
    texts = cb.key_figure_texts(dataset, ViewState())
    assert list(texts) == list(KEY_FIGURES)
    assert texts["belts"] == "21条" and texts["villages"] == "255个" and texts["cadres_stationed"] == "510名"
    assert texts["departments"] == "80个" and texts["river_chiefs"] == "255名" and texts["pond_chiefs"] == "255名"
    assert texts["industry_branches"] == "28个" and texts["coop_branches"] == "56个"
    assert texts["advisers"] == "278人" and texts["adviser_projects"] == "75个" and texts["forest_cover"] == "80.8%"


def test_belt_key_figures_and_title(dataset):
    state = ViewState(belt="B03", lang="en")
    texts = cb.key_figure_texts(dataset, state)
    members = int((dataset.belt_villages().belt_id == "B03").sum())
    assert texts["belts"] == "1" and texts["villages"] == str(members)
    assert cb.scope_title(dataset, state).startswith("Belt 03") and cb.scope_title(dataset, state).endswith("2018")
    assert cb.scope_title(dataset, ViewState()) == "全县 · 2018"


def test_every_chart_follows_the_selection(dataset):
    county = cb.chart_outputs(dataset, Audience.STAFF, ViewState())
    belt = cb.chart_outputs(dataset, Audience.STAFF, ViewState(belt="B03"))
    assert [t["uid"] for t in county["radar"]["data"]] == ["county"]
    assert [t["uid"] for t in belt["radar"]["data"]] == ["county", "scope"]
    assert belt["ranking"]["layout"]["meta"]["selected"] == "B03"
    assert county["ranking"]["layout"]["meta"]["selected"] is None
    assert set(belt["pillars"]) == set(PILLARS)
    def title(out, pillar):
        return out["pillars"][pillar]["layout"]["title"]["text"]

    assert all(title(belt, p) != title(county, p) for p in PILLARS)
    assert belt["ratings"]["data"][0]["y"] != county["ratings"]["data"][0]["y"]
    assert sum(sum(trace["x"]) for trace in belt["projects"]["data"]) < 75


def test_a_village_highlights_its_belt(dataset):
    row = dataset.belt_villages().iloc[0]
    out = cb.chart_outputs(dataset, Audience.STAFF, ViewState(village=row.village_code))
    assert out["ranking"]["layout"]["meta"]["selected"] == row.belt_id
    assert out["key_figures"]["villages"] == "1个"


def test_the_year_moves_every_chart(dataset):
    a = cb.chart_outputs(dataset, Audience.STAFF, ViewState(belt="B03", year=2015))
    b = cb.chart_outputs(dataset, Audience.STAFF, ViewState(belt="B03", year=2018))
    assert a["scope_title"].endswith("2015") and a["key_figures"]["forest_cover"] != b["key_figures"]["forest_cover"]
    assert a["radar"]["data"][1]["r"] != b["radar"]["data"][1]["r"]
    assert a["ranking"]["data"][0]["x"] != b["ranking"]["data"][0]["x"]
    assert "2015" in a["ranking"]["layout"]["title"]["text"]
    for pillar in PILLARS:
        assert a["pillars"][pillar]["layout"]["shapes"][0]["x0"] == 2015
    # the ratings were made in 2018: other years honestly have none
    assert a["ratings"]["data"] == [] and b["ratings"]["data"][0]["uid"] == "ratings"


def test_the_measure_chooses_the_ranking(dataset):
    out = cb.chart_outputs(dataset, Audience.STAFF, ViewState(measure="indicator:forest_cover"))
    assert "森林覆盖率" in out["ranking"]["layout"]["title"]["text"]
    expected = gf.belt_ranking(dataset, "indicator:forest_cover", 2018).belt_id.tolist()
    assert out["ranking"]["data"][0]["customdata"] == expected
    for measure in ("none", "rating", "score"):
        fig = cb.chart_outputs(dataset, Audience.STAFF, ViewState(measure=measure))["ranking"]
        assert "综合得分" in fig["layout"]["title"]["text"]


def test_english(dataset):
    out = cb.chart_outputs(dataset, Audience.STAFF, ViewState(belt="B01", lang="en"))
    assert out["radar"]["data"][0]["name"] == "County mean"
    assert out["pillars"]["ecology"]["layout"]["title"]["text"].startswith("Ecology")
    assert out["ranking"]["data"][0]["y"][0].split(". ", 1)[1].startswith("Belt ")


def test_public_audience_gets_no_ratings_at_all(dataset, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("ratings read for the public audience")

    monkeypatch.setattr(gf, "rating_counts", refuse)
    out = cb.chart_outputs(dataset, Audience.PUBLIC, ViewState(belt="B03"))
    assert out["ratings"] is dash.no_update


def _update_charts_request(client, state: dict, shown: bool | None) -> dict:
    """POST the charts callback as the browser would once the map has drawn (``shown``: the graphs are
    mounted); the response JSON."""
    deps = client.get("/_dash-dependencies").json
    dep = next(d for d in deps if d["inputs"][0] == {"id": ids.MAP_APPLIED, "property": "data"}
               and f"{ids.CHARTS_BODY}." in d["output"])
    layout = json.dumps(client.get("/_dash-layout").json)

    def outputs_for(spec: str):
        id_part, prop = spec.rsplit(".", 1)
        if id_part.startswith("{"):
            assert json.loads(id_part)["type"] == "key-figure-value"
            assert all(f'"{k}"' in layout for k in KEY_FIGURES)
            return [{"id": {"type": "key-figure-value", "key": k}, "property": prop} for k in KEY_FIGURES]
        return {"id": id_part, "property": prop}

    specs = dep["output"].strip(".").split("...")
    body = {"output": dep["output"], "outputs": [outputs_for(s) for s in specs],
            "inputs": [{"id": ids.MAP_APPLIED, "property": "data", "value": state},
                       {"id": ids.MAP_DRAWN, "property": "data", "value": True}],
            "state": [{"id": ids.CHARTS_SHOWN, "property": "data", "value": shown}],
            "changedPropIds": [f"{ids.MAP_APPLIED}.data"]}
    resp = client.post("/_dash-update-component", json=body)
    assert resp.status_code == 200, resp.data[:500]
    return resp.json


@pytest.mark.parametrize("shown", [None, True], ids=["mounted", "set in place"])
def test_over_http_public_responses_carry_no_ratings(tmp_path, shown):
    add_test_users(tmp_path)
    app = create_app(Settings(state_dir=tmp_path))
    public, staff = app.server.test_client(), app.server.test_client()  # one server: the session decides
    assert log_in(staff, Role.STAFF).status_code == 302
    state = ViewState(belt="B03").to_dict()
    public_resp = _update_charts_request(public, state, shown)
    staff_resp = _update_charts_request(staff, state, shown)
    text = json.dumps(public_resp, ensure_ascii=False)
    # Neither the ratings chart's title nor its trace ("红色" alone would match the belt 红色记忆传承带)
    assert "三色" not in text and '"uid": "ratings"' not in text
    assert '"uid": "ratings"' in json.dumps(staff_resp, ensure_ascii=False)
    # a public page has no ratings box at all; the staff's is mounted with the ratings, then given new ones
    assert ids.RATINGS_CONTAINER not in text and ids.RATINGS not in text
    staff_text = json.dumps(staff_resp)
    assert (ids.RATINGS_CONTAINER in staff_text) == (shown is None) and ids.RATINGS in staff_text
    assert '"uid": "county"' in text  # the radar's county trace: the public gets the other charts
    assert (ids.CHARTS_SHOWN in public_resp["response"]) == (shown is None)  # written when it mounts


def _set_in_tree(updates: list, tree: list) -> list:
    """The charts' new props set on the components of a mounted JSON tree, as dash-renderer sets them."""
    import copy

    tree = copy.deepcopy(tree)
    by_id = {}

    def walk(node):
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict) and "props" in node:
            if "id" in node["props"]:
                by_id[json.dumps(node["props"]["id"], sort_keys=True)] = node["props"]
            walk(node["props"].get("children"))

    walk(tree)
    for ident, prop, value in _json(updates):
        by_id[json.dumps(ident, sort_keys=True)][prop] = value
    return tree


def _json(value) -> object:
    from dashboard.json_tree import json_tree

    return json_tree(value)


@pytest.mark.parametrize("audience", [Audience.PUBLIC, Audience.STAFF])
def test_the_charts_wait_for_the_map_then_mount_drawn_then_patch(dataset, audience):
    first, then = ViewState(), ViewState(belt="B03", township=belt_township(dataset, "B03"), lang="en")
    key_figures, title, body, shown, updates = cb.charts_answer(dataset, audience, first, None, None)
    assert body is dash.no_update and shown is dash.no_update and updates == []  # the map has not drawn
    assert set(key_figures) == set(KEY_FIGURES) and title  # the key figures above the map do not wait
    _, _, mounted, shown, updates = cb.charts_answer(dataset, audience, first, True, None)
    assert shown is True and updates == []
    _, _, body, shown, updates = cb.charts_answer(dataset, audience, then, True, True)
    assert body is dash.no_update and shown is dash.no_update  # the graphs stay; their figures change
    # the mounted graphs given the next state's props are the graphs mounted for it directly
    _, _, direct, _, _ = cb.charts_answer(dataset, audience, then, True, None)
    assert _set_in_tree(updates, _json(mounted)) == _json(direct)
    assert _json(direct) != _json(mounted)


def test_a_forged_map_drawn_value_mounts_nothing(dataset):
    for forged in ("yes", 1, {"x": 1}, [True]):
        assert cb.charts_answer(dataset, Audience.PUBLIC, ViewState(), forged, None)[2] is dash.no_update


def test_records_are_the_frames_rows_as_plain_values(dataset):
    table = gf.indicator_comparison(dataset, gf.scope_villages(dataset, "belt", "B02"), 2018)
    got, want = cb.records(table), table.to_dict("records")
    assert len(got) == len(want) == len(table)
    for mine, theirs in zip(got, want):
        assert mine.keys() == theirs.keys()
        for key, value in theirs.items():
            assert (pd.isna(value) and pd.isna(mine[key])) or mine[key] == value, key
            assert type(mine[key]) is type(value), key  # plain Python values, as plotly's JSON wants
