"""The visitors' briefing (/brief) in headless Chromium: keys move through the steps and each step changes the
map, a link opens its step, the screen fits at 1080p and 4K, a broken briefing file is reported while the last
good one stays, and a visitor cannot present to a room."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from dashboard.app import create_app
from dashboard.brief import view_problems
from dashboard.config import Settings
from geodata import open_dataset
from geodata.briefing import SHIPPED_BRIEFING
from geodata.briefing_store import publish_briefing, served_briefing
from geodata.vocabulary import vocabulary
from tests.browser.conftest import LiveServer, new_page
from tests.browser.wallcheck import layout_problems

SIZES = {"1080p": ((1920, 1080), 16), "4k": ((3840, 2160), 32)}


def _briefing():
    ds = open_dataset()
    vocab = vocabulary(ds)
    return served_briefing(ds, None, lambda view: view_problems(view, vocab)).briefing


BRIEFING = _briefing()


def title(step_id: str) -> str:
    return BRIEFING.steps[BRIEFING.index_of(step_id)].title.zh


def number(step_id: str) -> int:
    return BRIEFING.index_of(step_id) + 1


@pytest.fixture()
def brief(browser, external_requests):
    contexts = []

    def open_brief(url: str, size: tuple[int, int] = (1920, 1080)):
        context, pg = new_page(browser, external_requests, viewport={"width": size[0], "height": size[1]})
        contexts.append(context)
        pg.goto(url)
        wait_shown(pg)
        return pg

    yield open_brief
    for context in contexts:
        context.close()
    assert external_requests == [], f"the briefing requested URLs outside 127.0.0.1: {external_requests}"


def wait_shown(pg, step: int | None = None) -> None:
    """Until the server has answered the step asked for last (and it is ``step`` if given)."""
    pg.wait_for_function("""(k) => { const b = window.kaihuaBrief; return b && b.cfg && !b.pending &&
        b.log.length && (k === null || b.log[b.log.length - 1].step === k); }""", arg=step, timeout=20000)


def map_selection(pg) -> dict:
    """What the briefing's map draws selected: the widest belt line and the story markers' selection."""
    return pg.evaluate("""() => { const gd = document.querySelector('#brief-map .js-plotly-plot');
        const geo = gd.layout.geo; return {center: [geo.center && geo.center.lon, geo.center && geo.center.lat],
        scale: geo.projection && geo.projection.scale, uids: gd.data.map(t => t.uid)}; }""")


def test_keys_move_forward_and_back_and_each_step_changes_the_map(live_server, brief):
    pg = brief(f"{live_server.url}/brief")
    expect(pg.locator("h1")).to_have_text(title("overview"))
    first = map_selection(pg)
    pg.keyboard.press("ArrowRight")
    wait_shown(pg, 2)
    expect(pg.locator("h1")).to_have_text(BRIEFING.steps[1].title.zh)
    assert "step=2" in pg.url
    pg.keyboard.press("PageDown")
    wait_shown(pg, 3)
    pg.keyboard.press("ArrowLeft")
    wait_shown(pg, 2)
    # a number then Enter jumps: the sorghum step frames its story's village, so the map moves
    for key in str(number("sorghum")):
        pg.keyboard.press(key)
    pg.keyboard.press("Enter")
    wait_shown(pg, number("sorghum"))
    expect(pg.locator("h1")).to_have_text(title("sorghum"))
    expect(pg.locator("#brief-facts")).to_contain_text("不到200亩")  # as the bulletin words it, not 199
    # the sorghum step has no chart: no empty box; its story follows the facts instead
    expect(pg.locator("#brief-chart-box")).to_be_hidden()
    expect(pg.locator("#brief-story .kbb-story-alone")).to_be_visible()
    assert map_selection(pg)["scale"] != first["scale"] or map_selection(pg)["center"] != first["center"]
    pg.keyboard.press("End")
    wait_shown(pg, len(BRIEFING.steps))
    pg.keyboard.press("Home")
    wait_shown(pg, 1)
    expect(pg.locator("h1")).to_have_text(title("overview"))
    expect(pg.locator("#brief-chart-box")).to_be_visible()  # the overview's ranking is back


def test_a_link_opens_its_step(live_server, brief):
    k = number("meiling")
    pg = brief(f"{live_server.url}/brief?step={k}")
    wait_shown(pg, k)
    expect(pg.locator("h1")).to_have_text(title("meiling"))
    expect(pg.locator("#brief-progress")).to_contain_text(f"{k} / {len(BRIEFING.steps)}")


@pytest.mark.parametrize("size", SIZES)
def test_the_briefing_fits_the_screen(live_server, brief, size):
    (w, h), min_px = SIZES[size]
    for step_id in ("overview", "sorghum", "ratings"):
        pg = brief(f"{live_server.url}/brief?presenter=1&step={number(step_id)}", (w, h))
        wait_shown(pg, number(step_id))
        expect(pg.locator("#brief-presenter")).to_contain_text("下一步")
        pg.wait_for_function("() => !document.getElementById('brief-panel').classList.contains('kbw-leaving')")
        problems = layout_problems(pg, min_px)
        assert problems == [], f"{step_id} at {w}x{h}: {problems[:8]}"


def test_a_broken_briefing_file_is_reported_and_the_last_good_one_stays(tmp_path, browser, external_requests):
    store = tmp_path / "store"
    ds = open_dataset()
    vocab = vocabulary(ds)
    good = SHIPPED_BRIEFING.read_bytes().replace("开化县乡村振兴党建示范带".encode(), "欢迎来开化".encode())
    publish_briefing(store, good, "good.yaml", ds, lambda view: view_problems(view, vocab))
    # then staff edit the published file by hand on the server and break a step
    broken = good.replace(b"facts: [belts, villages, green_fund", b"facts: [belts, villagez, green_fund")
    (store / "briefing" / "v0002.yaml").write_bytes(broken)
    (store / "briefing" / "CURRENT").write_text("v0002.yaml", encoding="utf-8")
    with LiveServer(create_app(Settings(data_path=store))) as server:
        context, pg = new_page(browser, external_requests, viewport={"width": 1920, "height": 1080})
        pg.goto(f"{server.url}/brief")
        wait_shown(pg, 1)
        expect(pg.locator("h1")).to_have_text("欢迎来开化")  # the last good one
        notice = pg.locator("#brief-problems")
        expect(notice).to_be_visible()
        expect(notice).to_contain_text("v0002.yaml")
        expect(notice).to_contain_text("第 1 步")
        expect(notice).to_contain_text("villagez")
        context.close()
    assert external_requests == []


def test_a_visitor_cannot_present_to_a_room(live_server, brief):
    pg = brief(f"{live_server.url}/brief?room=lobby-test")
    expect(pg.locator("#brief-room")).to_contain_text("仅工作人员")
    pg.keyboard.press("ArrowRight")
    wait_shown(pg, 2)
    with urllib.request.urlopen(f"{live_server.url}/rooms/lobby-test.json") as answer:
        room = json.load(answer)
    assert room["active"] is False and "step" not in room
    request = urllib.request.Request(f"{live_server.url}/rooms/lobby-test/close", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code == 403
