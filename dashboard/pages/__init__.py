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

from dash import Dash, html

from dashboard.charts_layout import charts_body
from dashboard.config import Settings
from dashboard.pages import explorer, wall

PAGES: dict[str, str] = {"/": "explorer", "/admin": "explorer", "/wall": "wall", "/brief": "brief"}
DEFAULT_PAGE = "explorer"
PAGE_COOKIE = "kb_page"


def page_for_path(path: str | None, prefix: str = "/") -> str:
    """The page of a URL path (below the app's ``prefix``); unknown paths show the explorer."""
    path = path or "/"
    base = "/" + prefix.strip("/") if prefix.strip("/") else ""
    if base and path.startswith(base):
        path = path[len(base):] or "/"
    path = "/" + path.strip("/")
    return PAGES.get(path, DEFAULT_PAGE)


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
