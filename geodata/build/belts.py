"""The 21 demonstration-belt routes: chains of neighbouring villages, drawn from a fixed seed."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString

from geodata.build import catalogue
from geodata.build.geography import METRIC, WGS84, to_wgs

# Township of each belt in catalogue.BELTS, and the village a story ties it to.
BELT_TOWNSHIPS = ["330824109", "330824218", "330824108", "330824116", "330824205", "330824115",
                  "330824113", "330824109", "330824107", "330824116", "330824117", "330824115",
                  "330824115", "330824113", "330824217", "330824202", "330824205", "330824208",
                  "330824216", "330824106", "330824107"]
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


def _chaikin(coords: np.ndarray, rounds: int = 2) -> np.ndarray:
    for _ in range(rounds):
        q = 0.75 * coords[:-1] + 0.25 * coords[1:]
        r = 0.25 * coords[:-1] + 0.75 * coords[1:]
        coords = np.vstack([coords[:1], np.column_stack([q, r]).reshape(-1, 2), coords[-1:]])
    return coords


def grow_chain(start: int, graph: dict[int, list[int]], centres: np.ndarray, used: set[int],
               length: int, home: np.ndarray) -> list[int]:
    """Walk from ``start`` through unused neighbours, preferring the home township and keeping
    the heading, until ``length`` villages; at a dead end, carry on from the other end."""
    chain = [start]
    taken = set(used) | {start}
    for _ in range(2):
        heading = None
        while len(chain) < length:
            options = [n for n in graph[chain[-1]] if n not in taken]
            if not options:
                break

            def cost(n: int, heading=heading) -> float:
                step = centres[n] - centres[chain[-1]]
                turn = 0.0 if heading is None else -float(np.dot(step, heading) / (np.linalg.norm(step) + 1e-9))
                return turn + (0.0 if home[n] else 1.5)

            nxt = min(options, key=cost)
            heading = centres[nxt] - centres[chain[-1]]
            heading = heading / (np.linalg.norm(heading) + 1e-9)
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


def belt_layers(villages: gpd.GeoDataFrame, rng: np.random.Generator) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Belts (routes) and the belt -> village link table."""
    vil = villages[villages.kind == "村"].to_crs(METRIC).reset_index(drop=True)
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
        chain = best_chain(starts, graph, centres, used | reserved, length, home, 3 if anchor else 5)
        used.update(chain)
        coords = _chaikin(centres[chain]) if len(chain) > 1 else centres[chain]
        route = LineString(coords)
        towns = list(dict.fromkeys(vil.township_code.iloc[chain]))
        belts.append({"belt_id": f"B{i + 1:02d}", "name": name, "theme": theme, "pillar": pillar,
                      "township_codes": ",".join(towns), "village_count": len(chain),
                      "length_km": round(route.length / 1000, 1), "synthetic": True, "geometry": route})
        links += [{"belt_id": f"B{i + 1:02d}", "village_code": vil.code.iloc[j], "seq": k + 1}
                  for k, j in enumerate(chain)]
    frame = gpd.GeoDataFrame(belts, geometry="geometry", crs=METRIC).sort_values("belt_id", ignore_index=True)
    frame["geometry"] = list(to_wgs(frame.geometry))
    return frame.set_crs(WGS84, allow_override=True), pd.DataFrame(links)
