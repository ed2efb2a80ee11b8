"""Where imported data must lie: web-map offsets found, counties taken from the data (province scale)."""

from __future__ import annotations

import pytest

from geodata import open_dataset
from geodata.build.gcj02 import bd09_to_gcj02, gcj02_to_wgs84, wgs84_to_gcj02
from geodata.build.generate import write_gpkg
from geodata.build.province import build_province
from geodata.importing import Options
from geodata.placement import _shifted
from geodata.versions import publish, stage
from tests.unit.geodata.files import check, messages, shipped_layer, write_csv

GCJ_FIX = "as GCJ-02 (Amap, Tencent) coordinates declared as WGS84 are: import it with --crs gcj02"


def _wgs84_to_bd09(lon, lat):
    """The inverse of bd09 -> gcj02 composed with wgs84 -> gcj02 (a Baidu export of WGS84 positions)."""
    import numpy as np

    glon, glat = wgs84_to_gcj02(lon, lat)
    # bd09_to_gcj02 has no closed inverse here: invert it by fixed-point iteration
    blon, blat = np.array(glon, dtype=float), np.array(glat, dtype=float)
    for _ in range(8):
        tlon, tlat = bd09_to_gcj02(blon, blat)
        blon, blat = blon + (glon - tlon), blat + (glat - tlat)
    return blon, blat


def _as(layer: str, convert, tmp_path, rows: int | None = None, **columns):
    frame = shipped_layer(layer)
    frame = frame.head(rows) if rows else frame
    frame = frame.assign(**columns).set_geometry(_shifted(frame.geometry.values, convert), crs="EPSG:4326")
    path = tmp_path / f"{layer}.geojson"
    path.write_text(frame.to_json(), encoding="utf-8")
    return path


def _offset_errors(report) -> list[str]:
    return [m for m in messages(report) if "offset by about" in m]


@pytest.mark.parametrize("layer", ["villages", "ponds", "belts"])
def test_gcj02_declared_as_wgs84_is_an_error_with_the_fix(tmp_path, layer):
    path = _as(layer, wgs84_to_gcj02, tmp_path)
    errors = _offset_errors(check(path, tmp_path / "work"))
    assert len(errors) == 1 and errors[0].endswith(GCJ_FIX)
    shift = float(errors[0].split("about ")[1].split(" m")[0])
    assert 400 <= shift <= 800  # what GCJ-02 shifts by in Kaihua
    assert check(path, tmp_path / "fixed", crs="gcj02").ok  # ... and the fix it names works


def test_a_few_features_are_enough(tmp_path):
    errors = _offset_errors(check(_as("ponds", wgs84_to_gcj02, tmp_path, rows=5), tmp_path / "work"))
    assert len(errors) == 1 and GCJ_FIX in errors[0]


def test_bd09_is_told_apart_from_gcj02(tmp_path):
    errors = _offset_errors(check(_as("ponds", _wgs84_to_bd09, tmp_path), tmp_path / "work"))
    assert len(errors) == 1 and errors[0].endswith("import it with --crs bd09")


def test_an_outline_with_new_codes_is_judged_against_the_county_outline(tmp_path):
    """No feature to match by key: the layer's fit with the county outline says it."""
    report = check(_as("county", wgs84_to_gcj02, tmp_path, code="330825"), tmp_path / "work")
    assert len(_offset_errors(report)) == 1 and GCJ_FIX in _offset_errors(report)[0]


def test_true_wgs84_and_small_survey_differences_pass(tmp_path):
    def nudge(lon, lat):  # a resurvey: each vertex moved by up to ~20 m, no common direction
        import numpy as np

        rng = np.random.default_rng(7)
        return lon + rng.normal(0, 1e-4, len(lon)), lat + rng.normal(0, 1e-4, len(lat))

    assert check(_as("villages", lambda x, y: (x, y), tmp_path), tmp_path / "same").ok
    assert not _offset_errors(check(_as("ponds", nudge, tmp_path), tmp_path / "nudged"))
    # a file already converted the other way (GCJ-02 -> WGS84 twice) is off, but not as GCJ-02 is: no false fix
    assert not _offset_errors(check(_as("ponds", lambda x, y: gcj02_to_wgs84(x, y), tmp_path),
                                    tmp_path / "twice"))


def test_province_scale_data_imports_with_the_county_codes_it_carries(tmp_path, dataset):
    """No county code is fixed in validation: a two-county file is checked against its own counties."""
    province = tmp_path / "province.gpkg"
    write_gpkg(build_province(dataset, 2), province)
    store = tmp_path / "store"
    staged = stage(store, province, "province.gpkg", Options())
    assert staged.token, messages(staged.report)
    publish(store, staged.token)
    assert sorted(open_dataset(store).county().code) == ["330824", "338801"]

    chiefs = open_dataset(store).layer("river_chiefs")
    other = chiefs[chiefs.village_code.str.startswith("338801")].head(3).drop(columns="synthetic")
    ok = stage(store, write_csv(tmp_path / "river_chiefs.csv", other), "river_chiefs.csv", Options())
    assert ok.token, messages(ok.report)
    stray = other.assign(village_code="339999100201")
    report = stage(store, write_csv(tmp_path / "stray.csv", stray), "river_chiefs.csv", Options()).report
    assert ("village code must be 12 digits starting the code of one of the dataset's 2 counties "
            "(330824, 338801) ('339999100201')") in messages(report)
