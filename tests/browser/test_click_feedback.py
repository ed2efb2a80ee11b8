"""A click on a belt shows at once: the route is drawn emphasised before the server has answered, and the
server's patch then leaves the styles the figure says (nothing stale from the page's own drawing)."""

from __future__ import annotations

from benchmarks.browser import BELT_WIDTH, DEFAULT_WIDTH, SELECTED_WIDTH
from dashboard.figures.map_style import belt_emphasis
from tests.browser.mapdriver import click_at, open_page, point_of, state_settles, trace_prop, wait_idle

OTHER_WIDTH = belt_emphasis(["a", "b"], "a")[1][0]


def drawn_width(page, uid: str):
    return page.evaluate(f"(uid) => ({BELT_WIDTH})(uid)", uid)


def is_callback(url: str) -> bool:
    return "/_dash-update-component" in url  # Dash adds a query string (?endId=...)


def hold_callbacks(page) -> list:
    """Hold every Dash callback request (the server "is slow") until the returned list's routes are resumed."""
    held = []
    page.route(is_callback, lambda route: held.append(route))
    return held


def release(page, held: list) -> None:
    """Let the held requests (and every later one) through."""
    page.unroute(is_callback)
    for route in held:
        route.continue_()
    wait_idle(page)


def test_belt_click_on_the_map_is_drawn_before_the_server_answers(page, live_server):
    open_page(page, live_server.url + "/")
    assert drawn_width(page, "belt-B05") == DEFAULT_WIDTH
    held = hold_callbacks(page)
    click_at(page, *point_of(page, "belt-B05", 3))
    page.wait_for_function(f"(w) => ({BELT_WIDTH})('belt-B05') === w", arg=SELECTED_WIDTH, timeout=5000)
    # the route is drawn on the press; dash-renderer sends the click's callback a moment later (held here, so
    # it stays unanswered): wait for it to be sent, then check the drawing came first and still stands
    page.wait_for_function("() => window.__kbInflight > 0", timeout=5000)
    assert drawn_width(page, "belt-B05") == SELECTED_WIDTH
    assert drawn_width(page, "belt-B01") == OTHER_WIDTH
    assert trace_prop(page, "belt-B05", "line.width") == DEFAULT_WIDTH  # the figure itself is not touched yet
    release(page, held)
    assert state_settles(page, lambda st: st.get("belt") == "B05").get("belt") == "B05"
    assert trace_prop(page, "belt-B05", "line.width") == SELECTED_WIDTH
    assert drawn_width(page, "belt-B05") == SELECTED_WIDTH


def test_belt_list_click_is_drawn_at_once_and_esc_restores_every_route(page, live_server):
    open_page(page, live_server.url + "/")
    held = hold_callbacks(page)
    page.locator("[id='{\"belt\":\"B07\",\"type\":\"belt-item\"}']").click()
    page.wait_for_function(f"(w) => ({BELT_WIDTH})('belt-B07') === w", arg=SELECTED_WIDTH, timeout=5000)
    release(page, held)
    assert state_settles(page, lambda st: st.get("belt") == "B07").get("belt") == "B07"
    page.keyboard.press("Escape")
    wait_idle(page)
    # the server's patch for the county view redraws every route plainly, the page's own styling gone
    page.wait_for_function(f"(w) => ({BELT_WIDTH})('belt-B07') === w", arg=DEFAULT_WIDTH, timeout=10000)
    assert drawn_width(page, "belt-B01") == DEFAULT_WIDTH
    assert page.evaluate("""() => Array.from(document.querySelectorAll('#map g.trace.scattergeo'))
        .filter(g => g.__data__ && String(g.__data__[0].trace.uid).startsWith('belt-'))
        .every(g => getComputedStyle(g).opacity === '1')""")
