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
SELECTION_LINE = "#b3261e"
POND_COLOUR = "#1b6ca8"
ADVISER_COLOUR = "#2e6fb7"
PROJECT_COLOUR = "#d68910"
STORY_COLOUR = "#b3261e"
TEAM_COLOUR = "#7d3c98"
PAIRING_COLOURS = {True: "#2e8b57", False: "#c0392b"}  # turned round / not yet
SITE_STYLES = {  # kind -> (symbol, colour, zh, en)
    "industry_branch": ("diamond", "#d35400", "产业链党支部", "Industry-chain branches"),
    "coop_branch": ("square", "#16a085", "合作社党支部", "Cooperative branches"),
    "auditorium": ("triangle-up", "#8e44ad", "文化礼堂", "Cultural auditoriums"),
    "service_centre": ("circle", "#7f8c8d", "党群服务中心", "Party service centres"),
}
FONT_FAMILY = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif"
# Exports take Latin letters and digits from DejaVu: Chromium writes Noto CJK's digits into a PDF's text layer
# as unreadable code points, so village codes could not be copied or searched. CJK falls through to Noto.
EXPORT_FONT_FAMILY = "'DejaVu Sans', " + FONT_FAMILY


def belt_colour(index: int) -> str:
    return BELT_COLOURS[index % len(BELT_COLOURS)]
