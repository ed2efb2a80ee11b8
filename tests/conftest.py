"""Fixtures shared by every test tier."""

from __future__ import annotations

import os

import pytest

from geodata import open_dataset


@pytest.fixture(scope="session")
def dataset():
    """The shipped dataset."""
    return open_dataset()


@pytest.fixture(scope="session")
def postgis_server():
    """A throw-away PostgreSQL + PostGIS server for the session (or ``KAIHUA_TEST_DATABASE_URL``)."""
    from tests import services

    if url := os.environ.get("KAIHUA_TEST_DATABASE_URL"):
        yield url
        return
    with services.postgres() as server:
        yield server.url


@pytest.fixture
def database_url(postgis_server, request):
    """A fresh, empty PostGIS database for one test: ``postgresql://...`` (dropped by the next test that reuses it)."""
    from tests import services

    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50]
    return services.new_database(postgis_server, name)


@pytest.fixture(scope="session")
def redis_server():
    """A throw-away Redis server for the session (or ``KAIHUA_TEST_REDIS_URL``)."""
    from tests import services

    if url := os.environ.get("KAIHUA_TEST_REDIS_URL"):
        yield url
        return
    with services.redis() as server:
        yield server.url


@pytest.fixture(scope="session")
def shipped_in_postgis(postgis_server):
    """A PostGIS database whose current version is the shipped dataset, imported once for the session."""
    from geodata import DEFAULT_PATH, backend_for
    from geodata.importing import Options
    from tests import services

    url = services.new_database(postgis_server, "shipped_session")
    store = backend_for(url)
    staged = store.stage(DEFAULT_PATH, DEFAULT_PATH.name, Options())
    assert staged.token, staged.report.lines("en")
    store.publish(staged.token, "the shipped dataset")
    return url


@pytest.fixture(params=["gpkg", "postgis"])
def served_dataset(request):
    """The shipped dataset as the app reads it from each backend: the GeoPackage, and PostGIS (read from the
    database, not the file). Tests that take it (or a tier's ``dataset`` built on it) run on both."""
    if request.param == "gpkg":
        return open_dataset()
    ds = open_dataset(request.getfixturevalue("shipped_in_postgis"))
    assert ds.backend == "postgis"
    return ds


@pytest.fixture
def redis_url(redis_server):
    """The session's Redis, emptied for this test."""
    import redis

    client = redis.Redis.from_url(redis_server)
    client.flushdb()
    client.close()
    return redis_server


@pytest.fixture(params=["files", "database"])
def state_backend(request, tmp_path):
    """Where the app keeps users, the audit log, briefing versions and wall settings: a folder, or a fresh
    PostGIS database (``DATABASE_URL``). Tests of that state take this fixture and run on both."""
    from tests.accounts import StateBackend

    folder = tmp_path / "state"
    folder.mkdir()
    if request.param == "files":
        return StateBackend(folder, folder)
    return StateBackend(request.getfixturevalue("database_url"), folder)


@pytest.fixture(params=["gpkg", "postgis"])
def backend(request, tmp_path):
    """One backend of the data door (tests/backends.py): an empty GeoPackage store folder, or an empty PostGIS
    database (``database_url``); every test that takes it runs on both."""
    from tests.backends import Case

    if request.param == "gpkg":
        case = Case("gpkg", tmp_path / "store", tmp_path / "store")
    else:
        case = Case("postgis", request.getfixturevalue("database_url"), tmp_path / "state")
    yield case
    case.forget()
