"""Export builders (pure): snapshot sizes and figure, the belt dossier's pages; the export routes' checks.

Rendering itself (kaleido + Chromium) is tested in tests/browser/test_exports.py.
"""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.exports.dossier import (
    ROWS_BESIDE_CHART,
    ROWS_PER_PAGE,
    DossierMeta,
    dossier_pages,
    facts_rows,
    wrap,
)
from dashboard.exports.routes import dossier_url, map_png_url
from dashboard.exports.snapshot import (
    MAX_SIDE,
    SIZES,
    ImageSize,
    inline_geometry,
    layout_scale,
    parse_size,
    snapshot_figure,
)
from dashboard.figures.map import trace_index
from dashboard.state import ViewState
from dashboard.users import Role
from geodata import Audience
from geodata.figures import pillar_history
from geodata.queries import belt_detail, belt_member_table, belt_members
from tests.accounts import add_test_users, log_in

META = DossierMeta(data_version="abc123", generated="2026-11-29", source="衢州组工信息 2019年第1期",
                   note="示意数据(非实测):村界")


def _pages(ds, belt_id="B05", lang="zh", members=None):
    state = ViewState(belt=belt_id, lang=lang)
    return dossier_pages(belt_detail(ds, belt_id, 2018), snapshot_figure(state, Audience.PUBLIC, ds),
                         belt_member_table(ds, belt_id, 2018) if members is None else members,
                         pillar_history(ds, frozenset(belt_members(ds, belt_id))), META, lang)


def _texts(page: dict) -> str:
    """Every string a page shows: annotations, table cells, axis titles and trace text."""
    return json.dumps(page, ensure_ascii=False)


# --- sizes ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    (None, SIZES["1080p"]), ("4k", ImageSize(3840, 2160)), ("4K", ImageSize(3840, 2160)),
    ("a4", ImageSize(3508, 2480, 300)), ("A3", ImageSize(4961, 3508, 300)),
    ("a4-portrait", ImageSize(2480, 3508, 300)), ("a3-portrait", ImageSize(3508, 4961, 300)),
    ("1200x900", ImageSize(1200, 900)),
])
def test_parse_size_accepts_named_and_custom_sizes(text, expected):
    assert parse_size(text) == expected


@pytest.mark.parametrize("text", ["8k", "99999x3", "100x100", f"{MAX_SIDE + 1}x1000", "1200×900", "-1x-1",
                                  "1e3x1e3", "../../etc"])
def test_parse_size_refuses_anything_else_and_says_what_is_allowed(text):
    with pytest.raises(ValueError, match="WIDTHxHEIGHT"):
        parse_size(text)


def test_a_4k_snapshot_is_the_wall_layout_scaled_up():
    assert layout_scale(SIZES["4k"]) == (1920, 1080, 2.0)
    assert layout_scale(SIZES["slide"]) == (1600, 900, 1.0)


@pytest.mark.parametrize("name", ["a4", "a4-portrait", "a3", "a3-portrait"])
def test_paper_is_laid_out_at_96_dpi_and_rendered_at_300(name):
    """The layout is the paper in CSS px (A4: 1123 x 794 = 842 x 595 pt), scaled so that Chromium, which
    floors the scaled sides, lands on the 300 dpi pixel count exactly."""
    size = SIZES[name]
    width, height, scale = layout_scale(size)
    assert (int(width * scale), int(height * scale)) == (size.width, size.height)
    assert abs(width * 72 / 96 - size.width * 72 / 300) < 1  # same page in points


# --- snapshot figure ------------------------------------------------------------------------------------


def test_snapshot_carries_geometry_and_the_states_styling(dataset):
    fig = snapshot_figure(ViewState(belt="B05", measure="score"), Audience.STAFF, dataset)
    vi = trace_index(fig, "villages")
    villages = fig["data"][vi]
    assert len(villages["geojson"]["features"]) == len(dataset.villages())
    assert len(villages["selectedpoints"]) == len(belt_members(dataset, "B05"))
    assert villages["showscale"] is True  # coloured by the score
    widths = {tr["uid"]: tr["line"]["width"] for tr in fig["data"] if tr["uid"].startswith("belt-")}
    assert widths["belt-B05"] == max(widths.values()) > widths["belt-B01"]


def test_snapshots_do_not_share_geometry(dataset):
    a = snapshot_figure(ViewState(), Audience.STAFF, dataset)
    b = snapshot_figure(ViewState(), Audience.STAFF, dataset)
    vi = trace_index(a, "villages")
    a["data"][vi]["geojson"]["features"].clear()
    assert b["data"][vi]["geojson"]["features"]


def test_inline_geometry_replaces_every_served_layer_url(dataset):
    fig = {"data": [{"geojson": f"/kb/geo/{dataset.version}/villages.geojson"}, {"geojson": {"features": []}},
                    {"lon": [1]}]}
    inline_geometry(fig, dataset)
    assert len(fig["data"][0]["geojson"]["features"]) == len(dataset.villages())
    assert fig["data"][1]["geojson"] == {"features": []} and "geojson" not in fig["data"][2]
    with pytest.raises(ValueError, match="not a served GeoJSON layer"):
        inline_geometry({"data": [{"geojson": "https://example.com/x.geojson"}]}, dataset)


def test_long_facts_are_broken_into_lines():
    assert wrap("县政府办公室、县委老干部局", 6) == "县政府办公室<br>、县委老干部<br>局"
    assert wrap("", 10) == ""




# --- dossier -------------------------------------------------------------------------------------------


def test_dossier_has_overview_and_pillar_pages(dataset):
    pages = _pages(dataset)
    assert len(pages) == 2
    name = dataset.belts().set_index("belt_id").loc["B05", "name"]
    for i, page in enumerate(pages, start=1):
        assert (page["layout"]["width"], page["layout"]["height"]) == (1123, 794)
        footer = page["layout"]["annotations"][2]["text"]
        assert "abc123" in footer and "2026-11-29" in footer and "示意" in footer and f"{i} / 2" in footer
        assert page["layout"]["annotations"][0]["text"].startswith(name)


def test_dossier_overview_shows_the_belts_facts_map_and_village_names(dataset):
    overview = _pages(dataset)[0]
    detail = belt_detail(dataset, "B05", 2018)
    table = next(tr for tr in overview["data"] if tr["type"] == "table")
    labels, values = table["cells"]["values"]
    assert dict(zip(labels, values)) == dict(facts_rows(detail, "zh"))
    assert f"{detail.figures['population']:,.0f}" in values
    names = sorted(v.name for v in detail.villages)
    assert any(sorted(tr.get("text") or []) == names for tr in overview["data"] if tr["type"] == "scattergeo")
    assert not any(tr.get("showlegend") for tr in overview["data"] if tr["type"] != "bar")
    bars = next(tr for tr in overview["data"] if tr["type"] == "bar")
    assert bars["x"] == [detail.scores[p] for p in ("organisation", "ecology", "industry", "talent", "culture")]


def test_dossier_member_table_lists_every_village_in_route_order(dataset):
    pillars = _pages(dataset)[1]
    table = next(tr for tr in pillars["data"] if tr["type"] == "table")
    codes = table["cells"]["values"][2]
    assert codes == list(belt_members(dataset, "B05"))


def test_long_belts_continue_on_further_pages(dataset):
    members = belt_member_table(dataset, "B05", 2018)
    many = pd.concat([members] * 9, ignore_index=True)  # 54 rows
    pages = _pages(dataset, members=many)
    assert len(pages) == 2 + 2  # 22 rows beside the charts, then 22 and 10
    rows = [len(next(tr for tr in p["data"] if tr["type"] == "table")["cells"]["values"][0]) for p in pages[1:]]
    assert rows == [ROWS_PER_PAGE, ROWS_PER_PAGE, len(many) - 2 * ROWS_PER_PAGE]
    first_numbers = [next(tr for tr in p["data"] if tr["type"] == "table")["cells"]["values"][0][0] for p in pages[1:]]
    assert first_numbers == [1, ROWS_PER_PAGE + 1, 2 * ROWS_PER_PAGE + 1]
    assert "4 / 4" in pages[-1]["layout"]["annotations"][2]["text"]


def test_short_belts_keep_the_table_above_the_trend_chart(dataset):
    table = next(tr for tr in _pages(dataset)[1]["data"] if tr["type"] == "table")
    assert len(belt_members(dataset, "B05")) <= ROWS_BESIDE_CHART
    assert table["domain"]["y"][0] > 0.4


def test_dossier_in_english_uses_english_labels(dataset):
    pages = _pages(dataset, lang="en")
    text = _texts(pages[1])
    assert "Population" in text and "Overall<br>score" in text and "人口" not in text
    members = belt_member_table(dataset, "B05", 2018)
    table = next(tr for tr in pages[1]["data"] if tr["type"] == "table")
    assert table["cells"]["values"][1] == members.name_en.tolist()  # romanised village names
    assert table["cells"]["values"][3] == members.township_en.tolist()


def test_dossier_shows_no_personal_names_or_ratings(dataset):
    """What a dossier may show: it is a public document, whoever asks for it."""
    text = " ".join(_texts(p) for p in _pages(dataset, "B02"))
    codes = set(belt_members(dataset, "B02"))
    people = pd.concat([dataset.layer(name).loc[lambda f: f.village_code.isin(codes), "name"]
                        for name in ("river_chiefs", "pond_chiefs", "advisers", "cadres")])
    assert len(people) > 10
    assert not [n for n in people.unique() if n in text]


# --- URLs and routes -------------------------------------------------------------------------------------


def test_export_urls_carry_the_state():
    assert dossier_url("/", "B05", "en", 2017) == "/export/belt/B05.pdf?lang=en&year=2017"
    assert map_png_url("/app/", ViewState(belt="B03", year=2016), "4k") == \
        "/app/export/map.png?belt=B03&year=2016&size=4k"
    assert map_png_url("/", ViewState(), "a4") == "/export/map.png?size=a4"


@pytest.fixture(scope="module")
def client():
    return create_app(Settings()).server.test_client()


@pytest.mark.parametrize("url, status, message", [
    ("/export/belt/B99.pdf", 404, None),
    ("/export/belt/B05.pdf?year=1999", 400, "unknown year"),
    ("/export/belt/B05.pdf?lang=fr", 400, "unknown language"),
    ("/export/map.png?size=99999x3", 400, "WIDTHxHEIGHT"),
    ("/export/map.png?belt=B99", 400, "unknown belt"),
    ("/export/map.png?layers=villages,evil", 400, "unknown layer"),
    ("/export/map.png?measure=indicator:nope", 400, "unknown measure"),
])
def test_export_routes_refuse_bad_requests_before_rendering(client, url, status, message):
    resp = client.get(url)
    assert resp.status_code == status
    if message:
        assert message in resp.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/export/belt/..%2F..%2Fetc.pdf", "/export/nothing.csv", "/export/map.svg",
                                 "/export/belt/B05.png", "/export/"])
def test_unknown_export_paths_are_not_found(client, url):
    resp = client.get(url)
    assert resp.status_code == 404 and resp.mimetype != "application/pdf"


def test_a_page_path_outside_exports_still_gets_the_app(client):
    assert client.get("/some/deep/link").status_code == 200


def test_a_pdf_map_is_a_paper_size(client):
    resp = client.get("/export/map.pdf?size=4k")
    assert resp.status_code == 400 and "paper size" in resp.get_data(as_text=True)


def test_the_public_gets_no_rating_map(tmp_path):
    add_test_users(tmp_path)
    public = create_app(Settings(state_dir=tmp_path)).server.test_client()
    resp = public.get("/export/map.png?measure=rating&size=a4")
    assert resp.status_code == 400 and "ratings" in resp.get_data(as_text=True)
    capped = create_app(Settings(state_dir=tmp_path, audience_cap=Audience.PUBLIC)).server.test_client()
    log_in(capped, Role.STAFF)  # a kiosk server: public whoever logs in
    assert capped.get("/export/map.png?measure=rating&size=a4").status_code == 400


def test_renders_beyond_the_workers_slots_are_refused_as_busy(monkeypatch):
    import threading

    from werkzeug.exceptions import HTTPException

    from dashboard.exports import routes

    monkeypatch.setattr(routes, "RENDER_WAIT_S", 5)
    slots = routes._RenderSlots(1, 1)
    assert slots.run(lambda x: x * 2, 21) == 42
    rendering, release = threading.Event(), threading.Event()
    results = []

    def slow():
        rendering.set()
        release.wait(5)
        return b"first"

    first = threading.Thread(target=lambda: results.append(slots.run(slow)))
    first.start()
    rendering.wait(5)
    second = threading.Thread(target=lambda: results.append(slots.run(lambda: b"second")))  # waits its turn
    second.start()
    for _ in range(500):  # until the second request has been admitted to wait (a bound, not a timing)
        if not slots._admission._value:
            break
        threading.Event().wait(0.01)
    with pytest.raises(HTTPException) as busy:  # a third finds the queue full: refused at once
        slots.run(lambda: b"third")
    assert busy.value.response.status_code == 503 and busy.value.response.headers["Retry-After"] == "30"
    release.set()
    first.join(5)
    second.join(5)
    assert sorted(results) == [b"first", b"second"]
    assert slots.run(lambda: b"png") == b"png"  # free again


# --- dossier map furniture, story, English ----------------------------------------------------------------


def _full_pages(ds, belt_id, lang):
    from dashboard.exports.routes import dossier_map

    state = ViewState(belt=belt_id, lang=lang)
    meta = META if lang == "zh" else dataclasses.replace(META, note="Illustrative data (not surveyed): villages")
    return dossier_pages(belt_detail(ds, belt_id, 2018), snapshot_figure(state, Audience.PUBLIC, ds),
                         belt_member_table(ds, belt_id, 2018),
                         pillar_history(ds, frozenset(belt_members(ds, belt_id))), meta, lang,
                         dossier_map(ds, belt_id, lang))


def test_dossier_map_has_scale_bar_north_arrow_and_a_county_locator(dataset):
    overview = _full_pages(dataset, "B02", "zh")[0]
    layout = overview["layout"]
    assert len([s for s in layout["shapes"] if s.get("name") == "scale-bar"]) == 2
    assert [a for a in layout["annotations"] if a.get("name") == "north-arrow"]
    assert layout["geo3"]["domain"]["x"][1] <= layout["geo"]["domain"]["x"][1]
    locator = {tr["uid"] for tr in overview["data"] if tr.get("geo") == "geo3"}
    assert locator == {"locator-county", "locator-frame", "locator-belt"}


def test_dossier_tells_the_belts_bulletin_story(dataset):
    overview = _full_pages(dataset, "B02", "zh")[0]
    (story,) = [a for a in overview["layout"]["annotations"] if a.get("name") == "story"]
    s01 = dataset.layer("stories").set_index("story_id").loc["S01"]
    assert s01.title in story["text"] and s01.text[:10] in story["text"].replace("<br>", "")
    quiet = _full_pages(dataset, "B04", "zh")[0]
    (none,) = [a for a in quiet["layout"]["annotations"] if a.get("name") == "story"]
    assert "未单独记载" in none["text"]


def test_english_dossier_is_english_but_for_the_cited_source(dataset):
    import re

    pages = _full_pages(dataset, "B02", "en")
    shown = [{k: v for k, v in tr.items() if k != "geojson"} for p in pages for tr in p["data"]]  # shapes only
    text = json.dumps([shown, [p["layout"] for p in pages]], ensure_ascii=False).replace(META.source, "")
    assert not re.findall("[\u4e00-\u9fff]", text)
    assert pages[0]["layout"]["annotations"][0]["text"].startswith("B02 Honggaoliangjiuxiang Belt")


# --- county dossier -----------------------------------------------------------------------------------------


def test_county_dossier_ranks_the_21_belts_one_line_each(dataset):
    from dashboard.exports.routes import county_dossier_figures

    overview, ranking = county_dossier_figures(dataset, Settings(), "zh", 2018, "2026-12-02")
    table = ranking["data"][0]
    ranks, names, _towns, villages, _len, scores, _best = table["cells"]["values"]
    assert ranks == list(range(1, 22)) and sorted(names) == sorted(dataset.belts().name)
    values = [float(s) for s in scores]
    assert values == sorted(values, reverse=True)
    counts = dataset.belt_villages().groupby("belt_id").size()
    by_name = dict(zip(dataset.belts().name, dataset.belts().belt_id))
    assert [counts[by_name[n]] for n in names] == villages
    assert len([s for s in overview["layout"]["shapes"] if s.get("name") == "scale-bar"]) == 2
    assert [tr for tr in overview["data"] if tr["type"] == "bar"][0]["y"] == ["组织", "生态", "产业", "人才", "文化"]
    facts = next(tr for tr in overview["data"] if tr["type"] == "table")["cells"]["values"]
    assert dict(zip(*facts))["示范带"] == "21"


def test_county_route_checks_its_parameters(client):
    assert client.get("/export/county.pdf?year=1990").status_code == 400
    assert client.get("/export/county.pdf?lang=xx").status_code == 400


def test_one_user_has_one_render_at_a_time():
    import threading

    from werkzeug.exceptions import HTTPException

    from dashboard.exports import routes

    slots = routes._RenderSlots(1, 5)
    started, release = threading.Event(), threading.Event()

    def slow():
        started.set()
        release.wait(5)
        return b"first"

    results = []
    first = threading.Thread(target=lambda: results.append(slots.run(slow, user="10.0.0.1")))
    first.start()
    started.wait(5)
    with pytest.raises(HTTPException) as again:  # the same user asks for another size meanwhile
        slots.run(lambda: b"second", user="10.0.0.1")
    assert again.value.response.status_code == 429
    other = threading.Thread(target=lambda: results.append(slots.run(lambda: b"other", user="10.0.0.2")))
    other.start()  # someone else still gets in line
    release.set()
    first.join(5)
    other.join(5)
    assert sorted(results) == [b"first", b"other"]
    assert slots.run(lambda: b"again", user="10.0.0.1") == b"again"  # free once the first arrived
