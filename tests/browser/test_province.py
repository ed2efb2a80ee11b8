"""Province-scale data in the browser: counties first, a county's villages only after drilling in, and every
move between counties made in the same page (no reload)."""

from __future__ import annotations

import pytest

from dashboard.app import create_app
from dashboard.config import Settings
from geodata.build.generate import write_gpkg
from geodata.build.province import build_province
from tests.browser.conftest import LiveServer
from tests.browser.mapdriver import click_at, open_page, shape_point, view_state, wait_idle


@pytest.fixture(scope="module")
def province(tmp_path_factory, dataset):
    """(live server, village codes by county) of a 4-county province."""
    path = tmp_path_factory.mktemp("province") / "province.gpkg"
    layers = build_province(dataset, 4)
    write_gpkg(layers, path)
    codes = layers["villages"].code
    by_county = {c: sorted(codes[codes.str.startswith(c)]) for c in layers["county"].code}
    with LiveServer(create_app(Settings(data_path=path))) as server:
        yield server, by_county


SHAPES = "Array.from(document.querySelectorAll('.choroplethlocation')).filter(p => p.__data__.loc !== '-').length"


def shapes(page) -> int:
    """Drawn county and village shapes (the overview's stand-in for "no villages" is not one)."""
    return page.evaluate(f"() => {SHAPES}")


# What the map's SVG draws as villages: every village path anywhere in the plot (whatever trace group holds it),
# its location, whether it has an outline, and whether its centre lies inside the drawn county outline's box.
DRAWN_VILLAGES = """() => {
  const uid = g => g.__data__ && g.__data__[0] && g.__data__[0].trace.uid;
  const outline = Array.from(document.querySelectorAll('#map g.trace.scattergeo')).find(g => uid(g) === 'county');
  const line = outline && outline.querySelector('path.js-line');
  const box = line ? line.getBoundingClientRect() : null;
  return Array.from(document.querySelectorAll('#map path.choroplethlocation'))
    .filter(p => !p.closest('g.trace') || uid(p.closest('g.trace')) !== 'counties')
    .map(p => { const r = p.getBoundingClientRect(), x = r.x + r.width / 2, y = r.y + r.height / 2;
      return {loc: String(p.__data__ && p.__data__.loc), drawn: !!p.getAttribute('d'),
              inside: !!box && x >= box.left - 1 && x <= box.right + 1 && y >= box.top - 1 && y <= box.bottom + 1}; })
    .filter(v => v.loc !== '-'); }"""

SAME_PAGE = "() => window.__kbSamePage"
IN_COUNTY = "(c) => new URLSearchParams(location.search).get('county') === c"
IN_PROVINCE = "() => !new URLSearchParams(location.search).get('county')"


def drill_into(page, county: str, drawn: int) -> None:
    click_at(page, *shape_point(page, county))
    page.wait_for_function(IN_COUNTY, arg=county, timeout=20000)
    page.wait_for_function(f"(n) => {SHAPES} === n", arg=drawn, timeout=20000)
    wait_idle(page)


def leave_county(page, counties: int) -> None:
    page.locator("#breadcrumb button", has_text="全省").click()
    page.wait_for_function(IN_PROVINCE, timeout=20000)
    page.wait_for_function(f"(n) => {SHAPES} === n", arg=counties, timeout=20000)
    wait_idle(page)


def test_drill_from_counties_into_one_county(page, province):
    server, by_county = province
    open_page(page, server.url + "/")
    assert shapes(page) == 4  # aggregated: one shape per county
    drill_into(page, "338803", 4 + len(by_county["338803"]))
    assert view_state(page) == {"county": "338803"}
    assert "示例县03" in page.locator("#breadcrumb").inner_text()
    page.locator("#detail-panel li.kb-belt-item").first.click()  # a belt of the county
    page.wait_for_function("() => new URLSearchParams(location.search).get('belt')", timeout=20000)
    page.keyboard.press("Escape")  # "返回全县": back to the whole county, which stays drilled into
    page.wait_for_function("() => !new URLSearchParams(location.search).get('belt')", timeout=20000)
    wait_idle(page)
    assert view_state(page) == {"county": "338803"}
    leave_county(page, 4)
    assert view_state(page) == {}
    page.go_back()  # back into the county, restored from the address
    page.wait_for_function(f"() => {SHAPES} === 4 + 266", timeout=30000)
    assert view_state(page) == {"county": "338803"}


def test_leaving_a_county_keeps_the_page_and_draws_only_the_next_county(page, province):
    server, by_county = province
    a, b = "338801", "338802"
    open_page(page, server.url + "/")
    loads = []  # documents loaded after the first (pushState's same-document navigations load none)
    page.on("load", lambda pg: loads.append(pg.url))
    page.evaluate("() => { window.__kbSamePage = 'still here'; }")  # a page load would drop it
    drill_into(page, a, 4 + len(by_county[a]))
    assert sorted(v["loc"] for v in page.evaluate(DRAWN_VILLAGES)) == by_county[a]
    leave_county(page, 4)
    assert page.evaluate(SAME_PAGE) == "still here"
    assert page.evaluate(DRAWN_VILLAGES) == []
    drill_into(page, b, 4 + len(by_county[b]))
    drawn = page.evaluate(DRAWN_VILLAGES)
    assert sorted(v["loc"] for v in drawn) == by_county[b]  # exactly B's villages, none of A's left behind
    assert all(v["drawn"] and v["inside"] for v in drawn)  # each outlined, inside B's drawn outline
    page.go_back()
    page.go_back()  # history: province, then A again, still in this page
    page.wait_for_function(IN_COUNTY, arg=a, timeout=20000)
    page.wait_for_function("(codes) => { const f = " + DRAWN_VILLAGES + "; const locs = f().map(v => v.loc).sort();"
                           " return JSON.stringify(locs) === JSON.stringify(codes); }", arg=by_county[a], timeout=20000)
    assert page.evaluate(SAME_PAGE) == "still here"
    assert loads == []
