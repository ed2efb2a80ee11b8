"""In Chromium: the page runs under its Content-Security-Policy, logging in and out works, and data text with
plotly markup in every text field is drawn as characters (no link, no bold from data) on the map and charts."""

from __future__ import annotations

import pytest

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.users import Role
from tests.accounts import NAMES, add_test_users
from tests.browser.conftest import LiveServer, log_in_page, new_page
from tests.browser.mapdriver import open_page, wait_idle
from tests.markup import poisoned_gpkg

CSP_WATCH = "window.__csp = []; document.addEventListener('securitypolicyviolation', " \
            "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
ALL_LAYERS = ["villages", "townships", "county", "belts", "rivers", "ponds", "advisers", "projects", "sites",
              "teams", "pairings", "stories"]


def test_the_page_runs_under_its_csp_without_a_violation(browser, live_server, external_requests):
    context, pg = new_page(browser, external_requests)
    context.add_init_script(CSP_WATCH)
    response = pg.goto(live_server.url + "/")
    assert "'unsafe-inline'" not in response.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    open_page(pg, live_server.url + "/?belt=B05")
    pg.evaluate("layers => window.dash_clientside.set_props('layer-switches', {value: layers})", ALL_LAYERS)
    wait_idle(pg)
    assert pg.evaluate("() => window.__csp") == []
    context.close()


def test_log_in_see_who_and_log_out(browser, live_server, external_requests):
    context, pg = new_page(browser, external_requests)
    open_page(pg, live_server.url + "/")
    pg.wait_for_function("() => document.querySelector('#user-bar').innerText.includes('登录')", timeout=30000)
    log_in_page(pg, live_server.url, Role.STAFF)
    pg.wait_for_function("n => { const bar = document.querySelector('#user-bar'); "
                         "return !!bar && bar.innerText.includes(n); }", arg=NAMES[Role.STAFF], timeout=30000)
    assert "工作人员" in pg.inner_text("#user-bar")
    with pg.expect_navigation():
        pg.click("#user-bar button[type=submit]")
    pg.wait_for_function("() => document.querySelector('#user-bar') && "
                         "document.querySelector('#user-bar').innerText.includes('登录')", timeout=30000)
    context.close()


@pytest.fixture(scope="module")
def markup_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("markup")
    add_test_users(folder)
    with LiveServer(create_app(Settings(data_path=poisoned_gpkg(folder / "markup.gpkg"), state_dir=folder))) as s:
        yield s


def test_markup_in_every_text_field_is_drawn_as_text(browser, markup_server, external_requests):
    context, pg = new_page(browser, external_requests)
    log_in_page(pg, markup_server.url, Role.STAFF)  # staff: names too
    open_page(pg, markup_server.url + "/?belt=B05")
    pg.evaluate("layers => window.dash_clientside.set_props('layer-switches', {value: layers})", ALL_LAYERS)
    wait_idle(pg)
    pg.wait_for_function("() => document.querySelector('#charts-ranking .js-plotly-plot .ytick')", timeout=30000)
    found = pg.evaluate("""() => {
        const svgs = Array.from(document.querySelectorAll('.js-plotly-plot svg'));
        const text = svgs.map(s => s.textContent).join('\\n');
        return {links: svgs.reduce((n, s) => n + s.querySelectorAll('a').length, 0),
                bold: svgs.reduce((n, s) => n + s.querySelectorAll('tspan[style*="bold"]').length, 0),
                literal: text.split('<a href="http://x">x</a><b>b</b>').length - 1};
    }""")
    assert found["links"] == 0 and found["bold"] == 0
    assert found["literal"] > 10  # township labels, story titles, ranking bars, legends: the characters shown
    context.close()
