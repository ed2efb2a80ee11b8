"""Small helpers that drive the plotly map the way a person does: by clicking what is drawn."""

from __future__ import annotations

from playwright.sync_api import Page

PLOT = "#map .js-plotly-plot"


def open_page(page: Page, url: str) -> Page:
    page.goto(url)
    page.wait_for_function("document.querySelectorAll('.choroplethlocation').length > 0", timeout=30000)
    page.wait_for_function("!!(window.dash_clientside && window.dash_clientside.set_props)", timeout=10000)
    wait_idle(page)
    return page


def wait_idle(page: Page, quiet_ms: int = 400) -> None:
    """Wait until Dash has no callback in flight for a moment."""
    page.wait_for_function(
        """(quiet) => { const busy = document.querySelector('[data-dash-is-loading="true"]');
             const now = performance.now(); window.__kbIdle = busy ? now : (window.__kbIdle || now);
             return !busy && now - window.__kbIdle >= 0; }""", arg=quiet_ms, timeout=15000)
    page.wait_for_timeout(quiet_ms)


def point_of(page: Page, uid: str, index: int = 0) -> tuple[float, float]:
    """Screen position of marker ``index`` of the scattergeo trace ``uid``."""
    box = page.evaluate(
        """([uid, index]) => {
             const groups = Array.from(document.querySelectorAll('#map g.trace.scattergeo'));
             const g = groups.find(el => el.__data__ && el.__data__[0] && el.__data__[0].trace.uid === uid);
             if (!g) return null;
             const pts = g.querySelectorAll('path.point');
             const r = pts[Math.min(index, pts.length - 1)].getBoundingClientRect();
             return [r.x + r.width / 2, r.y + r.height / 2]; }""", [uid, index])
    assert box, f"no drawn markers for {uid}"
    return box[0], box[1]


def village_point(page: Page, code: str) -> tuple[float, float]:
    """A point inside the drawn polygon of village ``code`` (plotly hit-tests geo shapes itself, so
    the point is found with the path's own fill test)."""
    xy = page.evaluate(
        """(code) => {
             const el = Array.from(document.querySelectorAll('#map .choroplethlocation'))
                 .find(p => p.__data__ && p.__data__.loc === code);
             if (!el) return null;
             const r = el.getBoundingClientRect();
             const inv = el.getScreenCTM().inverse();
             const pt = el.ownerSVGElement.createSVGPoint();
             for (let i = 3; i < 8; i++) for (let j = 3; j < 8; j++) {
               pt.x = r.x + r.width * i / 10; pt.y = r.y + r.height * j / 10;
               if (el.isPointInFill(pt.matrixTransform(inv))) return [pt.x, pt.y];
             }
             return null; }""", code)
    assert xy, f"village {code} is not drawn where it can be clicked"
    return xy[0], xy[1]


def trace_prop(page: Page, uid: str, path: str):
    """A property of a trace as plotly currently holds it (e.g. 'line.width')."""
    return page.evaluate(
        """([uid, path]) => { const gd = document.querySelector('#map .js-plotly-plot');
             const t = gd.data.find(t => t.uid === uid); if (!t) return undefined;
             return path.split('.').reduce((o, k) => (o == null ? o : o[k]), t); }""", [uid, path])


def layout_prop(page: Page, path: str):
    return page.evaluate(
        """(path) => { const gd = document.querySelector('#map .js-plotly-plot');
             return path.split('.').reduce((o, k) => (o == null ? o : o[k]), gd.layout); }""", path)


def view_state(page: Page) -> dict:
    """The view state as the page holds it (read from the URL the app keeps in step)."""
    return page.evaluate("() => Object.fromEntries(new URLSearchParams(window.location.search))")
