"""The county map: village polygons, township and county outlines, rivers, belt routes.

Traces carry a ``uid`` ("villages", "belt:B01" ...) so that callbacks can patch them by name
(:func:`trace_index`) without re-sending geometry.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from dashboard import theme
from dashboard.figures.geometry import bounds_ranges, line_coords
from dashboard.i18n import t


@dataclass(frozen=True)
class MapData:
    """What the map may show. ``villages`` has no geometry: shapes come from ``villages_geojson``
    (a URL served once and cached by the browser)."""

    county: gpd.GeoDataFrame
    townships: gpd.GeoDataFrame
    villages: pd.DataFrame
    villages_geojson: str
    belts: gpd.GeoDataFrame
    rivers: gpd.GeoDataFrame


def _name(row, lang: str) -> str:
    return row["name_en"] if lang == "en" and "name_en" in row and row["name_en"] else row["name"]


def village_trace(data: MapData, lang: str) -> dict:
    vil = data.villages
    names = [_name(r, lang) for _, r in vil.iterrows()]
    return {
        "type": "choropleth", "uid": "villages", "name": t("villages", lang),
        "geojson": data.villages_geojson, "featureidkey": "id",
        "locations": vil.code.tolist(), "z": [0] * len(vil), "zmin": 0, "zmax": 1,
        "colorscale": [[0, theme.VILLAGE_FILL], [1, theme.VILLAGE_FILL]], "showscale": False,
        "marker": {"line": {"color": theme.VILLAGE_LINE, "width": 0.6}, "opacity": 0.95},
        "customdata": vil.code.tolist(), "text": names,
        "hovertemplate": "%{text}<extra></extra>", "showlegend": True,
        "legendgroup": "villages",
    }


def outline_trace(geoms, uid: str, label: str, colour: str, width: float) -> dict:
    lons, lats = line_coords(geoms)
    return {"type": "scattergeo", "uid": uid, "name": label, "mode": "lines", "lon": lons, "lat": lats,
            "line": {"color": colour, "width": width}, "hoverinfo": "skip", "showlegend": True}


def belt_traces(belts: gpd.GeoDataFrame, lang: str) -> list[dict]:
    traces = []
    for i, row in enumerate(belts.sort_values("belt_id").itertuples()):
        lons, lats = line_coords([row.geometry])
        label = f"{row.name}" if lang == "zh" else f"Belt {row.belt_id[1:]}"
        traces.append({
            "type": "scattergeo", "uid": f"belt:{row.belt_id}", "name": label, "mode": "lines+markers",
            "lon": lons, "lat": lats, "line": {"color": theme.belt_colour(i), "width": 3},
            "marker": {"size": 4, "color": theme.belt_colour(i)},
            "customdata": [row.belt_id] * len(lons), "text": [row.name] * len(lons),
            "hovertemplate": f"{row.name}<br>{row.theme}<br>{row.length_km} {t('km', lang)}<extra></extra>",
            "legendgroup": "belts", "legendgrouptitle": {"text": f"{t('belts', lang)} ({t('illustrative', lang)})"},
        })
    return traces


def township_label_trace(townships: gpd.GeoDataFrame, lang: str) -> dict:
    pts = townships.geometry.representative_point()
    return {"type": "scattergeo", "uid": "township-labels", "mode": "text", "lon": pts.x.round(5).tolist(),
            "lat": pts.y.round(5).tolist(),
            "text": [_name(r, lang) for _, r in townships.iterrows()],
            "textfont": {"size": 13, "color": theme.TOWNSHIP_LINE, "family": theme.FONT_FAMILY},
            "hoverinfo": "skip", "showlegend": False}


def build_map_figure(data: MapData, lang: str = "zh") -> dict:
    """The full map figure as a plain dict (cheap to build, serialise and patch)."""
    lon_range, lat_range = bounds_ranges(data.county.geometry.iloc[0])
    traces = [
        village_trace(data, lang),
        outline_trace(data.townships.geometry, "townships", f"{t('townships', lang)} ({t('illustrative', lang)})",
                      theme.TOWNSHIP_LINE, 1.2),
        outline_trace(data.county.geometry, "county", t("county", lang), theme.COUNTY_LINE, 2.2),
        {**outline_trace(data.rivers.geometry, "rivers", t("rivers", lang), theme.RIVER_COLOUR, 1.8),
         "hoverinfo": "skip"},
        *belt_traces(data.belts, lang),
        township_label_trace(data.townships, lang),
    ]
    layout = {
        "geo": {"projection": {"type": "mercator"}, "lonaxis": {"range": lon_range},
                "lataxis": {"range": lat_range}, "visible": False, "showland": False,
                "bgcolor": "rgba(0,0,0,0)", "uirevision": "geo"},
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "font": {"family": theme.FONT_FAMILY},
        "legend": {"itemclick": "toggle", "groupclick": "toggleitem", "bgcolor": "rgba(255,255,255,0.8)",
                   "x": 0.0, "y": 1.0, "font": {"size": 11}},
        "uirevision": "map", "clickmode": "event",
    }
    return {"data": traces, "layout": layout}


def trace_index(figure: dict, uid: str) -> int:
    """Position of the trace with ``uid`` in ``figure``."""
    for i, trace in enumerate(figure["data"]):
        if trace.get("uid") == uid:
            return i
    raise KeyError(uid)
