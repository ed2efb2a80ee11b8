"""Framing for exported maps: lon/lat ranges that fill a map frame exactly, and its ground scale.

plotly's geo subplot fits the ``lonaxis``/``lataxis`` box into its domain; when the box has the domain's
aspect (in Mercator units) it fills the frame edge to edge, so a pixel is a known distance on the ground and a
scale bar can be drawn in paper coordinates. Kept small and local so the live map's own framing can replace it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

KM_PER_DEGREE = 111.32  # one degree of longitude at the equator (WGS84), and about one of latitude


@dataclass(frozen=True)
class Frame:
    lon_range: tuple[float, float]
    lat_range: tuple[float, float]
    center: tuple[float, float]  # lon, lat
    km_per_px: float  # along a parallel at the centre latitude, in layout pixels

    def geo(self) -> dict:
        """The geo subplot keys that draw this frame (scale 1: the ranges decide)."""
        return {"center": {"lon": self.center[0], "lat": self.center[1]}, "projection": {"type": "mercator",
                                                                                      "scale": 1.0},
                "lonaxis": {"range": list(self.lon_range)}, "lataxis": {"range": list(self.lat_range)}}


def _y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def fit_frame(bounds: tuple[float, float, float, float], width_px: float, height_px: float,
              pad: float = 0.06) -> Frame:
    """The frame of ``width_px`` x ``height_px`` layout pixels that shows ``bounds`` (minx, miny, maxx, maxy)
    whole, centred, with ``pad`` of the frame left around it, widened along one side to the frame's aspect."""
    minx, miny, maxx, maxy = bounds
    lon_span = max(maxx - minx, 0.01)
    y0, y1 = _y(miny), _y(maxy)
    y_span = max(y1 - y0, math.radians(0.01))
    grow = 1 / (1 - 2 * pad)
    aspect = width_px / height_px
    x_span = math.radians(lon_span)
    if x_span / y_span > aspect:  # wider than the frame: the width decides
        x_span, y_span = x_span * grow, x_span * grow / aspect
    else:
        x_span, y_span = y_span * grow * aspect, y_span * grow
    cx, cy = (minx + maxx) / 2, (y0 + y1) / 2
    half_lon = math.degrees(x_span) / 2
    lat_range = (_lat(cy - y_span / 2), _lat(cy + y_span / 2))
    clat = _lat(cy)
    km_per_px = math.degrees(x_span) * KM_PER_DEGREE * math.cos(math.radians(clat)) / width_px
    return Frame((round(cx - half_lon, 6), round(cx + half_lon, 6)),
                 (round(lat_range[0], 6), round(lat_range[1], 6)), (round(cx, 6), round(clat, 6)), km_per_px)


def nice_length(max_km: float) -> float:
    """The longest 1, 2 or 5 x 10^n km not above ``max_km`` (a scale bar's length)."""
    if max_km <= 0:
        raise ValueError("a scale bar needs a positive length")
    power = 10 ** math.floor(math.log10(max_km))
    return next(step * power for step in (5, 2, 1) if step * power <= max_km)
