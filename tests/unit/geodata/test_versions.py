"""Versions: publish atomically, list, roll back, survive a kill, and round-trip through export."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from geodata import DEFAULT_PATH, LAYERS, DataError, open_dataset
from geodata.export import export
from geodata.importing import Options
from geodata.store import POINTER, resolve
from geodata.versions import PAUSE_HOOK, list_versions, publish, rollback, stage
from tests.unit.geodata.files import indicators_long, shipped_layer, write_csv

ROOT = Path(__file__).resolve().parents[3]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _indicator_file(tmp_path: Path, value: float = 1.0) -> Path:
    frame = indicators_long(20).assign(value=value)
    return write_csv(tmp_path / "indicators.csv", frame)


def _import(store: Path, path: Path, note: str = "") -> str:
    staged = stage(store, path, path.name, Options())
    assert staged.token, staged.report.lines("en")
    return publish(store, staged.token, note)


def test_empty_store_serves_the_shipped_dataset(tmp_path):
    store = tmp_path / "store"
    assert resolve(store) == DEFAULT_PATH
    assert open_dataset(store).version == open_dataset().version
    assert list_versions(store) == []


def test_publish_list_and_roll_back(tmp_path):
    store = tmp_path / "store"
    shipped = open_dataset(store).version
    vid = _import(store, _indicator_file(tmp_path, 42.0), note="survey 2019")
    assert vid == "v0002"
    ds = open_dataset(store)  # picked up with no restart: the pointer is read on each call
    assert ds.version != shipped
    key = ["village_code", "year", "indicator"]
    merged = ds.indicators().set_index(key).value
    offered = indicators_long(20).set_index(key).index
    assert (merged.loc[offered] == 42.0).all() and len(merged) == 20400  # merged by key: other rows kept
    assert (merged.drop(offered) == shipped_layer("indicators").set_index(key).value.drop(offered)).all()
    listed = list_versions(store)
    assert [(v.id, v.current) for v in listed] == [("v0002", True), ("v0001", False)]
    assert listed[0].source == "indicators.csv" and listed[0].note == "survey 2019"
    assert listed[0].counts["indicators"] == 20400 and listed[0].counts["villages"] == 266
    assert (store / "versions" / vid / "source" / "upload.csv").is_file()  # the file as uploaded is kept
    v2 = _digest(store / "versions" / vid / "kaihua.gpkg")

    rollback(store, "v0001")
    assert open_dataset(store).version == shipped
    assert [v.id for v in list_versions(store) if v.current] == ["v0001"]
    assert _digest(store / "versions" / vid / "kaihua.gpkg") == v2  # nothing lost: v0002 still there
    rollback(store, vid)
    assert open_dataset(store).version == ds.version


@pytest.mark.parametrize("bad", ["v9999", "../v0001", "", "CURRENT"])
def test_rollback_to_nothing_is_refused(tmp_path, bad):
    store = tmp_path / "store"
    _import(store, _indicator_file(tmp_path))
    before = (store / POINTER).read_bytes()
    with pytest.raises(DataError):
        rollback(store, bad)
    assert (store / POINTER).read_bytes() == before


def test_failed_validation_stages_nothing(tmp_path):
    store = tmp_path / "store"
    frame = indicators_long(5).drop(columns="value")
    staged = stage(store, write_csv(tmp_path / "indicators.csv", frame), "indicators.csv", Options())
    assert staged.token is None and not staged.report.ok
    assert [v.id for v in list_versions(store)] == ["v0001"]
    assert list((store / "staging").iterdir()) == []


def test_candidate_checked_against_an_older_version_is_refused(tmp_path):
    store = tmp_path / "store"
    path = _indicator_file(tmp_path)
    first = stage(store, path, path.name, Options())
    _import(store, path)
    with pytest.raises(DataError, match="changed since this file was checked"):
        publish(store, first.token)


@pytest.mark.parametrize("token", ["../../etc", "0" * 31, "A" * 32])
def test_staged_token_cannot_name_a_path(tmp_path, token):
    with pytest.raises(DataError, match="unknown staged upload"):
        publish(tmp_path / "store", token)


def test_import_killed_before_the_switch_leaves_published_data_untouched(tmp_path):
    store = tmp_path / "store"
    _import(store, _indicator_file(tmp_path, 1.0))
    pointer = (store / POINTER).read_bytes()
    current = resolve(store)
    digest = _digest(current)
    version = open_dataset(store).version

    offer = tmp_path / "offer"
    offer.mkdir()
    marker = tmp_path / "paused"
    env = {**os.environ, PAUSE_HOOK: str(marker), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "geodata", "--store", str(store), "import",
                             str(_indicator_file(offer, 7.0))], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120  # a bound on waiting, not a timing assertion
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the import never reached the switch"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert marker.read_text() == "v0003"  # the new version was complete on disk ...
    assert (store / "versions" / "v0003" / "kaihua.gpkg").is_file()
    assert (store / POINTER).read_bytes() == pointer  # ... but never published
    assert resolve(store) == current and _digest(current) == digest
    assert open_dataset(store).version == version
    # the version that was never published is not offered, and cannot be restored by mistake
    assert [v.id for v in list_versions(store)] == ["v0002", "v0001"]
    with pytest.raises(DataError, match="never published"):
        rollback(store, "v0003")
    # the store still works: the next import first removes the folder never published (so its id is free
    # again) and every published version stays restorable
    assert _import(store, _indicator_file(offer, 9.0)) == "v0003"
    assert [v.id for v in list_versions(store)] == ["v0003", "v0002", "v0001"]
    assert json.loads((store / "versions" / "v0003" / "version.json").read_text())["source"] == "indicators.csv"
    assert not list((store / "staging").iterdir())  # nor is anything left in staging
    rollback(store, "v0002")
    assert resolve(store) == current and _digest(current) == digest
    assert not list(store.glob("versions/v000[123]/pending"))


def test_export_then_import_gives_the_same_dataset(tmp_path):
    store = tmp_path / "store"
    before = open_dataset(store)
    files = export(before, tmp_path / "out", "gpkg")
    _import(store, files[0])
    after = open_dataset(store)
    assert after.path != before.path
    for name in LAYERS:
        a, b = before.layer(name), after.layer(name)
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_like=True)


def test_geojson_export_imports_layer_by_layer(tmp_path):
    store = tmp_path / "store"
    files = {p.stem: p for p in export(open_dataset(store), tmp_path / "out", "geojson")}
    assert files["villages"].suffix == ".geojson" and files["indicators"].suffix == ".csv"
    _import(store, files["villages"])
    back = open_dataset(store).villages()
    orig = shipped_layer("villages")
    assert list(back.code) == list(orig.code) and list(back.name) == list(orig.name)
    assert back.geometry.geom_equals_exact(orig.geometry, tolerance=1e-9).all()


def test_a_publish_stopped_just_after_its_switch_still_counts_as_published(tmp_path):
    store = tmp_path / "store"
    vid = _import(store, _indicator_file(tmp_path, 1.0))
    (store / "versions" / vid / "pending").write_text("left by a stop between the switch and the clean-up")
    assert vid in [v.id for v in list_versions(store)]  # it is the published one
    offer = tmp_path / "offer"
    offer.mkdir()
    _import(store, _indicator_file(offer, 2.0))
    assert vid in [v.id for v in list_versions(store)]  # still listed once it is no longer current ...
    rollback(store, vid)  # ... and restorable
    assert not (store / "versions" / vid / "pending").exists()
