"""The map reads without hover: it fills its panel, names what it draws, and every story marker opens its story."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import new_page
from tests.browser.mapdriver import PLOT, click_at, open_page, point_of, state_settles, wait_idle

CJK = re.compile(r"[\u3400-\u9fff]")

# Boxes of the text plotly drew for the map's labels (belt, township, village and story titles).
LABEL_BOXES = """() => Array.from(document.querySelectorAll('#map g.trace.scattergeo'))
  .filter(g => g.__data__ && g.__data__[0] && /^(labels-|township-labels)/.test(g.__data__[0].trace.uid))
  .flatMap(g => Array.from(g.querySelectorAll('text')))
  .map(t => { const r = t.getBoundingClientRect(); return [t.textContent, r.left, r.top, r.right, r.bottom]; })
  .filter(b => b[3] > b[1])"""


def overlapping(boxes: list) -> list:
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a[1] < b[3] - 1 and b[1] < a[3] - 1 and a[2] < b[4] - 1 and b[2] < a[4] - 1:
                out.append((a[0], b[0]))
    return out


def test_a_zoomed_belt_fills_the_panel_centred(page, live_server):
    open_page(page, live_server.url + "/?belt=B05")
    geo, graph, belt = page.evaluate("""(plot) => { const gd = document.querySelector(plot);
        const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
        const bg = gd.querySelector('.geo .bg rect') || gd.querySelector('.geo rect');
        const line = Array.from(gd.querySelectorAll('g.trace.scattergeo'))
            .find(g => g.__data__ && g.__data__[0].trace.uid === 'belt-B05').querySelector('path.js-line');
        return [box(bg), box(gd.querySelector('.main-svg')), box(line)]; }""", PLOT)
    for g, p in zip(geo, graph):
        assert abs(g - p) <= 2, (geo, graph)  # the geo subplot is the whole graph, no blank strip beside it
    cx, cy = (belt[0] + belt[2]) / 2, (belt[1] + belt[3]) / 2
    gx, gy = (graph[0] + graph[2]) / 2, (graph[1] + graph[3]) / 2
    # the belt's villages are framed, so the route itself sits near the middle, well inside the panel
    assert abs(cx - gx) < 0.15 * (graph[2] - graph[0]) and abs(cy - gy) < 0.15 * (graph[3] - graph[1])
    assert belt[0] > graph[0] and belt[2] < graph[2] and belt[1] > graph[1] and belt[3] < graph[3]


def test_every_story_marker_opens_its_story(page, live_server):
    open_page(page, live_server.url + "/")
    stories = page.evaluate("(plot) => document.querySelector(plot).data.find(t => t.uid === 'stories').customdata",
                            PLOT)
    assert len(stories) == 12
    for i, custom in enumerate(stories):
        click_at(page, *point_of(page, "stories", i))
        wait_idle(page)
        story = custom.split(":", 1)[1]
        assert state_settles(page, lambda st, s=story: st.get("story") == s).get("story") == story, custom
        assert page.locator(f"#detail-panel [data-story='{story}']").count() == 1
        page.keyboard.press("Escape")
        wait_idle(page)
        state_settles(page, lambda st: "story" not in st)


def test_stories_at_one_place_are_told_apart(page, live_server):
    open_page(page, live_server.url + "/")
    points = [point_of(page, "stories", i) for i in range(12)]
    for i, a in enumerate(points):
        for b in points[i + 1:]:
            assert abs(a[0] - b[0]) + abs(a[1] - b[1]) > 8, (a, b)


def test_hovering_a_village_under_a_stream_names_the_village(page, live_server, dataset):
    # belts off: their routes now thread the villages and would take the hover from both (a test of its own)
    open_page(page, live_server.url + "/?township=330824106&layers=villages,townships,county,rivers")
    # a vertex of a village stream that lies inside a village polygon: the stream used to win the hover
    hit = page.evaluate("""() => {
        const g = Array.from(document.querySelectorAll('#map g.trace.scattergeo'))
            .find(g => g.__data__ && g.__data__[0].trace.uid === 'rivers-streams');
        const shapes = Array.from(document.querySelectorAll('#map .choroplethlocation'));
        const map = document.getElementById('map').getBoundingClientRect();
        for (const line of g.querySelectorAll('path.js-line')) {
          const ctm = line.getScreenCTM(); const nums = (line.getAttribute('d') || '').match(/-?[0-9.]+/g) || [];
          const p = line.ownerSVGElement.createSVGPoint();
          for (let i = 0; i + 1 < nums.length; i += 2) {
            p.x = +nums[i]; p.y = +nums[i + 1]; const s = p.matrixTransform(ctm);
            if (s.x < map.left + 250 || s.x > map.right - 80 || s.y < map.top + 40 || s.y > map.bottom - 40) continue;
            const q = line.ownerSVGElement.createSVGPoint(); q.x = s.x; q.y = s.y;
            const el = shapes.find(sh => sh.isPointInFill(q.matrixTransform(sh.getScreenCTM().inverse())));
            if (el && el.__data__ && el.__data__.loc) return [s.x, s.y, el.__data__.loc];
          }
        }
        return null; }""")
    assert hit, "no stream vertex inside a village"
    x, y, code = hit
    page.mouse.move(x - 4, y - 4)
    page.mouse.move(x, y, steps=3)
    label = page.locator("#map .hoverlayer .hovertext")
    label.first.wait_for(timeout=5000)
    villages = dataset.villages()
    near = villages[villages.geometry.intersects(villages.set_index("code").geometry[code].buffer(0.002))]
    text = label.first.text_content()
    # a village is named (the one under the pointer or, at its border, its neighbour), never the stream
    assert any(name in text for name in near.name), (text, code)


def test_the_legend_names_the_belts_and_the_measure_its_unit_and_year(page, live_server, dataset):
    open_page(page, live_server.url + "/?measure=indicator:forest_cover&year=2017")
    legend = page.locator("#map-legend").text_content()
    for name in dataset.belts().name:
        assert name in legend
    bar = page.locator("#map .colorbar").text_content()
    assert "森林覆盖率" in bar and "%" in bar and "2017" in bar


@pytest.mark.parametrize("query", ["/", "/?belt=B05", "/?township=330824106", "/?belt=B02&lang=en"])
def test_labels_never_overlap(page, live_server, query):
    open_page(page, live_server.url + query)
    boxes = page.evaluate(LABEL_BOXES)
    assert len(boxes) >= 10
    assert overlapping(boxes) == []


LEGEND_BOX = """() => { const r = document.querySelector('#map-legend').getBoundingClientRect();
  return ['legend', r.left, r.top, r.right, r.bottom]; }"""


@pytest.mark.parametrize("query", ["/", "/?belt=B03", "/?township=330824106&lang=en"])
def test_no_label_lies_under_the_legend(page, live_server, query):
    open_page(page, live_server.url + query)
    legend = page.evaluate(LEGEND_BOX)
    assert legend[3] - legend[1] > 100 and legend[4] - legend[2] > 300  # the legend is there, 21 belts long
    boxes = page.evaluate(LABEL_BOXES)
    assert len(boxes) >= 10
    assert [pair for pair in overlapping([legend, *boxes]) if "legend" in pair] == []


INSET_BOX = """() => { const b = document.querySelector('#map .geolayer > g.geo2').getBoundingClientRect();
  return ['inset', b.left, b.top, b.right, b.bottom]; }"""


def test_the_legend_stops_above_the_inset_when_every_layer_is_on(page, live_server):
    open_page(page, live_server.url + "/?lang=en&layers=villages,county,belts,rivers,ponds,advisers,sites,stories")
    legend, inset = page.evaluate(LEGEND_BOX), page.evaluate(INSET_BOX)
    assert inset[4] - inset[2] > 100 and inset[3] - inset[1] > 100  # East China is drawn
    assert legend[4] <= inset[2] + 1, (legend, inset)  # the legend ends above it (and scrolls)
    assert page.evaluate("() => document.querySelector('#map-legend').scrollHeight") > legend[4] - legend[2]


def test_labels_never_overlap_at_4k(browser, live_server, external_requests):
    context, pg = new_page(browser, external_requests, viewport={"width": 3840, "height": 2160})
    try:
        open_page(pg, live_server.url + "/?belt=B05")
        boxes = pg.evaluate(LABEL_BOXES)
        assert len(boxes) >= 10 and overlapping(boxes) == []
    finally:
        context.close()


def test_a_story_link_frames_and_highlights_its_place(page, live_server, dataset):
    open_page(page, live_server.url + "/?story=S01")
    state = state_settles(page, lambda st: st.get("village") == "330824218224")
    assert state.get("village") == "330824218224" and state.get("belt") == "B02"
    assert page.locator("#detail-panel [data-story='S01']").count() == 1
    lon = page.evaluate("(plot) => document.querySelector(plot).layout.geo.lonaxis.range", PLOT)
    assert lon[1] - lon[0] < 0.5  # zoomed in, not the county
    assert "红高粱小镇" in [b[0] for b in page.evaluate(LABEL_BOXES)]  # its title is on the map


def test_english_mode_writes_no_chinese(page, live_server):
    open_page(page, live_server.url + "/?lang=en&belt=B05")
    wait_idle(page)
    for where in ("#header h1", "#key-figures", "#breadcrumb", "#detail-panel", "#map-legend", "#charts-section"):
        text = page.locator(where).first.text_content()
        found = [w for w in CJK.findall(text)]
        assert not found, f"{where}: {''.join(found)[:80]}"
    boxes = page.evaluate(LABEL_BOXES)
    assert boxes and not [b[0] for b in boxes if CJK.search(b[0])]
