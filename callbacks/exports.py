"""The map's export link follows the state the map shows and the chosen size (the render is a plain GET)."""

from __future__ import annotations

from dash import Dash, Input, Output

from callbacks.context import dataset_of, parse_state, settings_of
from dashboard import ids
from dashboard.exports.routes import map_png_url
from dashboard.exports.snapshot import SIZES
from geodata import Dataset


def export_href(state_data: object, size: object, prefix: str, ds: Dataset) -> str:
    """The URL of the PNG of ``state_data`` at ``size`` (an unknown size falls back to 4K)."""
    state = parse_state(state_data, ds)
    return map_png_url(prefix, state, size if isinstance(size, str) and size in SIZES else "4k")


def register(app: Dash) -> None:
    settings = settings_of(app)

    @app.callback(Output(ids.EXPORT_MAP_LINK, "href"), Input(ids.MAP_APPLIED, "data"), Input(ids.EXPORT_SIZE, "value"))
    def _export_link(state_data, size):
        return export_href(state_data, size, app.config.requests_pathname_prefix, dataset_of(settings))
