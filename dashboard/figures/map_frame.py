"""Framing: which part of the ground the map shows, so that the selection fills its panel.

plotly's ``geo`` subplot fits its lon/lat range box *inside* its domain, keeping the box's shape: a range box
shaped unlike the panel leaves a frame narrower (or shorter) than the panel, clipped, with blank space beside
it. :func:`frame_geo` therefore widens the selection's box to the panel's aspect ratio (in Mercator units) and
sets the ranges to exactly that box at ``projection.scale`` 1, so the frame is the whole panel and the selection
sits in its middle with ``padding`` around it. Live map and exports call it with their own aspect ratio.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Bounds = tuple[float, float, float, float]  # minx (lon), miny (lat), maxx, maxy
DEFAULT_ASPECT = 1.4  # width / height of the explorer's map panel on a common screen, until the page says
DEFAULT_SIZE = (1400, 1000)  # px of the map panel assumed until the page reports its own
DEFAULT_PADDING = 0.08  # share of the panel's side kept clear around the selection, on each side
PLOTLY_CLIP_PAD = 0.001  # degrees: plotly.js geo constants.clipPad
MIN_SPAN = 0.012  # degrees: a single village is never framed closer than this


def merc_y(lat: float) -> float:
    """Mercator northing of ``lat`` (radians of the unit sphere)."""
    phi = math.radians(max(-85.0, min(85.0, lat)))
    return math.log(math.tan(math.pi / 4 + phi / 2))


def merc_lat(y: float) -> float:
    """Latitude of Mercator northing ``y`` (the inverse of :func:`merc_y`)."""
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


@dataclass(frozen=True)
class Frame:
    """The ground a panel shows: lon/lat ranges whose Mercator shape is the panel's."""

    lon_range: tuple[float, float]
    lat_range: tuple[float, float]

    @property
    def center(self) -> tuple[float, float]:
        return ((self.lon_range[0] + self.lon_range[1]) / 2,
                merc_lat((merc_y(self.lat_range[0]) + merc_y(self.lat_range[1])) / 2))

    def to_pixels(self, lon: float, lat: float, width: float, height: float) -> tuple[float, float]:
        """Where (lon, lat) is drawn in a ``width`` x ``height`` panel showing this frame (y down)."""
        x0, x1 = self.lon_range
        y0, y1 = merc_y(self.lat_range[0]), merc_y(self.lat_range[1])
        return (lon - x0) / (x1 - x0) * width, (y1 - merc_y(lat)) / (y1 - y0) * height

    def from_pixels(self, x: float, y: float, width: float, height: float) -> tuple[float, float]:
        """The (lon, lat) drawn at pixel (x, y) of a ``width`` x ``height`` panel (the inverse of to_pixels)."""
        x0, x1 = self.lon_range
        y0, y1 = merc_y(self.lat_range[0]), merc_y(self.lat_range[1])
        return x0 + x / width * (x1 - x0), merc_lat(y1 - y / height * (y1 - y0))


def frame_for(bounds: Bounds, aspect: float, padding: float = DEFAULT_PADDING) -> Frame:
    """The frame of aspect ratio ``aspect`` (width / height) centred on ``bounds`` with ``padding`` (a share
    of each side of the panel) clear around it; tiny boxes are widened to ``MIN_SPAN``."""
    if not (aspect > 0 and math.isfinite(aspect)):
        aspect = DEFAULT_ASPECT
    padding = min(max(padding, 0.0), 0.4)
    minx, miny, maxx, maxy = bounds
    cx = (minx + maxx) / 2
    ylo, yhi = merc_y(miny), merc_y(maxy)
    cy = (ylo + yhi) / 2
    # Work in Mercator units: one degree of longitude is pi/180 of them.
    w = max(maxx - minx, MIN_SPAN) * math.pi / 180
    h = max(yhi - ylo, MIN_SPAN * math.pi / 180)
    w, h = w / (1 - 2 * padding), h / (1 - 2 * padding)
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    half_lon = w / 2 * 180 / math.pi
    return Frame((round(float(cx - half_lon), 6), round(float(cx + half_lon), 6)),
                 (round(float(merc_lat(cy - h / 2)), 6), round(float(merc_lat(cy + h / 2)), 6)))


def frame_geo(bounds: Bounds, aspect: float, padding: float = DEFAULT_PADDING) -> dict:
    """The ``layout.geo`` keys that show ``bounds`` centred, padded, filling a panel of ``aspect``: ranges
    shaped like the panel at scale 1, the centre in their middle, the domain the whole panel, no fitbounds."""
    return geo_of(frame_for(bounds, aspect, padding))


def geo_of(frame: Frame) -> dict:
    """The ``layout.geo`` keys that show exactly ``frame`` over the whole panel (see :func:`frame_geo`)."""
    lon, lat = frame.center
    # plotly fits the range box shrunk by its clipPad on every side: widen the ranges by as much, so that
    # the box it fits is the frame (on a belt-sized frame the shrink alone would change the shape by ~1 %).
    (x0, x1), (y0, y1) = frame.lon_range, frame.lat_range
    return {"projection": {"type": "mercator", "scale": 1.0},
            "center": {"lon": round(lon, 6), "lat": round(lat, 6)},
            "lonaxis": {"range": [round(x0 - PLOTLY_CLIP_PAD, 6), round(x1 + PLOTLY_CLIP_PAD, 6)]},
            "lataxis": {"range": [round(y0 - PLOTLY_CLIP_PAD, 6), round(y1 + PLOTLY_CLIP_PAD, 6)]},
            "domain": {"x": [0, 1], "y": [0, 1]}, "fitbounds": False}


def panel_aspect(size: object) -> float:
    """Width / height from a ``{"width": w, "height": h}`` the page reports (anything else: the default)."""
    width, height = panel_size(size)
    return width / height


def panel_size(size: object, default: tuple[int, int] = DEFAULT_SIZE) -> tuple[int, int]:
    """(width, height) in CSS pixels from what the page reports, checked: any client may send any JSON."""
    if isinstance(size, dict):
        w, h = size.get("width"), size.get("height")
        if isinstance(w, (int, float)) and isinstance(h, (int, float)) and 100 <= w <= 20000 and 100 <= h <= 20000:
            return int(w), int(h)
    return default
