"""The point and line layers drawn over the villages, prepared for one audience.

Frames carry fields, not sentences: the map builder words them in the viewer's language.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import geopandas as gpd
import pandas as pd

from geodata.audience import Audience
from geodata.cache import per_dataset, shallow_copy
from geodata.dataset import Dataset
from geodata.people import current_terms
from geodata.provenance import NOTHING, Illustrative, illustration
from geodata.queries import layer_for

SITE_KINDS = ("industry_branch", "coop_branch", "auditorium", "service_centre")
CHIEF_COLUMNS = ["village_code", "role", "post", "name"]


@dataclass(frozen=True)
class Overlays:
    """Frames the map draws; personal names are already what the audience may see ("" if none)."""

    river_segments: gpd.GeoDataFrame  # + village_name, main, role, post, name (chief)
    ponds: gpd.GeoDataFrame  # + village_name, role, post, chief_name
    adviser_villages: pd.DataFrame  # village_code, village_name, lon, lat, count
    adviser_flows: pd.DataFrame  # residence, lon, lat, count (to the county seat)
    projects: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    team_links: pd.DataFrame  # dept_id, dept_name, village_code, lon, lat (in code order per department)
    pairings: pd.DataFrame  # pairing_id, kind, turned_round, village_name, partner, lon1, lat1, lon2, lat2
    stories: gpd.GeoDataFrame
    county_seat: tuple[float, float]
    illustrative: Illustrative = NOTHING  # which layers carry the 示意 mark


def _own_frames(cached: Overlays) -> Overlays:
    """The caller's own (copy-on-write) frames: changing one changes no other caller's."""
    return replace(cached, **{f.name: shallow_copy(getattr(cached, f.name)) for f in fields(cached)
                              if isinstance(getattr(cached, f.name), pd.DataFrame)})


@per_dataset(maxsize=32, handout=_own_frames)
def overlays(ds: Dataset, audience: Audience, county: str | None = None) -> Overlays:
    """Overlays of the whole dataset, or of one ``county`` of province-scale data."""

    def mine(frame: pd.DataFrame, column: str = "village_code") -> pd.DataFrame:
        return frame if not county else frame[frame[column].str.startswith(county)]

    vil = mine(ds.villages(), "code")
    names = vil.set_index("code").name
    centres = vil.set_index("code").geometry.representative_point()
    lon, lat = centres.x, centres.y

    # Each stretch and pond answers for its current chief (a holder removed after a grey rating is not one).
    river_chiefs = current_terms(layer_for(ds, "river_chiefs", audience))[CHIEF_COLUMNS]
    pond_chiefs = current_terms(layer_for(ds, "pond_chiefs", audience))[CHIEF_COLUMNS]
    seg = mine(ds.layer("river_segments")).merge(river_chiefs, on="village_code", how="left")
    seg["village_name"] = seg.village_code.map(names)
    # stretches of a real river are drawn as the river (the split into stretches is what is synthetic)
    real_rivers = ds.rivers().loc[lambda r: ~r.synthetic.astype(bool), "river_id"]
    seg["main"] = seg.river_id.isin(set(real_rivers))
    ponds = mine(ds.layer("ponds")).merge(pond_chiefs.rename(columns={"name": "chief_name"}), on="village_code",
                                          how="left")
    ponds["village_name"] = ponds.village_code.map(names)

    adv = mine(layer_for(ds, "advisers", audience))
    per_village = adv.groupby("village_code").size().rename("count").reset_index()
    per_village["village_name"] = per_village.village_code.map(names)
    per_village["lon"] = per_village.village_code.map(lon)
    per_village["lat"] = per_village.village_code.map(lat)
    flows = (adv.groupby(["residence", "residence_lon", "residence_lat"]).size().rename("count").reset_index()
             .rename(columns={"residence_lon": "lon", "residence_lat": "lat"}).sort_values("count", ascending=False))

    cadres = mine(ds.layer("cadres"))[["dept_id", "village_code"]].drop_duplicates()
    depts = ds.layer("departments").set_index("dept_id").name
    team = cadres.assign(dept_name=cadres.dept_id.map(depts), lon=cadres.village_code.map(lon),
                         lat=cadres.village_code.map(lat))

    pairs = mine(ds.layer("pairings")).copy()
    has_partner = pairs.partner_village_code.notna()
    pairs["village_name"] = pairs.village_code.map(names)
    pairs["partner"] = pairs.partner_village_code.map(names).where(has_partner, pairs.partner_enterprise)
    pairs["lon1"], pairs["lat1"] = pairs.village_code.map(lon), pairs.village_code.map(lat)
    pairs["lon2"] = pairs.partner_village_code.map(lon).where(has_partner)
    pairs["lat2"] = pairs.partner_village_code.map(lat).where(has_partner)

    counties = ds.county().set_index("code")
    seat = counties.loc[county] if county else counties.iloc[0]
    stories = layer_for(ds, "stories", audience)
    if county:
        stories = stories[stories.township_code.fillna(county).str.startswith(county)]
    return Overlays(seg, ponds, per_village, flows, mine(ds.layer("projects")), mine(ds.layer("sites")), team,
                    pairs, stories, (float(seat.seat_lon), float(seat.seat_lat)), illustration(ds))
