"""Versions: publish atomically, list, roll back, survive a kill, and round-trip through export."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from geodata import DEFAULT_PATH, LAYERS, DataError, Dataset, open_dataset
from geodata.export import export
from geodata.importing import Options
from geodata.versions import PAUSE_HOOK, list_versions, publish, rollback, stage
from tests.unit.geodata.files import indicators_long, shipped_layer, write_csv

ROOT = Path(__file__).resolve().parents[3]


def _indicator_file(tmp_path: Path, value: float = 1.0) -> Path:
    frame = indicators_long(20).assign(value=value)
    return write_csv(tmp_path / "indicators.csv", frame)


def _import(store: Path, path: Path, note: str = "") -> str:
    staged = stage(store, path, path.name, Options())
    assert staged.token, staged.report.lines("en")
    return publish(store, staged.token, note)


def _publish(case, path: Path, note: str = "") -> str:
    staged = case.backend.stage(path, path.name, Options())
    assert staged.token, staged.report.lines("en")
    return case.backend.publish(staged.token, note)


def test_empty_store_serves_the_shipped_dataset(backend):
    assert open_dataset(backend.source).version == open_dataset().version
    assert open_dataset(backend.source).path == DEFAULT_PATH
    assert backend.backend.list_versions() == []
    assert backend.published()[0] is None  # reading wrote nothing


def test_publish_list_and_roll_back(backend, tmp_path):
    shipped = open_dataset(backend.source).version
    vid = _publish(backend, _indicator_file(tmp_path, 42.0), note="survey 2019")
    assert vid == "v0002"
    ds = open_dataset(backend.source)  # picked up with no restart: the pointer is read on each call
    assert ds.version != shipped and ds.backend == backend.kind
    key = ["village_code", "year", "indicator"]
    merged = ds.indicators().set_index(key).value
    offered = indicators_long(20).set_index(key).index
    assert (merged.loc[offered] == 42.0).all() and len(merged) == 20400  # merged by key: other rows kept
    assert (merged.drop(offered) == shipped_layer("indicators").set_index(key).value.drop(offered)).all()
    listed = backend.backend.list_versions()
    assert [(v.id, v.current) for v in listed] == [("v0002", True), ("v0001", False)]
    assert listed[0].source == "indicators.csv" and listed[0].note == "survey 2019"
    assert listed[0].counts["indicators"] == 20400 and listed[0].counts["villages"] == 266
    v2 = backend.published()[1:]
    first = backend.backend.open_version("v0001")  # the shipped dataset, as the store keeps it
    assert all(first.layer(n).equals(open_dataset().layer(n)) for n in ("villages", "belts", "indicators"))

    backend.backend.rollback("v0001")
    assert open_dataset(backend.source).version == first.version
    assert [v.id for v in backend.backend.list_versions() if v.current] == ["v0001"]
    assert backend.published()[1:] == v2  # nothing lost: v0002 still there, unchanged
    backend.backend.rollback(vid)
    assert open_dataset(backend.source).version == ds.version


def test_the_file_as_uploaded_is_kept(tmp_path):
    store = tmp_path / "store"
    vid = _import(store, _indicator_file(tmp_path, 42.0))
    assert (store / "versions" / vid / "source" / "upload.csv").is_file()


@pytest.mark.parametrize("bad", ["v9999", "../v0001", "", "CURRENT"])
def test_rollback_to_nothing_is_refused(backend, tmp_path, bad):
    _publish(backend, _indicator_file(tmp_path))
    before = backend.published()
    with pytest.raises(DataError):
        backend.backend.rollback(bad)
    assert backend.published() == before


def test_failed_validation_stages_nothing(backend, tmp_path):
    frame = indicators_long(5).drop(columns="value")
    staged = backend.backend.stage(write_csv(tmp_path / "indicators.csv", frame), "indicators.csv", Options())
    assert staged.token is None and not staged.report.ok
    assert [v.id for v in backend.backend.list_versions()] == ["v0001"]
    assert backend.leftovers() == []


def test_candidate_checked_against_an_older_version_is_refused(backend, tmp_path):
    path = _indicator_file(tmp_path)
    first = backend.backend.stage(path, path.name, Options())
    _publish(backend, path)
    with pytest.raises(DataError, match="changed since this file was checked"):
        backend.backend.publish(first.token)


@pytest.mark.parametrize("token", ["../../etc", "0" * 31, "A" * 32])
def test_staged_token_cannot_name_a_path(backend, token):
    with pytest.raises(DataError, match="unknown staged upload"):
        backend.backend.publish(token)


def test_import_killed_before_the_switch_leaves_published_data_untouched(backend, tmp_path):
    _publish(backend, _indicator_file(tmp_path, 1.0))
    before = backend.published()
    version = open_dataset(backend.source).version

    offer = tmp_path / "offer"
    offer.mkdir()
    marker = tmp_path / "paused"
    env = {**backend.env, PAUSE_HOOK: str(marker), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "geodata", *backend.cli, "import",
                             str(_indicator_file(offer, 7.0))], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180  # a bound on waiting, not a timing assertion
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the import never reached the switch"
        time.sleep(0.05)
    assert open_dataset(backend.source).version == version  # no reader sees any of what is being published
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert marker.read_text() == "v0003"  # the new version was complete (on disk, or in the open transaction)
    if backend.kind == "gpkg":
        assert (Path(backend.source) / "versions" / "v0003" / "kaihua.gpkg").is_file()
    # gpkg: the folder is there but never published (the next import removes it, below); postgis: the killed
    # session's transaction is rolled back, not a row or a table of it is left
    _wait_until_rolled_back(backend, before)
    assert backend.published() == before
    backend.forget()
    assert open_dataset(backend.source).version == version
    # the version that was never published is not offered, and cannot be restored by mistake
    assert [v.id for v in backend.backend.list_versions()] == ["v0002", "v0001"]
    with pytest.raises(DataError, match="never published|no version v0003"):
        backend.backend.rollback("v0003")
    # the store still works: the next import reuses the id of the version never published, and every
    # published version stays restorable
    assert _publish(backend, _indicator_file(offer, 9.0)) == "v0003"
    assert [v.id for v in backend.backend.list_versions()] == ["v0003", "v0002", "v0001"]
    assert backend.backend.list_versions()[0].source == "indicators.csv"
    assert backend.leftovers() == []  # nor is anything left in staging
    backend.backend.rollback("v0002")
    assert open_dataset(backend.source).version == version
    if backend.kind == "gpkg":
        assert not list(Path(backend.source).glob("versions/v000[123]/pending"))


def _wait_until_rolled_back(case, before: tuple) -> None:
    """The server notices a killed client when its socket closes: wait for that (bounded), not a fixed time."""
    deadline = time.monotonic() + 30
    while case.published() != before and time.monotonic() < deadline:
        time.sleep(0.1)


def test_export_then_import_gives_the_same_dataset(backend, tmp_path):
    before = open_dataset(backend.source)
    files = export(before, tmp_path / "out", "gpkg")
    _publish(backend, files[0])
    after = open_dataset(backend.source)
    assert after.path != before.path
    for name in LAYERS:
        a, b = before.layer(name), after.layer(name)
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_like=True)
    # and the database's export of what it serves is the same dataset again
    again = export(after, tmp_path / "again", "gpkg")[0]
    for name in LAYERS:
        pd.testing.assert_frame_equal(after.layer(name).reset_index(drop=True),
                                      Dataset(again).layer(name).reset_index(drop=True), check_like=True)


def test_geojson_export_imports_layer_by_layer(backend, tmp_path):
    files = {p.stem: p for p in export(open_dataset(backend.source), tmp_path / "out", "geojson")}
    assert files["villages"].suffix == ".geojson" and files["indicators"].suffix == ".csv"
    _publish(backend, files["villages"])
    back = open_dataset(backend.source).villages()
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
