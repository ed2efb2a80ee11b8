"""Province-scale data in the browser: counties first, a county's villages only after drilling in."""

from __future__ import annotations

import pytest

from dashboard.app import create_app
from dashboard.config import Settings
from geodata.build.generate import write_gpkg
from geodata.build.province import build_province
from tests.browser.conftest import LiveServer
from tests.browser.mapdriver import click_at, open_page, shape_point, view_state, wait_idle


@pytest.fixture(scope="module")
def province_server(tmp_path_factory, dataset):
    path = tmp_path_factory.mktemp("province") / "province.gpkg"
    write_gpkg(build_province(dataset, 4), path)
    with LiveServer(create_app(Settings(data_path=path))) as server:
        yield server


SHAPES = "Array.from(document.querySelectorAll('.choroplethlocation')).filter(p => p.__data__.loc !== '-').length"


def shapes(page) -> int:
    """Drawn county and village shapes (the overview's stand-in for "no villages" is not one)."""
    return page.evaluate(f"() => {SHAPES}")


def test_drill_from_counties_into_one_county(page, province_server):
    open_page(page, province_server.url + "/")
    assert shapes(page) == 4  # aggregated: one shape per county
    click_at(page, *shape_point(page, "338803"))
    page.wait_for_function(f"() => {SHAPES} > 4", timeout=20000)
    wait_idle(page)
    assert view_state(page) == {"county": "338803"}
    assert shapes(page) == 4 + 266
    assert "示例县03" in page.locator("#breadcrumb").inner_text()
    with page.expect_navigation():  # leaving a county loads the province afresh (see assets/explorer.js)
        page.locator("#breadcrumb button", has_text="全省").click()
    page.wait_for_function(f"() => {SHAPES} === 4", timeout=20000)
    wait_idle(page)
    assert view_state(page) == {}
    page.go_back()  # back into the county, restored from the link
    page.wait_for_function(f"() => {SHAPES} === 4 + 266", timeout=30000)
    assert view_state(page) == {"county": "338803"}
