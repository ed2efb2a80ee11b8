"""The Dash application factory.

    from dashboard.app import create_app
    server = create_app().server        # WSGI entry (see dashboard/wsgi.py)
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from dash import Dash
from flask import Response, abort, request

from dashboard import healthcheck, outage, pages, security, serving, shared_cache
from dashboard.auth import current_role, init_auth
from dashboard.config import Settings
from dashboard.exports.job_routes import register_job_routes
from dashboard.exports.routes import register_routes as register_export_routes
from dashboard.figures.fetches import preload_header
from dashboard.pages.common import graph_config  # noqa: F401  (re-exported: part of the app's interface)
from dashboard.rooms import register_room_routes
from geodata import open_dataset
from geodata.dataset import health
from geodata.db import mask
from geodata.errors import DataError
from geodata.geojson import layer_geojson, parse_name
from geodata.vocabulary import vocabulary

ASSETS = Path(__file__).resolve().parents[1] / "assets"
GEO_ROUTE = "/geo/<version>/<layer>.geojson"


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


def _register_preloads(app: Dash, settings: Settings) -> None:
    """A page's HTML asks for what its map will fetch (see :func:`dashboard.pages.page_fetches`)."""
    prefix = app.config.requests_pathname_prefix

    def add_link(response: Response) -> Response:
        path = request.path
        if (request.method == "GET" and response.status_code == 200 and response.mimetype == "text/html"
                and pages.is_page_path(path, prefix)):
            try:
                urls = pages.page_fetches(app, settings, pages.page_for_path(path, prefix))
            except (DataError, *outage.OUTAGE_ERRORS):
                # a hint only: the page itself answers, and its layout request meets the error as it always did
                return response
            if urls:
                response.headers["Link"] = preload_header(urls)
        return response

    app.server.after_request(add_link)


def _healthz(app: Dash, settings: Settings) -> tuple[dict, int]:
    """JSON for load balancers, monitors and walls: {"status": "ok"|"degraded"|"down", "problem",
    "data_version", "build", "backend": "gpkg"|"postgis", "database": "ok"|"down"|None, "redis": ...}; 200
    unless "down" (no data can be served: 503). Degraded: the published data is damaged or the database cannot
    be reached, and the last good version read by this process is served; or Redis does not answer. A wall
    reloads itself when ``build`` changes (a new release behind a restart)."""
    state = health(settings.data_path)
    body = {**state.to_dict(), "build": app.server.config.get("KAIHUA_BUILD", ""), "backend": settings.backend,
            "database": healthcheck.database_status(settings), "redis": healthcheck.redis_status(settings)}
    if body["status"] == "ok" and "down" in (body["database"], body["redis"]):
        body["status"] = "degraded"
        body["problem"] = "the database does not answer" if body["database"] == "down" else "Redis does not answer"
    if body["problem"]:
        body["problem"] = mask(body["problem"], settings.database_url)  # never the password of DATABASE_URL
    return body, 503 if body["status"] == "down" else 200


CODE = Path(__file__).resolve().parents[1]


def build_id(app: Dash) -> str:
    """A short hash of what a page depends on besides the data: the callbacks, the assets and the code of the
    pages and callbacks. A wall that sees a different one on /healthz (a new release behind a restart) reloads
    itself; a restart of the same release keeps it."""
    digest = hashlib.sha256(repr(sorted(app.callback_map)).encode("utf-8"))
    files = [*ASSETS.rglob("*"), *(CODE / "dashboard").rglob("*.py"), *(CODE / "callbacks").rglob("*.py")]
    for path in sorted(p for p in files if p.is_file()):
        digest.update(path.relative_to(CODE).as_posix().encode("utf-8"))
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]


def create_app(settings: Settings | None = None) -> Dash:
    """Build the app on the dataset named by ``settings`` (default: from the environment)."""
    settings = settings or Settings.from_env()
    open_dataset(settings.data_path)  # fail at start-up, with a clear DataError, if the data is broken
    app = Dash(__name__, assets_folder=str(ASSETS), title=settings.title, compress=False,
               serve_locally=True, update_title=None)
    app.server.config["KAIHUA_SETTINGS"] = settings
    app.server.config["KAIHUA_PREFIX"] = app.config.requests_pathname_prefix
    init_auth(app.server, settings, app.config.requests_pathname_prefix)  # sessions, /login, rate limits
    serving.configure(app.server, settings.compress)  # compression and cache headers (see serving.py)
    shared_cache.install(app.server, settings.redis_url)  # computed charts and panels shared through Redis
    _register_geo_route(app, settings)
    _register_preloads(app, settings)  # a page's HTML names the GeoJSON and topojson its map will fetch
    register_export_routes(app.server, settings)  # /export/map.png, /export/belt/<id>.pdf
    register_job_routes(app.server, settings, app.config.requests_pathname_prefix)  # /export/jobs: progress
    register_room_routes(app.server, settings, current_role)  # /rooms/<room>.json: walls follow a presenter
    app.server.add_url_rule("/healthz", "healthz", lambda: _healthz(app, settings))
    # A function, so that a newly published dataset is picked up without a restart; it serves the page the
    # request came from (dashboard/pages).
    app.layout = lambda: pages.serve_layout(app, settings)
    # Dash inlines the validation layout into every index page: the same components without the map's
    # ~600 KB figure validate callbacks just as well and keep ~95 KB (gzip) off the first load.
    # Built for the public: it is inlined into every index page, whoever asks.
    app.validation_layout = pages.validation_layout(app, settings)

    from callbacks import register_all

    register_all(app)
    app.server.config["KAIHUA_BUILD"] = build_id(app)
    security.install(app, settings)  # after the callbacks: the CSP carries the hashes of their inline scripts
    outage.install(app.server, settings)  # the database unreachable: 503 + Retry-After, not a traceback
    return app
