"""How responses travel: compression for everything textual, and cache headers for what never changes.

- Flask-Compress as ``Dash(compress=True)`` sets it up compresses Dash's JSON, HTML and scripts, but not
  ``application/geo+json`` (our geometry), and it recompresses a 4.6 MB plotly.min.js on every request
  (~200 ms of CPU at gzip level 6). So the app starts Dash with ``compress=False`` and :func:`configure`
  installs Flask-Compress itself: with the GeoJSON type and a small in-memory cache of compressed bodies for
  GET requests of immutable URLs (fingerprinted scripts, versioned geometry, fingerprinted assets), so each
  is compressed once per worker and algorithm.
- Dash already sends ``max-age`` of a year for fingerprinted component scripts; assets carry a ``?m=<mtime>``
  fingerprint but are sent without one. Both, and the versioned ``/geo/`` URLs, are marked ``immutable``.
"""

from __future__ import annotations

from collections import OrderedDict

from flask import Flask, Request, Response, current_app, request

YEAR = 31536000
IMMUTABLE = f"public, max-age={YEAR}, immutable"
GEOJSON = "application/geo+json"
# GET paths whose bytes never change for a given URL (the URL carries a version or fingerprint).
IMMUTABLE_PREFIXES = ("/_dash-component-suites/", "/geo/")


class CompressedCache:
    """A bounded LRU of compressed bodies, keyed by Flask-Compress ("<algorithm>;<key>").

    Only keys of immutable GETs (see :func:`cache_key`) are kept: callback POSTs share one path, so they must
    never be served from a cache.
    """

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.items: OrderedDict[str, bytes] = OrderedDict()

    def get(self, key: str) -> bytes | None:
        value = self.items.get(key)
        if value is not None:
            self.items.move_to_end(key)
        return value

    def set(self, key: str, value: bytes) -> None:
        if ";-" in key or key in self.items or len(value) > self.max_bytes // 4:
            return
        self.items[key] = value
        self.size += len(value)
        while self.size > self.max_bytes:
            _, old = self.items.popitem(last=False)
            self.size -= len(old)


def is_immutable(req: Request) -> bool:
    """True for URLs whose content is fixed by the URL itself."""
    if req.method != "GET":
        return False
    if req.path.startswith(IMMUTABLE_PREFIXES):
        return True
    return "/assets/" in req.path and bool(req.args.get("m"))


def cache_key(req: Request) -> str:
    # "-" marks a response that must not be cached (CompressedCache.set skips it); Flask-Compress insists
    # on a key for every response.
    if is_immutable(req):
        return f"+{req.full_path}"
    if req.method == "GET" and req.path.endswith("/_dash-layout"):
        # The layout is a function of the page, the published data and the request's audience (dashboard.pages):
        # ~600 KB of JSON whose compression costs 15-50 ms, so keep it per page, data version and audience (a new
        # version gets a new key; a public request never gets the staff page's bytes).
        from dashboard.auth import current_audience
        from dashboard.pages import PAGE_COOKIE, page_of_request
        from geodata import open_dataset

        page = page_of_request(req.referrer, req.cookies.get(PAGE_COOKIE), current_app.config.get("KAIHUA_PREFIX", "/"))
        version = open_dataset(current_app.config["KAIHUA_SETTINGS"].data_path).version
        return f"+layout@{page}@{version}@{current_app.config.get('KAIHUA_BUILD', '')}@{current_audience().value}"
    return "-"


def _prepare(response: Response) -> Response:
    if response.status_code != 200 or request.method != "GET":
        return response
    if response.direct_passthrough and "/assets/" in request.path:
        # Flask streams files from assets/, and Flask-Compress never gzips a stream (only zstd, br,
        # deflate): a gzip-only client would get plotly's 137 KB world topojson raw. Assets are small, so
        # read them into memory and let them be compressed (and cached) like any other body.
        response.direct_passthrough = False
        response.set_data(response.get_data())
    if is_immutable(request):
        response.headers["Cache-Control"] = IMMUTABLE
    elif request.path.endswith("/_dash-layout"):
        response.headers["Vary"] = "Referer, Cookie"  # the layout is the page the request came from
    return response


def configure(server: Flask, compress: bool = True) -> None:
    """Set compression (if ``compress``) and cache headers on the app's Flask server."""
    if compress:
        from flask_compress import Compress

        compressor = Compress()
        compressor.init_app(server)  # fills in Flask-Compress's defaults, which we extend below
        server.config["COMPRESS_MIMETYPES"] = [*server.config["COMPRESS_MIMETYPES"], GEOJSON]
        compressor.compress_mimetypes_set.add(GEOJSON)
        compressor.cache = CompressedCache()
        compressor.cache_key = cache_key
    # Registered after Flask-Compress's hook; Flask runs after_request hooks in reverse, so this sets
    # the header before compression and the cached body is served with it.
    server.after_request(_prepare)


def warm(app) -> None:
    """Serve the page, its layout and its geometry once, so Dash's first-request setup, the page, the GeoJSON
    conversion and its compressed bodies are ready before gunicorn forks the workers."""
    from geodata import open_dataset

    settings = app.server.config["KAIHUA_SETTINGS"]
    client = app.server.test_client()
    paths = [("/", None), ("/_dash-layout", "http://localhost/"), ("/wall", None),
             ("/_dash-layout", "http://localhost/wall"),
             (f"/geo/{open_dataset(settings.data_path).version}/villages.geojson", None)]
    for path, referrer in paths:
        for encoding in ("gzip", "zstd"):  # Chromium asks for zstd first; gzip for everything else
            client.get(path, headers={"Accept-Encoding": encoding, **({"Referer": referrer} if referrer else {})})
    warm_province(app)


def warm_province(app) -> None:
    """On province-scale data, compute before the workers fork what the first view of *any* county needs and
    is the same for every county: the scores pooled over the province (every year), the belt, scope and
    per-village lookups, by drawing one county and one of its belts for the public through the callbacks' own
    functions. Every worker inherits them, instead of spending seconds on its first viewer of a county."""
    from callbacks.charts import chart_outputs
    from callbacks.explorer import on_map_click
    from callbacks.map import update_map
    from callbacks.panel import panel_outputs
    from dashboard.state import ViewState
    from geodata import Audience, open_dataset
    from geodata.scores import village_scores
    from geodata.vocabulary import vocabulary

    settings = app.server.config["KAIHUA_SETTINGS"]
    ds = open_dataset(settings.data_path)
    counties = ds.county()
    if len(counties) < 2:
        return
    belts = ds.belts()
    county = counties.code.iloc[0]
    belt = belts.belt_id[belts.township_codes.str.startswith(county)].iloc[0]
    prefix = app.config.requests_pathname_prefix
    with app.server.test_request_context("/"):
        before = ViewState(lang=settings.language).to_dict()
        for customdata in (f"county:{county}", f"belt:{belt}"):
            after = on_map_click({"points": [{"customdata": customdata}]}, before, ds)
            update_map(after, before, settings, ds, prefix, Audience.PUBLIC)
            state = ViewState.from_dict(after, vocabulary(ds))
            chart_outputs(ds, Audience.PUBLIC, state)
            panel_outputs(ds, Audience.PUBLIC, state, prefix)
            before = after
        for year in vocabulary(ds).years:  # a viewer may pick any year
            village_scores(ds, year)
