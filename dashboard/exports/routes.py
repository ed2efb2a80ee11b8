"""HTTP routes for server-side exports: the map of any view state as a PNG, and a belt's PDF dossier.

    GET /export/map.png?<view-state query>&size=4k        -> image/png (sizes: see snapshot.SIZES)
    GET /export/map.pdf?<view-state query>&size=a4        -> application/pdf, one vector page (A4/A3)
    GET /export/belt/<belt_id>.pdf?lang=zh&year=2018      -> application/pdf
    GET /export/county.pdf?lang=zh&year=2018              -> application/pdf, the county dossier
    GET /export/map.html?<view-state query>              -> one standalone HTML file (folium, offline)
    GET /export/data.<csv|xlsx|geojson|gpkg>?<view-state query> -> the scope's villages as data

Everything in the request is checked against the published dataset: an unknown belt is a 404, an unknown
state field or size a 400 whose text says what is wrong. The server's audience decides what an export may
show (a public server never colours by rating), whatever the request asks. Renders are cached per data
version and request, and at most ``MAX_RENDERS`` run at once per worker (each drives a Chromium).
"""

from __future__ import annotations

import datetime as dt
import threading
from urllib.parse import quote

from flask import Flask, Response, abort, request

from dashboard.auth import client_address, current_audience, current_user_name, record
from dashboard.config import Settings
from dashboard.exports.county_dossier import county_pages, ranking_lines
from dashboard.exports.data_files import FORMATS, to_bytes, village_table
from dashboard.exports.dossier import MAP_SIZE as DOSSIER_MAP_SIZE
from dashboard.exports.dossier import DossierMap, DossierMeta, dossier_pages
from dashboard.exports.names import romanise
from dashboard.exports.offline_map import offline_map
from dashboard.exports.render import ExportFailed, ExportUnavailable, render_pdf, render_png
from dashboard.exports.snapshot import PAPER_SIZES, SIZES, ImageSize, parse_size, print_map, sheet_text, snapshot_figure
from dashboard.figures.geometry import line_coords
from dashboard.figures.map import display_names
from dashboard.i18n import t
from dashboard.illustrative import export_note, state_layers
from dashboard.state import ViewState, county_of
from geodata import Audience, Dataset, open_dataset
from geodata.cache import per_dataset
from geodata.figures import belt_ranking, key_figures, pillar_history, pillar_summary, scope_name, scope_villages
from geodata.provenance import illustration
from geodata.queries import belt_detail, belt_member_table, belt_members, belt_township, bounds_of, layer_for
from geodata.schema import PILLARS
from geodata.scores import village_scores
from geodata.versions import data_edition
from geodata.vocabulary import vocabulary

MAP_ROUTE = "/export/map.png"
MAP_PDF_ROUTE = "/export/map.pdf"
DATA_ROUTE = "/export/data.<fmt>"
HTML_MAP_ROUTE = "/export/map.html"
DOSSIER_ROUTE = "/export/belt/<belt_id>.pdf"
COUNTY_ROUTE = "/export/county.pdf"
BRIEF_ROUTE = "/export/brief.pdf"
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


def dossier_url(prefix: str, belt_id: str, lang: str, year: int) -> str:
    return f"{prefix.rstrip('/')}/export/belt/{belt_id}.pdf?lang={lang}&year={year}"


def map_png_url(prefix: str, state: ViewState, size: str) -> str:
    query = state.to_query()
    return f"{prefix.rstrip('/')}{MAP_ROUTE}{query}{'&' if query else '?'}size={size}"


def map_pdf_url(prefix: str, state: ViewState, size: str) -> str:
    query = state.to_query()
    return f"{prefix.rstrip('/')}{MAP_PDF_ROUTE}{query}{'&' if query else '?'}size={size}"


def data_url(prefix: str, state: ViewState, fmt: str) -> str:
    return f"{prefix.rstrip('/')}/export/data.{fmt}{state.to_query()}"


@per_dataset(maxsize=16)
def data_file(ds: Dataset, audience: Audience, state: ViewState, fmt: str) -> bytes:
    """The villages of ``state``'s scope in ``fmt`` for ``audience`` (cached per data version and request)."""
    return to_bytes(ds, village_table(ds, state, audience), fmt)


def county_url(prefix: str, state: ViewState) -> str:
    return f"{prefix.rstrip('/')}{COUNTY_ROUTE}?lang={state.lang}&year={state.year}"


def map_html_url(prefix: str, state: ViewState) -> str:
    return f"{prefix.rstrip('/')}{HTML_MAP_ROUTE}{state.to_query()}"


@per_dataset(maxsize=8)
def map_html(ds: Dataset, settings: Settings, audience: Audience, state: ViewState, day: str) -> bytes:
    """The offline visitors' map of ``state`` (cached per data version, audience, state and day)."""
    text = sheet_text(ds, state, audience, data_edition(ds.path), day, settings.title)
    return offline_map(ds, state, audience, text, settings.tiles_url).encode("utf-8")


def _today() -> str:
    return dt.date.today().isoformat()


def map_sheet(ds: Dataset, settings: Settings, audience: Audience, state: ViewState, size: ImageSize,
              day: str) -> dict:
    """The furnished map figure of ``state`` for ``audience`` at ``size`` (title, legend, scale bar, ...)."""
    text = sheet_text(ds, state, audience, data_edition(ds.path), day, settings.title)
    return print_map(state, audience, ds, size, text)


@per_dataset(maxsize=8)
def map_png(ds: Dataset, settings: Settings, audience: Audience, state: ViewState, size: ImageSize,
            day: str) -> bytes:
    """The PNG of ``state`` (cached per data version, audience, state, size and day: the footer has the date)."""
    return render_png(map_sheet(ds, settings, audience, state, size, day), size)


@per_dataset(maxsize=8)
def map_pdf(ds: Dataset, settings: Settings, audience: Audience, state: ViewState, size: ImageSize,
            day: str) -> bytes:
    """The same sheet as one vector PDF page of the paper ``size``."""
    return render_pdf([map_sheet(ds, settings, audience, state, size, day)])


def dossier_state(ds: Dataset, belt_id: str, lang: str, year: int) -> ViewState:
    """The view a dossier's map shows: the belt selected, in its township and (on province data, where a
    county's villages are drawn only once drilled into) its county."""
    township = belt_township(ds, belt_id)
    return ViewState(county=county_of(township, vocabulary(ds)), township=township, belt=belt_id,
                     layers=DOSSIER_LAYERS, year=year, lang=lang)


def belt_stories(ds: Dataset, belt_id: str, lang: str) -> tuple[tuple[str, str], ...]:
    """(title, text) of the bulletin's stories of a belt: those told of its villages, else of its townships
    (as the public may read them). The data-fixes branch may relate stories to belts directly."""
    stories = layer_for(ds, "stories", Audience.PUBLIC)
    members = set(belt_members(ds, belt_id))
    own = stories[stories.village_code.isin(members)]
    if own.empty:
        towns = str(ds.belts().set_index("belt_id").township_codes.get(belt_id, "")).split(",")
        own = stories[stories.township_code.isin(towns)]
    if lang == "en":
        return tuple((row.title_en or romanise(row.title), t("story_text_in_chinese", lang))
                     for row in own.itertuples())
    return tuple((row.title, row.text) for row in own.itertuples())


def dossier_map(ds: Dataset, belt_id: str, lang: str) -> DossierMap:
    """Page 1's framing, locator lines and stories for ``belt_id``."""
    county = ds.county()
    belt = ds.belts().set_index("belt_id").geometry[belt_id]
    return DossierMap(bounds=bounds_of(ds, belt_members(ds, belt_id)), county_bounds=tuple(county.total_bounds),
                      county_lines=line_coords(county.geometry.simplify(0.002)), belt_line=line_coords([belt]),
                      stories=belt_stories(ds, belt_id, lang))


def edition_text(ds: Dataset, lang: str) -> str:
    """The data edition as a footer writes it (publish date and note, or the shipped build date)."""
    edition = data_edition(ds.path)
    if edition.version_id:
        return f"{edition.version_id} ({edition.published}{', ' + edition.note if edition.note else ''})"
    return f"{t('shipped_data', lang)} ({edition.published})"


def county_dossier_figures(ds: Dataset, settings: Settings, lang: str, year: int, day: str) -> list[dict]:
    """The county dossier's pages (as for the public)."""
    codes = scope_villages(ds, "county", None)
    county = ds.county()
    name = scope_name(ds, "county", None, lang) or display_names(county, lang)[0]
    scores = village_scores(ds, year)
    bv = ds.belt_villages()
    pillar_means = bv.join(scores, on="village_code").groupby("belt_id")[list(PILLARS)].mean()
    towns = dict(zip(ds.townships().code, display_names(ds.townships(), lang)))
    lines = ranking_lines(belt_ranking(ds, "score", year), ds.belts(), towns, pillar_means)
    summary = pillar_summary(ds, codes, year)["county"].to_dict()
    state = ViewState(layers=DOSSIER_LAYERS, year=year, lang=lang)
    meta = DossierMeta(data_version=edition_text(ds, lang), generated=day, source=str(ds.meta()["source_document"]),
                       note=export_note(illustration(ds), lang, state_layers(state.layers, "score")))
    return county_pages(name, key_figures(ds, codes, year), summary, lines, snapshot_figure(state, Audience.PUBLIC, ds),
                        tuple(county.total_bounds), meta, lang)


@per_dataset(maxsize=8)
def county_pdf(ds: Dataset, settings: Settings, lang: str, year: int, day: str) -> bytes:
    """The county dossier PDF (cached per data version, language, year and day)."""
    return render_pdf(county_dossier_figures(ds, settings, lang, year, day))


@per_dataset(maxsize=32)
def dossier_pdf(ds: Dataset, settings: Settings, belt_id: str, lang: str, year: int, day: str) -> bytes:
    """The belt dossier PDF (cached per data version, belt, language, year and day)."""
    state = dossier_state(ds, belt_id, lang, year)
    # A dossier is a document that travels: its map is drawn as for the public, whoever asks.
    meta = DossierMeta(data_version=edition_text(ds, lang), generated=day, source=str(ds.meta()["source_document"]),
                       note=export_note(illustration(ds), lang, state_layers(state.layers, "score")))
    pages = dossier_pages(belt_detail(ds, belt_id, year), snapshot_figure(state, Audience.PUBLIC, ds, DOSSIER_MAP_SIZE),
                          belt_member_table(ds, belt_id, year),
                          pillar_history(ds, frozenset(belt_members(ds, belt_id))), meta, lang,
                          dossier_map(ds, belt_id, lang))
    return render_pdf(pages)


@per_dataset(maxsize=4)
def brief_pdf(ds: Dataset, settings: Settings, lang: str, day: str) -> bytes:
    """The briefing handout: one A4 page per step with its map (cached per data version, language and day)."""
    from dashboard.exports.handout import handout_pages

    return render_pdf(handout_pages(ds, settings, lang, day))


def user_of_request() -> str:
    """Who asks, for the per-user render limit: the signed-in user, else the client's address."""
    return current_user_name() or client_address() or "anonymous"


def _render(slots: _RenderSlots, render, *args) -> bytes:
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


def register_routes(server: Flask, settings: Settings) -> None:
    slots = _RenderSlots(MAX_RENDERS, MAX_WAITING)

    def _map_request(ds: Dataset, paper_only: bool) -> tuple[ViewState, ImageSize] | Response:
        args = request.args.to_dict()
        size_key = args.pop("size", None)
        if paper_only and (size_key or "a4").strip().lower() not in PAPER_SIZES:
            return _bad_request(f"a PDF map is a paper size: one of {', '.join(PAPER_SIZES)}")
        try:
            size = parse_size(size_key or ("a4" if paper_only else None))
        except ValueError as err:
            return _bad_request(str(err))
        state = ViewState.from_dict(args, vocabulary(ds))
        if state.problems:
            return _bad_request("; ".join(state.problems))
        if state.measure == "rating" and audience_of_request() is not Audience.STAFF:
            return _bad_request("ratings are not shown on this server")
        return state, size

    def _map_name(ds: Dataset, state: ViewState, size: ImageSize, ext: str) -> tuple[str, str]:
        kind, value = state.scope
        label = next((k for k, v in SIZES.items() if v == size), f"{size.width}x{size.height}")
        return (f"kaihua-{value or 'county'}-{label}.{ext}",
                f"开化-{scope_name(ds, kind, value, 'zh') or '全县'}-{label}.{ext}")

    def export_map() -> Response:
        ds = open_dataset(settings.data_path)
        parsed = _map_request(ds, paper_only=False)
        if isinstance(parsed, Response):
            return parsed
        state, size = parsed
        png = _render(slots, map_png, ds, settings, audience_of_request(), state, size, _today())
        record("export", f"map.png {audience_of_request().value} {size.width}x{size.height}")
        return _attachment(png, "image/png", *_map_name(ds, state, size, "png"))

    def export_map_pdf() -> Response:
        ds = open_dataset(settings.data_path)
        parsed = _map_request(ds, paper_only=True)
        if isinstance(parsed, Response):
            return parsed
        state, size = parsed
        pdf = _render(slots, map_pdf, ds, settings, audience_of_request(), state, size, _today())
        record("export", f"map.pdf {audience_of_request().value} {size.width}x{size.height}")
        return _attachment(pdf, "application/pdf", *_map_name(ds, state, size, "pdf"))

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
        body = map_html(ds, settings, audience_of_request(), state, _today())
        record("export", f"map.html {audience_of_request().value}")
        kind, value = state.scope
        return _attachment(body, "text/html; charset=utf-8", f"kaihua-{value or 'county'}-map.html",
                           f"开化-{scope_name(ds, kind, value, 'zh') or '全县'}-地图.html")

    def audience_of_request() -> Audience:
        return current_audience()  # per request, from the session (dashboard.auth)

    def unknown_export(rest: str = "") -> Response:
        abort(404)

    def export_county() -> Response:
        ds = open_dataset(settings.data_path)
        state = ViewState.from_dict({"lang": request.args.get("lang", settings.language),
                                     "year": request.args.get("year")}, vocabulary(ds))
        if state.problems:
            return _bad_request("; ".join(state.problems))
        pdf = _render(slots, county_pdf, ds, settings, state.lang, state.year, _today())
        record("export", "county.pdf")
        return _attachment(pdf, "application/pdf", f"kaihua-county-dossier-{state.year}.pdf",
                           f"开化县-县域档案-{state.year}.pdf")

    def export_dossier(belt_id: str) -> Response:
        ds = open_dataset(settings.data_path)
        vocab = vocabulary(ds)
        if belt_id not in vocab.belts:
            abort(404)
        state = ViewState.from_dict({"lang": request.args.get("lang", settings.language),
                                     "year": request.args.get("year")}, vocab)
        if state.problems:
            return _bad_request("; ".join(state.problems))
        pdf = _render(slots, dossier_pdf, ds, settings, belt_id, state.lang, state.year, _today())
        record("export", f"dossier {belt_id}.pdf")
        name = scope_name(ds, "belt", belt_id) or belt_id
        return _attachment(pdf, "application/pdf", f"kaihua-{belt_id}-dossier-{state.year}.pdf",
                           f"{name}-示范带档案-{state.year}.pdf")

    server.add_url_rule(MAP_ROUTE, "export_map", export_map)
    server.add_url_rule(MAP_PDF_ROUTE, "export_map_pdf", export_map_pdf)
    server.add_url_rule(DATA_ROUTE, "export_data", export_data)
    server.add_url_rule(HTML_MAP_ROUTE, "export_map_html", export_map_html)
    # Anything else under /export/ is not a page of the app: 404, not the app's HTML with 200.
    server.add_url_rule("/export/<path:rest>", "export_unknown", unknown_export)
    server.add_url_rule("/export/", "export_index", unknown_export)
    server.add_url_rule(DOSSIER_ROUTE, "export_dossier", export_dossier)
    server.add_url_rule(COUNTY_ROUTE, "export_county", export_county)

    def export_brief() -> Response:
        ds = open_dataset(settings.data_path)
        state = ViewState.from_dict({"lang": request.args.get("lang", settings.language)}, vocabulary(ds))
        if state.problems:
            return _bad_request("; ".join(state.problems))
        pdf = _render(slots, brief_pdf, ds, settings, state.lang, _today())
        record("export", f"brief.pdf {state.lang}")
        return _attachment(pdf, "application/pdf", f"kaihua-briefing-{state.lang}.pdf", "开化县-来访讲解.pdf")

    server.add_url_rule(BRIEF_ROUTE, "export_brief", export_brief)
