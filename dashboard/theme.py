"""Colours, used the same way on the map, in charts and in exports."""

from __future__ import annotations

PILLAR_COLOURS = {"organisation": "#c0392b", "ecology": "#2e8b57", "industry": "#d68910",
                  "talent": "#2e6fb7", "culture": "#8e44ad"}
SCORE_COLOUR = "#6b5e4a"  # the overall score: no one pillar's colour
COUNTY_COLOUR = "#9a9081"  # the county reference in every chart
HIGHLIGHT_LINE = "#2b2418"  # outline of the selected belt's bar
STATUS_COLOURS = {"洽谈": "#e8c07d", "在建": "#d68910", "投产": "#7a4f06"}
# Wall display: readable from a few metres.
TITLE_SIZE = 18
TICK_SIZE = 14
RATING_COLOURS = {"红": "#d62728", "黄": "#f2c12e", "灰": "#8c8c8c"}
# 21 distinguishable route colours (Tableau 20 + one), fixed by belt order.
BELT_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                "#bcbd22", "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94",
                "#f7b6d2", "#393b79", "#dbdb8d", "#9edae5", "#637939"]
RIVER_COLOUR = "#3a86c8"
VILLAGE_FILL = "#f4efe4"
VILLAGE_LINE = "#b8ad96"
TOWNSHIP_LINE = "#6b5e4a"
COUNTY_LINE = "#3b2f1e"
FONT_FAMILY = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif"


def belt_colour(index: int) -> str:
    return BELT_COLOURS[index % len(BELT_COLOURS)]
