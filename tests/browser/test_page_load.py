"""Opening the page: the whole map draws, offline, in Chinese, with the illustrative note."""

from __future__ import annotations

from tests.browser.conftest import guard_requests
from tests.browser.mapdriver import open_page


def test_map_draws_every_village_and_belt_offline(page, live_server, dataset):
    open_page(page, live_server.url + "/")
    assert page.locator(".choroplethlocation").count() == len(dataset.villages())
    traces = page.evaluate(
        "() => document.getElementById('map').querySelector('.js-plotly-plot').data"
        ".map(t => t.uid)")
    belt_uids = sorted(u for u in traces if u and u.startswith("belt-"))
    assert belt_uids == sorted(f"belt-{b}" for b in dataset.belts().belt_id)
    # each belt route is drawn as an SVG path with geometry
    drawn = page.evaluate(
        "() => Array.from(document.querySelectorAll('.scattergeo .js-line'))"
        ".filter(p => (p.getAttribute('d') || '').length > 20).length")
    assert drawn >= len(dataset.belts())


def test_chinese_labels_and_synthetic_note_render(page, live_server):
    open_page(page, live_server.url + "/")
    note = page.locator("#synthetic-note")
    assert note.is_visible()
    assert "示意" in note.inner_text()
    labels = page.evaluate(
        "() => Array.from(document.querySelectorAll('.scattergeo text')).map(t => t.textContent)")
    assert "华埠镇" in labels and "大溪边乡" in labels
    # a CJK font really draws the glyphs: missing glyphs all render as the same box ("tofu")
    distinct = page.evaluate(
        """() => { const draw = ch => { const c = document.createElement('canvas'); c.width = c.height = 40;
             const g = c.getContext('2d'); g.font = '32px ' + getComputedStyle(document.body).fontFamily;
             g.fillText(ch, 2, 34); return c.toDataURL(); };
           return draw('华') !== draw('埠') && draw('埠') !== draw('镇'); }""")
    assert distinct


def test_external_request_guard_catches_requests(browser):
    """The guard the other tests rely on really sees a request to another host."""
    context = browser.new_context()
    pg = context.new_page()
    seen: list[str] = []
    guard_requests(pg, seen)
    pg.set_content('<img src="http://example.invalid/tile.png">')
    pg.wait_for_timeout(300)
    context.close()
    assert seen == ["http://example.invalid/tile.png"]


def test_geojson_is_cacheable_and_versioned(page, live_server, dataset):
    response = page.request.get(f"{live_server.url}/geo/{dataset.version}/villages.geojson")
    assert response.ok
    assert "immutable" in response.headers["cache-control"]
    assert len(response.json()["features"]) == len(dataset.villages())
    assert page.request.get(f"{live_server.url}/geo/stale/villages.geojson").status == 404
    assert page.request.get(f"{live_server.url}/geo/{dataset.version}/cadres.geojson").status == 404


def test_map_snapshot_exports_to_png_in_the_browser(page, live_server):
    """The modebar's "download PNG" path (Plotly.toImage) works on the full map, offline."""
    open_page(page, live_server.url + "/")
    url = page.evaluate(
        """async () => { const gd = document.querySelector('#map .js-plotly-plot');
             return await Plotly.toImage(gd, {format: 'png', width: 1920, height: 1080}); }""")
    assert url.startswith("data:image/png;base64,") and len(url) > 50_000


# When the browser asked for the map's plot code (dcc's lazy Graph chunk), and when the layout had arrived.
CHUNK_AND_LAYOUT = """() => { const all = performance.getEntriesByType('resource');
  const chunk = all.find(e => /async-graph\\.js/.test(e.name));
  const layout = all.find(e => /_dash-layout/.test(e.name));
  return chunk && layout ? [chunk.startTime, layout.responseEnd] : null; }"""
# Whether #map was ever dcc's empty placeholder (the Suspense fallback) once the page's layout was rendered.
PLACEHOLDER_SEEN = """(() => { window.__kbPlaceholder = false; new MutationObserver(() => {
  const m = document.getElementById('map');
  if (m && m.classList.contains('dash-graph--pending') && !m.children.length) window.__kbPlaceholder = true; })
  .observe(document, {childList: true, subtree: true}); })()"""


def test_the_map_mounts_with_the_first_render_not_after_it(page, live_server):
    """assets/lazy-warm.js starts dcc's lazy Graph before the layout arrives: the map is not left as an empty
    placeholder while the first callbacks run (under React 18 that wait was about 0.7 s)."""
    page.add_init_script(PLACEHOLDER_SEEN)
    open_page(page, live_server.url + "/")
    assert page.evaluate("() => window.__kbLazyWarm") == {"started": ["Graph"], "skipped": None}
    chunk_start, layout_end = page.evaluate(CHUNK_AND_LAYOUT)
    # without the warm-up the chunk is asked for only once the layout is rendered, so after it arrived
    assert chunk_start < layout_end
    page.reload()
    page.locator("#map .choroplethlocation").first.wait_for()
    assert page.evaluate("() => window.__kbPlaceholder") is False


GEOJSON_AND_LAYOUT = """() => { const all = performance.getEntriesByType('resource');
  const geo = all.filter(e => /\\/geo\\/.*villages\\.geojson/.test(e.name));
  const layout = all.find(e => /_dash-layout/.test(e.name));
  return [geo.map(e => e.startTime), layout.responseEnd]; }"""


def test_the_village_shapes_are_asked_for_with_the_page_once(page, live_server):
    """The page's HTML preloads the GeoJSON its map draws: it arrives while the scripts load, and plotly's own
    fetch takes the preloaded answer (a mismatched preload would fetch it twice)."""
    open_page(page, live_server.url + "/")
    starts, layout_end = page.evaluate(GEOJSON_AND_LAYOUT)
    assert len(starts) == 1
    # without the preload plotly asks for it only once it draws the layout's map, so after the layout arrived
    assert starts[0] < layout_end
