"""HTTP routes for server-side exports: the map of any view state as a PNG, and a belt's PDF dossier.

    GET /export/map.png?<view-state query>&size=4k        -> image/png (sizes: see snapshot.SIZES)
    GET /export/map.pdf?<view-state query>&size=a4        -> application/pdf, one vector page (A4/A3)
    GET /export/belt/<belt_id>.pdf?lang=zh&year=2018      -> application/pdf
    GET /export/county.pdf?lang=zh&year=2018              -> application/pdf, the county dossier
    GET /export/brief.pdf?lang=zh                         -> application/pdf, the briefing handout
    GET /export/map.html?<view-state query>              -> one standalone HTML file (folium, offline)
    GET /export/data.<csv|xlsx|geojson|gpkg>?<view-state query> -> the scope's villages as data

The renders (PNG and PDF) are also export jobs the page polls (``job_routes.py``). Everything in the request
is checked against the published dataset (``orders.parse_order``): an unknown belt is a 404, an unknown state
field or size a 400 whose text says what is wrong. The request's audience decides what an export may show
(the public never colours by rating), whatever the request asks. Renders are cached per data version and
request, and at most ``MAX_RENDERS`` run at once per worker (each drives a Chromium).
"""

from __future__ import annotations

import threading
from urllib.parse import quote

from flask import Flask, Response, abort, request

from dashboard.auth import client_address, current_audience, current_user_name, record
from dashboard.config import Settings
from dashboard.exports.data_files import FORMATS
from dashboard.exports.orders import BadOrder, ExportFile, audit_detail, parse_order, produce, today
from dashboard.exports.products import (  # noqa: F401 - the names other modules import from here
    BRIEF_ROUTE,
    COUNTY_ROUTE,
    DATA_ROUTE,
    DOSSIER_LAYERS,
    DOSSIER_ROUTE,
    HTML_MAP_ROUTE,
    MAP_PDF_ROUTE,
    MAP_ROUTE,
    brief_pdf,
    county_dossier_figures,
    county_pdf,
    county_url,
    data_file,
    data_url,
    dossier_map,
    dossier_pdf,
    dossier_state,
    dossier_url,
    map_html,
    map_html_url,
    map_pdf,
    map_pdf_url,
    map_png,
    map_png_url,
    map_sheet,
)
from dashboard.exports.render import ExportFailed, ExportUnavailable
from dashboard.state import ViewState
from geodata import Audience, open_dataset
from geodata.figures import scope_name
from geodata.vocabulary import vocabulary

# A render is a Chromium working for seconds on a 2-core machine: one at a time per worker, and one request
# waiting behind it at most, so exports never hold more than two of a worker's threads (the map's callbacks
# need the rest). Anything beyond is answered "busy" at once.
MAX_RENDERS = 1
MAX_WAITING = 1
RENDER_WAIT_S = 30


class _RenderSlots:
    """A bound on concurrent and queued renders in this worker (a process resource, like a connection pool)."""

    def __init__(self, slots: int, waiting: int) -> None:
        self._slots = threading.BoundedSemaphore(slots)
        self._admission = threading.BoundedSemaphore(slots + waiting)
        self._users: set[str] = set()  # who has a render running or waiting (one each)
        self._users_lock = threading.Lock()

    @staticmethod
    def _busy() -> None:
        abort(Response("the export renderer is busy; try again in a minute", status=503, mimetype="text/plain",
                       headers={"Retry-After": "30"}))

    def run(self, render, *args, user: str | None = None):
        """``render(*args)`` when a slot is free; ``user`` may have one render running or waiting at a time, so
        that one person asking for size after size cannot keep the renderer busy for everyone (429)."""
        if user is not None:
            with self._users_lock:
                if user in self._users:
                    abort(Response("your previous export is still rendering; it arrives when ready", status=429,
                                   mimetype="text/plain", headers={"Retry-After": "10"}))
                self._users.add(user)
        try:
            return self._run(render, *args)
        finally:
            if user is not None:
                with self._users_lock:
                    self._users.discard(user)

    def _run(self, render, *args):
        if not self._admission.acquire(blocking=False):
            self._busy()
        try:
            if not self._slots.acquire(timeout=RENDER_WAIT_S):
                self._busy()
            try:
                return render(*args)
            finally:
                self._slots.release()
        finally:
            self._admission.release()


def user_of_request() -> str:
    """Who asks, for the per-user render limit: the signed-in user, else the client's address."""
    return current_user_name() or client_address() or "anonymous"


def _render(slots: _RenderSlots, render, *args):
    """``render(*args)`` in one of ``slots``, one at a time per user; a missing renderer answers 503, a failed
    render 500."""
    try:
        return slots.run(render, *args, user=user_of_request())
    except ExportUnavailable as err:
        abort(Response(str(err), status=503, mimetype="text/plain"))
    except ExportFailed as err:
        abort(Response(str(err), status=500, mimetype="text/plain"))


def _bad_request(message: str) -> Response:
    return Response(message, status=400, mimetype="text/plain; charset=utf-8")


def _attachment(body: bytes, mimetype: str, ascii_name: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (f"attachment; filename=\"{ascii_name}\"; "
                                               f"filename*=UTF-8''{quote(name)}")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


def file_response(made: ExportFile) -> Response:
    """``made`` as a download."""
    return _attachment(made.body, made.mimetype, made.ascii_name, made.name)


def audience_of_request() -> Audience:
    return current_audience()  # per request, from the session (dashboard.auth)


def register_routes(server: Flask, settings: Settings) -> None:
    slots = _RenderSlots(MAX_RENDERS, MAX_WAITING)

    def _direct(kind: str, belt_id: str | None = None) -> Response:
        ds = open_dataset(settings.data_path)
        try:
            order = parse_order(ds, settings, kind, request.args.to_dict(), audience_of_request(), belt_id)
        except BadOrder as err:
            if err.status == 404:
                abort(404)
            return _bad_request(str(err))
        made = _render(slots, produce, ds, settings, order)
        record("export", audit_detail(order))
        return file_response(made)

    def export_map() -> Response:
        return _direct("map.png")

    def export_map_pdf() -> Response:
        return _direct("map.pdf")

    def export_dossier(belt_id: str) -> Response:
        return _direct("belt", belt_id)

    def export_county() -> Response:
        return _direct("county")

    def export_brief() -> Response:
        return _direct("brief")

    def export_data(fmt: str) -> Response:
        if fmt not in FORMATS:
            abort(404)
        ds = open_dataset(settings.data_path)
        state = ViewState.from_dict(request.args.to_dict(), vocabulary(ds))
        if state.problems:
            return _bad_request("; ".join(state.problems))
        body = data_file(ds, audience_of_request(), state, fmt)
        record("export", f"data.{fmt} {audience_of_request().value}")
        kind, value = state.scope
        return _attachment(body, FORMATS[fmt], f"kaihua-{value or 'county'}-villages-{state.year}.{fmt}",
                           f"开化-{scope_name(ds, kind, value, 'zh') or '全县'}-村庄-{state.year}.{fmt}")

    def export_map_html() -> Response:
        ds = open_dataset(settings.data_path)
        state = ViewState.from_dict(request.args.to_dict(), vocabulary(ds))
        if state.problems:
            return _bad_request("; ".join(state.problems))
        if state.measure == "rating" and audience_of_request() is not Audience.STAFF:
            return _bad_request("ratings are not shown on this server")
        body = map_html(ds, settings, audience_of_request(), state, today())
        record("export", f"map.html {audience_of_request().value}")
        kind, value = state.scope
        return _attachment(body, "text/html; charset=utf-8", f"kaihua-{value or 'county'}-map.html",
                           f"开化-{scope_name(ds, kind, value, 'zh') or '全县'}-地图.html")

    def unknown_export(rest: str = "") -> Response:
        abort(404)

    server.add_url_rule(MAP_ROUTE, "export_map", export_map)
    server.add_url_rule(MAP_PDF_ROUTE, "export_map_pdf", export_map_pdf)
    server.add_url_rule(DATA_ROUTE, "export_data", export_data)
    server.add_url_rule(HTML_MAP_ROUTE, "export_map_html", export_map_html)
    # Anything else under /export/ is not a page of the app: 404, not the app's HTML with 200.
    server.add_url_rule("/export/<path:rest>", "export_unknown", unknown_export)
    server.add_url_rule("/export/", "export_index", unknown_export)
    server.add_url_rule(DOSSIER_ROUTE, "export_dossier", export_dossier)
    server.add_url_rule(COUNTY_ROUTE, "export_county", export_county)
    server.add_url_rule(BRIEF_ROUTE, "export_brief", export_brief)
