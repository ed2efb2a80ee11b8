"""The charts in the browser: one selection, linked both ways.

(1) clicking a bar of the belt ranking selects that belt, and every chart follows;
(2) a selection written to the view-state store from elsewhere (here: ``dash_clientside.set_props``,
    as the map explorer does) moves every chart, including the year;
(3) a public screen never receives the cadre ratings.
"""

from __future__ import annotations

import json
import math

from playwright.sync_api import expect

from geodata.figures import key_figures, scope_villages
from tests.browser.conftest import guard_requests
from tests.browser.mapdriver import HIT_POINTS, click_at, open_page, state_settles, wait_idle

WAIT = 30000


def open_charts(page, url: str):
    page.goto(url + "/")
    page.wait_for_function(
        "() => { const g = document.querySelector('#charts-ranking .js-plotly-plot');"
        " return g && g.data && g.data.length > 0 && document.querySelector('#charts-ranking .scatterlayer .point'); }",
        timeout=WAIT)
    return page


def graph_js(graph_id: str) -> str:
    return f"document.getElementById('{graph_id}').querySelector('.js-plotly-plot')"


def key_figure_js(key: str) -> str:
    # Dash renders a dict ID as its JSON with sorted keys.
    dom_id = json.dumps({"key": key, "type": "key-figure-value"}, separators=(",", ":"))
    return f"document.getElementById({json.dumps(dom_id)})"


def radar_uids(page) -> list[str]:
    return page.evaluate(f"() => {graph_js('charts-radar')}.data.map(t => t.uid)")


def pillar_titles(page) -> dict[str, str]:
    return page.evaluate("""() => Object.fromEntries(['organisation','ecology','industry','talent','culture'].map(p => {
        const id = JSON.stringify({pillar: p, type: 'pillar-panel'});
        const gd = document.getElementById(id).querySelector('.js-plotly-plot');
        return [p, gd.layout.title.text]; }))""")


def wait_for_radar_scope(page, name: str) -> None:
    page.wait_for_function(
        f"name => {{ const d = {graph_js('charts-radar')}.data; return d.length === 2 && d[1].name === name; }}",
        arg=name, timeout=WAIT)


def test_clicking_a_ranking_bar_selects_that_belt(staff_page, live_server, dataset):
    page = staff_page
    open_charts(page, live_server.url)
    assert radar_uids(page) == ["county"]
    assert page.evaluate(f"() => {key_figure_js('villages')}.textContent") == "255个"
    belt = page.evaluate(f"() => {graph_js('charts-ranking')}.data[0].customdata[4]")
    name = dataset.belts().set_index("belt_id").name[belt]
    bar = page.locator("#charts-ranking .scatterlayer .point").nth(4)
    bar.evaluate("e => e.scrollIntoView({block: 'center'})")
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2)

    wait_for_radar_scope(page, name)
    n_villages = int(key_figures(dataset, scope_villages(dataset, "belt", belt), 2018)["villages"])
    page.wait_for_function(f"t => {key_figure_js('villages')}.textContent === t", arg=f"{n_villages}个", timeout=WAIT)
    assert page.locator("#charts-scope-title").inner_text() == f"{name} · 2018"
    ranking = page.evaluate(f"() => {{ const g = {graph_js('charts-ranking')}; "
                            "return {selected: g.layout.meta.selected, widths: g.data[0].marker.line.width}; }")
    assert ranking["selected"] == belt
    assert ranking["widths"][4] > 0 and sum(1 for w in ranking["widths"] if w > 0) == 1
    assert all("全县" in title for title in pillar_titles(page).values())  # scope against the county
    assert page.evaluate(f"() => {graph_js('charts-ratings')}.data[0].uid") == "ratings"


def test_a_selection_made_elsewhere_moves_every_chart(staff_page, live_server, dataset):
    page = staff_page
    open_charts(page, live_server.url)
    before = pillar_titles(page)
    ranking_before = page.evaluate(f"() => {graph_js('charts-ranking')}.data[0].x")
    state = {"belt": "B03", "year": 2015, "measure": "pillar:ecology", "lang": "zh", "township": None,
             "village": None, "layers": ["villages", "belts"]}
    page.evaluate("s => window.dash_clientside.set_props('view-state', {data: s})", state)

    name = dataset.belts().set_index("belt_id").name["B03"]
    wait_for_radar_scope(page, name)
    page.wait_for_function("t => document.getElementById('charts-scope-title').textContent === t",
                           arg=f"{name} · 2015", timeout=WAIT)
    expected = key_figures(dataset, scope_villages(dataset, "belt", "B03"), 2015)
    assert page.evaluate(f"() => {key_figure_js('villages')}.textContent") == f"{int(expected['villages'])}个"
    assert page.evaluate(f"() => {key_figure_js('forest_cover')}.textContent") == f"{expected['forest_cover']:.1f}%"
    ranking = page.evaluate(f"() => {{ const g = {graph_js('charts-ranking')}; "
                            "return {selected: g.layout.meta.selected, title: g.layout.title.text, x: g.data[0].x}; }")
    assert ranking["selected"] == "B03" and "生态" in ranking["title"] and "2015" in ranking["title"]
    assert ranking["x"] != ranking_before
    after = pillar_titles(page)
    assert all(after[p] != before[p] for p in after)
    # the year in view is marked on every pillar's history
    marks = page.evaluate("""() => ['organisation','ecology','industry','talent','culture'].map(p =>
        document.getElementById(JSON.stringify({pillar: p, type: 'pillar-panel'}))
          .querySelector('.js-plotly-plot').layout.shapes[0].x0)""")
    assert marks == [2015] * 5
    # staff see the ratings box; the ratings were made in 2018, so 2015 honestly shows none
    assert page.locator("#charts-ratings-container").is_visible()
    assert page.evaluate(f"() => {graph_js('charts-ratings')}.data.length") == 0


# Notes, from the page's start, when the map first has village areas and when the first chart is drawn.
DRAW_ORDER = """(() => { window.__kbDrawn = {}; const seen = () => {
  const now = performance.now();
  if (!window.__kbDrawn.map && document.querySelector('#map .choroplethlocation')) window.__kbDrawn.map = now;
  const radar = document.querySelector('#charts-radar .js-plotly-plot');
  if (!window.__kbDrawn.charts && radar && radar.querySelector('.scatterlayer, .polarlayer'))
    window.__kbDrawn.charts = now; };
  new MutationObserver(seen).observe(document, {childList: true, subtree: true}); })()"""


def test_the_charts_are_drawn_after_the_map_not_with_it(page, live_server):
    """Ten plots drawn at once took the main thread from the map's first drawing: they now come after it."""
    page.add_init_script(DRAW_ORDER)
    open_charts(page, live_server.url)
    drawn = page.evaluate("() => window.__kbDrawn")
    assert drawn["map"] < drawn["charts"], drawn
    # and they are drawn already filled: the ranking's first drawing lists every belt
    assert page.evaluate(f"() => {graph_js('charts-ranking')}.data[0].customdata.length") == 21


def test_public_screen_never_receives_ratings(browser, live_server):
    public_server = live_server  # the same server staff use: nobody logged in is public
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    pg = context.new_page()
    refused: list[str] = []
    guard_requests(pg, refused)
    # Keep the responses and read their bodies after the page settled: a body read inside the event handler
    # blocks Playwright's dispatch and made this test flaky.
    responses = []
    pg.on("response", lambda r: responses.append(r) if "_dash-update-component" in r.url else None)
    open_charts(pg, public_server.url)
    pg.evaluate("() => window.dash_clientside.set_props('view-state', {data: {belt: 'B05'}})")
    pg.wait_for_function(f"() => {graph_js('charts-radar')}.data.length === 2", timeout=WAIT)
    assert pg.locator("#charts-ratings-container").count() == 0 and pg.locator("#charts-ratings").count() == 0
    bodies = [r.text() for r in responses if r.status == 200]
    assert bodies and all("charts-ratings" not in body and "三色" not in body for body in bodies)
    context.close()
    assert refused == []


# the map's middle on screen (the explorer centres it: at 720 px high it is taller than the window)
MAP_IN_VIEW = ("() => { const r = document.getElementById('map').getBoundingClientRect();"
               " const mid = (r.top + r.bottom) / 2; return mid >= 0 && mid <= window.innerHeight; }")


def test_a_ranking_click_brings_the_map_into_view(staff_page, live_server):
    page = staff_page
    page.set_viewport_size({"width": 1280, "height": 720})
    open_charts(page, live_server.url)
    bar = page.locator("#charts-ranking .scatterlayer .point").nth(2)
    bar.evaluate("e => e.scrollIntoView({block: 'center'})")
    assert not page.evaluate(MAP_IN_VIEW), "the ranking must start out of the map's view for this test to mean much"
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2)
    page.wait_for_function(MAP_IN_VIEW, timeout=WAIT)


def _clear_route_point(page, belt: str) -> tuple[float, float]:
    """The vertex of ``belt``'s drawn route farthest from every drawn marker (a story star would take the click)."""
    page.locator("#map").scroll_into_view_if_needed()
    markers = page.evaluate("""() => Array.from(document.querySelectorAll('#map .scattergeolayer path.point'))
        .map(m => m.getBoundingClientRect()).filter(r => r.width > 0)
        .map(r => [r.x + r.width / 2, r.y + r.height / 2])""")
    route = page.evaluate(HIT_POINTS, f"belt-{belt}")
    return max(route, key=lambda p: min((math.dist(p, m) for m in markers), default=0.0))


def test_a_ranking_click_brings_the_map_into_view_with_a_map_clicks_breadcrumb(staff_page, live_server):
    page = staff_page
    page.set_viewport_size({"width": 1280, "height": 640})  # a laptop: the ranking and the map do not fit together
    open_charts(page, live_server.url)
    belt = "B05"  # a long route: at county view every vertex of a short one can be nearer a story's star
    at = page.evaluate(f"b => {graph_js('charts-ranking')}.data[0].customdata.indexOf(b)", belt)
    bar = page.locator("#charts-ranking .scatterlayer .point").nth(at)
    bar.evaluate("e => e.scrollIntoView({block: 'center'})")  # (the key figures' bar stays on top of the page)
    expect(page.locator("#map")).not_to_be_in_viewport(ratio=0.5)  # the charts are below: the map mostly scrolled away
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2)

    expect(page.locator("#map")).to_be_in_viewport(ratio=0.8)
    assert state_settles(page, lambda st: st.get("belt") == belt).get("belt") == belt
    wait_idle(page)
    from_ranking = page.locator("#breadcrumb").inner_text()

    open_page(page, live_server.url + "/")  # the same belt clicked on the map instead, clear of any marker
    click_at(page, *_clear_route_point(page, belt))
    assert state_settles(page, lambda st: st.get("belt") == belt).get("belt") == belt
    wait_idle(page)
    expect(page.locator("#breadcrumb")).to_have_text(from_ranking)
