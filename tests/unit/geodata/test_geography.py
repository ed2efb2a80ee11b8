"""The geography of the build checked against the world: rivers pass the places they are known to
pass, belt routes thread their villages, townships have their published areas, provenance agrees."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, Point

from geodata import LAYERS
from geodata.build.generate import SOURCES
from geodata.build.geography import METRIC
from geodata.build.tessellate import fit_areas, power_cells, voronoi_cells
from geodata.build.waters import REAL_RIVERS, name_real_rivers

# Township seats (and the county seat) each river is known to pass, upstream first.
KNOWN_COURSES = {
    "马金溪": ["齐溪镇", "马金镇", "音坑乡", "county", "华埠镇"],
    "池淮溪": ["长虹乡", "池淮镇", "华埠镇"],
}
SEAT_TOLERANCE_M = 3000.0  # GSHHG lines are good to 1-2 km; a seat sits beside its river, not on it


def _seats(dataset) -> dict[str, Point]:
    towns = dataset.townships()
    county = dataset.county()
    points = gpd.GeoSeries.from_xy([*towns.seat_lon, *county.seat_lon], [*towns.seat_lat, *county.seat_lat],
                                   crs="EPSG:4326").to_crs(METRIC)
    return dict(zip([*towns.name, "county"], points))


@pytest.mark.parametrize("river", list(KNOWN_COURSES))
def test_each_river_passes_its_places_in_order(dataset, river):
    line = dataset.rivers().set_index("name").to_crs(METRIC).geometry[river]
    seats = _seats(dataset)
    places = KNOWN_COURSES[river]
    for place in places:
        assert line.distance(seats[place]) < SEAT_TOLERANCE_M, f"{river} does not pass {place}"
    along = [line.project(seats[p]) for p in places]
    assert all(np.diff(along) > 0), f"{river} passes {places} out of order: {along}"


def test_each_river_is_nearer_its_own_places_than_the_other_river(dataset):
    lines = dataset.rivers().set_index("name").to_crs(METRIC).geometry
    seats = _seats(dataset)
    for river, places in KNOWN_COURSES.items():
        other = next(r for r in KNOWN_COURSES if r != river)
        own = np.mean([lines[river].distance(seats[p]) for p in places])
        theirs = np.mean([lines[other].distance(seats[p]) for p in places])
        assert own < theirs / 3, (river, own, theirs)


def test_rivers_are_named_whatever_order_the_lines_come_in():
    seats = {"330824109": Point(0, 100), "330824116": Point(0, 50), "330824217": Point(0, 20),
             "county": Point(0, 10), "330824115": Point(0, 0), "330824205": Point(-100, 60),
             "330824117": Point(-50, 30)}
    majin = LineString([(0, 0), (0, 100)])  # drawn downstream-first: must come back upstream-first
    chihuai = LineString([(-100, 60), (-50, 30), (0, 0)])
    for lines in ([majin, chihuai], [chihuai, majin]):
        named = {name: geom for _, name, _, geom in name_real_rivers(lines, seats)}
        assert named["马金溪"].equals(majin) and named["池淮溪"].equals(chihuai)
        assert Point(named["马金溪"].coords[0]).distance(seats["330824109"]) == 0
    assert [r[1] for r in REAL_RIVERS] == ["马金溪", "池淮溪"]


def test_river_belts_and_tributaries_sit_on_their_river(dataset):
    rivers = dataset.rivers().set_index("name").to_crs(METRIC).geometry
    villages = dataset.villages().set_index("code").to_crs(METRIC).geometry
    belts = dataset.belts().set_index("name")
    links = dataset.belt_villages()
    for belt, river in (("马金溪滨水带", "马金溪"), ("池淮溪田园带", "池淮溪")):
        codes = links[links.belt_id == belts.belt_id[belt]].sort_values("seq").village_code
        assert len(codes) >= 3
        assert all(rivers[river].intersection(villages[c]).length > 50 for c in codes), belt
        along = [rivers[river].project(villages[c].centroid) for c in codes]
        assert all(np.diff(along) > 0), f"{belt} does not follow {river} downstream"
    for tributary in ("中村溪", "龙山溪"):
        mouth = Point(rivers[tributary].coords[-1])
        assert min(rivers["马金溪"].distance(mouth), rivers["池淮溪"].distance(mouth)) < 1.0


def test_stretches_carry_the_name_of_the_river_they_lie_on(dataset):
    rivers = dataset.rivers().set_index("river_id").to_crs(METRIC)
    seg = dataset.layer("river_segments").to_crs(METRIC)
    named = seg[seg.river_id.notna()]
    assert len(named) > 20
    for s in named.itertuples():
        assert s.river_name == rivers.name[s.river_id]
        assert rivers.geometry[s.river_id].buffer(1.0).contains(s.geometry)


def test_belt_routes_thread_their_villages_in_order(dataset):
    routes = dataset.belts().set_index("belt_id").to_crs(METRIC).geometry
    villages = dataset.villages().set_index("code").to_crs(METRIC).geometry
    county = dataset.county().to_crs(METRIC).geometry.iloc[0]
    for belt_id, group in dataset.belt_villages().sort_values("seq").groupby("belt_id"):
        route = routes[belt_id]
        polys = [villages[c] for c in group.village_code]
        assert all(route.distance(p) < 50.0 for p in polys), f"{belt_id} misses a member village"
        along = [route.project(p.representative_point()) for p in polys]
        assert all(np.diff(along) > 0), f"{belt_id}: villages not in seq order along the route"
        inside = route.intersection(shapely.union_all(polys)).length / route.length
        assert inside > 0.95, f"{belt_id}: only {inside:.0%} of the route lies in its villages"
        assert county.buffer(1.0).contains(route), f"{belt_id} leaves the county"


def test_townships_have_their_published_areas(dataset):
    published = pd.read_csv(SOURCES / "township_areas.csv", dtype={"code": str})
    assert len(published) >= 5 and published.source.str.startswith("http").all()
    towns = dataset.townships().set_index("code")
    measured = towns.to_crs(METRIC).area / 1e6
    for row in published.itertuples():
        assert towns.name[row.code] == row.name
        assert abs(measured[row.code] - row.area_km2) / row.area_km2 <= 0.10, (row.name, measured[row.code])
        assert abs(towns.area_km2[row.code] - measured[row.code]) < 0.1


def test_township_seats_lie_in_their_township(dataset):
    towns = dataset.townships().to_crs(METRIC)
    seats = gpd.GeoSeries.from_xy(dataset.townships().seat_lon, dataset.townships().seat_lat,
                                  crs="EPSG:4326").to_crs(METRIC)
    assert all(t.contains(s) for t, s in zip(towns.geometry, seats))


def test_power_cells_meet_target_areas():
    region = shapely.box(0, 0, 100, 100)
    pts = [Point(20, 20), Point(80, 30), Point(50, 80), Point(20, 70)]
    plain = power_cells(pts, [0, 0, 0, 0], region)
    assert sum(shapely.equals_exact(a.normalize(), b.normalize(), 1e-6)
               for a, b in zip(plain, voronoi_cells(pts, region))) == 4
    weights = fit_areas(pts, region, {0: 4000.0, 2: 1500.0})
    cells = power_cells(pts, weights, region)
    assert abs(cells[0].area - 4000) / 4000 < 0.02 and abs(cells[2].area - 1500) / 1500 < 0.02
    assert abs(sum(c.area for c in cells) - region.area) < 1e-6


def test_provenance_agrees_with_the_layers(dataset):
    prov = dataset.provenance().set_index("layer")
    spec = LAYERS["provenance"]
    assert "rows" in {**spec.columns, **getattr(spec, "optional", {})}  # declared, required or optional
    assert prov.version["villages"] == "2.2.0"  # china-division built on the NBS 2018 list
    for name in LAYERS:
        frame = dataset.layer(name)
        assert prov.rows[name] == len(frame), name
        if "synthetic" in frame:
            assert bool(prov.synthetic[name]) is bool(frame.synthetic.all()), name
    assert dataset.layer("river_segments").synthetic.all()  # cutting a real river into stretches is generated
