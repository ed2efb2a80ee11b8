"""Turn shapely geometries into the coordinate lists plotly's scattergeo draws."""

from __future__ import annotations

from collections.abc import Iterable

import shapely
from shapely.geometry.base import BaseGeometry


def _lines(geom: BaseGeometry) -> list[list[tuple[float, float]]]:
    if geom is None or geom.is_empty:
        return []
    kind = geom.geom_type
    if kind in ("Polygon", "MultiPolygon"):
        return _lines(geom.boundary)
    if kind == "LineString" or kind == "LinearRing":
        return [list(geom.coords)]
    if hasattr(geom, "geoms"):
        return [line for part in geom.geoms for line in _lines(part)]
    return []


def line_coords(geoms: Iterable[BaseGeometry], digits: int = 5) -> tuple[list, list]:
    """Longitudes and latitudes of every line (or polygon ring), separated by ``None``."""
    lons: list[float | None] = []
    lats: list[float | None] = []
    for geom in geoms:
        for line in _lines(geom):
            for x, y in line:
                lons.append(round(x, digits))
                lats.append(round(y, digits))
            lons.append(None)
            lats.append(None)
    return lons[:-1], lats[:-1]


def bounds_ranges(geom: BaseGeometry, pad: float = 0.02) -> tuple[list[float], list[float]]:
    """Longitude and latitude ranges around ``geom``, padded by a fraction of its size."""
    minx, miny, maxx, maxy = shapely.bounds(geom)
    dx, dy = (maxx - minx) * pad, (maxy - miny) * pad
    return [minx - dx, maxx + dx], [miny - dy, maxy + dy]
