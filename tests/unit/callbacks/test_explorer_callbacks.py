"""Explorer callbacks called as plain functions, with honest and hostile payloads."""

from __future__ import annotations

import json

import pytest
from dash import no_update

from callbacks.controls import hub
from callbacks.explorer import on_clear, on_crumb, on_map_click, on_pattern_click, on_search_pick, search_options
from callbacks.map import address_query, update_map
from dashboard import ids
from dashboard.config import Settings
from dashboard.figures.map import LABEL_TRACES, trace_index
from dashboard.map_view import reference_figure
from dashboard.state import ViewState
from geodata import Audience


def click(customdata):
    return {"points": [{"customdata": customdata}]}


def test_click_on_village_belt_story(dataset):
    state = ViewState().to_dict()
    village = on_map_click(click("village:330824106220"), state, dataset)
    assert village["village"] == "330824106220" and village["township"] == "330824106" and village["belt"] == "B20"
    belt = on_map_click(click("belt:B02"), village, dataset)
    assert belt["belt"] == "B02" and belt["village"] is None and belt["township"] == "330824218"
    story = on_map_click(click("story:S02"), belt, dataset)
    assert story["story"] == "S02" and story["village"]
    assert on_map_click(click("segment:330824106220"), state, dataset)["village"] == "330824106220"


@pytest.mark.parametrize("payload", [None, {}, {"points": []}, {"points": [{}]}, click("belt:B99"),
                                     click("village:../../etc"), click(12), "x", click("drop:table")])
def test_hostile_clicks_change_nothing(dataset, payload):
    assert on_map_click(payload, ViewState().to_dict(), dataset) is no_update


def test_pattern_clicks_ignore_components_appearing(dataset):
    state = ViewState().to_dict()
    assert on_pattern_click({"type": "belt-item", "belt": "B03"}, 0, state, dataset) is no_update
    assert on_pattern_click({"type": "belt-item", "belt": "B03"}, 1, state, dataset)["belt"] == "B03"
    assert on_pattern_click({"type": "village-link", "code": "330824106220"}, 1, state,
                            dataset)["village"] == "330824106220"
    assert on_pattern_click({"type": "evil", "belt": "B03"}, 1, state, dataset) is no_update


def test_breadcrumb_and_clear(dataset):
    state = on_map_click(click("village:330824106220"), ViewState().to_dict(), dataset)
    back = on_crumb({"type": "crumb", "level": "belt"}, 1, state, dataset)
    assert back["belt"] == "B20" and back["village"] is None
    assert on_crumb({"type": "crumb", "level": "top"}, 1, state, dataset)["township"] is None
    assert on_crumb({"type": "crumb", "level": "nonsense"}, 1, state, dataset)["village"] == "330824106220"
    assert on_clear(123, state, dataset)["village"] is None
    assert on_clear(123, ViewState().to_dict(), dataset) is no_update


def test_search_options_and_pick(dataset):
    options = search_options("东坑", dataset, Audience.STAFF)
    assert options[0]["value"] == "village|330824107208"
    new, cleared = on_search_pick(options[0]["value"], ViewState().to_dict(), dataset)
    assert new["village"] == "330824107208" and cleared is None
    assert on_search_pick("village|nope", ViewState().to_dict(), dataset)[0] is no_update
    assert on_search_pick({"x": 1}, ViewState().to_dict(), dataset)[0] is no_update
    assert search_options(None, dataset, Audience.STAFF) == []


def test_hub_reads_links_and_controls(dataset):
    out = hub(ids.URL, "?belt=B03&year=2016&measure=score", None, None, None, None, None,
              ViewState().to_dict(), dataset, Audience.STAFF)
    state, layers, measure, year, lang, problems = out
    assert state["belt"] == "B03" and year == 2016 and measure == "score" and problems == []
    out = hub(ids.YEAR, None, None, None, None, 2017, None, state, dataset, Audience.STAFF)
    assert out[0]["year"] == 2017
    assert hub(ids.YEAR, None, None, None, None, 1999, None, state, dataset, Audience.STAFF)[0] is no_update
    assert hub(ids.MEASURE, None, None, None, "rating", None, None, state, dataset, Audience.PUBLIC)[0] is no_update
    assert hub(ids.LAYER_SWITCHES, None, None, ["ponds", "evil"], None, None, None, state, dataset,
               Audience.STAFF)[0]["layers"] == ["ponds"]


def test_hub_reports_unknown_link_parts(dataset):
    out = hub(ids.URL, "?belt=B99&lang=fr", None, None, None, None, None, ViewState().to_dict(), dataset,
              Audience.STAFF)
    assert out[0] is no_update  # nothing known changed
    assert "B99" in json.dumps(out[5], default=str)


def test_public_link_cannot_ask_for_ratings(dataset):
    out = hub(ids.URL, "?measure=rating", None, None, None, None, None, ViewState().to_dict(), dataset,
              Audience.PUBLIC)
    assert out[2] == "none"


def test_selection_is_a_small_patch_without_geometry(dataset):
    settings = Settings()
    before = ViewState().to_dict()
    after = ViewState(belt="B05", township="330824205").to_dict()
    patch, applied = update_map(after, before, settings, dataset, "/", Audience.STAFF)
    ops = patch.to_plotly_json()["operations"]
    figure = reference_figure(Audience.STAFF, dataset, "zh", "/", None)
    # Points only travel for what is placed per view (labels, stories set apart): never geometry.
    placed = {trace_index(figure, uid) for uid in (*LABEL_TRACES, "stories")}
    styles = [op for op in ops if not (op["location"][0] == "data" and op["location"][1] in placed)]
    points = [op for op in ops if op not in styles]
    size = lambda part: len(json.dumps(part, ensure_ascii=False).encode())  # noqa: E731
    assert size(styles) < 10_000 and 0 < size(points) < 6_000
    body = json.dumps(styles, ensure_ascii=False)
    assert '"lon": [' not in body and "geojson" not in json.dumps(ops)  # no coordinate arrays travel
    assert applied["belt"] == "B05"
    unchanged, applied_again = update_map(after, after, settings, dataset, "/", Audience.STAFF)
    assert unchanged is no_update and applied_again == after


def test_the_address_follows_what_the_map_applied(dataset):
    after = ViewState(belt="B05", year=2016).to_dict()
    _, applied = update_map(after, ViewState().to_dict(), Settings(), dataset, "/", Audience.STAFF)
    assert address_query(applied, dataset) == "?belt=B05&year=2016"
    assert address_query(ViewState().to_dict(), dataset) == ""
    # only the panel's size changed: the map applied nothing new, so the address stays as it is
    _, same = update_map(after, after, Settings(), dataset, "/", Audience.STAFF, {"width": 900, "height": 700},
                         resized=True)
    assert same is no_update and address_query(same, dataset) is no_update


def test_measure_change_patches_colours_only(dataset):
    settings = Settings()
    before = ViewState().to_dict()
    after = ViewState(measure="indicator:forest_cover").to_dict()
    patch, _ = update_map(after, before, settings, dataset, "/", Audience.STAFF)
    body = json.dumps(patch.to_plotly_json(), ensure_ascii=False)
    assert "colorscale" in body and "selectedpoints" not in body and "森林覆盖率" in body


def test_public_map_never_colours_by_rating(dataset):
    patch, _ = update_map(ViewState(measure="rating").to_dict(), ViewState().to_dict(), Settings(), dataset, "/",
                          Audience.PUBLIC)
    assert "红" not in json.dumps(patch.to_plotly_json(), ensure_ascii=False)


def test_a_story_link_selects_its_place_as_a_click_does(dataset):
    from callbacks.controls import state_from_url
    from callbacks.explorer import select

    linked = state_from_url("?story=S01", dataset, Audience.STAFF)
    clicked = select(dataset, ViewState(), "story", "S01")
    assert linked == clicked and linked.village == "330824218224" and linked.belt == "B02"


def test_link_problems_are_written_in_the_pages_language():
    from callbacks.controls import problem_text

    assert problem_text("unknown belt 'B99'", "zh") == "未知的示范带 'B99'"
    assert problem_text("rating not available", "zh") == "评级不可用"
    assert problem_text("unknown belt 'B99'", "en") == "unknown belt 'B99'"


def test_a_map_click_is_drawn_and_written_back_in_one_request(dataset):
    from callbacks.map import on_click_or_state

    before = ViewState().to_dict()
    drawn, written = on_click_or_state(click("belt:B02"), before, ids.MAP, dataset)
    assert drawn == written and drawn["belt"] == "B02" and drawn["township"] == "330824218"
    # a new view state from elsewhere (list, search, URL) is drawn as it is and not written back
    assert on_click_or_state(click("belt:B02"), before, ids.VIEW_STATE, dataset) == (before, no_update)
    # a click on nothing draws nothing
    assert on_click_or_state(click("belt:B99"), before, ids.MAP, dataset) == (None, no_update)


def test_a_belt_list_click_is_drawn_and_written_back_in_one_request(dataset):
    from callbacks.map import on_click_or_state

    before = ViewState().to_dict()
    entry = ids.belt_item("B05")
    drawn, written = on_click_or_state(None, before, entry, dataset, clicks=1)
    assert drawn == written and drawn["belt"] == "B05"
    # entries that only appeared (the list drawn again, n_clicks 0) select nothing, nor do forged ones
    assert on_click_or_state(None, before, entry, dataset, clicks=0) == (None, no_update)
    assert on_click_or_state(None, before, ids.belt_item("B99"), dataset, clicks=1) == (None, no_update)
    assert on_click_or_state(None, before, {"type": "belt-item", "belt": ["B05"]}, dataset, clicks=1) == (
        None, no_update)
    assert on_click_or_state(None, before, {"type": "village-link", "code": "x"}, dataset, clicks=1) == (
        before, no_update)


def test_the_legend_is_sent_only_when_what_it_lists_changes(dataset):
    from callbacks.map import legend_update

    settings, default = Settings(), ViewState()
    args = (settings, dataset, "/", Audience.STAFF)
    assert legend_update(default.to_dict(), default.to_dict(), *args) == (no_update,) * 3
    # a belt selected: the page emphasises it (assets/explorer.js), nothing is sent
    belt = ViewState(belt="B05", township="330824205")
    assert legend_update(belt.to_dict(), default.to_dict(), *args) == (no_update,) * 3
    # drawn again in another language with the belt selected: drawn with it emphasised
    drawn, _, _ = legend_update(ViewState(belt="B05", township="330824205", lang="en").to_dict(), belt.to_dict(), *args)
    assert json.dumps(drawn, default=lambda c: c.to_plotly_json()).count("kb-faded") == 20
    english, hidden, _ = legend_update(ViewState(lang="en").to_dict(), default.to_dict(), *args)
    text = json.dumps(english, default=lambda c: c.to_plotly_json(), ensure_ascii=False)
    assert hidden is False and "Belts" in text and "示范带" not in text
    fewer, _, _ = legend_update(ViewState(layers=("villages", "county")).to_dict(), default.to_dict(), *args)
    assert "data-belt" not in json.dumps(fewer, default=lambda c: c.to_plotly_json())
    # a hostile view state is read as the map reads it: an unknown belt is none, unknown layers none shown
    assert legend_update({**default.to_dict(), "belt": "B99"}, default.to_dict(), *args) == (no_update,) * 3
    assert legend_update({**default.to_dict(), "layers": "x"}, default.to_dict(), *args) == ([], True, "kb-map-legend")
    # with the advisers' East China inset drawn, the legend stops above it
    _, _, cls = legend_update(ViewState(layers=(*default.layers, "advisers")).to_dict(), default.to_dict(), *args)
    assert cls == "kb-map-legend kb-above-inset"


def test_a_full_figure_never_asks_plotly_for_a_legend(dataset):
    patch, _ = update_map(ViewState(lang="en").to_dict(), ViewState().to_dict(), Settings(), dataset, "/",
                          Audience.STAFF)
    ops = {tuple(op["location"]): op["params"].get("value") for op in patch.to_plotly_json()["operations"]}
    assert ops[("layout", "showlegend")] is False
