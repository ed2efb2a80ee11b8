"""The "store that heals" rules on the PostGIS backend, with tables changed directly in the database.

test_store_heal.py holds the same rules for the GeoPackage store (and runs the rollback and open cases on both
backends); here the damage is what a database suffers: an ``UPDATE`` of one indicator value, a moved geometry,
a deleted row, a dropped column, a write with the change trigger disabled or dropped. Each test first makes the
process serve the good version, as a running app server would, and then changes the tables behind its back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from benchmarks.dashclient import UPDATE, DashClient
from dashboard import ids
from dashboard.app import create_app
from geodata import DataError, db, open_dataset
from geodata.cli import main
from geodata.dataset import health
from geodata.importing import Options
from geodata.postgis import guard
from geodata.postgis import layers as pg_layers
from tests.backends import Case
from tests.unit.geodata.files import indicators_long, write_csv

# (what is done to the published version, the layer the refusal names). Each changes what a reader would get.
DAMAGE = {
    "an indicator value": ("update {v}.indicators set value = value + 1 where _row = 0", "indicators"),
    "a village geometry": ("update {v}.villages set geometry = ST_Translate(geometry, 0.001, 0) where _row = 3",
                           "villages"),
    "a deleted belt": ("delete from {v}.belts where _row = 0", "belts"),
    "a dropped column": ("alter table {v}.villages drop column name_en", "villages"),
    # the trigger switched off first: the catalog change (pg_trigger) must move the stamp by itself
    "a write with the trigger disabled": ("alter table {v}.indicators disable trigger kaihua_changed; "
                                          "update {v}.indicators set value = value + 2 where _row = 1", "indicators"),
    "a write with the trigger dropped": ("drop trigger kaihua_changed on {v}.indicators; "
                                         "update {v}.indicators set value = value + 2 where _row = 1", "indicators"),
    # replication mode silences ordinary triggers, not ENABLE ALWAYS ones (the test role is a superuser)
    "a write in replica mode": ("set local session_replication_role = replica; "
                                "update {v}.indicators set value = -1 where _row = 2", "indicators"),
}


def _indicator_file(folder: Path, value: float) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_csv(folder / "indicators.csv", indicators_long(20).assign(value=value))


def _publish(case: Case, path: Path) -> str:
    staged = case.backend.stage(path, path.name, Options())
    assert staged.token, staged.report.lines("en")
    return case.backend.publish(staged.token)


def _sql(url: str, statements: str) -> None:
    """Run ``statements`` in one transaction, as someone with a database client would."""
    with db.engine(url).begin() as conn:
        for statement in statements.split(";"):
            conn.execute(sa.text(statement))


def _damage(case: Case, version_id: str, kind: str) -> str:
    """Apply the damage ``kind`` to ``version_id``; the start of the words it is refused with."""
    statements, layer = DAMAGE[kind]
    _sql(str(case.source), statements.format(v=version_id))
    return f"postgis:{version_id}: layer '{layer}'"


def _current_row(case: Case) -> str:
    with db.engine(str(case.source)).connect() as conn:
        return conn.execute(sa.text("select version_id from kaihua.current")).scalar_one()


def _post(client, body: dict) -> tuple[int, dict | None]:
    resp = client.post(UPDATE, json=body)
    return resp.status_code, resp.json if resp.status_code == 200 else None


@pytest.fixture(scope="module")
def template(postgis_server: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database with v0001 (the shipped dataset) and v0002 (20 indicator values imported) published, once for
    the module; each test damages a copy of it."""
    from tests import services

    url = services.new_database(postgis_server, "heal_template")
    case = Case("postgis", url, tmp_path_factory.mktemp("state"))
    assert _publish(case, _indicator_file(tmp_path_factory.mktemp("a"), 1.0)) == "v0002"
    case.forget()
    db.engine(url).dispose()  # a database is copied only while nobody is connected to it
    return url


@pytest.fixture
def pg(template: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Case]:
    """A copy of ``template`` for one test; nothing of it held by this process at the start or after the test."""
    from tests import services

    name = "heal_" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:12]  # one per test and case
    case = Case("postgis", services.copy_database(template, name), tmp_path / "state")
    guard.forget_checks()
    yield case
    case.forget()
    guard.forget_checks()
    db.engine(str(case.source)).dispose()


def test_every_version_records_each_layers_hash_and_is_guarded(pg):
    url = str(pg.source)
    for vid in ("v0001", "v0002"):
        layers = pg.backend.open_version(vid).source.recorded
        assert {"villages", "indicators", "belts", "meta"} <= set(layers)
        with db.engine(url).connect() as conn:
            for name, info in layers.items():
                assert pg_layers.frame_sha256(pg_layers.read_raw(conn, vid, name, info)) == info["sha256"], name
        # every layer table carries the change trigger, so the version has a stamp (not a full check each time)
        assert guard.stamp(url, vid, list(layers)) is not None


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_a_change_to_a_served_version_is_found_and_the_last_good_one_served(pg, kind):
    url = str(pg.source)
    served = open_dataset(url)  # read and checked: what this process holds
    value = served.indicators().value.iloc[0]
    assert health(url).status == "ok"

    words = _damage(pg, "v0002", kind)
    state = health(url)
    assert state.status == "degraded" and state.problem.startswith(words)
    assert state.data_version == served.version
    assert open_dataset(url) is served and served.indicators().value.iloc[0] == value  # the good copy

    pg.forget()  # a process that never read it: nothing good to serve, and opening says why
    with pytest.raises(DataError, match=words):
        open_dataset(url)
    state = health(url)
    assert state.status == "down" and state.problem.startswith(words) and state.data_version is None


def test_the_app_serves_the_last_good_version_and_healthz_says_why(pg):
    app = create_app(pg.settings())
    client = app.server.test_client()
    good = client.get("/healthz")
    assert good.status_code == 200 and good.json["status"] == "ok" and good.json["backend"] == "postgis"
    assert good.json["database"] == "ok" and good.json["problem"] is None
    version = good.json["data_version"]
    page = client.get("/_dash-layout").data

    words = _damage(pg, "v0002", "a village geometry")
    degraded = client.get("/healthz")
    assert degraded.status_code == 200 and degraded.is_json
    assert degraded.json["status"] == "degraded" and degraded.json["data_version"] == version
    assert degraded.json["problem"].startswith(words) and "changed in the database" in degraded.json["problem"]
    assert client.get("/").status_code == 200
    assert client.get("/_dash-layout").data == page
    assert client.get(f"/geo/{version}/villages.geojson").status_code == 200
    # the callbacks a search fires, through Dash's dispatch, answered from the good version held in memory
    dash = DashClient(client.get("/_dash-layout").json, client.get("/_dash-dependencies").json,
                      lambda body: _post(client, body))
    requests = dash.act(ids.SEARCH, "search_value", "东坑")
    assert requests and all(r.status == 200 for r in requests)
    assert "东坑" in json.dumps(requests[0].response, ensure_ascii=False)

    pg.forget()  # nothing good was ever read by this process: nothing can be served
    down = client.get("/healthz")
    assert down.status_code == 503 and down.is_json
    assert down.json["status"] == "down" and down.json["data_version"] is None
    assert down.json["problem"].startswith(words)


def test_rollback_to_a_changed_version_is_refused_and_the_current_row_does_not_move(pg):
    words = _damage(pg, "v0001", "a village geometry")
    with pytest.raises(DataError, match=rf"version v0001 is damaged.*{words}"):
        pg.backend.rollback("v0001")
    assert _current_row(pg) == "v0002"
    assert main(["rollback", "v0001", *pg.cli, "--lang", "en"]) == 1
    assert _current_row(pg) == "v0002"
    assert health(str(pg.source)).status == "ok"  # the current version was not touched


def test_publishing_works_after_damage(pg, tmp_path):
    url = str(pg.source)
    _damage(pg, "v0001", "an indicator value")  # an old version: publishing is not held up by it
    assert _publish(pg, _indicator_file(tmp_path / "b", 2.0)) == "v0003"
    assert open_dataset(url).path.version_id == "v0003" and health(url).status == "ok"

    words = _damage(pg, "v0003", "a deleted belt")  # the current one: a candidate is never built on it
    with pytest.raises(DataError, match=words):
        pg.backend.stage(_indicator_file(tmp_path / "c", 3.0), "indicators.csv", Options())
    assert health(url).status == "degraded"
    pg.backend.rollback("v0002")  # heals: an unchanged version is published again
    assert health(url).status == "ok"
    assert _publish(pg, _indicator_file(tmp_path / "d", 4.0)) == "v0004"
    assert open_dataset(url).indicators().value.isin([4.0]).any() and health(url).status == "ok"


def _count_full_checks(monkeypatch) -> list[str]:
    """Record each full check of a version (the costly read) instead of only running it."""
    calls: list[str] = []
    real = guard.full_check

    def counting(url: str, version_id: str, layers: dict) -> str | None:
        calls.append(version_id)
        return real(url, version_id, layers)

    monkeypatch.setattr(guard, "full_check", counting)
    return calls


def test_an_unchanged_version_is_not_read_again_and_every_write_is(pg, monkeypatch):
    url = str(pg.source)
    layers = pg.backend.open_version("v0002").source.recorded
    calls = _count_full_checks(monkeypatch)
    for _ in range(3):
        guard.check(url, "v0002", layers)
    assert calls == []  # still at the stamp its publish recorded: one catalog query per check, never a read
    with db.engine(url).connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("vacuum analyze v0002.indicators"))  # maintenance changes nothing a reader gets
    guard.check(url, "v0002", layers)
    assert calls == []

    _sql(url, "update v0002.indicators set value = value where _row = 0")  # a write, same content
    guard.check(url, "v0002", layers)
    assert calls == ["v0002"]  # looked at again, and found as published
    guard.check(url, "v0002", layers)
    assert calls == ["v0002"]  # once
    _sql(url, "update v0002.indicators set value = value + 0.5 where _row = 0")
    with pytest.raises(DataError, match="layer 'indicators' changed in the database"):
        guard.check(url, "v0002", layers)
    with pytest.raises(DataError, match="layer 'indicators' changed in the database"):
        guard.check(url, "v0002", layers)
    assert len(calls) == 2  # the finding is remembered while nothing else changes
    _sql(url, "update v0002.indicators set value = value - 0.5 where _row = 0")  # undone by hand: healed
    guard.check(url, "v0002", layers)
    assert len(calls) == 3


def test_a_version_published_before_the_trigger_is_guarded_at_its_first_check(pg, monkeypatch):
    url = str(pg.source)
    layers = pg.backend.open_version("v0001").source.recorded
    _sql(url, "; ".join(f"drop trigger kaihua_changed on v0001.{name}" for name in layers))
    calls = _count_full_checks(monkeypatch)
    guard.check(url, "v0001", layers)  # the trigger installed, then the version read in full
    assert guard.stamp(url, "v0001", list(layers)) is not None and calls == ["v0001"]
    guard.check(url, "v0001", layers)
    assert calls == ["v0001"]


def _counting_hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count every content hash taken from now on (each is a layer read and hashed in full)."""
    calls: list[str] = []
    real = pg_layers.frame_sha256

    def counted(frame):
        calls.append(",".join(map(str, frame.columns[:2])))
        return real(frame)

    monkeypatch.setattr(pg_layers, "frame_sha256", counted)
    return calls


def _same_data(served, careful) -> None:
    for name in careful.available:
        got, want = served.layer(name), careful.layer(name)
        assert got.equals(want) and list(got.dtypes) == list(want.dtypes), name


def test_a_version_as_its_publish_left_it_is_served_without_hashing_it_again(pg, monkeypatch):
    url = str(pg.source)
    names = list(pg.backend.open_version("v0002").source.recorded)
    assert guard.as_published(url, "v0002", guard.stamp(url, "v0002", names))
    hashes = _counting_hashes(monkeypatch)
    served = open_dataset(url)
    assert served.path.version_id == "v0002" and hashes == []
    _same_data(served, pg.backend.open_version("v0002").load_all())  # (this one reads and hashes every layer)
    assert hashes

    # a version whose publish recorded no stamp (an older release published it) is hashed as before
    _sql(url, "delete from kaihua.published where version_id = 'v0002'")
    pg.forget()
    guard.forget_checks()
    hashes.clear()
    assert open_dataset(url).path.version_id == "v0002" and len(hashes) >= len(names) - 1


def test_a_publish_lends_the_next_version_every_layer_it_did_not_change(pg, tmp_path):
    url = str(pg.source)
    served = open_dataset(url)
    assert _publish(pg, _indicator_file(tmp_path / "b", 2.0)) == "v0003"
    new = open_dataset(url)
    assert new.path.version_id == "v0003" and new.version != served.version
    assert new.held()["villages"] is served.held()["villages"]
    assert new.held()["indicators"] is not served.held()["indicators"]
    assert (new.indicators().value == 2.0).sum() > (served.indicators().value == 2.0).sum()  # the change is served
    _same_data(new, pg.backend.open_version("v0003").load_all())


def test_a_table_changed_before_a_server_read_it_is_not_lent_from_the_last_version(pg, tmp_path):
    url = str(pg.source)
    served = open_dataset(url)
    assert _publish(pg, _indicator_file(tmp_path / "b", 2.0)) == "v0003"
    # the same villages as v0002 were published, then moved in the database before any server read them
    words = _damage(pg, "v0003", "a village geometry")
    state = health(url)
    assert state.status == "degraded" and state.problem.startswith(words)
    assert open_dataset(url) is served  # the last good version, not v0003 with v0002's villages
