"""Browser side, in Debian's headless Chromium through Playwright: bytes of the first page load, the first
full map render (warm) and click-to-redrawn-selection.

The page may fetch only from 127.0.0.1 (the browser-test guard refuses anything else and the run fails if it
tried). Times are taken inside the page (``performance.now()``, whose origin is the navigation start), so the
Playwright round trips are not in them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass
class BrowserResult:
    first_load_bytes: int = 0  # encoded (gzip) bodies of every response of a cold first load
    first_load_raw: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    largest: list[tuple[str, int]] = field(default_factory=list)
    render_ms: list[float] = field(default_factory=list)  # navigation start -> all villages drawn, warm
    click_ms: list[float] = field(default_factory=list)  # press on a belt marker -> its line redrawn wider
    naive_react_ms: list[float] = field(default_factory=list)  # Plotly.react of the whole naive figure
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


def _clicks(page, belt_uid: str, repeats: int, result: BrowserResult) -> None:
    page.evaluate(PRESS)
    for _ in range(repeats):
        x, y = point_of(page, belt_uid, 1)
        page.mouse.click(x, y)
        result.click_ms.append(page.evaluate(REDRAWN, [belt_uid, SELECTED_WIDTH]))
        wait_idle(page, 200)
        page.keyboard.press("Escape")  # back to the county view for the next click
        page.wait_for_function(f"([uid, width]) => ({BELT_WIDTH})(uid) === width", arg=[belt_uid, DEFAULT_WIDTH],
                               timeout=10000)
        wait_idle(page, 200)


def _naive_react(page, naive_json: str, repeats: int, result: BrowserResult) -> None:
    """What the naive callback costs the browser: plotly redraws the whole figure it was sent."""
    for _ in range(repeats):
        result.naive_react_ms.append(page.evaluate(
            """async ([text, sel]) => { const fig = JSON.parse(text); const gd = document.querySelector(sel);
                 const t0 = performance.now(); await Plotly.react(gd, fig.data, fig.layout);
                 await new Promise(r => requestAnimationFrame(r)); return performance.now() - t0; }""",
            [naive_json, PLOT]))


def measure(url: str, villages: int, belt_uid: str, naive_figure_json: str | None, repeats: int) -> BrowserResult:
    """Every browser figure against the app at ``url`` (a loopback URL)."""
    from playwright.sync_api import sync_playwright

    result = BrowserResult()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            _cold_load(browser, url, villages, result)
            context, page = new_page(browser, result.refused)
            _warm_renders(page, url, villages, repeats, result)
            _clicks(page, belt_uid, repeats, result)
            if naive_figure_json:
                _naive_react(page, naive_figure_json, max(2, repeats // 2), result)
            context.close()
        finally:
            browser.close()
    return result
