"""``python -m benchmarks.import_memory``: peak memory of validating hostile, very complex files.

Writes a villages layer whose first village has a million vertices (the shipped villages otherwise), as
GeoJSON (~42 MB: refused as it streams, the feature being too large) and as a GeoPackage (~16 MB: read, the
village simplified with a warning), and validates each with ``python -m geodata validate`` in a fresh
process, printing the process's peak RSS. Before the limits, the GeoJSON peaked at ~850 MB.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pyogrio
import shapely

from geodata import open_dataset

ROOT = Path(__file__).resolve().parents[1]
VERTICES = 1_000_000
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the (large) process that started the child.
_PEAK = ("import sys; from geodata.cli import main; rc = main(sys.argv[1:]); "
         "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]; "
         "print('PEAK_KB', hwm.split()[1]); sys.exit(rc)")


def hostile_villages(vertices: int = VERTICES):
    """The shipped villages with the first one's outline cut into ``vertices`` vertices (same shape)."""
    villages = open_dataset().villages().copy()
    poly = villages.geometry.iloc[0]
    poly = max(shapely.get_parts(poly), key=lambda p: p.area) if poly.geom_type == "MultiPolygon" else poly
    villages.loc[villages.index[0], "geometry"] = shapely.segmentize(poly, poly.exterior.length / vertices)
    return villages


def peak_mb(path: Path, store: Path) -> tuple[float, str]:
    """Peak RSS (MB) of validating ``path`` in a new process, and the report's first lines."""
    run = subprocess.run([sys.executable, "-c", _PEAK, "validate", str(path), "--store", str(store), "--lang", "en"],
                         cwd=ROOT, capture_output=True, text=True, check=False)
    lines = run.stdout.splitlines()
    peak = next(int(line.split()[1]) for line in lines if line.startswith("PEAK_KB"))
    return peak / 1024, " | ".join(line for line in lines[:4] if not line.startswith("PEAK_KB"))


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="kaihua-import-memory-") as tmp:
        work = Path(tmp)
        villages = hostile_villages()
        geojson = work / "villages.geojson"
        geojson.write_text(villages.to_json(), encoding="utf-8")
        gpkg = work / "villages.gpkg"
        pyogrio.write_dataframe(villages, gpkg, layer="villages", driver="GPKG")
        for path in (geojson, gpkg):
            mb, report = peak_mb(path, work / "store")
            print(f"{path.suffix[1:]:8s} {path.stat().st_size / 1e6:5.1f} MB file, {VERTICES:,}-vertex village: "
                  f"peak RSS {mb:.0f} MB · {report}")


if __name__ == "__main__":
    main()
