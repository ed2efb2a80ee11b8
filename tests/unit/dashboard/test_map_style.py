"""Map styles that travel in patches: measure colours, selection, framing."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.figures.map_style import BAND, belt_emphasis, choropleth_style, selection_style

CODES = ["a", "b", "c", "d"]
NAMES = ["甲村", "乙村", "丙村", "丁社区"]


def test_continuous_values_span_the_ramp_and_missing_is_grey():
    style = choropleth_style(CODES, NAMES, pd.Series({"a": 10.0, "b": 20.0, "c": 30.0}), "continuous", "得分", "分")
    assert style.z[0] == BAND and style.z[2] == 1.0 and style.z[3] == 0.0
    assert style.colorscale[0][1] == style.colorscale[1][1]  # the no-data band
    assert style.colorbar["ticktext"][0] == "10.0" and style.colorbar["ticktext"][-1] == "30.0"
    assert "丁社区" in style.hovertext[3] and "—" in style.hovertext[3]


def test_lower_is_better_reverses_the_ramp():
    up = choropleth_style(CODES, NAMES, pd.Series({"a": 1.0, "b": 2.0}), "continuous", "x", "")
    down = choropleth_style(CODES, NAMES, pd.Series({"a": 1.0, "b": 2.0}), "continuous", "x", "",
                            higher_is_better=False)
    assert up.colorscale[-1][1] == down.colorscale[2][1]


def test_all_equal_values_do_not_divide_by_zero():
    style = choropleth_style(CODES, NAMES, pd.Series({c: 5.0 for c in CODES}), "continuous", "x", "")
    assert all(not math.isnan(z) for z in style.z)


def test_categories_get_their_colours():
    style = choropleth_style(CODES, NAMES, pd.Series({"a": "红", "b": "灰", "c": "未评"}), "categorical", "评定", "",
                             categories=("红", "黄", "灰", "未评"),
                             category_colours={"红": "#f00", "黄": "#ff0", "灰": "#888", "未评": "#ddd"})
    assert style.z[0] < style.z[1] < style.z[2]
    assert style.z[3] == 0.0
    assert style.colorbar["ticktext"] == ["红", "黄", "灰", "未评"]


def test_plain_style_has_no_scale():
    assert choropleth_style(CODES, NAMES, pd.Series(dtype=float), "none", "", "").showscale is False


def test_selection_dims_the_rest_and_marks_the_focus():
    sel = selection_style(CODES, {"b", "c"}, "c")
    assert sel.selectedpoints == [1, 2]
    assert sel.line_width[2] > sel.line_width[1] > sel.line_width[0]
    plain = selection_style(CODES, set(), None)
    assert plain.selectedpoints is None


def test_belt_emphasis():
    assert belt_emphasis(["B01", "B02"], None) == [(3.0, 1.0), (3.0, 1.0)]
    (w1, o1), (w2, o2) = belt_emphasis(["B01", "B02"], "B02")
    assert w2 > w1 and o2 > o1
