"""Builders of the wall display (``/wall``): pure functions, data in, figure or text out.

Sizes come from the caller's ``font_px`` (computed from the wall's window height), so the same builder reads
from a distance on a 1080p and a 4K screen.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from dashboard import theme
from dashboard.figures.charts import format_figure, pillar_label
from dashboard.figures.map import LABEL_TRACES, trace_index
from dashboard.figures.map_labels import DEFAULT_STYLE, LabelStyle
from dashboard.i18n import t
from geodata.schema import PILLARS

WALL_INK = "#f2ede3"
WALL_MUTED = "#b9b2a4"
WALL_SCALE_BG = "rgba(14, 18, 26, 0.78)"  # the colour bar's box over the map, dark like the panel
WALL_GRID = "rgba(242,237,227,0.18)"
MIN_FONT_PX, MAX_FONT_PX = 16, 96


def font_px(window_height: object) -> int:
    """The wall's base text size for a window ``window_height`` px tall (1.9 % of it, never under 16 px):
    21 px at 1080p, 41 px at 2160p. Untrusted input: anything but a sane number gives the 1080p size."""
    try:
        height = float(window_height)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        height = 1080.0
    if not math.isfinite(height) or not 200 <= height <= 10000:
        height = 1080.0
    return int(min(max(round(height * 0.019), MIN_FONT_PX), MAX_FONT_PX))


@dataclass(frozen=True)
class WallStep:
    """What the wall's panel says for one step (public data only: no names of people, no ratings)."""

    title: str
    theme: str
    villages: tuple[str, ...]  # member village names ('' for the county overview)
    figures: tuple[tuple[str, float, str], ...]  # (figure key, value, unit)
    story_title: str | None = None
    story_text: str | None = None


def figure_tiles(step: WallStep, lang: str) -> list[tuple[str, str]]:
    """(label, value text) of each key figure tile."""
    return [(t(f"kf_{key}", lang), format_figure(value, unit, lang)) for key, value, unit in step.figures]


def build_wall_scores(scores: pd.DataFrame, is_county: bool, lang: str, font: int) -> dict:
    """The five pillar scores of the step's belt (bars) against the county (a tick), for a dark wall.

    ``scores`` is :func:`geodata.figures.pillar_summary`: index = pillars (and "overall"), columns
    ``scope`` and ``county``. On the overview step the county alone is drawn."""
    pillars = [p for p in PILLARS if p in scores.index]
    labels = [pillar_label(p, lang) for p in pillars]
    here = [round(float(scores.loc[p, "scope"]), 1) for p in pillars]
    county = [round(float(scores.loc[p, "county"]), 1) for p in pillars]
    traces = [{
        "type": "bar", "orientation": "h", "y": labels, "x": county if is_county else here,
        "marker": {"color": [theme.PILLAR_COLOURS[p] for p in pillars]},
        "text": [f"{v:.0f}" for v in (county if is_county else here)], "textposition": "inside",
        "insidetextanchor": "end", "textangle": 0, "constraintext": "none",
        "textfont": {"size": font, "color": "#ffffff"}, "cliponaxis": False,
        "name": t("wall_county" if is_county else "wall_this_belt", lang), "hoverinfo": "skip",
    }]
    if not is_county:
        traces.append({"type": "scatter", "mode": "markers", "y": labels, "x": county,
                       "marker": {"symbol": "line-ns", "size": font * 1.9, "line": {"width": max(3, font // 6),
                                                                                    "color": WALL_INK}},
                       "name": t("wall_county", lang), "hoverinfo": "skip"})
    title = t("wall_scores_county" if is_county else "wall_scores", lang)
    return {"data": traces, "layout": {
        "title": {"text": title, "font": {"size": font, "color": WALL_MUTED}, "x": 0, "xanchor": "left",
                  "y": 0.98, "yanchor": "top"},
        "font": {"family": theme.FONT_FAMILY, "size": font, "color": WALL_INK},
        "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
        "margin": {"l": 8, "r": 8, "t": int(font * 2.2), "b": int(font * 1.6)},
        "xaxis": {"range": [0, 104], "tickfont": {"size": font}, "gridcolor": WALL_GRID, "zeroline": False,
                  "dtick": 25, "fixedrange": True},
        "yaxis": {"autorange": "reversed", "tickfont": {"size": font}, "automargin": True, "fixedrange": True},
        "showlegend": False, "bargap": 0.28, "hovermode": False, "dragmode": False,
    }}


def wall_label_style(font: int) -> LabelStyle:
    """The map labels of a wall whose text is ``font`` px: township names at that size, the others in
    proportion (placed at that size, so that none overlap)."""
    return LabelStyle(scale=font / DEFAULT_STYLE.township)


def wall_map_fonts(patch, figure: dict, font: int) -> None:
    """Text on the wall's map at the wall's size: legend, labels, colour bar (item assignment, so ``patch``
    may be a :class:`dash.Patch` or the figure itself)."""
    patch["layout"]["font"]["size"] = font
    # no legend on a wall: 21 belts at a wall's size would cover a third of the map, and the map labels the
    # belts, the panel names the one shown and the colour bar keeps the measure
    patch["layout"]["showlegend"] = False
    patch["layout"]["legend"]["font"]["size"] = font
    patch["layout"]["hoverlabel"]["font"]["size"] = font
    # the colour bar over the map in the screen's colours and size (the explorer's is a light box)
    vi = trace_index(figure, "villages")
    if isinstance(patch, dict):  # a figure (not a Patch): the nested keys must exist before they are set
        patch["data"][vi].setdefault("colorbar", {}).setdefault("title", {})
    patch["data"][vi]["colorbar"]["bgcolor"] = WALL_SCALE_BG
    patch["data"][vi]["colorbar"]["tickfont"] = {"size": font, "color": WALL_INK}
    patch["data"][vi]["colorbar"]["title"]["font"] = {"size": font, "color": WALL_INK}
    for i, trace in enumerate(figure["data"]):
        # the map's labels are sized where they are placed (wall_label_style): a size set here would make them overlap
        if "text" in str(trace.get("mode", "")) and trace.get("uid") not in LABEL_TRACES:
            patch["data"][i]["textfont"]["size"] = font
        if "legendgrouptitle" in trace:  # the belts' group title in the legend
            patch["data"][i]["legendgrouptitle"]["font"] = {"size": font}


def dark_chart(figure: dict, font: int) -> dict:
    """A chart of the explorer restyled for the wall's dark screen, every text at the screen's size ``font``
    (a new dict: the cached chart stays as it was)."""
    layout = dict(figure.get("layout", {}))
    layout.update({"paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
                   "font": {**layout.get("font", {}), "size": font, "color": WALL_INK},
                   "hovermode": False, "dragmode": False, "height": None, "autosize": True})
    title = layout.get("title")
    if isinstance(title, dict):
        layout["title"] = {**title, "font": {"size": font, "color": WALL_MUTED}}
        # room above the plot for a title at the screen's size (the explorer's margin clips it on a 4K wall)
        margin = dict(layout.get("margin") or {})
        margin["t"] = max(int(margin.get("t", 0) or 0), round(font * 2.2))
        layout["margin"] = margin
    # every text at the screen's size: axes, polar axes, legend, notes and each trace's own text
    for key, value in list(layout.items()):
        if isinstance(value, dict) and (key.startswith(("xaxis", "yaxis")) or key == "legend"):
            if isinstance(value.get("ticktext"), (list, tuple)):  # second lines carry their own small size and ink
                value = {**value, "ticktext": [_dark_markup(str(text), font) for text in value["ticktext"]]}
            layout[key] = {**value, "tickfont": {**value.get("tickfont", {}), "size": font, "color": WALL_INK},
                           **({"font": {**value.get("font", {}), "size": font}} if key == "legend" else {}),
                           **({"title": _sized(value["title"], font)} if isinstance(value.get("title"), dict)
                              else {})}
        elif key == "polar" and isinstance(value, dict):
            layout[key] = {**value, **{axis: {**value.get(axis, {}), "tickfont": {"size": font, "color": WALL_INK}}
                                       for axis in ("angularaxis", "radialaxis")}}
    if isinstance(layout.get("annotations"), (list, tuple)):
        layout["annotations"] = [_sized(a, font) for a in layout["annotations"]]
    data = [{**tr, "textfont": {**tr.get("textfont", {}), "size": font}}
            if {"text", "texttemplate", "textfont"} & set(tr) else dict(tr) for tr in figure.get("data", [])]
    return {"data": data, "layout": layout}


INLINE_SIZE = re.compile(r"font-size:\s*\d+(?:\.\d+)?px")
INLINE_COLOUR = re.compile(r"color:\s*#[0-9a-fA-F]{3,6}")


def _dark_markup(text: str, font: int) -> str:
    """Tick text whose inline spans (a value under a name) are re-sized to 80 % of the screen's text (never
    under the wall's minimum) and re-inked for a dark screen."""
    small = max(round(font * 0.8), MIN_FONT_PX)
    return INLINE_COLOUR.sub(f"color:{WALL_MUTED}", INLINE_SIZE.sub(f"font-size:{small}px", text))


def _sized(part: dict, font: int) -> dict:
    return {**part, "font": {**part.get("font", {}), "size": font}}


def county_ratings(ledger: pd.DataFrame) -> pd.Series:
    """The county's totals of the three ratings, from the ledger: aggregates only, never a person."""
    values = ledger.set_index("key").value
    colours = {"红": "red", "黄": "yellow", "灰": "grey"}  # the ratings as the data writes them: ledger keys
    return pd.Series({zh: int(values.get(f"cadres_{en}", 0)) for zh, en in colours.items()})
