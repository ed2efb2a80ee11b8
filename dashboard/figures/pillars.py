"""One compact panel per pillar: score against the county, indicators, and the years 2015-2018.

Pure builder: pandas in, plotly figure dict out. The panel is one figure with two stacked plots
(indicators on top, the score by year below) so that a pillar is one graph to update.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard import theme
from dashboard.figures.charts import axis, base_layout, fade, pillar_label
from dashboard.figures.map_style import format_value
from dashboard.figures.text import escape_plotly_text
from dashboard.i18n import t


@dataclass(frozen=True)
class PillarPanelData:
    """Everything one pillar panel shows.

    ``score`` and ``county_score``: the pillar score (0-100) of the scope and of the county.
    ``indicators``: the pillar's catalogue rows, as records (dicts), with ``scope`` and ``county`` mean values
    per village and ``scope_level`` and ``county_level`` (0-100, as :func:`geodata.figures.indicator_comparison`).
    ``history``: index years, columns ``scope`` and ``county`` (this pillar's score each year).
    """

    pillar: str
    score: float
    county_score: float
    indicators: tuple[Mapping[str, Any], ...]
    history: pd.DataFrame
    year: int
    scope_label: str | None  # None: the scope is the county itself


def _fmt(value: float) -> str:
    return "–" if pd.isna(value) else format_value(value)


def panel_title(data: PillarPanelData, lang: str) -> str:
    """e.g. "生态 66.2 · 全县 66.5": the headline a wall display reads first."""
    name = pillar_label(data.pillar, lang)
    if data.scope_label is None:
        return f"{name} {_fmt(data.score)}"
    return f"{name} {_fmt(data.score)} · {t('county_short', lang)} {_fmt(data.county_score)}"


def _indicator_name(row: dict, lang: str) -> str:
    # "↓" marks lower-is-better indicators, whose raw values (in the bar text) fall as the level rises.
    name = escape_plotly_text(row["name_en"] if lang == "en" else row["name_zh"])
    return name + ("" if row["higher_is_better"] else " ↓")


# Units of things counted: shown as whole totals ("4座 / 全县 156座"), never as a mean like "0.6座".
COUNT_UNITS = {"人", "次", "起", "张", "个", "人次", "项", "座", "场", "户"}


def _whole(value: float) -> str:
    return "–" if pd.isna(value) else f"{round(float(value)):,d}"


def indicator_text(row: dict, unit: str, county_scope: bool, lang: str) -> str:
    """The value written on an indicator's bar: a count as the scope's whole total (and the county's), any
    other measure as the mean per village (and the county's mean). ``row`` is one indicator's record."""
    if row["unit"] in COUNT_UNITS and "scope_total" in row:
        if county_scope:
            return f"{_whole(row['scope_total'])}{unit}"
        county = t("county_short", lang)
        if lang == "en":
            return f"{_whole(row['scope_total'])} of {_whole(row['county_total'])}"
        return f"{_whole(row['scope_total'])}{unit} / {county} {_whole(row['county_total'])}{unit}"
    if county_scope:
        return f"{_fmt(row['scope'])}{unit}"
    return f"{_fmt(row['scope'])} / {_fmt(row['county'])}{unit}"


def _level(value: float) -> float | None:
    return None if pd.isna(value) else round(float(value), 1)


def indicator_traces(data: PillarPanelData, lang: str) -> list[dict]:
    """The pillar's indicators as levels 0-100 (longer is always better), the county as a tick.

    Levels are the scores' own normalisation, so indicators of any unit (%, 元, 人) share one axis and
    the pillar score is their weighted mean. The raw values, scope / county per village, are the text.
    """
    rows = data.indicators
    colour = theme.PILLAR_COLOURS[data.pillar]
    names = [_indicator_name(r, lang) for r in rows]
    unit = [escape_plotly_text("" if lang == "en" and r["unit"] != "%" else r["unit"]) for r in rows]
    text = [indicator_text(r, u, data.scope_label is None, lang) for r, u in zip(rows, unit)]
    bars = {
        "type": "bar", "uid": "indicators", "orientation": "h", "xaxis": "x", "yaxis": "y",
        # The values are written under each name, in the axis labels (value_ticks): text on the bars ran
        # into the county's ticks.
        "x": [_level(r["scope_level"]) for r in rows], "y": names, "text": text, "textposition": "none",
        "marker": {"color": fade(colour, 0.75)}, "showlegend": False,
        "hovertemplate": "%{y}: %{text}<br>" + t("level", lang) + " %{x:.0f}<extra></extra>",
    }
    if data.scope_label is None:
        return [bars]
    county = {
        "type": "scatter", "uid": "indicators-county", "mode": "markers", "xaxis": "x", "yaxis": "y",
        "x": [_level(r["county_level"]) for r in rows], "y": names, "showlegend": False,
        "marker": {"symbol": "line-ns-open", "size": 24, "color": theme.HIGHLIGHT_LINE, "line": {"width": 3}},
        "hovertemplate": "%{y}: " + t("county_mean", lang) + " %{x:.0f}<extra></extra>",
    }
    return [bars, county]


def value_ticks(bars: dict) -> dict:
    """y-axis labels naming each indicator with its value on a second line, clear of bars and ticks."""
    return {"tickmode": "array", "tickvals": list(bars["y"]),
            "ticktext": [f"{name}<br><span style='font-size:12px;color:#5c5345'>{value}</span>"
                         for name, value in zip(bars["y"], bars["text"])]}


def history_traces(data: PillarPanelData, lang: str) -> list[dict]:
    """The pillar score by year: the scope in the pillar's colour, the county dashed grey."""
    years = [int(y) for y in data.history.index]
    colour = theme.PILLAR_COLOURS[data.pillar]
    traces = [{"type": "scatter", "uid": "history-county", "mode": "lines+markers", "xaxis": "x2", "yaxis": "y2",
               "x": years, "y": [round(float(v), 1) for v in data.history.county],
               "name": t("county_mean", lang), "line": {"color": theme.COUNTY_COLOUR, "dash": "dash", "width": 2},
               "marker": {"size": 6}, "hovertemplate": "%{x}: %{y:.1f}<extra>" + t("county_mean", lang) + "</extra>"}]
    if data.scope_label is not None:
        traces.append({"type": "scatter", "uid": "history-scope", "mode": "lines+markers", "xaxis": "x2",
                       "yaxis": "y2", "x": years, "y": [round(float(v), 1) for v in data.history.scope],
                       "name": escape_plotly_text(data.scope_label), "line": {"color": colour, "width": 3},
                       # The year in view gets the big marker: the year moves every chart.
                       "marker": {"size": [12 if y == data.year else 6 for y in years], "color": colour},
                       "hovertemplate": "%{x}: %{y:.1f}<extra>%{fullData.name}</extra>"})
    else:
        traces[0]["line"] = {"color": colour, "width": 3}
        traces[0]["marker"] = {"size": [12 if y == data.year else 6 for y in years], "color": colour}
    return traces


def build_pillar_panel(data: PillarPanelData, lang: str) -> dict:
    """The panel of one pillar (see module docstring)."""
    colour = theme.PILLAR_COLOURS[data.pillar]
    indicators = indicator_traces(data, lang)
    layout = base_layout(panel_title(data, lang), showlegend=False, bargap=0.2)
    layout["title"]["font"] = {"size": theme.TITLE_SIZE + 2, "color": colour}
    layout["margin"] = {"l": 10, "r": 16, "t": 50, "b": 30}
    layout["xaxis"] = axis(domain=[0, 1], anchor="y", showgrid=True, gridcolor="#e6dfd0", range=[0, 100])
    layout["yaxis"] = axis(domain=[0.42, 1], anchor="x", autorange="reversed", tickfont={"size": 13},
                           **value_ticks(indicators[0]))
    layout["xaxis2"] = axis(domain=[0, 1], anchor="y2", tickmode="array",
                            tickvals=[int(y) for y in data.history.index], showgrid=False)
    layout["yaxis2"] = axis(domain=[0, 0.27], anchor="x2", range=[0, 100], showgrid=True, gridcolor="#e6dfd0",
                            tickfont={"size": 13}, nticks=3)
    # The year in view on the history plot.
    layout["shapes"] = [
        {"type": "line", "xref": "x2", "yref": "y2 domain", "x0": data.year, "x1": data.year, "y0": 0, "y1": 1,
         "line": {"color": fade(colour, 0.4), "width": 8}},
    ]
    layout["annotations"] = [
        {"text": t("trend", lang), "xref": "paper", "yref": "paper", "x": 0, "y": 0.3, "xanchor": "left",
         "yanchor": "bottom", "showarrow": False, "font": {"size": 14, "color": theme.SCORE_COLOUR}},
        {"text": t("level_note" if data.scope_label is None else "level_note_county", lang), "xref": "paper",
         "yref": "paper", "x": 1, "y": 1.0, "xanchor": "right", "yanchor": "bottom", "showarrow": False,
         "font": {"size": 13, "color": theme.COUNTY_COLOUR}},
    ]
    return {"data": [*indicators, *history_traces(data, lang)], "layout": layout}
