"""A store that heals: checksums, read-only files, refused rollbacks, degraded serving, full disks, leftovers."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

import pyogrio
import pytest

from benchmarks.dashclient import UPDATE, DashClient
from dashboard import ids
from dashboard.app import create_app
from dashboard.config import Settings
from geodata import DataError, open_dataset
from geodata import versions as versions_mod
from geodata.cli import main
from geodata.dataset import forget, health
from geodata.importing import Options
from geodata.store import DATA_FILE, INFO_FILE, POINTER, STAGING, VERSIONS, file_sha256
from geodata.versions import BUILDING_FILE, _building, list_versions, publish, rollback, stage
from tests.unit.geodata.files import indicators_long, write_csv


def _indicator_file(folder: Path, value: float) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_csv(folder / "indicators.csv", indicators_long(20).assign(value=value))


def _import(store: Path, path: Path) -> str:
    staged = stage(store, path, path.name, Options())
    assert staged.token, staged.report.lines("en")
    return publish(store, staged.token)


def _damage(path: Path) -> None:
    """Flip bytes in the middle of a published file, as a failing disk or a stray editor would."""
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 64] = bytes(b ^ 0xFF for b in data[middle:middle + 64])
    path.write_bytes(bytes(data))


def _leftovers(store: Path) -> list[str]:
    """Everything in the store that is not a published version, the pointer or the lock."""
    out = [p.name for p in store.iterdir() if p.name not in (POINTER, VERSIONS, STAGING, ".lock")]
    out += [p.name for p in (store / STAGING).iterdir()] if (store / STAGING).is_dir() else []
    listed = {v.id for v in list_versions(store)}
    out += [p.name for p in (store / VERSIONS).iterdir() if p.name not in listed]
    return out


def _post(client, body: dict) -> tuple[int, dict | None]:
    resp = client.post(UPDATE, json=body)
    return resp.status_code, resp.json if resp.status_code == 200 else None


@pytest.fixture
def store(tmp_path):
    store = tmp_path / "store"
    _import(store, _indicator_file(tmp_path / "a", 1.0))  # v0001 shipped, v0002 imported
    yield store
    forget(store)


def test_every_version_records_checksums_and_its_files_are_read_only(store):
    for vid in ("v0001", "v0002"):
        folder = store / VERSIONS / vid
        info = json.loads((folder / INFO_FILE).read_text())
        files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()
                       and p.name != INFO_FILE)
        assert sorted(info["sha256"]) == files and DATA_FILE in files
        for rel, digest in info["sha256"].items():
            assert file_sha256(folder / rel) == digest
            assert (folder / rel).stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) == 0
    assert "source/upload.csv" in json.loads((store / VERSIONS / "v0002" / INFO_FILE).read_text())["sha256"]


@pytest.fixture
def published(backend, tmp_path):
    """A store of either backend with v0001 (shipped) and v0002 (imported) published."""
    staged = backend.backend.stage(_indicator_file(tmp_path / "a", 1.0), "indicators.csv", Options())
    assert staged.token, staged.report.lines("en")
    backend.backend.publish(staged.token)
    return backend


def test_rollback_to_a_damaged_version_is_refused_and_current_does_not_move(published):
    words = published.damage("v0001")
    before = published.published()[0]
    with pytest.raises(DataError, match=rf"version v0001 is damaged.*{words}"):
        published.backend.rollback("v0001")
    assert published.published()[0] == before
    assert main(["rollback", "v0001", *published.cli, "--lang", "en"]) == 1
    assert published.published()[0] == before


def test_a_damaged_source_copy_is_damage_too(store):
    _damage(store / VERSIONS / "v0002" / "source" / "upload.csv")  # the version is not as it was published
    with pytest.raises(DataError, match="v0002/source/upload.csv changed on disk"):
        rollback(store, "v0002")


def test_opening_a_damaged_version_fails_with_the_reason(published):
    words = published.damage("v0002")
    published.forget()  # nothing held in this process: nothing to serve
    with pytest.raises(DataError, match=words):
        open_dataset(published.source)
    state = health(published.source)
    assert state.status == "down" and words.split(" changed")[0] in state.problem and state.data_version is None


def test_the_app_keeps_serving_the_last_good_version_when_the_published_one_is_damaged(store):
    app = create_app(Settings(data_path=store))
    client = app.server.test_client()
    good = client.get("/healthz")
    assert good.status_code == 200 and good.json == {"status": "ok", "problem": None,
                                                      "data_version": open_dataset(store).version,
                                                      "build": app.server.config["KAIHUA_BUILD"],
                                                      "backend": "gpkg", "database": None, "redis": None}
    version = good.json["data_version"]
    page = client.get("/_dash-layout").data
    _damage(store / VERSIONS / "v0002" / DATA_FILE)

    degraded = client.get("/healthz")
    assert degraded.status_code == 200 and degraded.is_json
    assert degraded.json["status"] == "degraded" and degraded.json["data_version"] == version
    assert "v0002/kaihua.gpkg changed on disk" in degraded.json["problem"]
    assert client.get("/").status_code == 200
    assert client.get("/_dash-layout").data == page
    assert client.get(f"/geo/{version}/villages.geojson").status_code == 200
    # every callback the search fires, through Dash's dispatch, answered from the data held in memory
    dash_client = DashClient(client.get("/_dash-layout").json, client.get("/_dash-dependencies").json,
                             lambda body: _post(client, body))
    requests = dash_client.act(ids.SEARCH, "search_value", "东坑")
    assert requests and all(r.status == 200 for r in requests)
    assert "东坑" in json.dumps(requests[0].response, ensure_ascii=False)

    forget(store)  # the process holds nothing any more: nothing can be read
    down = client.get("/healthz")
    assert down.status_code == 503 and down.json["status"] == "down" and down.json["data_version"] is None


def test_a_rollback_heals_a_degraded_store(store):
    open_dataset(store)
    _damage(store / VERSIONS / "v0002" / DATA_FILE)
    assert health(store).status == "degraded"
    rollback(store, "v0001")
    assert health(store).status == "ok"


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_full_disk_while_publishing_is_a_clear_error_and_leaves_nothing(store, tmp_path, monkeypatch):
    pointer = (store / POINTER).read_bytes()
    staged = stage(store, _indicator_file(tmp_path / "b", 2.0), "indicators.csv", Options())
    assert staged.token
    monkeypatch.setattr(versions_mod, "_write_json", _disk_full)
    with pytest.raises(DataError, match="the disk is full .*nothing was published and no partial files"):
        publish(store, staged.token)
    assert (store / POINTER).read_bytes() == pointer
    assert _leftovers(store) == []
    assert [v.id for v in list_versions(store)] == ["v0002", "v0001"]


def test_full_disk_while_checking_is_a_report_not_a_traceback(store, tmp_path, monkeypatch, capsys):
    pointer = (store / POINTER).read_bytes()
    monkeypatch.setattr(pyogrio, "write_dataframe", _disk_full)
    path = _indicator_file(tmp_path / "c", 3.0)
    staged = stage(store, path, path.name, Options())
    assert staged.token is None
    assert [i.message_en for i in staged.report.errors] == [
        "cannot write the merged dataset: the disk is full (no space left on device); free some space and try again"]
    assert main(["import", str(path), "--store", str(store), "--lang", "en"]) == 1
    out = capsys.readouterr()
    assert "the disk is full" in out.out and "Traceback" not in out.out + out.err
    assert (store / POINTER).read_bytes() == pointer and _leftovers(store) == []


def test_full_disk_while_switching_the_pointer_leaves_no_temporary_file(store, tmp_path, monkeypatch):
    pointer = (store / POINTER).read_bytes()
    staged = stage(store, _indicator_file(tmp_path / "d", 4.0), "indicators.csv", Options())
    monkeypatch.setattr("geodata.store.os.replace", _disk_full)
    with pytest.raises(DataError, match="the disk is full"):
        publish(store, staged.token)
    assert (store / POINTER).read_bytes() == pointer and _leftovers(store) == []


def test_leftovers_of_stopped_imports_are_removed_at_the_next_publish(store, tmp_path):
    staging = store / STAGING
    killed = staging / ("a" * 32)  # a build killed half-way: its lock file is there, nobody holds it
    killed.mkdir(parents=True)
    (killed / BUILDING_FILE).touch()
    (killed / "kaihua.gpkg").write_bytes(b"half")
    busy = staging / ("b" * 32)  # a build running right now (its lock is held)
    busy.mkdir()
    checked = staging / ("c" * 32)  # a checked candidate waiting for its publish button
    checked.mkdir()
    (checked / "stage.json").write_text("{}")
    never = store / VERSIONS / "v0003"  # a version folder whose publish stopped before the switch
    never.mkdir()
    (never / "pending").write_text("x")
    with _building(busy):
        vid = _import(store, _indicator_file(tmp_path / "e", 5.0))
        assert busy.is_dir()
    assert vid == "v0003" and json.loads((never / INFO_FILE).read_text())["id"] == "v0003"
    assert not killed.exists() and checked.is_dir()
