"""Chart builders: data in, figure dict out; the same colours and wall-display fonts everywhere."""

from __future__ import annotations

import dataclasses
import json
import re

import numpy as np
import pandas as pd
import pytest
from dash import html

from dashboard import ids, theme
from dashboard.charts_layout import charts_body, charts_section, key_figures_bar
from dashboard.figures.charts import (
    PILLAR_ORDER,
    build_coverage,
    build_projects,
    build_radar,
    build_ranking,
    build_ratings,
    fade,
    format_figure,
    ranking_style,
)
from dashboard.figures.pillars import PillarPanelData, build_pillar_panel, panel_title
from geodata import figures as gf
from geodata.audience import Audience
from geodata.schema import PILLARS


def scores_frame(scope=50.0, county=40.0) -> pd.DataFrame:
    return pd.DataFrame({"scope": [scope] * 6, "county": [county] * 6}, index=[*PILLARS, "overall"])


def ranked_frame() -> pd.DataFrame:
    return pd.DataFrame({"belt_id": ["B02", "B01", "B03"], "label": ["二", "一", "三"], "value": [9.0, 5.0, 1.0]})


def assert_wall_fonts(fig: dict) -> None:
    layout = fig["layout"]
    assert layout["title"]["font"]["size"] >= 16
    assert layout["font"]["size"] >= 13
    for key, axis in layout.items():
        if key.startswith(("xaxis", "yaxis")) and "tickfont" in axis:
            assert axis["tickfont"]["size"] >= 13, key


def test_pillar_order_is_the_schemas():
    assert PILLAR_ORDER == PILLARS


def test_every_pillar_has_its_own_colour():
    assert set(theme.PILLAR_COLOURS) == set(PILLARS)
    assert len(set(theme.PILLAR_COLOURS.values())) == 5


@pytest.mark.parametrize("value, unit, lang, text", [
    (255.0, "个", "zh", "255个"), (8046.0, "名", "zh", "8,046名"), (8046.0, "名", "en", "8,046"),
    (80.8, "%", "zh", "80.8%"), (80.8, "%", "en", "80.8%"), (float("nan"), "个", "zh", "–"), (0.0, "个", "en", "0"),
])
def test_format_figure(value, unit, lang, text):
    assert format_figure(value, unit, lang) == text


def test_fade():
    assert fade("#c0392b", 0.5) == "rgba(192,57,43,0.5)"


def test_radar_county_only_then_with_scope():
    county_only = build_radar(scores_frame(), None, "zh")
    assert [t["uid"] for t in county_only["data"]] == ["county"]
    fig = build_radar(scores_frame(), "古田山绿色屏障带", "zh")
    assert [t["uid"] for t in fig["data"]] == ["county", "scope"]
    scope = fig["data"][1]
    assert scope["name"] == "古田山绿色屏障带"
    assert scope["theta"][:5] == ["组织", "生态", "产业", "人才", "文化"] and scope["theta"][5] == "组织"  # closed
    assert scope["r"][:5] == [50.0] * 5
    assert scope["marker"]["color"][:5] == [theme.PILLAR_COLOURS[p] for p in PILLARS]
    assert fig["layout"]["polar"]["radialaxis"]["range"] == [0, 100]
    assert fig["layout"]["title"]["font"]["size"] >= 16


def test_radar_in_english():
    fig = build_radar(scores_frame(), "Belt 03", "en")
    assert fig["data"][0]["theta"][0] == "Organisation" and fig["data"][0]["name"] == "County mean"


def test_ranking_highlights_the_selected_belt_and_carries_ids():
    fig = build_ranking(ranked_frame(), "B01", "排名", "#c0392b", ".1f", "zh")
    bar = fig["data"][0]
    assert bar["customdata"] == ["B02", "B01", "B03"]
    assert bar["y"] == ["1. 二", "2. 一", "3. 三"]
    assert bar["marker"]["color"] == [fade("#c0392b", 0.55), "#c0392b", fade("#c0392b", 0.55)]
    assert bar["marker"]["line"]["width"] == [0, 3, 0]
    assert fig["layout"]["meta"]["selected"] == "B01"
    assert fig["layout"]["yaxis"]["autorange"] == "reversed"
    assert_wall_fonts(fig)


def test_ranking_is_a_dot_plot_on_a_range_that_shows_the_differences():
    ranked = pd.DataFrame({"belt_id": ["B02", "B01", "B03"], "label": ["二", "一", "三"], "value": [62.0, 58.5, 55.0]})
    fig = build_ranking(ranked, None, "排名", "#c0392b", ".1f", "zh")
    assert fig["data"][0]["type"] == "scatter" and fig["data"][0]["mode"] == "markers+text"
    lo, hi = fig["layout"]["xaxis"]["range"]
    assert 50 < lo < 55 and hi > 62  # not from zero, with room for the value beside the best
    assert "不从 0 开始" in fig["layout"]["xaxis"]["title"]["text"]  # and says so


def test_ranking_without_selection_highlights_nothing():
    fig = build_ranking(ranked_frame(), None, "排名", "#c0392b", ".1f", "zh")
    assert fig["data"][0]["marker"]["line"]["width"] == [0, 0, 0]


def test_ranking_with_no_values_says_so():
    empty = ranked_frame().assign(value=np.nan)
    fig = build_ranking(empty, None, "排名", "#c0392b", ".1f", "zh")
    assert fig["data"] == [] and fig["layout"]["annotations"][0]["text"] == "暂无数据"


def test_ranking_style_per_measure():
    title, colour, _ = ranking_style("pillar", "talent", None, 2017, "zh", 21)
    assert title.startswith("21条示范带排名") and "人才" in title and "2017" in title
    assert colour == theme.PILLAR_COLOURS["talent"]
    title, colour, _ = ranking_style("score", "overall", None, 2018, "en", 7)
    assert title.startswith("Ranking of the 7 belts") and "Overall score" in title and colour == theme.SCORE_COLOUR
    row = {"pillar": "ecology", "name_zh": "破坏生态案件", "name_en": "Environmental offences", "unit": "起",
           "higher_is_better": False}
    title, colour, _ = ranking_style("indicator", "eco_violations", row, 2018, "zh", 21)
    assert "破坏生态案件" in title and "越低越好" in title and colour == theme.PILLAR_COLOURS["ecology"]


def panel_data(scope_label="某带", pillar="ecology") -> PillarPanelData:
    indicators = pd.DataFrame({
        "indicator": ["forest_cover", "eco_violations"], "pillar": [pillar] * 2,
        "name_zh": ["森林覆盖率", "破坏生态案件"], "name_en": ["Forest cover", "Environmental offences"],
        "unit": ["%", "起"], "higher_is_better": [True, False], "in_score": [True, True],
        "scope": [88.0, 0.5], "county": [80.0, 1.0], "scope_level": [70.0, 90.0], "county_level": [55.0, 80.0],
        "scope_total": [880.0, 3.0], "county_total": [21000.0, 255.0]})
    history = pd.DataFrame({"scope": [40.0, 50.0, 55.0, 60.0], "county": [35.0, 40.0, 45.0, 50.0]},
                           index=[2015, 2016, 2017, 2018])
    return PillarPanelData(pillar=pillar, score=60.0, county_score=50.0,
                           indicators=tuple(indicators.to_dict("records")), history=history,
                           year=2017, scope_label=scope_label)


def test_pillar_panel_indicators_as_levels_with_county_ticks():
    fig = build_pillar_panel(panel_data(), "zh")
    bars, county = fig["data"][0], fig["data"][1]
    assert bars["x"] == [70.0, 90.0] and county["x"] == [55.0, 80.0]
    assert bars["y"] == county["y"] == ["森林覆盖率", "破坏生态案件 ↓"]  # lower is better is marked
    # raw values, scope / county: a mean for a rate, whole totals for a count (never "0.5起")
    assert bars["text"] == ["88.0 / 80.0%", "3起 / 全县 255起"]
    en = build_pillar_panel(panel_data(), "en")["data"][0]["text"]
    assert en == ["88.0 / 80.0%", "3 of 255"]
    assert bars["marker"]["color"] == fade(theme.PILLAR_COLOURS["ecology"], 0.75)
    assert fig["layout"]["xaxis"]["range"] == [0, 100]


def test_pillar_panel_history_marks_the_year_and_uses_the_pillar_colour():
    fig = build_pillar_panel(panel_data(), "zh")
    scope = next(t for t in fig["data"] if t["uid"] == "history-scope")
    assert scope["x"] == [2015, 2016, 2017, 2018] and scope["y"] == [40.0, 50.0, 55.0, 60.0]
    assert scope["marker"]["size"] == [6, 6, 12, 6]
    assert scope["line"]["color"] == theme.PILLAR_COLOURS["ecology"]
    assert fig["layout"]["shapes"][0]["x0"] == 2017
    assert fig["layout"]["title"]["font"]["color"] == theme.PILLAR_COLOURS["ecology"]
    assert_wall_fonts(fig)


def test_pillar_panel_for_the_county_draws_one_line():
    fig = build_pillar_panel(panel_data(scope_label=None), "en")
    assert [t["uid"] for t in fig["data"]] == ["indicators", "history-county"]
    assert fig["data"][0]["text"] == ["88.0%", "3"]  # the county alone: its own values (a count whole), no units
    assert panel_title(panel_data(scope_label=None), "en") == "Ecology 60.0"
    assert panel_title(panel_data(), "zh") == "生态 60.0 · 全县 50.0"


def test_pillar_panel_missing_scope_value_has_no_bar():
    data = panel_data()
    first = {**data.indicators[0], "scope": np.nan, "scope_level": np.nan}
    fig = build_pillar_panel(dataclasses.replace(data, indicators=(first, *data.indicators[1:])), "zh")
    assert fig["data"][0]["x"][0] is None and fig["data"][0]["text"][0].startswith("–")


def test_ratings_chart_in_rating_colours():
    fig = build_ratings(pd.Series([85, 81, 35], index=["红", "黄", "灰"]), "zh")
    bar = fig["data"][0]
    assert bar["y"] == [85, 81, 35] and bar["x"] == ["红色", "黄色", "灰色"]
    assert bar["marker"]["color"] == [theme.RATING_COLOURS[r] for r in ("红", "黄", "灰")]
    assert build_ratings(pd.Series([0, 0, 0], index=["红", "黄", "灰"]), "en")["data"] == []


def test_coverage_chart_percent_with_county_marker():
    scope = pd.Series([1.0, 0.5, 0.25, 0.25], index=list(gf.COVERAGE))
    fig = build_coverage(scope, scope, "某镇", "zh")
    assert fig["data"][0]["x"] == [100.0, 50.0, 25.0, 25.0]
    assert [t["uid"] for t in fig["data"]] == ["scope", "county"]
    assert [t["uid"] for t in build_coverage(scope, scope, None, "zh")["data"]] == ["scope"]
    assert build_coverage(scope * np.nan, scope, None, "zh")["data"] == []


def test_projects_chart_stacked_by_status():
    table = pd.DataFrame({"洽谈": [1, 0], "在建": [2, 1], "投产": [0, 3]}, index=["金融", "文旅"])
    fig = build_projects(table, "en")
    assert [t["name"] for t in fig["data"]] == ["Negotiating", "Building", "Operating"]
    assert fig["data"][0]["y"] == ["Finance", "Tourism"] and fig["layout"]["barmode"] == "stack"
    assert build_projects(pd.DataFrame(), "zh")["data"] == []


def test_builders_on_the_shipped_data_serialise(dataset):
    county = gf.scope_villages(dataset, "county", None)
    figs = [
        build_radar(gf.pillar_summary(dataset, county, 2018), None, "zh"),
        build_ratings(gf.rating_counts(dataset, county, Audience.STAFF), "zh"),
        build_coverage(gf.chief_coverage(dataset, county), gf.chief_coverage(dataset, county), None, "zh"),
        build_projects(gf.project_counts(dataset, county), "zh"),
    ]
    for fig in figs:
        json.dumps(fig)
        assert fig["data"]
        # plotly.js builds CSS selectors from uids (".cb" + uid): a ":" made its redraw throw, and the page
        # then dropped the rest of that answer (the charts stood still on a new selection)
        assert all(re.fullmatch(r"[\w-]+", t["uid"]) for t in fig["data"]), [t["uid"] for t in fig["data"]]


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if hasattr(child, "to_plotly_json"):
            yield from _walk(child)


def _ids(component) -> list:
    return [getattr(c, "id", None) for c in _walk(component) if getattr(c, "id", None) is not None]


def test_layout_has_a_tile_per_key_figure_and_a_panel_per_pillar():
    tiles = _ids(key_figures_bar("zh"))
    assert [ids.key_figure_value(k) for k in gf.KEY_FIGURES] == [i for i in tiles if isinstance(i, dict)
                                                               and i["type"] == "key-figure-value"]
    section, body = _ids(charts_section("zh")), _ids(html.Div(charts_body({})))
    assert ids.SCORE_NOTE in section and ids.CHARTS_BODY in section
    assert ids.RADAR not in section  # the graphs are mounted after the map has drawn
    assert [ids.pillar_panel(p) for p in PILLARS] == [i for i in body if isinstance(i, dict)
                                                      and i["type"] == "pillar-panel"]
    for graph in (ids.RADAR, ids.RANKING, ids.COVERAGE, ids.PROJECTS):
        assert graph in body


def test_the_ratings_box_is_there_only_with_the_ratings():
    assert ids.RATINGS_CONTAINER not in _ids(html.Div(charts_body({"ratings": None})))
    assert ids.RATINGS in _ids(html.Div(charts_body({"ratings": {"data": [], "layout": {}}})))


@pytest.mark.parametrize("lang, words", [("zh", ["最小-最大", "越低越好", "简单平均"]),
                                         ("en", ["min-max", "lower is better", "plain mean"])])
def test_about_this_score_note_in_both_languages(lang, words):
    text = json.dumps(charts_section(lang).to_plotly_json(), default=lambda c: c.to_plotly_json(),
                      ensure_ascii=False)
    assert all(word in text for word in words)


def test_pillar_values_are_written_under_their_names_not_over_the_ticks():
    fig = build_pillar_panel(panel_data(), "zh")
    bars = fig["data"][0]
    assert bars["textposition"] == "none"  # nothing drawn on the bars, where the county's ticks are
    ticks = fig["layout"]["yaxis"]
    assert ticks["tickvals"] == bars["y"]
    assert "森林覆盖率" in ticks["ticktext"][0] and "88.0 / 80.0%" in ticks["ticktext"][0]
