"""Routing in one place: which page a path shows, and the layout Dash serves for it.

Dash fetches the layout (``/_dash-layout``) after the page's HTML; that request carries the page's address as
its ``Referer`` (browsers send it for same-origin requests), so the layout function picks the page from it.
A request without one (a proxy or a browser setting that strips referrers) gets the page named by the
short-lived ``kb_page`` cookie, which ``assets/wall.js`` sets and reloads with when it finds itself on /wall
with the wrong page; else the explorer, as before pages existed (scripts that read ``/_dash-layout`` get it).

Pages: ``/`` (and ``/admin``, a part of it) the explorer; ``/wall`` the wall display. ``/brief`` and ``/login``
come next: add them to :data:`PAGES` and :func:`page_layout`.
"""

from __future__ import annotations

from urllib.parse import urlparse

from dash import Dash, dcc, html

from dashboard.auth import current_audience
from dashboard.charts_layout import charts_body
from dashboard.config import Settings
from dashboard.figures.fetches import plotly_fetches
from dashboard.pages import explorer, wall
from geodata import Audience, Dataset, open_dataset
from geodata.cache import per_dataset

PAGES: dict[str, str] = {"/": "explorer", "/admin": "explorer", "/wall": "wall", "/brief": "brief"}
DEFAULT_PAGE = "explorer"
PAGE_COOKIE = "kb_page"


def _below_prefix(path: str | None, prefix: str) -> str:
    path = path or "/"
    base = "/" + prefix.strip("/") if prefix.strip("/") else ""
    if base and path.startswith(base):
        path = path[len(base):] or "/"
    return "/" + path.strip("/")


def page_for_path(path: str | None, prefix: str = "/") -> str:
    """The page of a URL path (below the app's ``prefix``); unknown paths show the explorer."""
    return PAGES.get(_below_prefix(path, prefix), DEFAULT_PAGE)


def is_page_path(path: str | None, prefix: str = "/") -> bool:
    """Whether ``path`` is one of :data:`PAGES` (not another address Dash answers with its index)."""
    return _below_prefix(path, prefix) in PAGES


def page_from_referrer(referrer: str | None, prefix: str = "/") -> str | None:
    """The page of the address the layout request came from; None when the request does not say."""
    if not referrer:
        return None
    try:
        return page_for_path(urlparse(referrer).path, prefix)
    except ValueError:
        return None


def page_layout(app: Dash, settings: Settings, page: str, with_figure: bool = True) -> html.Div:
    """The layout of ``page`` for the dataset currently published (cached per data version)."""
    from dashboard.pages import brief  # imported here: the pages import this module's helpers

    if page == "wall":
        return wall.layout(app, settings, with_figure)
    if page == "brief":
        return brief.layout(app, settings, with_figure)
    return explorer.layout(app, settings, with_figure)


def page_of_request(referrer: str | None, cookie: str | None, prefix: str = "/") -> str:
    """The page a layout request is for: its referrer's, else the ``kb_page`` cookie's, else the explorer."""
    page = page_from_referrer(referrer, prefix)
    if page is None and cookie in set(PAGES.values()):
        page = cookie
    return page or DEFAULT_PAGE


def serve_layout(app: Dash, settings: Settings):
    """``app.layout``: the page the request came from."""
    import flask

    referrer = cookie = None
    if flask.has_request_context():
        referrer, cookie = flask.request.referrer, flask.request.cookies.get(PAGE_COOKIE)
    return page_layout(app, settings, page_of_request(referrer, cookie, app.config.requests_pathname_prefix))


def validation_layout(app: Dash, settings: Settings) -> html.Div:
    """Every page's components (without the map figures), so callbacks of every page validate; with the
    explorer's charts, which it mounts once its map has drawn."""
    pages = [page_layout(app, settings, name, with_figure=False) for name in sorted(set(PAGES.values()))]
    return html.Div([*pages, html.Div(charts_body({}))])


def page_fetches(app: Dash, settings: Settings, page: str) -> tuple[str, ...]:
    """What plotly.js will fetch to draw ``page``'s graphs for this request's audience (its GeoJSON and
    topojson): the page's HTML names them in a ``Link: preload`` header, so that they arrive while the scripts
    load instead of after the first draw has begun."""
    return _page_fetches(app, settings, open_dataset(settings.data_path), current_audience(), page)


@per_dataset(maxsize=16)
def _page_fetches(app: Dash, settings: Settings, ds: Dataset, audience: Audience, page: str) -> tuple[str, ...]:
    del ds, audience  # the cache's key: page_layout reads both for this request itself
    graphs = [c for c in page_layout(app, settings, page)._traverse() if isinstance(c, dcc.Graph)]
    urls = [url for g in graphs for url in plotly_fetches(getattr(g, "figure", None) or {},
                                                          getattr(g, "config", None) or {})]
    return tuple(dict.fromkeys(urls))
