"""GeoJSON import (RFC 7946: WGS84 unless an old-style ``crs`` member says otherwise)."""

from __future__ import annotations

import json
from pathlib import Path

from geodata.io.raw import RawLayer
from geodata.io.safety import Limits, read_checked
from geodata.io.vector import read_vector
from geodata.report import Refused


def read(path: Path, name: str, work: Path, limits: Limits) -> list[RawLayer]:
    """The one layer of the GeoJSON file at ``path``, named ``name``."""
    raw = read_checked(path, limits)
    try:
        data = json.loads(raw.decode("utf-8"))  # RFC 7946: UTF-8 only (and what we scanned)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Refused(f"不是有效的 GeoJSON:{exc}", f"not valid GeoJSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("type") not in ("FeatureCollection", "Feature"):
        raise Refused("GeoJSON 须为 FeatureCollection", "GeoJSON must be a FeatureCollection")
    return [read_vector(path, name)]
