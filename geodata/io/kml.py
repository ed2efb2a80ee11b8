"""KML import, parsed here (not by GDAL) so that nothing in the file is ever fetched or expanded.

A DOCTYPE or ENTITY declaration is refused before parsing; defusedxml then forbids any that slip
through. KML coordinates are longitude/latitude (WGS84 by the standard; a KML exported from a
Chinese web map may really be GCJ-02: pass ``--crs gcj02``).
"""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

import geopandas as gpd
import shapely
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from geodata.io.raw import RawLayer
from geodata.io.safety import MAX_FEATURE_VERTICES, Limits, check_xml, read_checked, too_complex
from geodata.report import Refused


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(elem: Element, name: str) -> list[Element]:
    return [c for c in elem.iter() if _local(c.tag) == name]


def _coords(elem: Element) -> list[tuple[float, float]]:
    text = next((c.text or "" for c in elem.iter() if _local(c.tag) == "coordinates"), "")
    first = text.split(None, 1)[0] if text.strip() else ""
    vertices = text.count(",") // max(first.count(","), 1)  # counted before a tuple is made per vertex
    if vertices > MAX_FEATURE_VERTICES:
        raise too_complex(vertices)
    try:
        return [tuple(float(v) for v in tup.split(",")[:2]) for tup in text.split()]
    except ValueError as exc:
        raise Refused(f"KML 坐标格式错误:{exc}", f"bad KML coordinates: {exc}") from exc


def _polygon(elem: Element) -> shapely.Polygon:
    outer = [_coords(b) for b in elem if _local(b.tag) == "outerBoundaryIs"]
    inner = [_coords(b) for b in elem if _local(b.tag) == "innerBoundaryIs"]
    return shapely.Polygon(outer[0] if outer else [], inner)


def _geometry(placemark: Element) -> shapely.Geometry | None:
    parts = []
    for elem in placemark.iter():
        kind = _local(elem.tag)
        if kind == "Point":
            parts.append(shapely.Point(_coords(elem)[0]))
        elif kind == "LineString":
            parts.append(shapely.LineString(_coords(elem)))
        elif kind == "Polygon":
            parts.append(_polygon(elem))
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    kinds = {p.geom_type for p in parts}
    if kinds == {"Polygon"}:
        return shapely.MultiPolygon(parts)
    if kinds == {"LineString"}:
        return shapely.MultiLineString(parts)
    return shapely.GeometryCollection(parts)


def _attributes(placemark: Element) -> dict[str, str | None]:
    attrs: dict[str, str | None] = {}
    for child in placemark:
        if _local(child.tag) in ("name", "description"):
            attrs[_local(child.tag)] = child.text
    for data in _children(placemark, "Data"):
        value = next((v.text for v in data if _local(v.tag) == "value"), None)
        attrs[data.get("name", "")] = value
    for data in _children(placemark, "SimpleData"):
        attrs[data.get("name", "")] = data.text
    return attrs


def read(path: Path, name: str, work: Path, limits: Limits) -> list[RawLayer]:
    """The placemarks of the KML at ``path`` as one layer named ``name``."""
    data = read_checked(path, limits, first=check_xml)  # DOCTYPE/ENTITY, then GDAL paths and VRT markup
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (SafeET.ParseError, DefusedXmlException) as exc:
        raise Refused(f"KML 不是有效的 XML:{exc}", f"KML is not well-formed XML: {exc}") from exc
    if _children(root, "NetworkLink"):
        raise Refused("KML 含 NetworkLink(引用外部文件或网址),拒绝处理",
                      "KML contains a NetworkLink (refers to other files or URLs); refused")
    placemarks = _children(root, "Placemark")
    if not placemarks:
        raise Refused("KML 中没有 Placemark", "the KML holds no Placemark")
    rows = [_attributes(p) for p in placemarks]
    geoms = [_geometry(p) for p in placemarks]
    return [RawLayer(name, gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326"))]
