"""The map of a view state as one self-contained figure (geometry inline), for server-side exports.

The live map fetches village shapes from the app's ``/geo/`` URL; a renderer outside the page (kaleido)
cannot, so an export carries them inline. Styling is the live map's own (:mod:`dashboard.map_view`).
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass

from dashboard import theme
from dashboard.figures.map_frame import DEFAULT_SIZE
from dashboard.figures.map_labels import DEFAULT_STYLE, LabelStyle
from dashboard.figures.text import escape_plotly_text
from dashboard.i18n import t
from dashboard.map_view import (
    apply_frame,
    apply_labels,
    apply_layers,
    apply_measure,
    apply_selection,
    has_villages,
    map_county,
    reference_figure,
)
from dashboard.state import ViewState
from geodata import Audience, Dataset
from geodata.cache import freeze, per_dataset
from geodata.geojson import layer_geojson, parse_name


@dataclass(frozen=True)
class ImageSize:
    width: int
    height: int


# Named sizes a user picks from; any "WIDTHxHEIGHT" inside the limits works too.
SIZES = {
    "1080p": ImageSize(1920, 1080),
    "4k": ImageSize(3840, 2160),
    "a4": ImageSize(1123, 794),  # A4 landscape at 96 dpi
    "slide": ImageSize(1600, 900),
}
MIN_SIDE, MAX_SIDE = 320, 7680  # 8K wide at most: a larger PNG only costs memory on the server
_CUSTOM = re.compile(r"^(\d{3,4})x(\d{3,4})$")


def parse_size(text: str | None) -> ImageSize:
    """A named size (``1080p``, ``4k``, ``a4``, ``slide``) or ``WIDTHxHEIGHT``; ValueError says what is allowed."""
    if not text:
        return SIZES["1080p"]
    key = text.strip().lower()
    if key in SIZES:
        return SIZES[key]
    match = _CUSTOM.match(key)
    if match:
        width, height = int(match[1]), int(match[2])
        if MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE:
            return ImageSize(width, height)
    raise ValueError(f"size must be one of {', '.join(SIZES)} or WIDTHxHEIGHT with sides from {MIN_SIDE} "
                     f"to {MAX_SIDE} pixels, not {text[:20]!r}")


@per_dataset(maxsize=8)
def _geojson(ds: Dataset, name: str, county: str | None) -> dict:
    """The layer's shapes and ids only: an export needs no properties, and names must not ride along as data
    (read-only: inline_geometry deep-copies it)."""
    collection = json.loads(layer_geojson(ds, name, county))
    collection["features"] = [{"type": "Feature", "id": f["id"], "geometry": f["geometry"]}
                              for f in collection["features"]]
    return freeze(collection)


def inline_geometry(figure: dict, ds: Dataset) -> dict:
    """``figure`` with every ``/geo/<version>/<layer>.geojson`` URL replaced by that GeoJSON (copied)."""
    for trace in figure["data"]:
        url = trace.get("geojson")
        if isinstance(url, str):
            parsed = parse_name(url.rsplit("/", 1)[-1].removesuffix(".geojson"))
            if parsed is None:
                raise ValueError(f"not a served GeoJSON layer: {url[:80]!r}")
            trace["geojson"] = copy.deepcopy(_geojson(ds, *parsed))
    return figure


def snapshot_figure(state: ViewState, audience: Audience, ds: Dataset, size: tuple[int, int] = DEFAULT_SIZE,
                    story_titles: bool = False, label_style: LabelStyle = DEFAULT_STYLE) -> dict:
    """The whole map as ``audience`` sees it for ``state``, geometry inline (a new dict each call), framed and
    labelled for a map of ``size`` (width, height) layout px (:func:`map_size` of an image)."""
    # A deep copy of the live map's cached figure: styling below writes into it, the cache stays as it was.
    fig = inline_geometry(copy.deepcopy(reference_figure(audience, ds, state.lang, "/", map_county(ds, state))), ds)
    # The styling steps write through item assignment, so they style a plain dict as they patch the page.
    if has_villages(fig):
        apply_measure(fig, fig, ds, state, audience)
        apply_selection(fig, fig, ds, state)
    apply_layers(fig, fig, state)
    if has_villages(fig):
        frame = apply_frame(fig, ds, state, size)
        apply_labels(fig, fig, ds, state, frame, size, story_titles, label_style)
    return fig


SNAPSHOT_MARGIN = {"l": 12, "r": 12, "t": 56, "b": 30}  # room for the title and the footer (annotate_snapshot)


def map_size(size: ImageSize) -> tuple[int, int]:
    """Layout px of the map inside an annotated image of ``size``: what its framing and labels are fitted to."""
    width, height, _ = layout_scale(size)
    m = SNAPSHOT_MARGIN
    return width - m["l"] - m["r"], height - m["t"] - m["b"]


def layout_scale(size: ImageSize, base_width: int = 1920) -> tuple[int, int, float]:
    """(layout width, layout height, scale) that render ``size`` pixels: beyond ``base_width`` the figure is
    laid out at base size and scaled up, so a 4K wall image shows the same map with text twice as large
    rather than the same small text over more ground."""
    scale = max(1.0, size.width / base_width)
    return round(size.width / scale), round(size.height / scale), scale


def annotate_snapshot(figure: dict, title: str, data_version: str, day: str, lang: str, note: str = "") -> dict:
    """``figure`` with what a picture pasted into a report must carry: a title, ``note`` (which of what it shows
    is illustrative, :func:`dashboard.illustrative.export_note`; "" when nothing is), the data version and the
    date; on a white page (the app's background is transparent)."""
    layout = dict(figure["layout"])
    layout["margin"] = dict(SNAPSHOT_MARGIN)
    layout["paper_bgcolor"] = "white"
    layout["font"] = {**layout.get("font", {}), "family": theme.EXPORT_FONT_FAMILY}
    footer = " · ".join(p for p in [note, f"{t('data_version', lang)} {data_version}",
                                    f"{t('generated', lang)} {day}"] if p)
    layout["annotations"] = [*layout.get("annotations", []),
        {"text": escape_plotly_text(title), "x": 0.0, "y": 1.0, "xref": "paper", "yref": "paper", "yshift": 50,
         "showarrow": False,
         "xanchor": "left", "yanchor": "top", "font": {"size": 24, "color": "#2b2418"}},
        {"text": footer, "x": 0.0, "y": 0.0, "xref": "paper", "yref": "paper", "yshift": -26, "showarrow": False,
         "xanchor": "left", "yanchor": "bottom", "font": {"size": 12, "color": "#6b6253"}}]
    return {"data": figure["data"], "layout": layout}
