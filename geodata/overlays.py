"""The point and line layers drawn over the villages, prepared for one audience."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import pandas as pd

from geodata.audience import Audience
from geodata.dataset import Dataset
from geodata.queries import layer_for

SITE_KINDS = ("industry_branch", "coop_branch", "auditorium", "service_centre")


@dataclass(frozen=True)
class Overlays:
    """Frames the map draws; labels are already what the audience may see."""

    river_segments: gpd.GeoDataFrame  # + label, real (main river or not)
    ponds: gpd.GeoDataFrame  # + label
    adviser_villages: pd.DataFrame  # village_code, lon, lat, count, label
    adviser_flows: pd.DataFrame  # residence, lon, lat, count (to the county seat)
    projects: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    team_links: pd.DataFrame  # dept_id, dept_name, village_code, lon, lat (in route order per department)
    pairings: pd.DataFrame  # pairing_id, kind, turned_round, lon1, lat1, lon2, lat2, label
    stories: gpd.GeoDataFrame
    county_seat: tuple[float, float]


def _chief_label(chiefs: pd.DataFrame) -> pd.Series:
    return (chiefs.role + "(" + chiefs.post + ")" + chiefs.name.where(chiefs.name == "", " " + chiefs.name)
            ).set_axis(chiefs.village_code)


@lru_cache(maxsize=8)
def overlays(ds: Dataset, audience: Audience) -> Overlays:
    vil = ds.villages()
    names = vil.set_index("code").name
    centres = vil.set_index("code").geometry.representative_point()
    river_chief = _chief_label(layer_for(ds, "river_chiefs", audience))
    pond_chief = _chief_label(layer_for(ds, "pond_chiefs", audience))

    seg = ds.layer("river_segments").copy()
    seg["label"] = [f"{r.river_name} · {names[r.village_code]}段 · {river_chief.get(r.village_code, '镇级河长')}"
                    for r in seg.itertuples()]
    seg["main"] = ~seg.synthetic
    ponds = ds.layer("ponds").copy()
    ponds["label"] = [f"{p.name} · {pond_chief.get(p.village_code, '')}" for p in ponds.itertuples()]

    adv = layer_for(ds, "advisers", audience)
    per_village = adv.groupby("village_code").size().rename("count").reset_index()
    per_village["lon"] = per_village.village_code.map(lambda c: centres[c].x)
    per_village["lat"] = per_village.village_code.map(lambda c: centres[c].y)
    per_village["label"] = [f"{names[c]} · 乡贤顾问 {n} 人" for c, n in zip(per_village.village_code,
                                                                        per_village["count"])]
    flows = (adv.groupby(["residence", "residence_lon", "residence_lat"]).size().rename("count").reset_index()
             .rename(columns={"residence_lon": "lon", "residence_lat": "lat"}).sort_values("count", ascending=False))

    projects = ds.layer("projects").copy()
    projects["label"] = [f"{p.name} · {p.field} · {p.status}" for p in projects.itertuples()]
    sites = ds.layer("sites")

    cadres = ds.layer("cadres")[["dept_id", "village_code"]].drop_duplicates()
    depts = ds.layer("departments").set_index("dept_id").name
    team = cadres.assign(dept_name=cadres.dept_id.map(depts),
                         lon=cadres.village_code.map(lambda c: centres[c].x),
                         lat=cadres.village_code.map(lambda c: centres[c].y))

    pairs = ds.layer("pairings")
    rows = []
    for p in pairs.itertuples():
        a = centres[p.village_code]
        b = centres[p.partner_village_code] if isinstance(p.partner_village_code, str) else None
        partner = names.get(p.partner_village_code) if b is not None else p.partner_enterprise
        rows.append({"pairing_id": p.pairing_id, "kind": p.kind, "turned_round": bool(p.turned_round),
                     "village_code": p.village_code, "lon1": a.x, "lat1": a.y,
                     "lon2": b.x if b is not None else None, "lat2": b.y if b is not None else None,
                     "label": f"{p.kind}结对 · {names[p.village_code]} — {partner} · "
                              f"{'已转化' if p.turned_round else '结对中'}"})
    stories = layer_for(ds, "stories", audience)
    county = ds.county().iloc[0]
    county_seat = (float(county.seat_lon), float(county.seat_lat))
    return Overlays(seg, ponds, per_village, flows, projects, sites, team, pd.DataFrame(rows), stories,
                    county_seat)
