"""The wall's callbacks as plain functions, and the router, over HTTP as the browser calls them."""

import json

import pytest
from dash import Patch, no_update

from callbacks import wall as cb
from dashboard import pages
from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.figures.map import trace_index
from dashboard.figures.wall import font_px
from dashboard.map_view import reference_figure
from dashboard.pages import wall as wall_page
from geodata import Audience, open_dataset
from geodata.build.bulletin import STORY_PERSONS
from tests.accounts import Role, add_test_users, log_in


@pytest.fixture(scope="module")
def ds():
    return open_dataset()


@pytest.fixture(scope="module")
def staff():
    return Settings(audience_cap=Audience.STAFF)


PERSONAL_NAMES = tuple(n for names in STORY_PERSONS.values() for n in names)


def test_pages_by_path_and_referrer():
    assert pages.page_for_path("/wall") == "wall" and pages.page_for_path("/wall/") == "wall"
    assert pages.page_for_path("/") == pages.page_for_path("/admin") == pages.page_for_path("/x") == "explorer"
    assert pages.page_for_path("/app/wall", "/app/") == "wall"
    assert pages.page_from_referrer("http://h:1/wall?dwell=3") == "wall"
    assert pages.page_from_referrer(None) is None
    assert pages.page_of_request(None, "wall") == "wall"
    assert pages.page_of_request(None, "admin<script>") == "explorer"
    assert pages.page_of_request("http://h/", "wall") == "explorer"  # the referrer wins


def test_layout_request_serves_the_page_it_came_from(staff):
    client = create_app(staff).server.test_client()
    wall = client.get("/_dash-layout", headers={"Referer": "http://h/wall?step=2"})
    explorer = client.get("/_dash-layout", headers={"Referer": "http://h/"})
    assert json.loads(wall.data)["props"]["id"] == "wall"
    assert json.loads(explorer.data)["props"]["className"] == "kb-page"
    assert json.loads(client.get("/_dash-layout").data)["props"]["className"] == "kb-page"
    client.set_cookie("kb_page", "wall")
    assert json.loads(client.get("/_dash-layout").data)["props"]["id"] == "wall"
    health = client.get("/healthz").json
    assert health["build"] and wall.headers["Vary"].startswith("Referer")
    assert json.loads(wall.data)["props"]["data-build"] == health["build"]


def _person_names(ds) -> set[str]:
    layers = ("river_chiefs", "pond_chiefs", "cadres", "advisers")
    return {n for layer in layers for n in ds.layer(layer).name if isinstance(n, str) and len(n) >= 2}


def test_wall_layout_holds_no_personal_names_for_signed_in_staff(ds, tmp_path):
    add_test_users(tmp_path)
    client = create_app(Settings(state_dir=tmp_path)).server.test_client()
    log_in(client, Role.STAFF)

    def names_in(referrer):
        raw = client.get("/_dash-layout", headers={"Referer": referrer}).data.decode()
        text = json.dumps(json.loads(raw), ensure_ascii=False)
        return [n for n in _person_names(ds) | set(PERSONAL_NAMES) if n in text]

    assert names_in("http://h/")  # the explorer names people to staff: the check can fail
    assert names_in("http://h/wall") == []


def test_configure_reports_problems_and_carries_the_tour(ds, staff):
    client, title, footer, problems, hidden = cb.configure("?dwell=x&belts=B02", staff, ds, "b1")
    assert client["belts"] == ["", "B02"] and client["dwell"] == 20.0 and client["build"] == "b1"
    assert client["version"] == ds.version and hidden is False and "dwell" in str(problems)
    assert title == "开化县乡村振兴党建示范带"
    assert "示意" in str(footer) and "2018" in str(footer)
    assert client["village_belts"]["330824218224"] == "B02"


def test_step_view_frames_the_belt_and_tells_its_story(ds, staff):
    out = cb.step_view({"step": 2, "height": 2160, "nonce": 7}, "?belts=B02", staff, ds)
    state, title, theme, villages, tiles, scores, scores_hidden, story, shown = out
    assert scores_hidden is False
    assert state["view"]["belt"] == "B02" and state["view"]["township"] == "330824218" and state["font"] == 41
    assert title == "红高粱酒香带" and theme
    members = int((ds.belt_villages().belt_id == "B02").sum())
    assert villages.startswith(f"{members}个成员村")
    assert len(tiles) == 6
    assert scores["layout"]["font"]["size"] == 41 and len(scores["data"]) == 2
    assert "红高粱小镇" in str(story)
    assert shown == {"step": 2, "count": 2, "belt": "B02", "nonce": 7, "version": ds.version}


def test_story_on_the_wall_is_redacted_for_the_public(ds, staff):
    belt = ds.belt_villages().set_index("village_code").belt_id.get("330824106220")  # 严村, story S08
    out = cb.step_view({"step": 2, "height": 1080}, f"?belts={belt}", staff, ds)
    story = str(out[7])
    assert "老党员捐建文化礼堂" in story
    assert not [n for n in PERSONAL_NAMES if n in story]


def test_bad_step_requests_change_nothing_or_are_clamped(ds, staff):
    assert cb.step_view("step 3", "", staff, ds) == (no_update,) * 9
    assert cb.step_view({"step": "3"}, "", staff, ds) == (no_update,) * 9
    assert cb.step_view({"step": True}, "", staff, ds) == (no_update,) * 9
    out = cb.step_view({"step": 99, "height": "huge"}, "", staff, ds)
    assert out[8]["step"] == 22 and out[0]["font"] == font_px(1080)


def test_wall_map_patches_the_selection_and_the_text_size_as_public(ds, staff, monkeypatch):
    seen = []
    real = cb.update_map

    def spy(*args, **kwargs):
        seen.append(kwargs.get("audience"))
        return real(*args, **kwargs)

    monkeypatch.setattr(cb, "update_map", spy)
    state = cb.step_view({"step": 3, "height": 2160}, "", staff, ds)[0]
    applied = wall_page.initial_applied("zh", font_px(1080))
    patch, now = cb.wall_map(state, applied, staff, ds, "/")
    assert seen == [Audience.PUBLIC]
    assert isinstance(patch, Patch) and now["view"]["belt"] == "B02" and now["font"] == 41
    ops = json.dumps(patch.to_plotly_json())
    assert '"size"' in ops and "41" in ops and "projection" in ops
    # the same state again: nothing to redraw
    again, _ = cb.wall_map(state, now, staff, ds, "/")
    assert again is no_update


def test_wall_map_uses_the_public_figure(ds, staff):
    public = reference_figure(Audience.PUBLIC, ds, "zh", "/", None)
    staff_figure = reference_figure(Audience.STAFF, ds, "zh", "/", None)
    text = json.dumps(public["data"][trace_index(public, "stories")])
    assert not [n for n in PERSONAL_NAMES if n in text]
    assert public is not staff_figure


def test_wall_map_ignores_what_is_not_a_wall_state(ds, staff):
    assert cb.wall_map("x", None, staff, ds, "/") == (no_update, no_update)
    assert cb.wall_map({"view": {"belt": "B99"}, "font": 10**6}, None, staff, ds, "/")[1]["font"] == font_px(1080)


def test_compressed_layouts_are_cached_per_page(staff):
    import gzip

    client = create_app(staff).server.test_client()

    def page_id(referrer):
        resp = client.get("/_dash-layout", headers={"Referer": referrer, "Accept-Encoding": "gzip"})
        assert resp.headers["Content-Encoding"] == "gzip"
        props = json.loads(gzip.decompress(resp.data))["props"]
        return props.get("id") or props.get("className")

    for _ in range(2):  # the second round is served from the compressed cache
        assert page_id("http://h/wall") == "wall"
        assert page_id("http://h/") == "kb-page"
