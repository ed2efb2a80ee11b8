"""The map of a view state as one self-contained figure (geometry inline), for server-side exports.

The live map fetches village shapes from the app's ``/geo/`` URL; a renderer outside the page (kaleido)
cannot, so an export carries them inline. Styling is the live map's own (:mod:`dashboard.map_view`).
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass

from dashboard.exports.furniture import SheetText, furnish, sheet_for
from dashboard.exports.names import belt_label
from dashboard.figures.map import display_names
from dashboard.figures.map_frame import DEFAULT_SIZE
from dashboard.figures.map_labels import DEFAULT_STYLE, LabelStyle
from dashboard.figures.text import escape_plotly_text
from dashboard.i18n import t
from dashboard.illustrative import export_note, state_layers
from dashboard.map_view import (
    apply_frame,
    apply_labels,
    apply_layers,
    apply_measure,
    apply_selection,
    frame_bounds,
    has_villages,
    highlight,
    map_county,
    reference_figure,
)
from dashboard.state import ViewState
from geodata import Audience, Dataset
from geodata.cache import freeze, per_dataset
from geodata.figures import scope_name
from geodata.geojson import layer_geojson, parse_name
from geodata.measures import measure_values
from geodata.provenance import illustration
from geodata.versions import DataEdition


@dataclass(frozen=True)
class ImageSize:
    width: int
    height: int
    dpi: int | None = None  # paper sizes: laid out at 96 px per inch, rendered at ``dpi``

    @property
    def paper(self) -> bool:
        return self.dpi is not None


PRINT_DPI = 300
# Named sizes a user picks from; any "WIDTHxHEIGHT" inside the limits works too. Paper at 300 dpi.
SIZES = {
    "1080p": ImageSize(1920, 1080),
    "4k": ImageSize(3840, 2160),
    "slide": ImageSize(1600, 900),
    "a4": ImageSize(3508, 2480, PRINT_DPI),  # 297 x 210 mm
    "a4-portrait": ImageSize(2480, 3508, PRINT_DPI),
    "a3": ImageSize(4961, 3508, PRINT_DPI),  # 420 x 297 mm
    "a3-portrait": ImageSize(3508, 4961, PRINT_DPI),
}
PAPER_SIZES = tuple(k for k, v in SIZES.items() if v.paper)
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
    labelled for a map of ``size`` (width, height) layout px."""
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


def layout_scale(size: ImageSize, base_width: int = 1920) -> tuple[int, int, float]:
    """(layout width, layout height, scale) that render ``size`` pixels: beyond ``base_width`` the figure is
    laid out at base size and scaled up, so a 4K wall image shows the same map with text twice as large
    rather than the same small text over more ground. Paper is laid out at 96 px per inch (what a PDF page
    of it measures) and scaled to its dpi, so type sized in points prints at its size."""
    if size.dpi:
        width, height = round(size.width * 96 / size.dpi), round(size.height * 96 / size.dpi)
        # the larger ratio (nudged up): Chromium floors the scaled sides, so both land on the exact pixel count
        return width, height, max(size.width / width, size.height / height) * (1 + 1e-7)
    scale = max(1.0, size.width / base_width)
    return round(size.width / scale), round(size.height / scale), scale


def sheet_text(ds: Dataset, state: ViewState, audience: Audience, edition: DataEdition, day: str,
               heading: str) -> SheetText:
    """The words of a map sheet for ``state``: scope, measure and year in the title; source, data edition,
    date and (when a layer drawn is synthetic) the illustrative mark."""
    lang = state.lang
    kind, value = state.scope
    county = ds.county()
    scope = scope_name(ds, kind, value, lang) or (display_names(county, lang)[0] if len(county) == 1
                                                 else t("province", lang))
    try:
        mv = measure_values(ds, state.measure, state.year, audience)
        measure = mv.label_zh if lang == "zh" else mv.label_en
    except PermissionError:
        measure = ""
    measure = measure or t("measure_none", lang)
    year = f"{state.year}年" if lang == "zh" else str(state.year)
    if edition.version_id:
        edition_text = f"{edition.version_id}, {t('published', lang)} {edition.published}" + (
            f" ({edition.note})" if edition.note else "")
    else:
        edition_text = f"{t('shipped_data', lang)}, {t('built', lang)} {edition.published}"
    # which of what the sheet draws is illustrative, from the data (dashboard.illustrative)
    note = export_note(illustration(ds), lang, state_layers(state.layers, state.measure))
    # every text from the data (names, the source, a publish note) is drawn as text, never as plotly markup
    return SheetText(
        title=escape_plotly_text(f"{scope} · {measure} · {year}"), subtitle=escape_plotly_text(heading),
        source_line=escape_plotly_text(f"{t('source', lang)}: {ds.meta().get('source_document', '')}"),
        edition_line=escape_plotly_text(f"{t('data_version', lang)}: {edition_text} · {t('map_date', lang)}: {day}"),
        illustrative=note or None,
        north=t("north", lang), km=t("km", lang))


def belt_legend_names(ds: Dataset, lang: str) -> dict[str, str]:
    """Belt trace uid -> the name its legend entry shows (romanised in English)."""
    belts = ds.belts().sort_values("belt_id")
    return {f"belt-{b}": escape_plotly_text(belt_label(b, n, lang)) for b, n in zip(belts.belt_id, belts.name)}


def print_map(state: ViewState, audience: Audience, ds: Dataset, size: ImageSize, text: SheetText) -> dict:
    """The map sheet of ``state`` at ``size`` as ``audience`` sees it: the snapshot with its furniture, framed
    on the state's scope."""
    width, height, _scale = layout_scale(size)
    _codes, _focus, frame = highlight(ds, state)
    bounds = frame or frame_bounds(ds, state.county)
    return furnish(snapshot_figure(state, audience, ds, (width, height)), bounds, sheet_for(width, height, size.paper),
                   text, belt_legend_names(ds, state.lang))
