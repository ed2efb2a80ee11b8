"""Styles the map changes without redrawing geometry: measure colours, selection, the view.

Everything here returns small plain values meant for a :class:`dash.Patch`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import theme

NO_DATA = "#d9d4c7"
SEQUENTIAL = ["#f7f4e9", "#d9ead3", "#a8d5a2", "#6fbf73", "#3c9a4f", "#1f6e3a"]
SEQUENTIAL_LOW_GOOD = list(reversed(SEQUENTIAL))
BAND = 0.02  # share of the 0-1 colour range kept for villages without data


# The colour bar sits over the map's lower right corner, inside the plot: a bar outside it makes plotly
# shrink the map's area (automargin), and the frame, shaped for the whole panel, then leaves a small map
# with blank space around it.
COLORBAR_PLACE = {"x": 0.99, "xanchor": "right", "y": 0.03, "yanchor": "bottom", "len": 0.45, "thickness": 14,
                  "bgcolor": "rgba(255,255,255,0.8)", "xpad": 8, "ypad": 8}


@dataclass(frozen=True)
class ChoroplethStyle:
    z: list[float]
    colorscale: list
    showscale: bool
    colorbar: dict
    hovertext: list[str]


def format_value(value: float) -> str:
    """A measured value: whole numbers from 100 up, one decimal below (no NaN: callers say "no data")."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"


def choropleth_style(codes: list[str], names: list[str], values: pd.Series, kind: str, label: str, unit: str,
                     higher_is_better: bool = True, categories: tuple[str, ...] = (),
                     category_colours: dict[str, str] | None = None, year: int | None = None) -> ChoroplethStyle:
    """Colours for the village polygons (``codes`` in trace order) from ``values`` by code.

    z lives on 0-1: the lowest ``BAND`` is grey for "no data", the rest carries the measure, and the
    colour bar is labelled with real values.
    """
    if kind == "none":
        return ChoroplethStyle([0.5] * len(codes), [[0, theme.VILLAGE_FILL], [1, theme.VILLAGE_FILL]], False, {},
                               list(names))
    series = values.reindex(codes)
    when = f" · {year}" if year else ""  # the colour bar names the measure, its unit and its year
    if kind == "categorical":
        colours = category_colours or {}
        n = len(categories)
        z = [(categories.index(v) + 0.5) / n if isinstance(v, str) and v in categories else 0.0 for v in series]
        scale = []
        for i, cat in enumerate(categories):
            colour = colours.get(cat, NO_DATA)
            scale += [[i / n, colour], [(i + 1) / n, colour]]
        bar = {"title": {"text": label + when}, "tickvals": [(i + 0.5) / n for i in range(n)],
               "ticktext": list(categories), **COLORBAR_PLACE}
        hover = [f"{name}<br>{label}: {v if isinstance(v, str) else '—'}" for name, v in zip(names, series)]
        return ChoroplethStyle(z, scale, True, bar, hover)
    numeric = pd.to_numeric(series, errors="coerce")
    lo, hi = float(np.nanmin(numeric)) if numeric.notna().any() else 0.0, float(np.nanmax(numeric)) \
        if numeric.notna().any() else 1.0
    span = (hi - lo) or 1.0
    z = [0.0 if np.isnan(v) else BAND + (1 - BAND) * (v - lo) / span for v in numeric]
    ramp = SEQUENTIAL if higher_is_better else SEQUENTIAL_LOW_GOOD
    scale = [[0.0, NO_DATA], [BAND * 0.999, NO_DATA]] + [
        [BAND + (1 - BAND) * i / (len(ramp) - 1), c] for i, c in enumerate(ramp)]
    ticks = np.linspace(lo, hi, 5)
    bar = {"title": {"text": f"{label}" + (f" ({unit})" if unit else "") + when},
           "tickvals": [BAND + (1 - BAND) * (t - lo) / span for t in ticks],
           "ticktext": [format_value(t) for t in ticks],
           **COLORBAR_PLACE}
    hover = [f"{name}<br>{label}: {'—' if np.isnan(v) else format_value(v)}{unit if not np.isnan(v) else ''}"
             for name, v in zip(names, numeric)]
    return ChoroplethStyle(z, scale, True, bar, hover)


@dataclass(frozen=True)
class SelectionStyle:
    selectedpoints: list[int] | None  # None: nothing dimmed
    line_width: list[float]
    line_colour: list[str]


DIMMED_OPACITY = 0.25


def selection_style(codes: list[str], highlighted: set[str], focus: str | None) -> SelectionStyle:
    """Highlighted villages keep full colour, the rest dim; the focused village gets a bold border.
    With nothing highlighted every village is shown plainly.

    Dimming uses plotly's ``selectedpoints`` (choropleth applies ``marker.opacity`` per trace only)."""
    if not highlighted:
        return SelectionStyle(None, [0.6] * len(codes), [theme.VILLAGE_LINE] * len(codes))
    chosen = [i for i, c in enumerate(codes) if c in highlighted]
    width = [3.0 if c == focus else 1.2 if c in highlighted else 0.4 for c in codes]
    colour = [theme.SELECTION_LINE if c == focus or c in highlighted else theme.VILLAGE_LINE for c in codes]
    return SelectionStyle(chosen, width, colour)


def belt_emphasis(belt_ids: list[str], selected: str | None) -> list[tuple[float, float]]:
    """(line width, opacity) per belt trace: the selected belt stands out, the others fade."""
    if not selected:
        return [(3.0, 1.0)] * len(belt_ids)
    return [(6.0, 1.0) if b == selected else (2.0, 0.25) for b in belt_ids]
