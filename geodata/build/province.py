"""A province-scale synthetic dataset (~20,000 villages in ~80 counties) with the shipped schema.

For load and scale testing only: every county is a copy of the Kaihua dataset moved to its own
cell of a grid (Zhejiang-sized), with its own codes and identifiers; county 0 is Kaihua itself,
unchanged. Everything in it is flagged synthetic. Not committed: ``make province`` writes it to
``var/province.gpkg``.

    python -m geodata.build.province [--counties 81] [--out var/province.gpkg]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geodata.build.generate import write_gpkg
from geodata.dataset import DEFAULT_PATH, Dataset
from geodata.schema import LAYERS

KAIHUA = "330824"
# Columns holding administrative codes (rewritten by prefix) and identifiers (given a county prefix).
CODE_COLUMNS = ("code", "code_2023", "township_code", "village_code", "partner_village_code", "located_in")
ID_COLUMNS = ("belt_id", "segment_id", "pond_id", "adviser_id", "project_id", "suggestion_id", "site_id",
              "dept_id", "cadre_id", "rating_id", "person_id", "holding_id", "pairing_id", "group_id", "lead_dept_id",
              "river_id")
KAIHUA_ONLY = ("stories", "story_figures", "ledger", "indicator_catalogue", "meta", "provenance")


def county_code(k: int) -> str:
    return KAIHUA if k == 0 else f"{338800 + k:06d}"


def _recode(frame: pd.DataFrame, k: int, dx: float, dy: float) -> pd.DataFrame:
    out = frame.copy()
    new = county_code(k)
    for col in CODE_COLUMNS:
        if col in out:
            out[col] = out[col].map(lambda c: new + c[6:] if isinstance(c, str) and c.startswith(KAIHUA) else c)
    for col in ID_COLUMNS:
        if col in out:
            out[col] = out[col].map(lambda v: f"C{k:02d}{v}" if isinstance(v, str) else v)
    if "township_codes" in out:
        out["township_codes"] = out.township_codes.str.replace(KAIHUA, new, regex=False)
    if "synthetic" in out:
        out["synthetic"] = True
    if isinstance(out, gpd.GeoDataFrame):
        out["geometry"] = shapely.transform(out.geometry.values, lambda xy: xy + (dx, dy))
        if "seat_lon" in out:  # (advisers' residences are real cities: they stay put)
            out["seat_lon"] = out.seat_lon + dx
            out["seat_lat"] = out.seat_lat + dy
    return out


def build_province(base: Dataset, counties: int) -> dict[str, pd.DataFrame]:
    """All layers for ``counties`` counties laid out on a square grid around Kaihua."""
    minx, miny, maxx, maxy = base.county().total_bounds
    w, h = (maxx - minx) * 1.02, (maxy - miny) * 1.02
    side = int(counties ** 0.5 + 0.999)
    cells = [(i % side, i // side) for i in range(counties)]
    layers: dict[str, pd.DataFrame] = {}
    for name in LAYERS:
        frame = base.layer(name)
        if name in KAIHUA_ONLY:
            layers[name] = frame
            continue
        parts = [_recode(frame, k, cx * w, -cy * h) for k, (cx, cy) in enumerate(cells)]
        merged = pd.concat(parts, ignore_index=True)
        layers[name] = gpd.GeoDataFrame(merged, geometry="geometry", crs=frame.crs) \
            if isinstance(frame, gpd.GeoDataFrame) else merged
    county = layers["county"]
    county["name"] = ["开化县"] + [f"示例县{k:02d}" for k in range(1, counties)]
    county["name_en"] = ["Kaihua County"] + [f"Sample county {k:02d}" for k in range(1, counties)]
    county["synthetic"] = county.code != KAIHUA
    layers["meta"] = pd.concat([layers["meta"], pd.DataFrame({"key": ["scale"], "value": [f"province:{counties}"]})],
                               ignore_index=True)
    prov = layers["provenance"].copy()
    prov["notes"] = prov.notes + f" | province-scale copy x{counties} (geodata.build.province)"
    prov["synthetic"] = prov.layer.isin([n for n in LAYERS if n not in KAIHUA_ONLY]) | prov.synthetic
    layers["provenance"] = prov
    return layers


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build a province-scale synthetic dataset")
    parser.add_argument("--counties", type=int, default=81)
    parser.add_argument("--base", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--out", type=Path, default=Path("var/province.gpkg"))
    args = parser.parse_args(argv)
    layers = build_province(Dataset(args.base), args.counties)
    write_gpkg(layers, args.out)
    n = (layers["villages"].kind == "村").sum()
    print(f"wrote {args.out}: {len(layers['county'])} counties, {n} villages, "
          f"{args.out.stat().st_size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
