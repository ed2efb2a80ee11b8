"""The map's export link follows the state the map shows and the chosen size (the render is a plain GET)."""

from __future__ import annotations

from dash import ALL, Dash, Input, Output

from callbacks.context import dataset_of, parse_state, settings_of
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


def register(app: Dash) -> None:
    settings = settings_of(app)

    # One callback for every link: each callback a click fires is a request with its own fixed cost, and
    # the links follow the same applied state (the size changes only the map's two).
    @app.callback(Output(ids.EXPORT_MAP_LINK, "href"), Output(ids.EXPORT_MAP_PDF_LINK, "href"),
                  Output(ids.export_data_link(ALL), "href"), Output(ids.EXPORT_MAP_HTML_LINK, "href"),
                  Output(ids.EXPORT_COUNTY_LINK, "href"),
                  Input(ids.MAP_APPLIED, "data"), Input(ids.EXPORT_SIZE, "value"))
    def _export_links(state_data, size):
        return export_links(state_data, size, app.config.requests_pathname_prefix, dataset_of(settings))
