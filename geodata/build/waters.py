"""Rivers (real GSHHG main stems plus synthetic streams), river-chief segments and ponds."""

from __future__ import annotations

import itertools

import geopandas as gpd
import numpy as np
import shapely
import shapely.ops
from shapely.geometry import LineString, Point

from geodata.build.geography import METRIC, WGS84, to_metric, to_wgs
from geodata.build.society import random_point_in

# The two real rivers and the places each is known to pass, upstream to downstream ("county" = the county
# seat). A GSHHG line is given the name whose places lie nearest to it, never a name by position.
REAL_RIVERS = [
    ("R01", "马金溪", "Majin Stream", ("330824109", "330824116", "330824217", "county", "330824115")),
    ("R02", "池淮溪", "Chihuai Stream", ("330824205", "330824117", "330824115")),
]
# Synthetic tributaries: drawn from their township to the nearer real river.
SYNTHETIC_RIVERS = [("R03", "中村溪", "Zhongcun Stream", "330824202"),
                    ("R04", "龙山溪", "Longshan Stream", "330824108")]


def _wiggly_line(start: Point, end: Point, rng: np.random.Generator, amplitude: float) -> LineString:
    t = np.linspace(0, 1, 24)
    x = start.x + (end.x - start.x) * t
    y = start.y + (end.y - start.y) * t
    nx, ny = -(end.y - start.y), end.x - start.x
    norm = np.hypot(nx, ny) or 1.0
    phase = rng.uniform(0, 2 * np.pi)
    offset = amplitude * np.sin(t * np.pi * rng.uniform(2, 4) + phase) * np.sin(t * np.pi)
    return LineString(np.column_stack([x + nx / norm * offset, y + ny / norm * offset]))


def seat_points(townships: gpd.GeoDataFrame, county_seat: Point) -> dict[str, Point]:
    """Township seats (and the county seat, key "county") in metres, by code."""
    seats = to_metric(shapely.points(townships.seat_lon, townships.seat_lat))
    points = dict(zip(townships.code, seats))
    points["county"] = to_metric([county_seat]).iloc[0]
    return points


def _downstream(line: LineString, places: list[Point]) -> LineString:
    """``line`` oriented so that ``places`` (upstream first) come in order along it."""
    pos = [line.project(p) for p in places]
    return line if pos[-1] >= pos[0] else LineString(list(line.coords)[::-1])


def name_real_rivers(lines_m: list[LineString], seats: dict[str, Point]) -> list[tuple[str, str, str, LineString]]:
    """Give each real line the name of the river whose known places lie nearest to it.

    Every assignment of names to lines is scored by the mean distance of each river's places to its
    line; the best one wins, so the order in which a clip or a file hands the lines over does not matter.
    """
    def cost(order: tuple[int, ...]) -> float:
        return sum(np.mean([lines_m[j].distance(seats[c]) for c in places])
                   for j, (_, _, _, places) in zip(order, REAL_RIVERS))

    best = min(itertools.permutations(range(len(lines_m)), len(REAL_RIVERS)), key=cost)
    return [(rid, name, en, _downstream(lines_m[j], [seats[c] for c in places]))
            for j, (rid, name, en, places) in zip(best, REAL_RIVERS)]


def _longest_line(geom) -> LineString:
    merged = shapely.line_merge(geom) if geom.geom_type == "MultiLineString" else geom
    parts = list(getattr(merged, "geoms", [merged]))
    return max(parts, key=lambda g: g.length)


def river_layer(real_lines: list[LineString], townships: gpd.GeoDataFrame, outline_m, county_seat: Point,
                rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Named rivers: the two GSHHG lines (real, named by the places they pass) and two synthetic
    tributaries drawn to the nearer of them."""
    rows = []
    clipped = [_longest_line(g.intersection(outline_m)) for g in to_metric(real_lines)]
    real = name_real_rivers(clipped, seat_points(townships, county_seat))
    for rid, name, en, geom in real:
        rows.append({"river_id": rid, "name": name, "name_en": en, "source": "GSHHG (gmt-gshhg-full)",
                     "synthetic": False, "geometry": geom})
    towns_m = townships.to_crs(METRIC).set_index("code")
    for rid, name, en, town in SYNTHETIC_RIVERS:
        region = towns_m.loc[town].geometry
        start = region.representative_point()
        stem = min((g for *_, g in real), key=start.distance)
        end = shapely.ops.nearest_points(stem, start)[0]
        line = _wiggly_line(start, end, rng, 600.0).intersection(outline_m)
        rows.append({"river_id": rid, "name": name, "name_en": en, "source": "synthetic",
                     "synthetic": True, "geometry": line})
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=METRIC)
    frame["length_km"] = (frame.length / 1000).round(2)
    frame["geometry"] = list(to_wgs(frame.geometry))
    return frame.set_crs(WGS84, allow_override=True)


def river_segments(rivers: gpd.GeoDataFrame, villages: gpd.GeoDataFrame,
                   rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Each village's stretch of river; villages crossed by no named river get their own
    (synthetic) village stream, so that every village has a stretch for its river chief. Every
    stretch is synthetic: the split into villages is generated, whether the river is real or not."""
    riv_m = rivers.to_crs(METRIC)
    vil_m = villages.to_crs(METRIC)
    rows = []
    for v in vil_m.itertuples():
        had = False
        for r in riv_m.itertuples():
            piece = r.geometry.intersection(v.geometry)
            if piece.length > 50:
                had = True
                # the stretch is cut by the generator even where the river is real
                rows.append({"village_code": v.code, "river_id": r.river_id, "river_name": r.name,
                             "synthetic": True, "geometry": piece})
        if not had:
            poly = v.geometry
            c = poly.representative_point()
            ang = rng.uniform(0, np.pi)
            reach = np.sqrt(poly.area) * 0.45
            a = Point(c.x - np.cos(ang) * reach, c.y - np.sin(ang) * reach)
            b = Point(c.x + np.cos(ang) * reach, c.y + np.sin(ang) * reach)
            line = _wiggly_line(a, b, rng, reach * 0.15).intersection(poly)
            rows.append({"village_code": v.code, "river_id": None, "river_name": f"{v.name}溪",
                         "synthetic": True, "geometry": line})
    seg = gpd.GeoDataFrame(rows, geometry="geometry", crs=METRIC)
    seg["geometry"] = [shapely.line_merge(g) if g.geom_type == "MultiLineString" else g for g in seg.geometry]
    seg["length_km"] = (seg.length / 1000).round(3)
    seg.insert(0, "segment_id", [f"RS{i + 1:04d}" for i in range(len(seg))])
    seg["geometry"] = list(to_wgs(seg.geometry))
    return seg.set_crs(WGS84, allow_override=True)


def pond_layer(villages: gpd.GeoDataFrame, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """One village pond (山塘) per administrative village, a point inside it (synthetic)."""
    vil = villages[villages.kind == "村"].to_crs(METRIC)
    rows = []
    for v in vil.itertuples():
        p = random_point_in(v.geometry, rng)
        rows.append({"pond_id": f"P{v.code[-6:]}", "village_code": v.code, "name": f"{v.name}山塘",
                     "area_m2": int(rng.integers(800, 12000)), "synthetic": True, "geometry": p})
    ponds = gpd.GeoDataFrame(rows, geometry="geometry", crs=METRIC)
    ponds["geometry"] = list(to_wgs(ponds.geometry))
    return ponds.set_crs(WGS84, allow_override=True)
