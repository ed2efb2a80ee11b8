"""``GET /healthz`` for load balancers: the backend, the data version, the database and Redis, always JSON."""

from __future__ import annotations

from dashboard.app import create_app
from geodata import open_dataset
from tests import services


def test_healthz_names_the_backend_and_the_data_version(backend):
    client = create_app(backend.settings()).server.test_client()
    resp = client.get("/healthz")
    assert resp.status_code == 200 and resp.is_json
    body = resp.json
    assert body["status"] == "ok" and body["problem"] is None
    assert body["backend"] == backend.kind and body["data_version"] == open_dataset(backend.source).version
    assert body["database"] == ("ok" if backend.kind == "postgis" else None)
    assert body["redis"] is None and body["build"]


def test_healthz_pings_redis(redis_url):
    client = create_app(_settings(redis_url=redis_url)).server.test_client()
    assert client.get("/healthz").json["redis"] == "ok"


def test_healthz_with_redis_gone_is_degraded_and_still_answers(tmp_path):
    dead = f"redis://127.0.0.1:{services.free_port()}/0"  # nothing listens there
    resp = create_app(_settings(redis_url=dead)).server.test_client().get("/healthz")
    assert resp.status_code == 200 and resp.json["redis"] == "down"
    assert resp.json["status"] == "degraded" and resp.json["problem"] == "Redis does not answer"


def _settings(**kw):
    from dashboard.config import Settings

    return Settings(**kw)


def test_the_app_keeps_serving_the_last_good_version_when_the_database_goes_away(postgis_server, tmp_path):
    from geodata.dataset import forget
    from geodata.postgis.versions import ensure_initialised

    url = services.new_database(postgis_server, "t_database_goes_away")
    ensure_initialised(url)
    client = create_app(_settings(database_url=url, state_dir=tmp_path)).server.test_client()
    good = client.get("/healthz")
    assert good.status_code == 200 and good.json["status"] == "ok" and good.json["database"] == "ok"
    page = client.get("/_dash-layout").data

    base = postgis_server.rpartition("/")[0]
    services._psql(base + "/postgres", 'DROP DATABASE "t_database_goes_away" WITH (FORCE)')
    degraded = client.get("/healthz")
    assert degraded.status_code == 200 and degraded.json["status"] == "degraded"
    assert degraded.json["database"] == "down" and degraded.json["backend"] == "postgis"
    assert degraded.json["data_version"] == good.json["data_version"]
    assert "the database cannot be used" in degraded.json["problem"]
    assert client.get("/_dash-layout").data == page  # served from the version held in memory

    forget(url)  # the process holds nothing any more: nothing can be served
    down = client.get("/healthz")
    assert down.status_code == 503 and down.json["status"] == "down" and down.json["data_version"] is None
