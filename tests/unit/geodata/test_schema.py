"""A schema that can grow: required and optional columns, optional layers, schema versions and migration."""

from __future__ import annotations

import shutil
import sqlite3

import pyogrio
import pytest

from geodata import DEFAULT_PATH, LAYERS, DataError
from geodata.dataset import Dataset
from geodata.importing import Options, build
from geodata.schema import SCHEMA_VERSION, LayerSpec
from tests.unit.geodata.files import check, messages


def _copy(tmp_path, name: str = "copy.gpkg"):
    path = tmp_path / name
    shutil.copyfile(DEFAULT_PATH, path)
    return path


def _set_meta(path, key: str, value: str) -> None:
    with sqlite3.connect(path) as con:
        con.execute("UPDATE meta SET value = ? WHERE key = ?", (value, key))


def test_every_column_of_the_shipped_data_is_declared():
    """What the build writes, the schema names (so nothing the app reads can be missing unnoticed)."""
    for name, spec in LAYERS.items():
        fields = set(pyogrio.read_info(DEFAULT_PATH, layer=name)["fields"])
        assert fields <= set(spec.kinds), (name, sorted(fields - set(spec.kinds)))
        assert set(spec.columns) <= fields, name
        assert not set(spec.columns) & set(spec.optional), name


def test_the_shipped_data_is_of_the_current_schema_version():
    ds = Dataset(DEFAULT_PATH)
    assert ds.meta()["schema_version"] == str(SCHEMA_VERSION) and not ds.migrated


def test_an_older_file_is_migrated_in_memory(tmp_path):
    """A version-1 file without an optional column (as files made before it existed) opens, filled."""
    path = _copy(tmp_path)
    _set_meta(path, "schema_version", "1")
    pairings = Dataset(DEFAULT_PATH).layer("pairings").drop(columns=["partner_village_code", "synthetic"])
    pyogrio.write_dataframe(pairings, path, layer="pairings", driver="GPKG")
    ds = Dataset(path)
    assert ds.schema_version == 1 and ds.migrated
    frame = ds.layer("pairings")
    assert frame.partner_village_code.isna().all() and (~frame.synthetic).all()
    assert list(frame.columns[:3]) == ["pairing_id", "kind", "village_code"]


@pytest.mark.parametrize(("value", "reason"), [
    (str(SCHEMA_VERSION + 1), f"written for schema version {SCHEMA_VERSION + 1}, newer than this app reads"),
    ("0", "schema version 0 is older than the oldest this app can migrate"),
    ("two", "meta schema_version 'two' is not a number"),
])
def test_a_version_that_cannot_be_read_says_why(tmp_path, value, reason):
    path = _copy(tmp_path)
    _set_meta(path, "schema_version", value)
    with pytest.raises(DataError, match=reason):
        Dataset(path)


def test_a_missing_required_column_is_still_an_error(tmp_path):
    path = _copy(tmp_path)
    villages = Dataset(DEFAULT_PATH).villages().drop(columns="township_code")
    pyogrio.write_dataframe(villages, path, layer="villages", driver="GPKG")
    with pytest.raises(DataError, match="layer 'villages' is missing column"):
        Dataset(path).villages()


def test_an_optional_layer_does_not_make_older_files_unreadable(tmp_path, monkeypatch):
    """A future layer (a wall's settings) is declared optional: files without it read it as empty."""
    spec = LayerSpec("wall_settings", None, {"key": "str", "value": "str"}, ("key",), "大屏设置", "Wall settings",
                     {"rotate_s": ("int", 30)}, required=False)
    monkeypatch.setitem(LAYERS, "wall_settings", spec)
    ds = Dataset(DEFAULT_PATH)
    frame = ds.layer("wall_settings")
    assert len(frame) == 0 and list(frame.columns) == ["key", "value", "rotate_s"]
    # ... and a file that has it is checked like any other layer
    path = _copy(tmp_path)
    report = check(_settings_csv(tmp_path), tmp_path / "work", layer="wall_settings")
    assert report.ok, messages(report)
    assert "no optional column rotate_s: filled with its default 30" in messages(report, "repaired")
    assert Dataset(tmp_path / "work" / "kaihua.gpkg").layer("wall_settings").rotate_s.tolist() == [30]
    monkeypatch.setitem(LAYERS, "wall_settings", LayerSpec("wall_settings", None, {"key": "str"}, ("key",)))
    with pytest.raises(DataError, match="missing layer"):
        Dataset(path)  # the same layer made required: now a file without it is refused


def _settings_csv(tmp_path):
    path = tmp_path / "wall_settings.csv"
    path.write_text("key,value\ntheme,dark\n", encoding="utf-8")
    return path


def test_an_import_without_an_optional_column_passes_and_fills_it(tmp_path):
    """The case that took the app down: a pairings file without partner_village_code."""
    path = tmp_path / "pairings.csv"
    frame = Dataset(DEFAULT_PATH).layer("pairings").drop(columns=["partner_village_code"])
    path.write_text(frame.to_csv(index=False), encoding="utf-8")
    report = check(path, tmp_path / "work")
    assert report.ok, messages(report)
    assert "no optional column partner_village_code: filled with its default None" in messages(report, "repaired")
    written = Dataset(tmp_path / "work" / "kaihua.gpkg").layer("pairings")
    assert written.partner_village_code.isna().all()


def test_an_import_onto_an_older_version_writes_the_current_one(tmp_path):
    base = _copy(tmp_path, "base.gpkg")
    _set_meta(base, "schema_version", "1")
    assert Dataset(base).migrated
    path = tmp_path / "pairings.csv"
    path.write_text(Dataset(DEFAULT_PATH).layer("pairings").to_csv(index=False), encoding="utf-8")
    (tmp_path / "work").mkdir()
    report = build(path, "pairings.csv", base, tmp_path / "work", Options())
    assert report.ok, messages(report)
    candidate = Dataset(tmp_path / "work" / "kaihua.gpkg")
    assert candidate.schema_version == SCHEMA_VERSION and not candidate.migrated
    assert len(candidate.layer("villages")) == len(Dataset(base).layer("villages"))
