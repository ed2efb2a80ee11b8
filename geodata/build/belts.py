"""The 21 demonstration-belt routes: chains of neighbouring villages, drawn from a fixed seed.

A route threads its villages in order: from each village's centre across the middle of the border it
shares with the next, smoothed, so that the line visibly links exactly the villages it names. The two
belts named after a river (马金溪滨水带, 池淮溪田园带) take the villages that river crosses in their
township, in the order it flows through them.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.ops
from shapely.geometry import LineString, Point

from geodata.build import catalogue
from geodata.build.geography import METRIC, WGS84, to_wgs

# Township of each belt in catalogue.BELTS, and the village a story ties it to.
BELT_TOWNSHIPS = ["330824109", "330824218", "330824108", "330824116", "330824205", "330824115",
                  "330824113", "330824109", "330824107", "330824116", "330824117", "330824115",
                  "330824115", "330824113", "330824217", "330824202", "330824205", "330824208",
                  "330824216", "330824106", "330824107"]
# Belts that follow a river: index in catalogue.BELTS -> river name.
BELT_RIVERS = {9: "马金溪", 10: "池淮溪"}
BELT_ANCHORS = {0: "齐溪村", 1: "大溪边村", 2: "古田村", 5: "金星村", 7: "龙门村", 8: "东坑口村", 18: "禄源村",
                19: "严村", 20: "杨林村"}


def adjacency(villages_m: gpd.GeoDataFrame) -> dict[int, list[int]]:
    """Villages that share a border (more than a point)."""
    geoms = villages_m.geometry.values
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    graph: dict[int, list[int]] = {i: [] for i in range(len(geoms))}
    for a, b in zip(left, right):
        if a < b and geoms[a].boundary.intersection(geoms[b].boundary).length > 1.0:
            graph[int(a)].append(int(b))
            graph[int(b)].append(int(a))
    return graph


def shared_border_middle(a, b) -> Point:
    """The middle of the longest stretch of border polygons ``a`` and ``b`` share."""
    shared = a.boundary.intersection(b.boundary)
    lines = [g for g in getattr(shared, "geoms", [shared]) if g.geom_type in ("LineString", "MultiLineString")]
    merged = shapely.line_merge(shapely.union_all(lines)) if lines else shared
    parts = [g for g in getattr(merged, "geoms", [merged]) if g.length > 0]
    if not parts:  # touching at a point only
        return shapely.ops.nearest_points(a, b)[0]
    return max(parts, key=lambda g: g.length).interpolate(0.5, normalized=True)


def thread_route(polygons: list, centres: np.ndarray) -> LineString:
    """A smoothed line from centre to centre of ``polygons`` through the middle of each shared border."""
    points = [centres[0]]
    for k in range(1, len(polygons)):
        gate = shared_border_middle(polygons[k - 1], polygons[k])
        points += [np.array([gate.x, gate.y]), centres[k]]
    coords = np.array(points)
    return LineString(_chaikin(coords)) if len(coords) > 1 else LineString([coords[0], coords[0]])


def river_chain(river, vil: gpd.GeoDataFrame, graph: dict[int, list[int]], allowed: np.ndarray,
                length: int) -> list[int]:
    """Villages (allowed ones) that ``river`` crosses, in the order it flows through them, as the
    longest run of neighbours, at most ``length`` long."""
    hits = []
    for j in np.flatnonzero(allowed):
        piece = river.intersection(vil.geometry.iloc[j])
        if piece.length > 50:
            first = piece.geoms[0] if hasattr(piece, "geoms") else piece
            hits.append((river.project(Point(first.coords[0])), int(j)))
    order = [j for _, j in sorted(hits)]
    runs: list[list[int]] = []
    for j in order:
        if runs and runs[-1][-1] in graph[j]:
            runs[-1].append(j)
        else:
            runs.append([j])
    best = max(runs, key=len, default=[])
    return best[:length]


def _chaikin(coords: np.ndarray, rounds: int = 2) -> np.ndarray:
    for _ in range(rounds):
        q = 0.75 * coords[:-1] + 0.25 * coords[1:]
        r = 0.25 * coords[:-1] + 0.75 * coords[1:]
        coords = np.vstack([coords[:1], np.column_stack([q, r]).reshape(-1, 2), coords[-1:]])
    return coords


def grow_chain(start: int, graph: dict[int, list[int]], centres: np.ndarray, used: set[int],
               length: int, home: np.ndarray) -> list[int]:
    """Walk from ``start`` through unused neighbours, preferring the home township, heading away
    from the far end of the chain (so that it reads as a road, not a loop) and avoiding villages
    that touch the chain further back, until ``length`` villages; at a dead end, carry on from the
    other end."""
    chain = [start]
    taken = set(used) | {start}
    for _ in range(2):
        while len(chain) < length:
            options = [n for n in graph[chain[-1]] if n not in taken]
            if not options:
                break
            away = centres[chain[-1]] - centres[chain[0]]
            heading = None if len(chain) < 2 else away / (np.linalg.norm(away) + 1e-9)
            earlier = set(chain[:-1])

            def cost(n: int, heading=heading, earlier=earlier) -> float:
                step = centres[n] - centres[chain[-1]]
                turn = 0.0 if heading is None else -float(np.dot(step, heading) / (np.linalg.norm(step) + 1e-9))
                crowding = sum(1.0 for m in graph[n] if m in earlier)
                return turn + crowding + (0.0 if home[n] else 1.5)

            nxt = min(options, key=cost)
            chain.append(nxt)
            taken.add(nxt)
        chain.reverse()
    if chain[0] != start:
        chain.reverse()
    return chain


def best_chain(starts: list[int], graph, centres, used: set[int], length: int, home,
               enough: int = 5) -> list[int]:
    """The first chain of at least ``enough`` villages from the candidate starts, else the longest."""
    best: list[int] = []
    for start in starts[:40]:
        chain = grow_chain(start, graph, centres, used, length, home)
        if len(chain) > len(best):
            best = chain
        if len(best) >= min(length, enough):
            break
    used.update(best)
    return best


def belt_layers(villages: gpd.GeoDataFrame, rivers: gpd.GeoDataFrame,
                rng: np.random.Generator) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Belts (routes) and the belt -> village link table."""
    vil = villages[villages.kind == "村"].to_crs(METRIC).reset_index(drop=True)
    river_lines = rivers.to_crs(METRIC).set_index("name").geometry
    graph = adjacency(vil)
    centres = np.array([[p.x, p.y] for p in vil.geometry.representative_point()])
    used: set[int] = set()
    belts, links = [], []
    # Belts tied to a story village go first, so their village is still free.
    order = sorted(range(len(catalogue.BELTS)), key=lambda i: (i not in BELT_ANCHORS, i))
    for i in order:
        name, theme, pillar = catalogue.BELTS[i]
        town = BELT_TOWNSHIPS[i]
        home = (vil.township_code == town).values
        anchor = BELT_ANCHORS.get(i)
        free = [j for j in range(len(vil)) if j not in used]
        centre = centres[home].mean(axis=0)
        # candidates: the story village, then free villages of the township, then nearest others
        starts = sorted(free, key=lambda j: (vil.name.iloc[j] != anchor, not home[j],
                                             float(np.linalg.norm(centres[j] - centre)) if not home[j] else 0.0))
        home_free = [j for j in starts if home[j] and vil.name.iloc[j] != anchor]
        rng.shuffle(home_free)
        starts = [j for j in starts if vil.name.iloc[j] == anchor] + home_free + [j for j in starts if not home[j]]
        sharing = BELT_TOWNSHIPS.count(town)
        length = min(int(rng.integers(8, 13)), max(5, int(home.sum()) // sharing + 1))
        # other belts' story villages stay free for them
        reserved = {j for j in range(len(vil)) if vil.name.iloc[j] in BELT_ANCHORS.values()
                    and vil.name.iloc[j] != anchor}
        chain: list[int] = []
        if i in BELT_RIVERS:
            free_home = home & ~np.isin(np.arange(len(vil)), list(used | reserved))
            chain = river_chain(river_lines[BELT_RIVERS[i]], vil, graph, free_home, 12)
            used.update(chain)
        if len(chain) < 3:
            chain = best_chain(starts, graph, centres, used | reserved, length, home, 3 if anchor else 5)
        used.update(chain)
        route = thread_route([vil.geometry.iloc[j] for j in chain], centres[chain])
        towns = list(dict.fromkeys(vil.township_code.iloc[chain]))
        belts.append({"belt_id": f"B{i + 1:02d}", "name": name, "theme": theme, "pillar": pillar,
                      "township_codes": ",".join(towns), "village_count": len(chain),
                      "length_km": round(route.length / 1000, 1), "synthetic": True, "geometry": route})
        links += [{"belt_id": f"B{i + 1:02d}", "village_code": vil.code.iloc[j], "seq": k + 1}
                  for k, j in enumerate(chain)]
    frame = gpd.GeoDataFrame(belts, geometry="geometry", crs=METRIC).sort_values("belt_id", ignore_index=True)
    frame["geometry"] = list(to_wgs(frame.geometry))
    return frame.set_crs(WGS84, allow_override=True), pd.DataFrame(links)
