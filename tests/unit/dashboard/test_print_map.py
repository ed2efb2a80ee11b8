"""The furnished print map (pure builders): framing, scale bar, north arrow, legend, title and footer."""

from __future__ import annotations

import json
import math

import pytest

from dashboard.exports.framing import fit_frame, nice_length
from dashboard.exports.furniture import PX_PER_PT, sheet_for
from dashboard.exports.names import belt_label, romanise
from dashboard.exports.snapshot import SIZES, layout_scale, print_map, sheet_text
from dashboard.figures.map import trace_index
from dashboard.state import ViewState
from geodata import Audience
from geodata.provenance import illustrative_layers
from geodata.versions import DataEdition, data_edition

EDITION = DataEdition("v0003", "2026-11-28", "2019 survey")


def _sheet(ds, state, size="a4", edition=EDITION):
    text = sheet_text(ds, state, Audience.STAFF, edition, "2026-12-02", "开化县示范带")
    return print_map(state, Audience.STAFF, ds, SIZES[size], text)


def _notes(fig, name):
    return [a for a in fig["layout"]["annotations"] if a.get("name") == name]


def _merc(lat):
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def test_a_frame_has_the_aspect_of_its_box_and_holds_the_bounds():
    bounds = (118.1, 29.0, 118.6, 29.5)
    frame = fit_frame(bounds, 1000, 500)
    (lon0, lon1), (lat0, lat1) = frame.lon_range, frame.lat_range
    assert lon0 < 118.1 and lon1 > 118.6 and lat0 < 29.0 and lat1 > 29.5
    aspect = math.radians(lon1 - lon0) / (_merc(lat1) - _merc(lat0))
    assert aspect == pytest.approx(2.0, rel=1e-4)
    # a degree of longitude at 29.25 N is about 97 km; the frame's width is its span
    assert frame.km_per_px * 1000 == pytest.approx((lon1 - lon0) * 111.32 * math.cos(math.radians(frame.center[1])),
                                                   rel=1e-6)


@pytest.mark.parametrize("limit, length", [(7.3, 5), (19.9, 10), (20, 20), (0.34, 0.2), (130, 100)])
def test_scale_bar_lengths_are_round(limit, length):
    assert nice_length(limit) == pytest.approx(length)


def test_the_scale_bar_is_as_long_on_paper_as_its_kilometres_on_the_ground(dataset):
    fig = _sheet(dataset, ViewState(measure="score"))
    width, height, _ = layout_scale(SIZES["a4"])
    sheet = sheet_for(width, height)
    geo = fig["layout"]["geo"]
    lon0, lon1 = geo["lonaxis"]["range"]
    map_px = (geo["domain"]["x"][1] - geo["domain"]["x"][0]) * sheet.plot_w
    km_per_px = (lon1 - lon0) * 111.32 * math.cos(math.radians(geo["center"]["lat"])) / map_px
    bars = [s for s in fig["layout"]["shapes"] if s.get("name") == "scale-bar"]
    assert len(bars) == 2
    bar_px = (max(s["x1"] for s in bars) - min(s["x0"] for s in bars)) * sheet.plot_w
    label = _notes(fig, "scale-bar")[-1]["text"]
    assert label.endswith("公里")
    assert bar_px * km_per_px == pytest.approx(float(label.split()[0]), rel=1e-3)


def test_every_sheet_has_a_north_arrow_pointing_up(dataset):
    for size in ("1080p", "a4-portrait"):
        (arrow,) = _notes(_sheet(dataset, ViewState(), size), "north-arrow")
        assert arrow["showarrow"] and arrow["ax"] == 0 and arrow["ay"] > 0  # tail below the head
        assert "北" in arrow["text"]


def test_the_legend_names_each_belt_drawn_in_its_colour(dataset):
    fig = _sheet(dataset, ViewState(measure="score"))
    belts = dataset.belts().sort_values("belt_id")
    entries = {tr["name"]: tr["line"]["color"] for tr in fig["data"]
               if tr.get("uid", "").startswith("belt-") and tr.get("showlegend")}
    assert sorted(entries) == sorted(belts.name)
    b05 = fig["data"][trace_index(fig, "belt-B05")]
    assert entries["清水鱼富民带"] == b05["line"]["color"]
    assert fig["layout"]["showlegend"] is True


def test_without_the_belt_layer_no_belt_is_in_the_legend(dataset):
    fig = _sheet(dataset, ViewState(layers=("villages", "county")))
    assert not [tr for tr in fig["data"] if tr.get("uid", "").startswith("belt-") and tr.get("visible")]


def test_the_measures_colour_scale_has_its_unit(dataset):
    fig = _sheet(dataset, ViewState(measure="score"))
    villages = fig["data"][trace_index(fig, "villages")]
    assert villages["showscale"] is True
    assert "(分)" in villages["colorbar"]["title"]["text"]
    assert villages["colorbar"]["orientation"] == "h"


def test_title_names_scope_measure_and_year_and_the_footer_source_version_date(dataset):
    fig = _sheet(dataset, ViewState(belt="B05", measure="score", year=2017))
    (title,) = _notes(fig, "title")
    assert "清水鱼富民带" in title["text"] and "综合得分" in title["text"] and "2017年" in title["text"]
    (source,) = _notes(fig, "source")
    assert source["text"].startswith("资料来源: ") and dataset.meta()["source_document"] in source["text"]
    (edition,) = _notes(fig, "edition")
    assert "v0003" in edition["text"] and "2026-11-28" in edition["text"] and "2019 survey" in edition["text"]
    assert "2026-12-02" in edition["text"] and dataset.version not in edition["text"]  # no hash
    (mark,) = _notes(fig, "illustrative")
    assert "示意" in mark["text"]


def test_the_english_sheet_is_english(dataset):
    fig = _sheet(dataset, ViewState(measure="score", lang="en"))
    (title,) = _notes(fig, "title")
    assert title["text"] == "<b>Kaihua County · Overall score · 2018</b>"
    names = [tr["name"] for tr in fig["data"] if tr.get("uid", "").startswith("belt-")]
    assert names[4] == "B05 Qingshuiyufumin Belt"
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in "".join(names))
    assert _notes(fig, "source")[0]["text"].startswith("Source: ")
    assert _notes(fig, "north-arrow")[0]["text"] == "<b>N</b>"
    assert _notes(fig, "scale-bar")[-1]["text"].endswith(" km")


def test_the_illustrative_mark_follows_the_data(dataset):
    assert {"villages", "belts"} <= illustrative_layers(dataset)
    real_only = ViewState(layers=("county",))
    assert "county" not in illustrative_layers(dataset)
    assert not _notes(_sheet(dataset, real_only), "illustrative")


def test_type_on_paper_is_in_points(dataset):
    fig = _sheet(dataset, ViewState())
    (title,) = _notes(fig, "title")
    assert title["font"]["size"] == pytest.approx(16 * PX_PER_PT, abs=0.01)
    assert fig["layout"]["width"] == 1123 and fig["layout"]["height"] == 794


def test_the_shipped_data_reads_as_its_build_date(dataset):
    edition = data_edition(dataset.path)
    assert edition.version_id is None and len(edition.published) == 10
    fig = _sheet(dataset, ViewState(), edition=edition)
    assert "生成于" in _notes(fig, "edition")[0]["text"]


def test_a_store_version_reads_as_its_publish_date_and_note(tmp_path):
    folder = tmp_path / "versions" / "v0002"
    folder.mkdir(parents=True)
    (folder / "kaihua.gpkg").write_bytes(b"")
    (folder / "version.json").write_text(json.dumps({"id": "v0002", "created": "2026-11-30T10:00:00Z",
                                                     "note": "2019 survey"}), encoding="utf-8")
    assert data_edition(folder / "kaihua.gpkg") == DataEdition("v0002", "2026-11-30", "2019 survey")


def test_romanised_names():
    assert romanise("马金溪") == "Majinxi"
    assert belt_label("B05", "清水鱼富民带", "en") == "B05 Qingshuiyufumin Belt"
    assert belt_label("B05", "清水鱼富民带", "zh") == "清水鱼富民带"
