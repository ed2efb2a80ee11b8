"""Browser side, in Debian's headless Chromium through Playwright: bytes of the first page load, the first
full map render (warm) and click-to-redrawn-selection, on the map and in the belt list, beside the naive app
(:mod:`benchmarks.naive_app`) clicked in the same browser, click for click in turn.

Two times per click: *highlighted* (the belt's route is drawn wider in the SVG: what the eye sees first) and
*framed* (plotly has drawn a figure whose data has the belt selected: the server's patch, with the map framed
on the belt, its villages dimmed and labelled; ``plotly_afterplot``). For the naive app both are its one
whole-figure redraw.

The page may fetch only from 127.0.0.1 (the browser-test guard refuses anything else and the run fails if it
tried). Times are taken inside the page (``performance.now()``, whose origin is the navigation start), so the
Playwright round trips are not in them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from dashboard import ids
from dashboard.figures.map_style import belt_emphasis
from tests.browser.conftest import CHROMIUM_ARGS, chromium_path, new_page
from tests.browser.mapdriver import PLOT, point_of, wait_idle

# Resolves with performance.now() once every village polygon is drawn (checked each animation frame).
DRAWN = """(n) => new Promise(resolve => { const tick = () =>
    document.querySelectorAll('#map .choroplethlocation').length >= n ? resolve(performance.now())
    : requestAnimationFrame(tick); tick(); })"""
# The drawn stroke width of a belt's route, read from the SVG plotly produced.
BELT_WIDTH = """(uid) => { const g = Array.from(document.querySelectorAll('#map g.trace.scattergeo'))
    .find(el => el.__data__ && el.__data__[0] && el.__data__[0].trace.uid === uid);
    const line = g && g.querySelector('path.js-line'); return line ? parseFloat(line.style.strokeWidth) : null; }"""
# The widths the app's map style gives a belt's route when it is selected and when nothing is.
SELECTED_WIDTH = belt_emphasis(["belt"], "belt")[0][0]
DEFAULT_WIDTH = belt_emphasis(["belt"], None)[0][0]
# Resolves with ms from the last pointer press until the belt's drawn width is ``width``.
REDRAWN = ("([uid, width]) => new Promise(resolve => { const read = " + BELT_WIDTH + """; const tick = () =>
    read(uid) === width ? resolve(performance.now() - window.__kbPress) : requestAnimationFrame(tick); tick(); })""")
PRESS = "window.addEventListener('mousedown', () => { window.__kbPress = performance.now(); }, true)"
# Before a click: resolve window.__kbFramed (ms from the press) once plotly has drawn the belt selected in its data.
ARM_FRAMED = """([uid, width, plot]) => { window.__kbFramed = null; const gd = document.querySelector(plot);
  if (!gd.__kbFramedHook) { gd.__kbFramedHook = true; gd.on('plotly_afterplot', () => {
    const w = window.__kbWant; if (!w || window.__kbFramed !== null) return;
    const t = gd.data.find(t => t.uid === w[0]);
    if (t && t.line && t.line.width === w[1]) window.__kbFramed = performance.now() - window.__kbPress; }); }
  window.__kbWant = [uid, width]; }"""
FRAMED = "() => window.__kbFramed !== null"
# The belt list's entry of a belt (Dash writes a dict ID as JSON with sorted keys).
LIST_ITEM = """(belt) => { const el = document.getElementById(JSON.stringify({belt: belt, type: 'belt-item'}));
  if (!el) return null; el.scrollIntoView({block: 'center'}); const r = el.getBoundingClientRect();
  return [r.x + Math.min(40, r.width / 2), r.y + r.height / 2]; }"""


@dataclass
class BrowserResult:
    first_load_bytes: int = 0  # encoded (gzip) bodies of every response of a cold first load
    first_load_raw: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    largest: list[tuple[str, int]] = field(default_factory=list)
    render_ms: list[float] = field(default_factory=list)  # navigation start -> all villages drawn, warm
    click_ms: list[float] = field(default_factory=list)  # press on a belt's route -> its line drawn wider
    framed_ms: list[float] = field(default_factory=list)  # press -> plotly drew the server's patch (framed)
    list_ms: list[float] = field(default_factory=list)  # press on the belt in the list -> its line drawn wider
    list_framed_ms: list[float] = field(default_factory=list)
    naive_click_ms: list[float] = field(default_factory=list)  # the naive app: press -> its line drawn wider
    naive_framed_ms: list[float] = field(default_factory=list)
    map_size: tuple[int, int] = (0, 0)  # the explorer's map panel, px (the naive app draws its map this size)
    refused: list[str] = field(default_factory=list)


def _cold_load(browser, url: str, villages: int, result: BrowserResult) -> None:
    # Ask for gzip only, as the target is stated in gzip bytes (Chromium would otherwise take zstd or br).
    context, page = new_page(browser, result.refused, extra_http_headers={"Accept-Encoding": "gzip"})
    responses = []
    page.on("requestfinished", lambda req: responses.append(req))
    page.goto(url)
    page.evaluate(DRAWN, villages)
    wait_idle(page)
    for req in responses:
        sizes = req.sizes()
        resp = req.response()
        encoded = sizes["responseBodySize"]
        raw = len(resp.body()) if resp and resp.status == 200 else 0
        result.first_load_bytes += encoded
        result.first_load_raw += raw
        kind = req.resource_type
        result.by_type[kind] = result.by_type.get(kind, 0) + encoded
        result.largest.append((req.url.replace(url, "/").split("?")[0], encoded))
    result.largest.sort(key=lambda x: -x[1])
    context.close()


def _warm_renders(page, url: str, villages: int, repeats: int, result: BrowserResult) -> None:
    page.goto(url)
    page.evaluate(DRAWN, villages)
    wait_idle(page)
    for _ in range(repeats):
        page.goto(url)  # the browser cache is warm: scripts and geometry come from it
        result.render_ms.append(page.evaluate(DRAWN, villages))
        wait_idle(page)


def _timed_press(page, xy, belt_uid: str, highlight: list[float], framed: list[float]) -> None:
    """Press at ``xy`` and record press -> belt drawn wider, and press -> plotly drew it selected."""
    page.evaluate(ARM_FRAMED, [belt_uid, SELECTED_WIDTH, PLOT])
    page.mouse.click(*xy)
    highlight.append(page.evaluate(REDRAWN, [belt_uid, SELECTED_WIDTH]))
    page.wait_for_function(FRAMED, timeout=20000)
    framed.append(page.evaluate("() => window.__kbFramed"))


def _back_to_county(page, belt_uid: str, reset) -> None:
    wait_idle(page, 200)
    reset(page)
    page.wait_for_function(f"([uid, width]) => ({BELT_WIDTH})(uid) === width", arg=[belt_uid, DEFAULT_WIDTH],
                           timeout=20000)
    wait_idle(page, 200)


def _escape(page) -> None:
    page.keyboard.press("Escape")  # the explorer: back to the county view


def _county_crumb(page) -> None:
    # province data: Esc (and a click on nothing) clears the county too, so the drilled page goes back to the
    # county view through its breadcrumb step, as a person does
    page.locator("#breadcrumb [id='" + json.dumps(ids.crumb("county"), sort_keys=True, separators=(",", ":"))
                 + "']").click()


def _naive_reset(page) -> None:
    # the naive app's one callback shows the whole county for a click on nothing it knows
    page.evaluate("() => window.dash_clientside.set_props('map', {clickData: {points: [{customdata: 'none'}]}})")


def _click_app(page, belt_uid: str, result: BrowserResult, in_list: bool, reset=_escape) -> None:
    page.bring_to_front()
    if in_list:
        xy = page.evaluate(LIST_ITEM, belt_uid.removeprefix("belt-"))
        _timed_press(page, xy, belt_uid, result.list_ms, result.list_framed_ms)
    else:
        page.locator("#map").scroll_into_view_if_needed()
        _timed_press(page, point_of(page, belt_uid, 1), belt_uid, result.click_ms, result.framed_ms)
    _back_to_county(page, belt_uid, reset)


def _click_naive(page, belt_uid: str, result: BrowserResult) -> None:
    page.bring_to_front()
    _timed_press(page, point_of(page, belt_uid, 1), belt_uid, result.naive_click_ms, result.naive_framed_ms)
    _back_to_county(page, belt_uid, _naive_reset)


MAP_SIZE = "() => { const r = document.getElementById('map').getBoundingClientRect(); " \
    "return [Math.round(r.width), Math.round(r.height)]; }"


def measure(url: str, villages: int, belt_uid: str, naive_server, repeats: int) -> BrowserResult:
    """Every browser figure against the app at ``url`` (a loopback URL). ``naive_server(size)`` (or None) is a
    context manager that serves the naive app with a map of ``size`` px and gives its URL."""
    from playwright.sync_api import sync_playwright

    result = BrowserResult()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            _cold_load(browser, url, villages, result)
            context, page = new_page(browser, result.refused)
            _warm_renders(page, url, villages, repeats, result)
            page.evaluate(PRESS)
            result.map_size = tuple(page.evaluate(MAP_SIZE))
            if naive_server is None:  # province data, drilled into a county
                for _ in range(repeats):
                    _click_app(page, belt_uid, result, in_list=False, reset=_county_crumb)
                    _click_app(page, belt_uid, result, in_list=True, reset=_county_crumb)
            else:
                with naive_server(result.map_size) as naive_url:
                    naive_context, naive = new_page(browser, result.refused)
                    for _ in range(2):  # warm: its scripts in the cache, its server's figure caches filled
                        naive.goto(naive_url)
                        naive.evaluate(DRAWN, villages)
                        wait_idle(naive)
                    naive.evaluate(PRESS)
                    _click_naive(naive, belt_uid, BrowserResult())  # one untimed round
                    for _ in range(repeats):  # in turn, so that the machine's load falls on both alike
                        _click_app(page, belt_uid, result, in_list=False)
                        _click_naive(naive, belt_uid, result)
                        _click_app(page, belt_uid, result, in_list=True)
                    naive_context.close()
            context.close()
        finally:
            browser.close()
    return result
