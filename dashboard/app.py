"""The Dash application factory.

    from dashboard.app import create_app
    server = create_app().server        # WSGI entry (see dashboard/wsgi.py)
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

from dash import Dash, html
from flask import Response, abort

from dashboard import layout, serving
from dashboard.config import Settings
from dashboard.exports.routes import register_routes as register_export_routes
from dashboard.figures.map_frame import DEFAULT_SIZE
from dashboard.figures.map_overlays import INSET
from dashboard.map_view import apply_frame, apply_labels, apply_layers, has_villages, reference_figure
from dashboard.state import ViewState
from geodata import Audience, Dataset, open_dataset
from geodata.geojson import layer_geojson, parse_name
from geodata.vocabulary import vocabulary

ASSETS = Path(__file__).resolve().parents[1] / "assets"
GEO_ROUTE = "/geo/<version>/<layer>.geojson"


def graph_config(app: Dash) -> dict:
    """plotly config: topojson from our own assets (never the CDN), PNG export at 2x."""
    return {
        "topojsonURL": app.get_asset_url("topojson/"),
        "displaylogo": False,
        "scrollZoom": True,
        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "kaihua-belts"},
    }


def _register_geo_route(app: Dash, settings: Settings) -> None:
    def serve(version: str, layer: str) -> Response:
        ds = open_dataset(settings.data_path)
        parsed = parse_name(layer)
        if parsed is None or version != ds.version:
            abort(404)
        if parsed[1] is not None and parsed[1] not in vocabulary(ds).counties:
            abort(404)  # an unknown county: no empty collection marked immutable, no cache entry for it
        # The URL carries the data's content hash: dashboard.serving marks it immutable and compresses it once.
        return Response(layer_geojson(ds, *parsed), mimetype=serving.GEOJSON)

    app.server.add_url_rule(GEO_ROUTE, "geojson", serve)


def _page(app: Dash, settings: Settings) -> html.Div:
    """The page for the dataset currently published (rebuilt only when the data version changes)."""
    ds = open_dataset(settings.data_path)
    return _cached_page(app, settings, ds)


def _page_figure(app: Dash, settings: Settings, ds: Dataset, state: ViewState) -> dict:
    """The map of ``state``'s layers, from the live map's cached figure (geometry converted once): what
    ``build_map_figure(..., layers)`` gives, with the traces and the inset copied so the cache stays as it was."""
    reference = reference_figure(settings, ds, state.lang, app.config.requests_pathname_prefix, None)
    layout = dict(reference["layout"])
    layout[INSET] = dict(layout[INSET])
    figure = {"data": [dict(trace) for trace in reference["data"]], "layout": layout}
    apply_layers(figure, figure, state)
    if has_villages(figure):  # framed and labelled for a common panel until the page reports its own size
        layout["geo"] = copy.deepcopy(layout["geo"])
        frame = apply_frame(figure, ds, state, DEFAULT_SIZE)
        apply_labels(figure, reference, ds, state, frame, DEFAULT_SIZE)
    return figure


@lru_cache(maxsize=4)
def _cached_page(app: Dash, settings: Settings, ds: Dataset, with_figure: bool = True) -> html.Div:
    state = ViewState(lang=settings.language)
    figure = _page_figure(app, settings, ds, state) if with_figure else {}
    vocab = vocabulary(ds)
    return layout.page(figure, graph_config(app), ds.belts(), ds.indicator_catalogue(), vocab.years,
                       ds.meta()["source_document"], state, settings.audience is Audience.STAFF)


def create_app(settings: Settings | None = None) -> Dash:
    """Build the app on the dataset named by ``settings`` (default: from the environment)."""
    settings = settings or Settings.from_env()
    ds = open_dataset(settings.data_path)  # fail at start-up, with a clear DataError, if the data is broken
    app = Dash(__name__, assets_folder=str(ASSETS), title=settings.title, compress=False,
               serve_locally=True, update_title=None)
    app.server.config["KAIHUA_SETTINGS"] = settings
    serving.configure(app.server, settings.compress)  # compression and cache headers (see serving.py)
    _register_geo_route(app, settings)
    register_export_routes(app.server, settings)  # /export/map.png, /export/belt/<id>.pdf
    app.server.add_url_rule("/healthz", "healthz",
                            lambda: {"status": "ok", "data_version": open_dataset(settings.data_path).version})
    # A function, so that a newly published dataset is picked up without a restart.
    app.layout = lambda: _page(app, settings)
    # Dash inlines the validation layout into every index page: the same components without the map's
    # ~600 KB figure validate callbacks just as well and keep ~95 KB (gzip) off the first load.
    app.validation_layout = _cached_page(app, settings, ds, with_figure=False)

    from callbacks import register_all

    register_all(app)
    return app
