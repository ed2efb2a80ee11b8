"""Small helpers that drive the plotly map the way a person does: by clicking what is drawn."""

from __future__ import annotations

from playwright.sync_api import Page

PLOT = "#map .js-plotly-plot"


def open_page(page: Page, url: str) -> Page:
    page.goto(url)
    page.wait_for_function("() => document.querySelectorAll('.choroplethlocation').length > 0", timeout=30000)
    page.wait_for_function("() => !!(window.dash_clientside && window.dash_clientside.set_props)", timeout=10000)
    wait_idle(page)
    return page


# Counts the Dash callback requests in flight; installed in every page before it loads (conftest).
TRACK_CALLBACKS = """
(() => { window.__kbInflight = 0; window.__kbChanged = performance.now();
  const orig = window.fetch.bind(window);
  window.fetch = (...args) => {
    const url = String(args[0] && args[0].url || args[0]);
    if (!url.includes('_dash-update-component')) return orig(...args);
    window.__kbInflight += 1; window.__kbChanged = performance.now();
    return orig(...args).finally(() => { window.__kbInflight -= 1; window.__kbChanged = performance.now(); });
  }; })();
"""


# Idle means: no callback request in flight for a while, and the Dash renderer holds no callback
# that is queued, requested or executing. The second half matters on slow machines: between one
# callback's answer and the request of the callback it triggers (map -> panel), plotly may spend
# longer redrawing than the quiet period, and no request is in flight meanwhile.
IDLE = """(quiet) => {
  if (window.__kbInflight !== 0 || performance.now() - window.__kbChanged <= quiet) return false;
  const store = window.store; if (!store) return true;
  const cbs = Object.assign({}, store.getState().callbacks);
  delete cbs.stored; delete cbs.completed;
  return Object.values(cbs).every(list => !list || list.length === 0); }"""


def wait_idle(page: Page, quiet_ms: int = 300) -> None:
    """Wait until no Dash callback has been in flight for ``quiet_ms`` (then let plotly draw)."""
    tracked = page.evaluate("() => window.__kbInflight !== undefined")
    if not tracked:  # a page opened without TRACK_CALLBACKS: all we can do is give it time
        page.wait_for_timeout(quiet_ms + 500)
        return
    page.wait_for_function(IDLE, arg=quiet_ms, timeout=30000)
    page.wait_for_timeout(100)


# Screen positions of what plotly hit-tests on a geo map besides shapes: every marker, and every vertex of
# every drawn line (plotly hovers and clicks a line at its data points, markers drawn or not). A line's
# vertices are read from its SVG path ("M x,y L x,y ..."), so they are exactly where plotly drew them.
HIT_POINTS = """(uid) => {
  const groups = Array.from(document.querySelectorAll('#map g.trace.scattergeo'))
      .filter(el => el.__data__ && el.__data__[0] && (uid === null || el.__data__[0].trace.uid === uid));
  const out = [];
  for (const g of groups) {
    for (const m of g.querySelectorAll('path.point')) {
      const r = m.getBoundingClientRect();
      if (r.width > 0) out.push([r.x + r.width / 2, r.y + r.height / 2]);
    }
    for (const line of g.querySelectorAll('path.js-line')) {
      const ctm = line.getScreenCTM(); const nums = (line.getAttribute('d') || '').match(/-?[0-9.]+(e-?[0-9]+)?/g);
      if (!ctm || !nums) continue;
      const p = line.ownerSVGElement.createSVGPoint();
      for (let i = 0; i + 1 < nums.length; i += 2) {
        p.x = +nums[i]; p.y = +nums[i + 1]; const s = p.matrixTransform(ctm); out.push([s.x, s.y]);
      }
    }
  }
  return out; }"""


def point_of(page: Page, uid: str, index: int = 0) -> tuple[float, float]:
    """Screen position of point ``index`` (a marker, else a line vertex) of the scattergeo trace ``uid``."""
    page.locator("#map").scroll_into_view_if_needed()
    points = page.evaluate(HIT_POINTS, uid)
    assert points, f"nothing drawn for {uid}"
    return tuple(points[min(index, len(points) - 1)])


# The drawn shape (a village or county polygon) of location ``loc``, as a JavaScript expression.
SHAPE = ("Array.from(document.querySelectorAll('#map .choroplethlocation'))"
         ".find(p => p.__data__ && p.__data__.loc === loc)")


def shape_point(page: Page, loc: str) -> tuple[float, float]:
    """The centre of the box around the drawn shape of location ``loc``."""
    x, y = page.evaluate("(loc) => { const r = (" + SHAPE + ").getBoundingClientRect();"
                         " return [r.x + r.width / 2, r.y + r.height / 2]; }", loc)
    return x, y


def village_point(page: Page, code: str) -> tuple[float, float]:
    """A point inside the drawn polygon of village ``code``, clear of any marker or line vertex drawn over
    it (plotly would report the nearer point). Found with the path's own fill test, since plotly
    hit-tests geo shapes itself."""
    page.evaluate("(loc) => { const el = " + SHAPE + ";"
                  " if (el) el.scrollIntoView({block: 'center', inline: 'center'}); }", code)
    xy = page.evaluate(
        """([loc, points]) => {
             const el = """ + SHAPE + """;
             if (!el) return null;
             const r = el.getBoundingClientRect();
             const inv = el.getScreenCTM().inverse();
             const pt = el.ownerSVGElement.createSVGPoint();
             let best = null, bestGap = -1;
             for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
               pt.x = r.x + r.width * i / 20; pt.y = r.y + r.height * j / 20;
               if (!el.isPointInFill(pt.matrixTransform(inv))) continue;
               const gap = Math.min(1e9, ...points.map(m => Math.hypot(m[0] - pt.x, m[1] - pt.y)));
               if (gap > bestGap) { bestGap = gap; best = [pt.x, pt.y]; }
             }
             return best; }""", [code, page.evaluate(HIT_POINTS, None)])
    assert xy, f"village {code} is not drawn where it can be clicked"
    return xy[0], xy[1]


def trace_prop(page: Page, uid: str, path: str):
    """A property of a trace as plotly currently holds it (e.g. 'line.width')."""
    return page.evaluate(
        """([uid, path, plot]) => { const gd = document.querySelector(plot);
             const t = gd.data.find(t => t.uid === uid); if (!t) return undefined;
             return path.split('.').reduce((o, k) => (o == null ? o : o[k]), t); }""", [uid, path, PLOT])


def layout_prop(page: Page, path: str):
    return page.evaluate(
        """([path, plot]) => { const gd = document.querySelector(plot);
             return path.split('.').reduce((o, k) => (o == null ? o : o[k]), gd.layout); }""", [path, PLOT])


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


def empty_point(page: Page) -> tuple[float, float]:
    """A point of the map with nothing drawn under it (no polygon, marker, legend or toolbar)."""
    xy = page.evaluate(
        """() => { const map = document.getElementById('map'); map.scrollIntoView({block: 'center'});
             const box = map.getBoundingClientRect();
             const paths = Array.from(map.querySelectorAll('.choroplethlocation'));
             const markers = Array.from(map.querySelectorAll('.scattergeo path.point, .scattergeo .js-line'))
                 .map(m => m.getBoundingClientRect()).filter(r => r.width > 0);
             const svg = map.querySelector('svg.main-svg'); const pt = svg.createSVGPoint();
             for (let j = 2; j < 19; j++) for (let i = 18; i > 1; i--) {
               const x = box.x + box.width * i / 20, y = box.y + box.height * j / 20;
               if (y > window.innerHeight - 5) continue;
               const hit = document.elementFromPoint(x, y);
               if (!hit || hit.closest('.legend, .modebar, .colorbar, .geo:not(:first-child)')) continue;
               pt.x = x; pt.y = y;
               if (paths.some(p => p.isPointInFill(pt.matrixTransform(p.getScreenCTM().inverse())))) continue;
               const near = r => x > r.left - 25 && x < r.right + 25 && y > r.top - 25 && y < r.bottom + 25;
               if (markers.some(near)) continue;
               return [x, y];
             }
             return null; }""")
    assert xy, "the map has no empty spot to click"
    return xy[0], xy[1]


def state_settles(page: Page, check, timeout_ms: int = 10000) -> dict:
    """The view state (from the URL) once ``check(state)`` holds, polling until ``timeout_ms``; the
    last state seen otherwise. The URL follows the store through a clientside callback that can run
    after the last request has finished, so a test waits for the state it expects rather than a guess."""
    waited = 0
    state = view_state(page)
    while not check(state) and waited < timeout_ms:
        page.wait_for_timeout(100)
        waited += 100
        state = view_state(page)
    return state
