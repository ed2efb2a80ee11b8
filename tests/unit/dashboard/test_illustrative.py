"""示意 comes from the data: after surveyed village boundaries are imported, the village layer loses its
mark on the map, in the legend, in the notice and in the exports, while still-synthetic layers keep theirs."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.explorer_layout import layer_options
from dashboard.exports.dossier import DossierMeta, dossier_pages
from dashboard.exports.routes import DOSSIER_LAYERS, map_sheet
from dashboard.exports.snapshot import SIZES, snapshot_figure
from dashboard.figures.map import build_map_figure, trace_index
from dashboard.illustrative import export_note, marked_switches, notice, state_layers
from dashboard.layout import synthetic_note
from dashboard.map_data import map_data_for
from dashboard.state import ViewState
from geodata import Audience, open_dataset
from geodata.figures import pillar_history
from geodata.provenance import NOTHING, derive, illustration
from geodata.queries import belt_detail, belt_member_table, belt_members
from tests.unit.geodata.files import check, shipped_layer


@pytest.fixture(scope="module")
def surveyed(tmp_path_factory):
    """The shipped dataset after a department imported its surveyed village boundaries (synthetic false)."""
    work = tmp_path_factory.mktemp("surveyed")
    villages = shipped_layer("villages").assign(synthetic=False)
    path = work / "villages.geojson"
    path.write_text(villages.to_json(), encoding="utf-8")
    report = check(path, work / "candidate")
    assert report.ok, [i.message_en for i in report.issues if i.level == "error"]
    return open_dataset(work / "candidate" / "kaihua.gpkg")


def _note_text(ill, lang: str) -> str:
    return "".join(str(c.children) for c in synthetic_note(ill, lang).children)


def _real_and_made(ill, lang: str = "zh") -> tuple[str, str]:
    _, text = notice(ill, lang)
    real, made = text.split(";" if lang == "zh" else "; ")
    return real, made


def test_the_rule_reads_provenance_and_feature_flags():
    prov = pd.DataFrame({"layer": ["a", "b", "c", "d"], "synthetic": [True, False, False, False]})
    flags = {"b": pd.Series([True, True]), "c": pd.Series([True, False]), "d": pd.Series([False])}
    ill = derive(prov, flags)
    assert ill.layers == {"a", "b"} and ill.partly == {"c"}


def test_shipped_data_marks_every_synthetic_layer(dataset):
    ill = illustration(dataset)
    assert {"villages", "townships", "belts", "ponds", "indicators"} <= ill.layers
    assert "county" not in ill.layers and "rivers" in ill.partly
    real, made = _real_and_made(ill)
    assert "村界" in made and "示范带路线" in made and "县界" in real and "主要河流" in real and "支流" in made
    assert {"villages", "belts", "townships"} <= marked_switches(ill) and "county" not in marked_switches(ill)


def test_surveyed_villages_lose_their_mark_and_only_they(dataset, surveyed):
    before, after = illustration(dataset), illustration(surveyed)
    assert before.layers - after.layers == {"villages"} and after.partly == before.partly
    prov = surveyed.provenance().set_index("layer")
    assert not prov.loc["villages", "synthetic"] and prov.loc["belts", "synthetic"]
    for lang, village, belt in (("zh", "村界", "示范带路线"), ("en", "village boundaries", "belt routes")):
        real, made = _real_and_made(after, lang)
        assert village in real and village not in made and belt in made


def test_map_legend_and_layer_switches_follow_the_data(dataset, surveyed):
    for ds, village_marked in ((dataset, True), (surveyed, False)):
        fig = build_map_figure(map_data_for(Audience.STAFF, ds, "/"), "zh")
        names = {tr["uid"]: tr.get("name", "") for tr in fig["data"]}
        assert ("示意" in names["villages"]) is village_marked
        belts_title = fig["data"][trace_index(fig, "belt-B01")]["legendgrouptitle"]["text"]
        assert "示意" in names["townships"] and "示意" in belts_title and "示意" in names["ponds"]
        assert "示意" not in names["county"]
        options = {o["value"]: o["label"] for o in layer_options("en", illustration(ds))}
        assert ("illustrative" in options["villages"]) is village_marked
        assert "illustrative" in options["belts"] and "illustrative" not in options["county"]
        assert fig["data"][trace_index(fig, "villages")]["type"] == "choropleth"


def test_export_footers_follow_the_data(dataset, surveyed):
    state = ViewState()
    for ds, village_marked in ((dataset, True), (surveyed, False)):
        fig = map_sheet(ds, Settings(), Audience.PUBLIC, state, SIZES["1080p"], "2026-12-02")
        footer = " ".join(a.get("text", "") for a in fig["layout"]["annotations"])
        assert ("村界" in footer) is village_marked and "示范带路线" in footer and "示意" in footer
        meta = DossierMeta(ds.version, "2026-12-02", "bulletin",
                           export_note(illustration(ds), "en", state_layers(DOSSIER_LAYERS, "score")))
        members = frozenset(belt_members(ds, "B05"))
        pages = dossier_pages(belt_detail(ds, "B05", 2018), snapshot_figure(state, Audience.PUBLIC, ds),
                              belt_member_table(ds, "B05", 2018), pillar_history(ds, members), meta, "en")
        page_footer = " ".join(a.get("text", "") for a in pages[0]["layout"]["annotations"])
        assert ("village boundaries" in page_footer) is village_marked and "belt routes" in page_footer


def test_notice_says_illustrative_once(dataset):
    zh, en = _note_text(illustration(dataset), "zh"), _note_text(illustration(dataset), "en")
    assert zh.count("示意") == 2 and "示意示意" not in zh and zh.startswith("示意数据 · ")  # label + "示意数据" in text
    assert "illustrativeIllustrative" not in en and en.lower().count("illustrative") == 1


def test_nothing_illustrative_hides_the_notice():
    assert notice(NOTHING, "zh") is None
    note = synthetic_note(NOTHING, "zh")
    assert note.hidden and note.children == [] and export_note(NOTHING, "en") == ""


def _served_layout(ds) -> str:
    client = create_app(Settings(data_path=ds.path)).server.test_client()
    return json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)


def test_page_served_on_surveyed_data_has_no_village_mark(dataset, surveyed):
    shipped, after = _served_layout(dataset), _served_layout(surveyed)
    assert "村(社区) (示意)" in shipped and "乡镇界、村界、支流" in shipped  # (the legend, the switch, the notice)
    assert "村(社区) (示意)" not in after and "村界、主要河流为真实数据;乡镇界、支流" in after
    assert "示范带 (示意)" in after and "乡镇 (示意)" in after
