"""The throw-away servers the database and cache tests run on: they start, answer and hold PostGIS."""

from __future__ import annotations

import psycopg
import redis


def test_postgis_database_answers_spatial_sql(database_url):
    with psycopg.connect(database_url) as conn:
        area = conn.execute("SELECT ST_Area(ST_MakeEnvelope(0, 0, 2, 3))").fetchone()[0]
        version = conn.execute("SELECT postgis_lib_version()").fetchone()[0]
    assert area == 6.0
    assert version.startswith("3.")


def test_new_database_replaces_an_old_one_of_that_name(postgis_server):
    from tests import services

    url = services.new_database(postgis_server, "t_reused")
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE left_behind (x int)")
    url = services.new_database(postgis_server, "t_reused")
    with psycopg.connect(url) as conn:
        names = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    assert "left_behind" not in names


def test_redis_is_emptied_for_each_test(redis_url):
    client = redis.Redis.from_url(redis_url)
    assert client.dbsize() == 0
    client.set("kaihua:probe", "1")
    assert client.get("kaihua:probe") == b"1"
