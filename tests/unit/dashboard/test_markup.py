"""Text from data never turns into plotly markup: every builder escapes it (map, charts, PNG, PDF)."""

from __future__ import annotations

import json

import pytest

from callbacks.charts import chart_outputs
from dashboard.config import Settings
from dashboard.exports.dossier import DossierMeta, dossier_pages
from dashboard.exports.routes import map_sheet
from dashboard.exports.snapshot import SIZES, snapshot_figure
from dashboard.figures.text import escape_plotly_text
from dashboard.map_view import reference_figure
from dashboard.state import ViewState
from geodata import Audience, open_dataset
from geodata.figures import pillar_history
from geodata.queries import belt_detail, belt_member_table, belt_members
from tests.markup import PAYLOAD, poisoned_gpkg

# as they appear inside JSON text (the quotes of href="..." are escaped there)
RAW = json.dumps(PAYLOAD, ensure_ascii=False)[1:-1]
ESCAPED = json.dumps(escape_plotly_text(PAYLOAD), ensure_ascii=False)[1:-1]


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory):
    return open_dataset(poisoned_gpkg(tmp_path_factory.mktemp("markup") / "markup.gpkg"))


def _text(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, default=lambda o: o.to_plotly_json() if hasattr(o, "to_plotly_json")
                      else str(o))


def test_the_check_sees_raw_markup():
    assert RAW in _text({"text": PAYLOAD}) and ESCAPED not in _text({"text": PAYLOAD})


def test_escape_keeps_text_and_disarms_markup():
    assert escape_plotly_text('<a href="x">&</a>') == '&lt;a href="x"&gt;&amp;&lt;/a&gt;'
    assert escape_plotly_text("开化 · Kaihua") == "开化 · Kaihua" and escape_plotly_text(3) == 3


@pytest.mark.parametrize("audience", [Audience.PUBLIC, Audience.STAFF])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_map_figure_carries_data_text_escaped_only(poisoned, audience, lang):
    text = _text(reference_figure(audience, poisoned, lang, "/", None))
    assert RAW not in text and text.count(ESCAPED) > 300  # villages, townships, belts, overlays, stories


def test_charts_carry_data_text_escaped_only(poisoned):
    for state in (ViewState(), ViewState(belt="B05"), ViewState(measure="indicator:forest_cover", belt="B03"),
                  ViewState(village=poisoned.villages().code.iloc[0], lang="en")):
        out = chart_outputs(poisoned, Audience.STAFF, state)
        figures = {k: v for k, v in out.items() if k not in ("key_figures", "scope_title")}
        text = _text(figures)
        assert RAW not in text and ESCAPED in text


def test_png_and_pdf_figures_carry_data_text_escaped_only(poisoned):
    state = ViewState(belt="B05", layers=("villages", "townships", "county", "belts", "stories", "sites"))
    png = map_sheet(poisoned, Settings(title=PAYLOAD + "title"), Audience.STAFF, state, SIZES["1080p"], "day")
    text = _text(png)
    assert RAW not in text and ESCAPED + "title" in text
    meta = DossierMeta(data_version="v1", generated="day", source=PAYLOAD)
    pages = dossier_pages(belt_detail(poisoned, "B05", 2018), snapshot_figure(state, Audience.PUBLIC, poisoned),
                          belt_member_table(poisoned, "B05", 2018),
                          pillar_history(poisoned, frozenset(belt_members(poisoned, "B05"))), meta, "zh")
    text = _text(pages)
    assert RAW not in text and ESCAPED in text
