"""A presenter drives the walls of a room: under gunicorn with two workers (the room's state shared through the
data store, never one process's memory), a wall at /wall?room=R shows the step a signed-in presenter moves to
at /brief?room=R, and goes back to its tour when the presenter leaves."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from benchmarks.server import Gunicorn
from tests.accounts import Role, add_test_users
from tests.browser.conftest import log_in_page, new_page
from tests.browser.test_brief import BRIEFING, wait_shown
from tests.browser.wallcheck import wait_step_shown


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    store = tmp_path_factory.mktemp("room-store")
    add_test_users(store)
    with Gunicorn(store) as server:
        yield server


def test_a_wall_follows_the_presenter_of_its_room_and_resumes_its_tour(served, browser, external_requests):
    wall_ctx, wall = new_page(browser, external_requests, viewport={"width": 1920, "height": 1080})
    wall.goto(f"{served.url}/wall?room=lobby&dwell=600&idle=8")
    wait_step_shown(wall)
    brief_ctx, brief = new_page(browser, external_requests, viewport={"width": 1280, "height": 800})
    log_in_page(brief, served.url, Role.STAFF)
    brief.goto(f"{served.url}/brief?room=lobby&presenter=1")
    wait_shown(brief, 1)
    expect(brief.locator("#brief-room")).not_to_contain_text("仅工作人员")
    brief.keyboard.press("ArrowRight")
    wait_shown(brief, 2)
    # the wall shows the presenter's step 2: its heading in the wall's panel, its map framed as the briefing's
    wall.wait_for_function("() => window.kaihuaWall.log.some(e => e.brief === 2)", timeout=15000)
    expect(wall.locator("#wall-step-title")).to_have_text(BRIEFING.steps[1].title.zh)
    expect(wall.locator("#wall-status")).to_contain_text("lobby")
    # the presenter moves on: the wall follows again
    brief.keyboard.press("End")
    wait_shown(brief, len(BRIEFING.steps))
    wall.wait_for_function("(n) => window.kaihuaWall.log.some(e => e.brief === n)", arg=len(BRIEFING.steps),
                           timeout=15000)
    # the presenter closes the briefing: the wall goes back to its own tour
    brief_ctx.close()
    wall.wait_for_function("() => { const log = window.kaihuaWall.log; return !window.kaihuaWall.following &&"
                           " log.length && !log[log.length - 1].brief; }", timeout=20000)
    wall_ctx.close()
    assert external_requests == []


def test_a_visitor_cannot_take_over_the_walls_of_a_room(served, browser, external_requests):
    wall_ctx, wall = new_page(browser, external_requests, viewport={"width": 1920, "height": 1080})
    wall.goto(f"{served.url}/wall?room=hall&dwell=600")
    wait_step_shown(wall)
    brief_ctx, brief = new_page(browser, external_requests, viewport={"width": 1280, "height": 800})
    brief.goto(f"{served.url}/brief?room=hall")  # nobody signed in
    wait_shown(brief, 1)
    expect(brief.locator("#brief-room")).to_contain_text("仅工作人员")
    brief.keyboard.press("ArrowRight")
    wait_shown(brief, 2)
    room = brief.evaluate(f"() => fetch('{served.url}/rooms/hall.json').then(r => r.json())")
    assert room["active"] is False
    assert not wall.evaluate("() => window.kaihuaWall.following")
    brief_ctx.close()
    wall_ctx.close()
    assert external_requests == []
