"""Every supported format imports, in every CRS it may come in, with Chinese text intact."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from geodata.build.gcj02 import wgs84_to_gcj02
from geodata.io.shapefile import dbf_encoding
from tests.unit.geodata.files import (
    belt_placemark,
    check,
    indicators_long,
    kml,
    messages,
    shapefile_zip,
    shipped_layer,
    write_csv,
    xlsx,
)


def test_geojson_villages_pass(tmp_path):
    path = tmp_path / "villages.geojson"
    shipped_layer("villages").to_file(path, driver="GeoJSON")
    report = check(path, tmp_path / "work")
    assert report.ok, report.lines("en")
    assert report.rows == {"villages": 266}
    assert (tmp_path / "work" / "kaihua.gpkg").is_file()


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_csv_indicators_long_form_in_utf8_or_gbk(tmp_path, encoding):
    frame = indicators_long()
    path = write_csv(tmp_path / "indicators.csv", frame.assign(village_code=frame.village_code), encoding)
    report = check(path, tmp_path / "work")
    assert report.ok, report.lines("en")
    assert report.rows == {"indicators": 40}


def test_csv_chief_roster_in_gbk_keeps_chinese_names(tmp_path):
    roster = shipped_layer("river_chiefs").drop(columns="synthetic").assign(name="汪某甲")
    path = write_csv(tmp_path / "河长名册.csv", roster, "gbk")
    report = check(path, tmp_path / "work", layer="river_chiefs")
    assert report.ok, report.lines("en")
    import pyogrio

    stored = pyogrio.read_dataframe(tmp_path / "work" / "kaihua.gpkg", layer="river_chiefs")
    assert set(stored.name) == {"汪某甲"} and not stored.synthetic.any()


def test_roster_without_layer_is_ambiguous(tmp_path):
    roster = shipped_layer("pond_chiefs").drop(columns="synthetic")
    report = check(write_csv(tmp_path / "roster.csv", roster), tmp_path / "work")
    assert messages(report) == ["cannot tell which layer 'roster' is (river_chiefs, pond_chiefs, people): pass --layer"]


def test_wide_indicators_xlsx_become_long(tmp_path):
    long = indicators_long(40)
    wide = long.pivot_table(index=["village_code", "year"], columns="indicator", values="value").reset_index()
    report = check(xlsx(tmp_path / "指标.xlsx", wide), tmp_path / "work")
    assert report.ok, report.lines("en")
    assert report.rows == {"indicators": len(long)}
    assert "wide table converted to long form (village, year, indicator, value)" in messages(report, "repaired")


def _belts() -> pd.DataFrame:
    return shipped_layer("belts")


@pytest.mark.parametrize("epsg", [4326, 4490, 4549, 32650])
def test_shapefile_in_any_declared_crs_is_reprojected(tmp_path, epsg):
    belts = _belts()
    path = shapefile_zip(tmp_path / "belts.zip", belts.to_crs(epsg))
    work = tmp_path / "work"
    report = check(path, work)
    assert report.ok, report.lines("en")
    import pyogrio

    back = pyogrio.read_dataframe(work / "kaihua.gpkg", layer="belts")
    assert back.crs.to_epsg() == 4326
    assert np.allclose(back.total_bounds, belts.total_bounds, atol=1e-6)
    assert "field name township_c (truncated by the shapefile format) read as township_codes" in messages(
        report, "repaired")


def test_shapefile_without_prj_is_refused_with_the_fix(tmp_path):
    path = shapefile_zip(tmp_path / "belts.zip", _belts().to_crs(4549), prj=False)
    report = check(path, tmp_path / "work")
    assert messages(report) == ["the file declares no coordinate system: add a .prj file, or declare it with "
                                "--crs (e.g. --crs EPSG:4549, --crs gcj02)"]
    assert check(path, tmp_path / "work2", crs="EPSG:4549").ok


@pytest.mark.parametrize("encoding, cpg", [("UTF-8", True), ("UTF-8", False), ("GBK", True), ("GBK", False)])
def test_shapefile_attribute_text_in_gbk_or_utf8(tmp_path, encoding, cpg):
    belts = _belts()
    path = shapefile_zip(tmp_path / "belts.zip", belts, encoding=encoding, cpg=cpg)
    work = tmp_path / "work"
    assert check(path, work).ok
    import pyogrio

    back = pyogrio.read_dataframe(work / "kaihua.gpkg", layer="belts")
    assert list(back.name) == list(belts.name)  # e.g. 马金溪 ... survives either encoding


def test_dbf_encoding_detection(tmp_path):
    for enc in ("GBK", "UTF-8"):
        shapefile_zip(tmp_path / f"{enc}.zip", _belts(), encoding=enc)
        assert dbf_encoding(tmp_path / f"{enc}_shp" / "layer.dbf") == enc


def _belt_kml(transform=None) -> bytes:
    marks = []
    for row in _belts().itertuples():
        coords = np.asarray(row.geometry.coords)
        if transform:
            coords = np.column_stack(transform(coords[:, 0], coords[:, 1]))
        fields = {k: getattr(row, k) for k in ("name", "theme", "pillar", "township_codes", "village_count",
                                               "length_km", "lead_dept_id")}
        marks.append(belt_placemark(row.belt_id, [tuple(c) for c in coords], **fields))
    return kml("".join(marks))


def test_kml_belts(tmp_path):
    path = tmp_path / "belts.kml"
    path.write_bytes(_belt_kml())
    report = check(path, tmp_path / "work")
    assert report.ok, report.lines("en")


def test_kml_in_gcj02_is_converted_when_declared(tmp_path):
    path = tmp_path / "belts.kml"
    path.write_bytes(_belt_kml(wgs84_to_gcj02))
    work = tmp_path / "work"
    assert check(path, work, crs="gcj02").ok
    import pyogrio

    back = pyogrio.read_dataframe(work / "kaihua.gpkg", layer="belts").set_index("belt_id")
    orig = _belts().set_index("belt_id")
    dist = [shapely.hausdorff_distance(back.geometry[k], orig.geometry[k]) for k in orig.index]
    assert max(dist) < 1e-6  # the GCJ-02 offset here is ~500 m (5e-3 degrees): it really was removed
    shifted = shapely.hausdorff_distance(shapely.transform(orig.geometry.iloc[0], lambda c: np.column_stack(
        wgs84_to_gcj02(c[:, 0], c[:, 1]))), orig.geometry.iloc[0])
    assert shifted > 1e-3


def test_gcj02_refused_for_projected_data(tmp_path):
    path = shapefile_zip(tmp_path / "belts.zip", _belts().to_crs(4549))
    assert messages(check(path, tmp_path / "work", crs="gcj02"))[0].startswith(
        "--crs gcj02 applies to longitude/latitude, but the file is projected")


@pytest.mark.parametrize("declared", ["EPSG:999999", "+proj=longlat +datum=WGS84", "/etc/passwd", "wgs84"])
def test_only_epsg_codes_or_offset_datums_are_accepted(tmp_path, declared):
    path = shapefile_zip(tmp_path / "belts.zip", _belts(), prj=False)
    assert messages(check(path, tmp_path / "work", crs=declared)) == [
        f"unknown coordinate system '{declared}': use gcj02, bd09 or EPSG:<code> (e.g. EPSG:4549)"]


def test_wide_table_findings_name_the_row_of_the_file(tmp_path):
    long = indicators_long(40)
    wide = long.pivot_table(index=["village_code", "year"], columns="indicator", values="value").reset_index()
    wide = pd.concat([wide, wide.iloc[[0]].assign(year=2019)], ignore_index=True).astype({"forest_cover": object})
    wide.loc[1, "forest_cover"] = "很多"
    report = check(write_csv(tmp_path / "indicators.csv", wide), tmp_path / "work")
    assert [(i.row, i.field) for i in report.errors] == [(2, "value")]


def test_xlsx_codes_stored_as_numbers_are_read_as_codes(tmp_path):
    frame = indicators_long(5)
    frame["village_code"] = frame.village_code.astype(float)  # what Excel does to a 12-digit code
    report = check(xlsx(tmp_path / "indicators.xlsx", frame), tmp_path / "work")
    assert report.ok, report.lines("en")
    assert report.preview["indicators"][0]["village_code"] == "330824106200"
