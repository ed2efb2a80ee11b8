"""Spatial work in PostGIS on province data: a county's villages, selected by index and simplified per zoom."""

from __future__ import annotations

import json

import pytest
import shapely
import sqlalchemy as sa

from geodata import db, open_dataset
from geodata.build.generate import write_gpkg
from geodata.build.province import build_province
from geodata.geojson import layer_geojson
from geodata.postgis.spatial import county_villages, tolerance
from geodata.postgis.versions import publish_file


@pytest.fixture(scope="module")
def province_file(tmp_path_factory, dataset):
    path = tmp_path_factory.mktemp("province") / "province.gpkg"
    write_gpkg(build_province(dataset, 3), path)
    return path


@pytest.fixture
def province_db(database_url, province_file):
    assert publish_file(database_url, province_file, "province.gpkg", "3 counties") == "v0001"
    return open_dataset(database_url)


def test_a_countys_villages_come_simplified_from_the_database(province_db, province_file):
    assert province_db.backend == "postgis"
    full = open_dataset(province_file).villages()
    full = full[full.code.str.startswith("338801")].reset_index(drop=True)
    for zoom in (8, 12):
        got = county_villages(province_db, "338801", zoom)
        assert got.code.tolist() == full.code.tolist()  # the county's villages, in the published order
        assert got.crs.to_epsg() == 4326 and got.geometry.is_valid.all()
        # simplified: no vertex moved further than the zoom's tolerance, and fewer vertices at the lower zoom
        dist = shapely.hausdorff_distance(got.geometry.values, full.geometry.values)
        assert (dist <= tolerance(zoom) * 1.0001).all()
    coarse = shapely.get_num_coordinates(county_villages(province_db, "338801", 8).geometry.values).sum()
    fine = shapely.get_num_coordinates(county_villages(province_db, "338801", 12).geometry.values).sum()
    assert coarse < fine <= shapely.get_num_coordinates(full.geometry.values).sum()


def test_the_drilled_county_geojson_is_served_from_the_database(province_db, province_file):
    served = json.loads(layer_geojson(province_db, "villages", "338802"))
    from_file = json.loads(layer_geojson(open_dataset(province_file), "villages", "338802"))
    assert [f["id"] for f in served["features"]] == [f["id"] for f in from_file["features"]]
    assert [f["properties"] for f in served["features"]] == [f["properties"] for f in from_file["features"]]
    assert len(json.dumps(served)) < len(json.dumps(from_file))  # simplified for the county's zoom


def test_the_indexes_the_query_needs_exist(province_db, database_url):
    with db.engine(database_url).connect() as conn:
        indexes = sa.inspect(conn).get_indexes("villages", schema="v0001")
    names = {i["name"] for i in indexes}
    assert {"villages_county_idx", "villages_code_idx", "villages__row_idx"} <= names
    assert any(i["name"].startswith("idx_villages_geometry") or "geometry" in i["column_names"] for i in indexes)


@pytest.mark.parametrize("bad", ["33", "33082x", "330824; drop", None])
def test_a_bad_county_code_is_refused(province_db, bad):
    with pytest.raises(ValueError, match="not a county code"):
        county_villages(province_db, bad)


def test_the_county_outlines_at_a_glance_come_simplified_from_the_database(province_db, province_file):
    from geodata.postgis.spatial import county_outlines
    from geodata.shapes import PROVINCE_PRECISION, PROVINCE_ZOOM, province_counties

    full = open_dataset(province_file).county()
    got = county_outlines(province_db, PROVINCE_ZOOM)
    assert got.code.tolist() == full.code.tolist() and list(got.columns) == list(full.columns)
    assert got.crs.to_epsg() == 4326 and got.geometry.is_valid.all()
    dist = shapely.hausdorff_distance(got.geometry.values, full.geometry.values)
    assert (dist <= tolerance(PROVINCE_ZOOM) + 10 ** -PROVINCE_PRECISION).all()
    assert shapely.get_num_coordinates(got.geometry.values).sum() * 4 < \
        shapely.get_num_coordinates(full.geometry.values).sum()
    # the door hands the database's outlines out, and the served GeoJSON is made of them
    assert province_counties(province_db).geometry.geom_equals(got.geometry).all()
    served = json.loads(layer_geojson(province_db, "counties"))["features"]
    assert [f["id"] for f in served] == full.code.tolist()
