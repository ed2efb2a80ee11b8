"""GeoJSON import (RFC 7946: WGS84 unless an old-style ``crs`` member says otherwise)."""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

import pyogrio

from geodata.io.raw import RawLayer
from geodata.io.safety import _CHUNK, MAX_FEATURE_MB, Limits, check_file, too_complex
from geodata.io.vector import read_vector
from geodata.report import Refused

# Files up to this size are parsed whole by Python first (an exact structure check); larger ones are checked
# as they stream (UTF-8, and the type named near the start), so that no parse tree of the whole file is built.
PARSE_WHOLE_BYTES = 4 * 1024 * 1024
_TYPE = re.compile(r'"type"\s*:\s*"(FeatureCollection|Feature)"')
_TOO_LARGE = "GeoJSON object too complex/large"


def _check_whole(path: Path) -> None:
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))  # RFC 7946: UTF-8 only (and what we scanned)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Refused(f"不是有效的 GeoJSON:{exc}", f"not valid GeoJSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("type") not in ("FeatureCollection", "Feature"):
        raise Refused("GeoJSON 须为 FeatureCollection", "GeoJSON must be a FeatureCollection")


def _check_streaming(path: Path) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")()
    head = ""
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            try:
                text = decoder.decode(block)
            except UnicodeDecodeError as exc:
                raise Refused(f"不是有效的 GeoJSON:{exc}", f"not valid GeoJSON: {exc}") from exc
            if len(head) < 4096:
                head += text[:4096]
    if not head.lstrip().startswith("{") or not _TYPE.search(head[:4096]):
        raise Refused("GeoJSON 须为 FeatureCollection(大文件的 type 须写在开头)",
                      "GeoJSON must be a FeatureCollection (in a large file, with its \"type\" near the start)")


def read(path: Path, name: str, work: Path, limits: Limits) -> list[RawLayer]:
    """The one layer of the GeoJSON file at ``path``, named ``name``.

    GDAL reads it feature by feature; one feature larger than :data:`MAX_FEATURE_MB` (about
    ``MAX_FEATURE_VERTICES`` vertices) is refused as it is met, before its parse tree is built."""
    check_file(path, limits)
    (_check_whole if path.stat().st_size <= PARSE_WHOLE_BYTES else _check_streaming)(path)
    pyogrio.set_gdal_config_options({"OGR_GEOJSON_MAX_OBJ_SIZE": str(MAX_FEATURE_MB)})
    try:
        return [read_vector(path, name)]
    except Refused as exc:
        if _TOO_LARGE in exc.message_en:
            raise too_complex() from None
        raise
