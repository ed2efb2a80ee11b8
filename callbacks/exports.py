"""The export links follow the state the map shows and the chosen size (each render is a plain GET).

Plain functions: the panel's callback (:mod:`callbacks.panel`) writes the links with the panel, in one answer."""

from __future__ import annotations

from callbacks.context import parse_state
from dashboard import ids
from dashboard.exports.routes import county_url, data_url, map_html_url, map_pdf_url, map_png_url
from dashboard.exports.snapshot import PAPER_SIZES, SIZES
from geodata import Dataset


def export_href(state_data: object, size: object, prefix: str, ds: Dataset) -> str:
    """The URL of the PNG of ``state_data`` at ``size`` (an unknown size falls back to 4K)."""
    state = parse_state(state_data, ds)
    return map_png_url(prefix, state, size if isinstance(size, str) and size in SIZES else "4k")


def export_pdf_href(state_data: object, size: object, prefix: str, ds: Dataset) -> str:
    """The URL of the print map PDF of ``state_data``: the chosen paper size, A4 for a screen size."""
    state = parse_state(state_data, ds)
    return map_pdf_url(prefix, state, size if isinstance(size, str) and size in PAPER_SIZES else "a4")


def data_hrefs(state_data: object, prefix: str, ds: Dataset) -> list[str]:
    """The data download URLs of the scope and year of ``state_data``, in the page's order of formats."""
    state = parse_state(state_data, ds)
    return [data_url(prefix, state, fmt) for fmt in ids.EXPORT_DATA_FORMATS]


def export_links(state_data: object, size: object, prefix: str, ds: Dataset) -> tuple:
    """Every export link of the page for ``state_data``: (PNG, PDF, the data downloads in the page's order,
    offline HTML map, county dossier)."""
    state = parse_state(state_data, ds)
    return (export_href(state_data, size, prefix, ds), export_pdf_href(state_data, size, prefix, ds),
            data_hrefs(state_data, prefix, ds), map_html_url(prefix, state), county_url(prefix, state))
