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
             const pt = pts[Math.min(index, pts.length - 1)];
             pt.scrollIntoView({block: 'center', inline: 'center'});
             const r = pt.getBoundingClientRect();
             return [r.x + r.width / 2, r.y + r.height / 2]; }""", [uid, index])
    assert box, f"no drawn markers for {uid}"
    return box[0], box[1]


def village_point(page: Page, code: str) -> tuple[float, float]:
    """A point inside the drawn polygon of village ``code``, clear of any marker or route drawn over
    it (plotly would report the nearer marker). Found with the path's own fill test, since plotly
    hit-tests geo shapes itself."""
    xy = page.evaluate(
        """(code) => {
             const el = Array.from(document.querySelectorAll('#map .choroplethlocation'))
                 .find(p => p.__data__ && p.__data__.loc === code);
             if (!el) return null;
             el.scrollIntoView({block: 'center', inline: 'center'});
             const markers = Array.from(document.querySelectorAll('#map .scattergeo path.point'))
                 .map(m => m.getBoundingClientRect()).filter(r => r.width > 0)
                 .map(r => [r.x + r.width / 2, r.y + r.height / 2]);
             const r = el.getBoundingClientRect();
             const inv = el.getScreenCTM().inverse();
             const pt = el.ownerSVGElement.createSVGPoint();
             let best = null, bestGap = -1;
             for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
               pt.x = r.x + r.width * i / 20; pt.y = r.y + r.height * j / 20;
               if (!el.isPointInFill(pt.matrixTransform(inv))) continue;
               const gap = Math.min(1e9, ...markers.map(m => Math.hypot(m[0] - pt.x, m[1] - pt.y)));
               if (gap > bestGap) { bestGap = gap; best = [pt.x, pt.y]; }
             }
             return best; }""", code)
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


def click_at(page: Page, x: float, y: float) -> None:
    """Move to a point, let plotly's (throttled) hover find what is under it, then click, as a hand
    on a mouse does; plotly reports the click on what the hover found."""
    page.mouse.move(x - 3, y - 3)
    page.mouse.move(x, y, steps=3)
    page.wait_for_timeout(150)
    page.mouse.down()
    page.mouse.up()
