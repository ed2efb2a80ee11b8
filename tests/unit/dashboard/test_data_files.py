"""Data downloads of a view state's scope: each format reads back to the same rows; the public gets no
personal fields; the routes answer files, 400 for a bad state and 404 for an unknown format."""

from __future__ import annotations

import io

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest

from callbacks.exports import data_hrefs
from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.exports.data_files import PERSONAL_COLUMNS, to_bytes, village_table
from dashboard.state import ViewState
from geodata import Audience
from geodata.queries import belt_members


@pytest.fixture(scope="module")
def table(dataset):
    return village_table(dataset, ViewState(belt="B05", year=2017), Audience.STAFF)


def test_the_table_is_the_scopes_villages_with_their_belts_and_indicators(dataset, table):
    assert sorted(table.code) == sorted(belt_members(dataset, "B05"))
    assert all("B05" in b.split(";") for b in table.belts)
    ind = dataset.indicators()
    code = table.code.iloc[0]
    expected = ind[(ind.village_code == code) & (ind.year == 2017) & (ind.indicator == "collective_income")].value
    assert table.set_index("code").loc[code, "collective_income"] == pytest.approx(float(expected.iloc[0]))
    assert (table.year == 2017).all() and table.crs.to_epsg() == 4326


def test_a_township_and_the_county_scope(dataset):
    town = dataset.townships().code.iloc[0]
    t = village_table(dataset, ViewState(township=town), Audience.PUBLIC)
    assert set(t.township_code) == {town}
    assert len(village_table(dataset, ViewState(), Audience.PUBLIC)) == len(dataset.villages())


def test_the_public_gets_no_personal_fields(dataset, table):
    public = village_table(dataset, ViewState(belt="B05", year=2017), Audience.PUBLIC)
    assert not set(PERSONAL_COLUMNS) & set(public.columns)
    assert set(PERSONAL_COLUMNS) <= set(table.columns) and table.first_secretaries.str.len().sum() > 0
    names = set(dataset.layer("cadres").name)
    book = openpyxl.load_workbook(io.BytesIO(to_bytes(dataset, public, "xlsx")), read_only=True)
    cells = " ".join(str(v) for row in book["villages"].values for v in row)
    texts = [to_bytes(dataset, public, fmt).decode("utf-8-sig") for fmt in ("csv", "geojson")] + [cells]
    assert public.name.iloc[0] in cells  # the check reads the real cells
    for text in texts:
        assert not [n for n in names if n in text]


def _same_rows(frame: pd.DataFrame, table: pd.DataFrame) -> None:
    assert frame.code.astype(str).tolist() == table.code.tolist()
    assert frame.name.tolist() == table.name.tolist()
    assert frame.belts.fillna("").tolist() == table.belts.tolist()
    assert frame.score_overall.round(1).tolist() == table.score_overall.tolist()


def test_csv_is_utf8_with_a_bom_and_reads_back(dataset, table):
    body = to_bytes(dataset, table, "csv")
    assert body.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(body), encoding="utf-8-sig", dtype={"code": str, "township_code": str})
    _same_rows(frame, table)
    assert {"lon", "lat"} <= set(frame.columns)


def test_xlsx_reads_back_with_openpyxl(dataset, table):
    book = openpyxl.load_workbook(io.BytesIO(to_bytes(dataset, table, "xlsx")), read_only=True)
    assert book.sheetnames == ["villages", "columns"]
    rows = list(book["villages"].values)
    frame = pd.DataFrame(rows[1:], columns=rows[0])
    _same_rows(frame, table)
    notes = list(book["columns"].values)
    assert ("collective_income", "村集体经济收入", "Village collective income", "万元") in notes


@pytest.mark.parametrize("fmt", ["geojson", "gpkg"])
def test_geodata_files_read_back_with_geopandas(dataset, table, fmt):
    frame = gpd.read_file(io.BytesIO(to_bytes(dataset, table, fmt)))
    _same_rows(frame, table)
    assert frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    assert frame.total_bounds == pytest.approx(table.total_bounds, abs=1e-9)


@pytest.fixture(scope="module")
def public_client():
    return create_app(Settings(audience_cap=Audience.PUBLIC)).server.test_client()


@pytest.mark.parametrize("fmt, mimetype", [("csv", "text/csv"), ("geojson", "application/geo+json")])
def test_data_routes_answer_files_of_the_scope(public_client, dataset, fmt, mimetype):
    resp = public_client.get(f"/export/data.{fmt}?belt=B05&year=2016")
    assert resp.status_code == 200 and resp.mimetype == mimetype
    assert "attachment" in resp.headers["Content-Disposition"]
    assert "first_secretaries" not in resp.get_data(as_text=True)


@pytest.mark.parametrize("url, status", [("/export/data.exe", 404), ("/export/data.csv?belt=B99", 400),
                                         ("/export/data.csv?year=1990", 400), ("/export/data", 404)])
def test_data_routes_refuse_what_they_do_not_know(public_client, url, status):
    assert public_client.get(url).status_code == status


def test_the_page_links_the_data_of_the_state_the_map_shows(dataset):
    hrefs = data_hrefs(ViewState(belt="B03", year=2016).to_dict(), "/kb/", dataset)
    assert hrefs == [f"/kb/export/data.{f}?belt=B03&year=2016" for f in ("csv", "xlsx", "geojson", "gpkg")]
    assert data_hrefs({"belt": "B99"}, "/", dataset)[0] == "/export/data.csv"
