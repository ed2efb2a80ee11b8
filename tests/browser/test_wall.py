"""The wall display (/wall) in headless Chromium at 1080p and 4K: it fits, it tours, it pauses and resumes,
and it carries on after the server restarts."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard.figures.map_style import belt_emphasis
from geodata import open_dataset
from tests.browser.conftest import new_page
from tests.browser.wallcheck import belt_width, layout_problems, shown, wait_step_shown

ROOT = Path(__file__).resolve().parents[2]
SIZES = {"1080p": ((1920, 1080), 16), "4k": ((3840, 2160), 32)}
SELECTED = belt_emphasis(["b"], "b")[0][0]


@pytest.fixture()
def wall(browser, external_requests):
    """Open the wall at a size: ``open_wall(url, size)`` -> page (closed and checked for external requests)."""
    contexts = []

    def open_wall(url: str, size: tuple[int, int] = (1920, 1080)):
        context, pg = new_page(browser, external_requests, viewport={"width": size[0], "height": size[1]})
        contexts.append(context)
        pg.goto(url)
        wait_step_shown(pg)
        return pg

    yield open_wall
    for context in contexts:
        context.close()
    assert external_requests == [], f"the wall requested URLs outside 127.0.0.1: {external_requests}"


def _longest_belt() -> str:
    belts = open_dataset().belts()
    return belts.sort_values(["village_count", "belt_id"], ascending=[False, True]).belt_id.iloc[0]


@pytest.mark.parametrize("size", SIZES)
def test_wall_fits_the_screen_without_scrolling_overlaps_or_small_text(live_server, wall, size):
    (w, h), min_px = SIZES[size]
    belt = _longest_belt()
    other = "B02" if belt != "B02" else "B03"
    # a long belt with its story, the overview, and a notice of a bad parameter on top
    for step, target in ((1, None), (2, belt), (3, other)):
        pg = wall(f"{live_server.url}/wall?belts={belt},{other}&dwell=600&zoom=3&step={step}", (w, h))
        expect(pg.locator("#wall-problems")).to_contain_text("zoom")
        assert shown(pg)["step"] == step
        if target:  # the step's map has been patched when its belt is drawn selected
            pg.wait_for_function("""([uid, w]) => { const gd = document.querySelector('#wall-map .js-plotly-plot');
                const t = gd.data.find(t => t.uid === uid); return t && t.line.width === w; }""",
                                 arg=[f"belt-{target}", SELECTED])
        pg.wait_for_function("() => document.querySelectorAll('#wall-scores .bars path').length >= 5")
        pg.wait_for_function("() => !document.getElementById('wall-panel').classList.contains('kbw-leaving')")
        problems = layout_problems(pg, min_px)
        assert problems == [], f"step {step} at {w}x{h}: {problems[:8]}"
    # the map is the largest thing on screen
    areas = pg.evaluate("""() => Array.from(document.querySelectorAll('.kbw-map, .kbw-panel, .kbw-header, .kbw-footer'))
        .map(e => { const r = e.getBoundingClientRect(); return [e.className, r.width * r.height]; })""")
    assert max(areas, key=lambda a: a[1])[0].startswith("kbw-map")


def test_tour_advances_on_its_own_and_keeps_the_step_in_the_url(live_server, wall):
    pg = wall(f"{live_server.url}/wall?dwell=2&belts=B03,B05")
    assert shown(pg)["step"] == 1
    pg.wait_for_function("() => window.kaihuaWall.log.some(e => e.step === 3)", timeout=20000)
    assert [e["step"] for e in pg.evaluate("() => window.kaihuaWall.log")][:3] == [1, 2, 3]
    pg.wait_for_function("() => new URLSearchParams(location.search).get('step') === '3'"
                         " || window.kaihuaWall.step !== 3")
    assert "belts=B03%2CB05" in pg.url or "belts=B03,B05" in pg.url  # the other settings stay in the URL
    # each step's belt is drawn selected on the map
    pg.wait_for_function("() => window.kaihuaWall.log.filter(e => e.belt === 'B05').length > 0")
    last = shown(pg)
    if last["belt"]:
        pg.wait_for_function("([uid, w]) => { const gd = document.querySelector('#wall-map .js-plotly-plot');"
                             " const t = gd.data.find(t => t.uid === uid); return t && t.line.width === w; }",
                             arg=[f"belt-{last['belt']}", SELECTED])
    expect(pg.locator("#wall-progress")).to_contain_text(" / 3")


def test_a_reload_resumes_at_the_step_in_the_url(live_server, wall):
    name = open_dataset().belts().set_index("belt_id").name["B04"]
    pg = wall(f"{live_server.url}/wall?step=5&dwell=600")
    assert shown(pg)["step"] == 5 and shown(pg)["belt"] == "B04"
    expect(pg.locator("#wall-step-title")).to_have_text(name)
    assert belt_width(pg, "B04") == SELECTED
    expect(pg.locator("#wall-progress")).to_have_text("第 5 / 22 步")


def test_a_click_pauses_the_tour_and_it_resumes_after_idle(live_server, wall):
    pg = wall(f"{live_server.url}/wall?dwell=2&idle=5")
    pg.wait_for_function("() => window.kaihuaWall.log.length >= 2", timeout=20000)
    pg.click("#wall-title")
    clicked = pg.evaluate("() => Date.now()")
    expect(pg.locator("#wall")).to_have_attribute("data-paused", "1")
    expect(pg.locator("#wall-status")).to_contain_text("已暂停")
    pg.wait_for_function("(t) => window.kaihuaWall.log.some(e => e.at > t)", arg=clicked, timeout=20000)
    after = [e["at"] for e in pg.evaluate("() => window.kaihuaWall.log") if e["at"] > clicked]
    assert after[0] - clicked >= 5000 - 300, "the tour moved on while paused"
    expect(pg.locator("#wall")).to_have_attribute("data-paused", "0")


def test_a_click_on_a_village_shows_its_belt(live_server, wall):
    ds = open_dataset()
    code, belt = ds.belt_villages().sort_values("village_code")[["village_code", "belt_id"]].iloc[0]
    pg = wall(f"{live_server.url}/wall?dwell=600&idle=600")
    point = pg.evaluate("""(loc) => {
        const el = Array.from(document.querySelectorAll('#wall-map .choroplethlocation'))
            .find(p => p.__data__ && p.__data__.loc === loc);
        const r = el.getBoundingClientRect(), inv = el.getScreenCTM().inverse();
        const pt = el.ownerSVGElement.createSVGPoint();
        for (let i = 10; i > 0; i--) for (const [fx, fy] of [[0.5, 0.5], [i / 20, 0.5], [0.5, i / 20],
                                                             [1 - i / 20, 0.5], [0.5, 1 - i / 20]]) {
          pt.x = r.x + r.width * fx; pt.y = r.y + r.height * fy;
          if (el.isPointInFill(pt.matrixTransform(inv))) return [pt.x, pt.y];
        }
        return null; }""", code)
    assert point
    pg.mouse.move(point[0] - 3, point[1] - 3)
    pg.mouse.move(point[0], point[1], steps=3)
    pg.wait_for_timeout(150)  # plotly's hover is throttled: it reports the click on what hover found
    pg.mouse.down()
    pg.mouse.up()
    pg.wait_for_function("(b) => window.kaihuaWall.log.some(e => e.belt === b)", arg=belt, timeout=15000)
    expect(pg.locator("#wall-step-title")).to_have_text(ds.belts().set_index("belt_id").name[belt])
    expect(pg.locator("#wall")).to_have_attribute("data-paused", "1")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(port: int) -> subprocess.Popen:
    env = {**os.environ, "KAIHUA_HOST": "127.0.0.1", "KAIHUA_PORT": str(port), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "dashboard"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("the server did not start") from None
            time.sleep(0.3)  # polling a port that is not open yet: there is no event to wait for
    proc.kill()
    raise RuntimeError("the server did not answer /healthz")


def _stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def test_the_wall_carries_on_after_the_server_restarts(wall):
    port = _free_port()
    proc = _start_server(port)
    try:
        pg = wall(f"http://127.0.0.1:{port}/wall?dwell=2")
        pg.wait_for_function("() => window.kaihuaWall.log.length >= 2", timeout=20000)
        _stop(proc)
        expect(pg.locator("#wall")).to_have_attribute("data-offline", "1", timeout=15000)
        expect(pg.locator("#wall-status")).to_contain_text("连接中断")
        before = pg.evaluate("() => window.kaihuaWall.log.length")
        proc = _start_server(port)
        pg.wait_for_function("(n) => window.kaihuaWall.log.length >= n + 2", arg=before, timeout=30000)
        expect(pg.locator("#wall")).to_have_attribute("data-offline", "0")
        assert pg.locator("#wall").count() == 1
    finally:
        _stop(proc)


def test_a_newly_published_dataset_appears_at_the_next_step_without_restarting_the_tour(browser, wall, tmp_path):
    import json

    from dashboard.app import create_app
    from dashboard.config import Settings
    from geodata.importing import Options
    from geodata.versions import publish, stage
    from tests.browser.conftest import LiveServer
    from tests.unit.geodata.files import indicators_long, write_csv

    store = tmp_path / "store"
    store.mkdir()
    # the wall's defaults come from the store's wall.json: no parameter in the URL
    (store / "wall.json").write_text(json.dumps({"dwell": 2, "idle": 30, "lang": "en"}))
    with LiveServer(create_app(Settings(data_path=store))) as server:
        pg = wall(f"{server.url}/wall")
        assert pg.evaluate("() => [window.kaihuaWall.cfg.dwell, window.kaihuaWall.cfg.count]") == [2, 22]
        expect(pg.locator("#wall-title")).to_have_text("Kaihua County demonstration belts")
        old = pg.get_attribute("#wall", "data-version")
        pg.wait_for_function("() => window.kaihuaWall.log.length >= 2", timeout=20000)
        staged = stage(store, write_csv(tmp_path / "indicators.csv", indicators_long(20).assign(value=7.0)),
                       "indicators.csv", Options())
        assert staged.token
        publish(store, staged.token, "wall test")
        expect(pg.locator("#wall")).not_to_have_attribute("data-version", old, timeout=30000)
        wait_step_shown(pg)
        # the reload came on the step after the one on screen (the tour is 44 s long), not back at the overview
        assert pg.evaluate("() => window.kaihuaWall.log[0].step") >= 3


def test_the_wall_finds_its_page_when_referrers_are_stripped(browser, wall):
    """A proxy that drops the Referer header: the layout request cannot say which page it is for."""
    from dashboard.app import create_app
    from dashboard.config import Settings
    from tests.browser.conftest import LiveServer

    app = create_app(Settings())
    inner = app.server.wsgi_app
    seen = []

    def strip_referrer(environ, start_response):
        if environ.get("PATH_INFO", "").endswith("/_dash-layout"):
            seen.append((environ.pop("HTTP_REFERER", None), "kb_page" in environ.get("HTTP_COOKIE", "")))
        return inner(environ, start_response)

    app.server.wsgi_app = strip_referrer
    with LiveServer(app) as server:
        pg = wall(f"{server.url}/wall?dwell=600")  # the explorer first, then the wall after one reload
        assert [cookie for _, cookie in seen] == [False, True] and seen[0][0]
        assert pg.locator("#main-page").count() == 0 and shown(pg)["step"] == 1
