"""The county map: village polygons, township and county outlines, belt routes and overlays.

Traces carry a ``uid`` ("villages", "belt-B01" ...) so that callbacks can patch them by name
(:func:`trace_index`) without re-sending geometry.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from dashboard import theme
from dashboard.figures.geometry import line_coords
from dashboard.figures.map_frame import DEFAULT_ASPECT, frame_geo
from dashboard.figures.map_overlays import (
    INSET,
    INSET_LAYER,
    inset_layout,
    inset_visibility,
    overlay_traces,
    story_trace,
)
from dashboard.figures.map_style import DIMMED_OPACITY
from dashboard.figures.text import escape_frames
from dashboard.i18n import belt_name, t
from dashboard.illustrative import mark
from geodata.overlays import Overlays
from geodata.provenance import NOTHING, Illustrative

# Which traces each switchable layer shows (prefix match on uid).
LAYER_TRACES: dict[str, tuple[str, ...]] = {
    "villages": ("villages", "labels-villages"), "townships": ("townships", "township-labels"),
    "county": ("county", "counties"), "belts": ("belt-", "labels-belts"), "rivers": ("rivers-",), "ponds": ("ponds",),
    "advisers": ("advisers", "adviser-"), "projects": ("projects",), "sites": ("sites-",), "teams": ("teams",),
    "pairings": ("pairings-",), "stories": ("stories", "labels-stories"),
}
# Label traces: text only, placed per view by dashboard.figures.map_labels (uid -> label kind).
LABEL_TRACES = {"labels-belts": "belt", "township-labels": "township", "labels-villages": "village",
                "labels-stories": "story"}


@dataclass(frozen=True)
class MapData:
    """What the map may show. ``villages`` has no geometry: shapes come from ``villages_geojson``
    (a URL served once and cached by the browser)."""

    county: gpd.GeoDataFrame
    townships: gpd.GeoDataFrame
    villages: pd.DataFrame
    villages_geojson: str
    belts: gpd.GeoDataFrame
    overlays: Overlays | None = None
    counties: pd.DataFrame | None = None  # province-scale data: every county, drawn as one shape each
    counties_geojson: str | None = None
    illustrative: Illustrative = NOTHING  # which layers carry the 示意 mark (geodata.provenance.illustration)


def display_names(frame: pd.DataFrame, lang: str, column: str = "name") -> list[str]:
    """Names (of villages, townships, counties) in ``lang``: in English the romanised ``<column>_en`` where the
    data has one, else the Chinese ``column``."""
    english = f"{column}_en"
    if lang == "en" and english in frame:
        return [en or zh for zh, en in zip(frame[column], frame[english])]
    return frame[column].tolist()


NO_LOCATION = "-"  # stands in for "no villages": plotly leaves stale shapes behind an empty choropleth


def village_trace(data: MapData, lang: str) -> dict:
    vil = data.villages
    if vil.empty:  # a province overview: the county shapes are the map
        return {"type": "choropleth", "uid": "villages", "geojson": data.villages_geojson, "featureidkey": "id",
                "locations": [NO_LOCATION], "z": [0], "showscale": False, "hoverinfo": "skip",
                "showlegend": False, "name": ""}
    names = display_names(vil, lang)
    return {
        "type": "choropleth", "uid": "villages",
        "name": mark(t("villages", lang), data.illustrative.any_of("villages"), t("illustrative", lang)),
        "geojson": data.villages_geojson, "featureidkey": "id",
        "locations": vil.code.tolist(), "z": [0.5] * len(vil), "zmin": 0, "zmax": 1,
        "colorscale": [[0, theme.VILLAGE_FILL], [1, theme.VILLAGE_FILL]], "showscale": False,
        "marker": {"line": {"color": theme.VILLAGE_LINE, "width": 0.6}, "opacity": 0.95},
        "selectedpoints": None, "selected": {"marker": {"opacity": 0.95}},
        "unselected": {"marker": {"opacity": DIMMED_OPACITY}},
        "customdata": [f"village:{c}" for c in vil.code], "hovertext": names,
        "hovertemplate": "%{hovertext}<extra></extra>", "showlegend": True, "legendgroup": "villages",
    }


def counties_trace(data: MapData, lang: str) -> dict:
    """Province-scale data: each county as one shape; clicking one drills into it."""
    counties = data.counties
    names = display_names(counties, lang)
    return {"type": "choropleth", "uid": "counties", "name": t("counties", lang), "geojson": data.counties_geojson,
            "featureidkey": "id", "locations": counties.code.tolist(), "z": [0.5] * len(counties), "zmin": 0,
            "zmax": 1, "colorscale": [[0, "#ece4d2"], [1, "#ece4d2"]], "showscale": False,
            "marker": {"line": {"color": theme.COUNTY_LINE, "width": 1.0}, "opacity": 0.9},
            "customdata": [f"county:{c}" for c in counties.code], "hovertext": names,
            "hovertemplate": "%{hovertext}<extra></extra>", "showlegend": False}


def outline_trace(geoms, uid: str, label: str, colour: str, width: float) -> dict:
    lons, lats = line_coords(geoms)
    return {"type": "scattergeo", "uid": uid, "name": label, "mode": "lines", "lon": lons, "lat": lats,
            "line": {"color": colour, "width": width}, "hoverinfo": "skip", "showlegend": True}


def belt_traces(belts: gpd.GeoDataFrame, lang: str, illustrative: Illustrative = NOTHING) -> list[dict]:
    """One line per belt, each its own legend entry (name and colour) under one group title, marked
    illustrative when the data says so."""
    title = mark(t("belts", lang), illustrative.any_of("belts"), t("illustrative", lang))
    traces = []
    for i, row in enumerate(belts.sort_values("belt_id").itertuples()):
        lons, lats = line_coords([row.geometry])
        name = belt_name(row.name, lang)
        traces.append({
            # Lines only: plotly hovers and clicks a geo line at its vertices with or without markers, and
            # 21 traces of markers cost about a third of every redraw of the map (measured: 74 -> 52 ms).
            "type": "scattergeo", "uid": f"belt-{row.belt_id}", "mode": "lines", "name": name,
            "lon": lons, "lat": lats, "line": {"color": theme.belt_colour(i), "width": 3}, "opacity": 1.0,
            "customdata": [f"belt:{row.belt_id}"] * len(lons),
            # data text goes in hovertext, never into the template (where "%{...}" would be read as a field)
            "hovertext": [f"{name}<br>{row.theme}<br>{row.length_km} {t('km', lang)}"] * len(lons),
            "hovertemplate": "%{hovertext}<extra></extra>",
            "legendgroup": "belts", "showlegend": True,
            **({"legendgrouptitle": {"text": title}} if i == 0 else {}),
        })
    return traces


def label_trace(uid: str) -> dict:
    """An empty text trace that the view fills with placed labels (never hovered, never in the legend)."""
    return {"type": "scattergeo", "uid": uid, "mode": "text", "lon": [], "lat": [], "text": [],
            "textposition": "middle center", "textfont": {"family": theme.FONT_FAMILY, "size": 12},
            "hoverinfo": "skip", "showlegend": False}


def layer_of(uid: str) -> str | None:
    """The switchable layer a trace belongs to."""
    for layer, prefixes in LAYER_TRACES.items():
        if any(uid == p or (p.endswith((":", "-")) and uid.startswith(p)) for p in prefixes):
            return layer
    return None


def visibility(figure: dict, layers: tuple[str, ...]) -> list[bool]:
    """``visible`` of every trace for the switched-on ``layers``."""
    return [layer_of(tr["uid"]) in layers for tr in figure["data"]]


def build_map_figure(data: MapData, lang: str = "zh", layers: tuple[str, ...] | None = None) -> dict:
    """The full map figure as a plain dict (cheap to build, serialise and patch). Every text from ``data`` is
    drawn as text (:mod:`dashboard.figures.text`), never as plotly markup."""
    data = escape_frames(data)
    county_geom = data.county.geometry.union_all() if len(data.county) > 1 else data.county.geometry.iloc[0]
    traces = [
        *([counties_trace(data, lang)] if data.counties is not None else []),
        village_trace(data, lang),
        outline_trace(data.townships.geometry, "townships",
                      mark(t("townships", lang), data.illustrative.any_of("townships"), t("illustrative", lang)),
                      theme.TOWNSHIP_LINE, 1.2),
        outline_trace(data.county.geometry, "county",
                      mark(t("county", lang), data.illustrative.any_of("county"), t("illustrative", lang)),
                      theme.COUNTY_LINE, 2.2),
        *(overlay_traces(data.overlays, lang) if data.overlays is not None else []),
        *belt_traces(data.belts, lang, data.illustrative),
        *(label_trace(uid) for uid in LABEL_TRACES),
        # Stories last: drawn on top, so every marker can be seen and clicked (see assets/explorer.js).
        *([story_trace(data.overlays, lang)] if data.overlays is not None else []),
    ]
    layout = {
        "geo": {**frame_geo(tuple(county_geom.bounds), DEFAULT_ASPECT), "visible": False,
                "showland": False, "bgcolor": "rgba(0,0,0,0)"},
        INSET: inset_layout(),
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "font": {"family": theme.FONT_FAMILY},
        "legend": {"itemclick": False, "itemdoubleclick": False, "groupclick": "toggleitem",
                   "bgcolor": "rgba(255,255,255,0.85)", "x": 0.0, "y": 1.0, "font": {"size": 11},
                   "tracegroupgap": 4, "grouptitlefont": {"size": 12}},
        "hoverlabel": {"font": {"family": theme.FONT_FAMILY, "size": 13}},
        # Lines and markers within a few px win the hover; beyond that the village under the pointer does.
        "hoverdistance": 8,
        "uirevision": "map", "clickmode": "event", "dragmode": "pan",
    }
    figure = {"data": traces, "layout": layout}
    if layers is not None:
        for trace, shown in zip(figure["data"], visibility(figure, layers)):
            trace["visible"] = shown
        figure["layout"][INSET].update(inset_visibility(INSET_LAYER in layers))
    return figure


def trace_index(figure: dict, uid: str) -> int:
    """Position of the trace with ``uid`` in ``figure``."""
    for i, trace in enumerate(figure["data"]):
        if trace.get("uid") == uid:
            return i
    raise KeyError(uid)
