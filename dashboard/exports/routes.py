"""HTTP routes for server-side exports: the map of any view state as a PNG, and a belt's PDF dossier.

    GET /export/map.png?<view-state query>&size=4k        -> image/png (sizes: see snapshot.SIZES)
    GET /export/belt/<belt_id>.pdf?lang=zh&year=2018      -> application/pdf

Everything in the request is checked against the published dataset: an unknown belt is a 404, an unknown
state field or size a 400 whose text says what is wrong. The request's audience (its session) decides what an
export may show (the public never gets a rating map), whatever the request asks; each export is audited.
Renders are cached per data version, audience and request, and at most ``MAX_RENDERS`` run at once per worker
(each drives a Chromium).
"""

from __future__ import annotations

import datetime as dt
import threading
from urllib.parse import quote

from flask import Flask, Response, abort, request

from dashboard.auth import current_audience, record
from dashboard.config import Settings
from dashboard.exports.dossier import MAP_SIZE as DOSSIER_MAP_SIZE
from dashboard.exports.dossier import DossierMeta, dossier_pages
from dashboard.exports.render import ExportFailed, ExportUnavailable, render_pdf, render_png
from dashboard.exports.snapshot import ImageSize, annotate_snapshot, map_size, parse_size, snapshot_figure
from dashboard.illustrative import export_note, state_layers
from dashboard.state import ViewState, county_of
from geodata import Audience, Dataset, open_dataset
from geodata.cache import per_dataset
from geodata.figures import pillar_history, scope_name
from geodata.provenance import illustration
from geodata.queries import belt_detail, belt_member_table, belt_members, belt_township
from geodata.vocabulary import vocabulary

MAP_ROUTE = "/export/map.png"
DOSSIER_ROUTE = "/export/belt/<belt_id>.pdf"
DOSSIER_LAYERS = ("villages", "townships", "county", "belts", "rivers")
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

    @staticmethod
    def _busy() -> None:
        abort(Response("the export renderer is busy; try again in a minute", status=503, mimetype="text/plain",
                       headers={"Retry-After": "30"}))

    def run(self, render, *args):
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


def dossier_url(prefix: str, belt_id: str, lang: str, year: int) -> str:
    return f"{prefix.rstrip('/')}/export/belt/{belt_id}.pdf?lang={lang}&year={year}"


def map_png_url(prefix: str, state: ViewState, size: str) -> str:
    query = state.to_query()
    return f"{prefix.rstrip('/')}{MAP_ROUTE}{query}{'&' if query else '?'}size={size}"


def _today() -> str:
    return dt.date.today().isoformat()


@per_dataset(maxsize=8)
def map_png(ds: Dataset, audience: Audience, state: ViewState, size: ImageSize, day: str) -> bytes:
    """The PNG of ``state`` for ``audience`` (cached per data version, audience, state, size and day: the footer
    carries the date)."""
    kind, value = state.scope
    title = scope_name(ds, kind, value, state.lang) or ds.county().name.iloc[0]
    note = export_note(illustration(ds), state.lang, state_layers(state.layers, state.measure))
    figure = annotate_snapshot(snapshot_figure(state, audience, ds, map_size(size)), title, ds.version, day,
                               state.lang, note)
    return render_png(figure, size)


def dossier_state(ds: Dataset, belt_id: str, lang: str, year: int) -> ViewState:
    """The view a dossier's map shows: the belt selected, in its township and (on province data, where a
    county's villages are drawn only once drilled into) its county."""
    township = belt_township(ds, belt_id)
    return ViewState(county=county_of(township, vocabulary(ds)), township=township, belt=belt_id,
                     layers=DOSSIER_LAYERS, year=year, lang=lang)


@per_dataset(maxsize=32)
def dossier_pdf(ds: Dataset, belt_id: str, lang: str, year: int, day: str) -> bytes:
    """The belt dossier PDF (cached per data version, belt, language, year and day)."""
    state = dossier_state(ds, belt_id, lang, year)
    # A dossier is a document that travels: its map is drawn as for the public, whoever asks.
    meta = DossierMeta(data_version=ds.version, generated=day, source=str(ds.meta()["source_document"]),
                       note=export_note(illustration(ds), lang, state_layers(state.layers, "score")))
    pages = dossier_pages(belt_detail(ds, belt_id, year), snapshot_figure(state, Audience.PUBLIC, ds, DOSSIER_MAP_SIZE),
                          belt_member_table(ds, belt_id, year),
                          pillar_history(ds, frozenset(belt_members(ds, belt_id))), meta, lang)
    return render_pdf(pages)


def _render(slots: _RenderSlots, render, *args) -> bytes:
    """``render(*args)`` in one of ``slots``; a missing renderer answers 503, a failed render 500."""
    try:
        return slots.run(render, *args)
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


def register_routes(server: Flask, settings: Settings) -> None:
    slots = _RenderSlots(MAX_RENDERS, MAX_WAITING)

    def export_map() -> Response:
        ds = open_dataset(settings.data_path)
        args = request.args.to_dict()
        try:
            size = parse_size(args.pop("size", None))
        except ValueError as err:
            return _bad_request(str(err))
        state = ViewState.from_dict(args, vocabulary(ds))
        if state.problems:
            return _bad_request("; ".join(state.problems))
        audience = current_audience()
        if state.measure == "rating" and audience is not Audience.STAFF:
            return _bad_request("ratings are not shown to the public: log in as staff")
        png = _render(slots, map_png, ds, audience, state, size, _today())
        record("export", f"map.png {audience.value} {size.width}x{size.height}")
        kind, value = state.scope
        return _attachment(png, "image/png", f"kaihua-{value or 'county'}-{size.width}x{size.height}.png",
                           f"开化-{scope_name(ds, kind, value, 'zh') or '全县'}-{size.width}x{size.height}.png")

    def export_dossier(belt_id: str) -> Response:
        ds = open_dataset(settings.data_path)
        vocab = vocabulary(ds)
        if belt_id not in vocab.belts:
            abort(404)
        state = ViewState.from_dict({"lang": request.args.get("lang", settings.language),
                                     "year": request.args.get("year")}, vocab)
        if state.problems:
            return _bad_request("; ".join(state.problems))
        pdf = _render(slots, dossier_pdf, ds, belt_id, state.lang, state.year, _today())
        record("export", f"dossier {belt_id}.pdf")
        name = scope_name(ds, "belt", belt_id) or belt_id
        return _attachment(pdf, "application/pdf", f"kaihua-{belt_id}-dossier-{state.year}.pdf",
                           f"{name}-示范带档案-{state.year}.pdf")

    server.add_url_rule(MAP_ROUTE, "export_map", export_map)
    server.add_url_rule(DOSSIER_ROUTE, "export_dossier", export_dossier)
