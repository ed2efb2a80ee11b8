"""The offline visitors' map opened as a visitor opens it from a USB stick: a file, with the network cut.

Every request that is not for the file itself is aborted and recorded; the map must draw every village and
ask for nothing.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard.config import Settings
from dashboard.exports.offline_map import VILLAGE_CLASS, _story_popup, offline_map
from dashboard.exports.snapshot import sheet_text
from dashboard.state import ViewState
from geodata import Audience
from geodata.versions import data_edition

MAX_BYTES = 2_000_000


def _html(ds, state, audience=Audience.PUBLIC, tiles=None):
    text = sheet_text(ds, state, audience, data_edition(ds.path), "2026-12-02", Settings().title)
    return offline_map(ds, state, audience, text, tiles)


@pytest.fixture(scope="module")
def county_html(dataset):
    return _html(dataset, ViewState(measure="score"))


def test_the_file_is_small_and_names_no_outside_resource(county_html):
    assert len(county_html.encode("utf-8")) < MAX_BYTES
    assert "cdn." not in county_html and "<script src" not in county_html and "<link " not in county_html
    assert "{s}.tile" not in county_html  # no tile layer by default


def test_a_configured_tile_layer_is_the_only_online_part(dataset):
    page = _html(dataset, ViewState(), tiles="https://tiles.example.org/{z}/{x}/{y}.png")
    assert "https://tiles.example.org/{z}/{x}/{y}.png" in page


def test_story_popups_are_escaped_text():
    import folium

    fmap = folium.Map(tiles=None)
    folium.CircleMarker([29.1, 118.4], popup=_story_popup("<b>标题</b>", "<script>alert(1)</script>")).add_to(fmap)
    rendered = fmap.get_root().render()
    assert "<script>alert" not in rendered and html.escape("<script>alert") in rendered
    assert html.escape("<b>标题</b>") in rendered


def test_opened_offline_it_draws_every_village_and_requests_nothing(browser, tmp_path, county_html, dataset):
    path = Path(tmp_path) / "kaihua-map.html"
    path.write_text(county_html, encoding="utf-8")
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    outside: list[str] = []

    def gate(route):
        if route.request.url == path.as_uri():
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", gate)
    page = context.new_page()
    try:
        page.goto(path.as_uri())
        expect(page.locator(f"path.{VILLAGE_CLASS}")).to_have_count(len(dataset.villages()))
        legend = page.locator("#kb-legend")
        expect(legend).to_contain_text("清水鱼富民带")
        expect(legend).to_contain_text("综合得分")
        expect(legend).to_contain_text("示意")
        story = dataset.layer("stories").iloc[0]
        page.locator("path.leaflet-interactive[fill='#b3261e']").first.dispatch_event("click")
        expect(page.locator(".leaflet-popup-content")).to_contain_text(story.title)
        page.screenshot(path=str(tmp_path / "offline.png"))
    finally:
        context.close()
    assert outside == []
