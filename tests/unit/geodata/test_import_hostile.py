"""Hostile and broken files are refused before any parser sees them, each with its own reason."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from geodata import DEFAULT_PATH
from geodata.io.safety import Limits
from tests.unit.geodata.files import (
    belt_placemark,
    check,
    indicators_long,
    kml,
    messages,
    shipped_layer,
    write_csv,
    xlsx,
    zip_files,
)

SMALL = Limits(max_bytes=64 * 1024, max_unpacked=4 * 1024 * 1024, max_ratio=100.0, max_members=20)
PLACEMARK = belt_placemark("B01", [(118.3, 29.1), (118.4, 29.2)])


def _villages_geojson(extra: str = "") -> bytes:
    data = json.loads(shipped_layer("villages").head(2).to_json())
    data["features"][0]["properties"]["note"] = extra
    return json.dumps(data).encode()


def _gpkg_bytes() -> bytes:
    return DEFAULT_PATH.read_bytes()


# (file name, content maker, the one error it must produce)
CASES = {
    "oversize": ("indicators.csv", lambda: b"village_code,year\n" + b"330824100201,2018\n" * 10_000,
                 "file too large (0.2 MB; the limit is 0 MB)"),
    "empty": ("indicators.csv", lambda: b"", "file is empty"),
    "zip bomb (total)": ("belts.zip", lambda: zip_files_bytes({"belts.shp": b"\0" * (5 * 1024 * 1024)}),
                         "archive unpacks to 5 MB, over the limit (zip bomb?)"),
    "zip bomb (ratio)": ("belts.zip", lambda: zip_files_bytes({"belts.shp": b"\0" * (2 * 1024 * 1024)}),
                         "suspicious compression ratio for belts.shp (zip bomb?)"),
    "dot-dot member": ("belts.zip", lambda: zip_files_bytes({"../../evil.shp": b"x"}),
                       "archive member escapes the folder: ../../evil.shp"),
    "absolute member": ("belts.zip", lambda: zip_files_bytes({"/etc/evil.shp": b"x"}),
                        "archive member escapes the folder: /etc/evil.shp"),
    "symlink member": ("belts.zip", lambda: zip_files_bytes({}, symlinks=("belts.shp",)),
                       "archive contains a symbolic link: belts.shp"),
    "vrt file": ("belts.vrt", lambda: b"<OGRVRTDataSource/>", "VRT files are refused (they can point at other "
                 "files or URLs)"),
    "vrt in zip": ("belts.zip", lambda: zip_files_bytes({"belts.vrt": b"<OGRVRTDataSource/>"}),
                   "archive contains a VRT file or virtual path: belts.vrt"),
    "vrt markup in zip member": ("belts.zip", lambda: zip_files_bytes({"belts.shp": b"<OGRVRTDataSource>"}),
                                 "belts.shp contains a GDAL virtual path or VRT markup; refused"),
    "vsi in name": ("/vsicurl/http:/x/villages.geojson", _villages_geojson,
                    "file name contains a GDAL virtual path (/vsi...)"),
    "vsi in content": ("villages.geojson", lambda: _villages_geojson("/vsicurl/http://example.invalid/x"),
                       "upload.geojson contains a GDAL virtual path or VRT markup; refused"),
    "kml doctype": ("belts.kml", lambda: kml(PLACEMARK, '<!DOCTYPE kml [<!ENTITY x "boom">]>'),
                    "upload.kml contains a DOCTYPE/ENTITY declaration; refused"),
    "kml external entity": ("belts.kml", lambda: kml(PLACEMARK, '<!ENTITY x SYSTEM "file:///etc/passwd">'),
                            "upload.kml contains a DOCTYPE/ENTITY declaration; refused"),
    "kml doctype in utf-16": ("belts.kml", lambda: kml(PLACEMARK, '<!DOCTYPE kml [<!ENTITY x "boom">]>')
                              .replace(b'encoding="UTF-8"', b'encoding="UTF-16"').decode().encode("utf-16"),
                              "upload.kml contains a DOCTYPE/ENTITY declaration; refused"),
    "geojson in utf-16": ("villages.geojson", lambda: _villages_geojson().decode().encode("utf-16"),
                          "not valid GeoJSON: 'utf-8' codec can't decode byte 0xff in position 0"),
    "kml network link": ("belts.kml", lambda: kml("<NetworkLink><Link><href>http://example.invalid/a.kml</href>"
                                                  "</Link></NetworkLink>" + PLACEMARK),
                         "KML contains a NetworkLink (refers to other files or URLs); refused"),
    "kml not xml": ("belts.kml", lambda: b"<kml><Placemark>", "KML is not well-formed XML: no element found: "
                    "line 1, column 16"),
    "unsupported type": ("villages.exe", lambda: b"MZ",
                         "unsupported file type '.exe'; use one of .csv, .geojson, .gpkg, .json, .kml, .xlsx, .zip"),
    "not a zip": ("belts.zip", lambda: b"PK\x03\x04 broken", "not a readable zip archive"),
    "not a geopackage": ("data.gpkg", lambda: b"hello world, not sqlite",
                         "damaged or incomplete GeoPackage: "),
}


def zip_files_bytes(members, symlinks=()):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        return zip_files(Path(tmp) / "a.zip", members, symlinks).read_bytes()


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_file_is_refused_with_its_reason(tmp_path, case):
    name, make, expected = CASES[case]
    path = tmp_path / "offered"
    path.write_bytes(make())
    limits = SMALL if case != "zip bomb (ratio)" else Limits(max_unpacked=64 * 1024 * 1024)
    if case == "oversize":
        limits = Limits(max_bytes=1000)
        expected = f"file too large ({path.stat().st_size / 1e6:.1f} MB; the limit is 0 MB)"
    report = check(path, tmp_path / "work", name=name, limits=limits)
    errors = messages(report)
    assert len(errors) == 1 and expected in errors[0], errors
    assert not (tmp_path / "work" / "kaihua.gpkg").exists()
    assert not any(p.name == "evil.shp" for p in tmp_path.rglob("*"))


def _xlsx_with_doctype(tmp_path) -> bytes:
    source = xlsx(tmp_path / "plain.xlsx", indicators_long(5))
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert data.startswith(b"<worksheet")  # no XML declaration: the DTD goes first
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>' + data
            zout.writestr(info, data)
    return out.getvalue()


def test_xlsx_with_entities_is_refused(tmp_path):
    path = tmp_path / "offered"
    path.write_bytes(_xlsx_with_doctype(tmp_path))
    errors = messages(check(path, tmp_path / "work", name="indicators.xlsx"))
    assert errors == ["xl/worksheets/sheet1.xml contains a DOCTYPE/ENTITY declaration; refused"]


def test_xlsx_zip_bomb_is_refused(tmp_path):
    path = tmp_path / "offered"
    path.write_bytes(zip_files_bytes({"xl/worksheets/sheet1.xml": b" " * (5 * 1024 * 1024)}))
    errors = messages(check(path, tmp_path / "work", name="indicators.xlsx", limits=SMALL))
    assert errors == ["archive unpacks to 5 MB, over the limit (zip bomb?)"]


def test_truncated_geopackage_is_refused(tmp_path):
    path = tmp_path / "data.gpkg"
    path.write_bytes(_gpkg_bytes()[: 200_000])
    errors = messages(check(path, tmp_path / "work"))
    assert len(errors) == 1 and errors[0].startswith("damaged or incomplete GeoPackage: ")


def test_corrupt_geopackage_is_refused(tmp_path):
    data = bytearray(_gpkg_bytes())
    data[4096: 4096 * 40] = b"\xff" * (4096 * 39)  # scribble over b-tree pages
    path = tmp_path / "data.gpkg"
    path.write_bytes(bytes(data))
    errors = messages(check(path, tmp_path / "work"))
    assert len(errors) == 1 and errors[0].startswith("damaged or incomplete GeoPackage: ")


def test_script_in_text_is_stored_verbatim(tmp_path):
    import pyogrio

    script = '<script>alert("x")</script>'
    villages = shipped_layer("villages")
    villages.loc[villages.index[0], "name"] = script
    path = tmp_path / "villages.geojson"
    villages.to_file(path, driver="GeoJSON")
    assert check(path, tmp_path / "work").ok
    stored = pyogrio.read_dataframe(tmp_path / "work" / "kaihua.gpkg", layer="villages")
    assert stored.name.iloc[0] == script


def test_csv_with_sizes_within_limit_passes(tmp_path):
    """The limits are not simply refusing everything."""
    path = write_csv(tmp_path / "indicators.csv", indicators_long(10))
    assert check(path, tmp_path / "work", limits=SMALL).ok


def test_vsi_split_across_blocks_of_a_zip_member_is_refused(tmp_path):
    """Members are scanned block by block: a marker straddling two blocks is still found."""
    import random

    from geodata.io.safety import _CHUNK

    marker = b"/vsicurl/http://example.invalid/x"
    noise = random.Random(0).randbytes(_CHUNK - 4)  # incompressible, so the ratio check lets it through
    assert not re.search(rb"/vsi", noise)
    shp = noise + marker  # "/vsi" ends the first block, "curl/..." starts the second
    path = tmp_path / "offered"
    path.write_bytes(zip_files_bytes({"belts.shp": shp, "belts.shx": b"x", "belts.dbf": b"x"}))
    errors = messages(check(path, tmp_path / "work", name="belts.zip"))
    assert errors == ["belts.shp contains a GDAL virtual path or VRT markup; refused"]
