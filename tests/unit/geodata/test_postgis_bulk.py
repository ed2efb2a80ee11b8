"""Layers through COPY: written and read back to the very frame (and content hash) pandas' own path gives."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
import sqlalchemy as sa

from geodata import db
from geodata.postgis import bulk
from geodata.postgis import layers as pg_layers

# Every value the plain reader must not misread: "" apart from NULL, the NULL mark itself as a text, quotes,
# commas, newlines and tabs in a text, leading zeros in a code, NaN and infinities, ints beside NULLs.
AWKWARD = pd.DataFrame({
    "code": ["0338", "", None, "\\N", 'say "hi", then\nleave\tnow'],
    "n": [1, 2, 3, 4, 5],
    "gap": [1, None, 3, None, 5],
    "x": [0.1, np.nan, np.inf, -np.inf, 1e-300],
    "flag": [True, False, True, True, False],
})


def _published(url: str, name: str, frame: pd.DataFrame) -> dict:
    with db.engine(url).begin() as conn:
        conn.execute(sa.schema.CreateSchema("v0001", if_not_exists=True))
        pg_layers.write_layer(conn, "v0001", name, frame)
        geometry = "Point" if isinstance(frame, gpd.GeoDataFrame) else None
        return pg_layers.describe(conn, "v0001", name, frame, geometry)


def _read_sql(url: str, name: str, info: dict) -> pd.DataFrame:
    table = pg_layers.layer_table("v0001", name, info["columns"])
    query = sa.select(*[table.c[c] for c in info["columns"]]).order_by(table.c[pg_layers.ROW])
    with db.engine(url).connect() as conn:
        return pd.read_sql(query, conn)


def _read_plain(url: str, name: str, columns: list[str]) -> pd.DataFrame | None:
    with db.engine(url).connect() as conn:
        return bulk.read_plain(conn, "v0001", name, columns, pg_layers.ROW)


@pytest.mark.parametrize("columns", [["n", "x", "flag"], ["code"], ["code", "n", "gap", "x", "flag"]])
def test_a_layer_reads_back_as_read_sql_reads_it(database_url, columns):
    info = _published(database_url, "awkward", AWKWARD[columns])
    expected = _read_sql(database_url, "awkward", info)
    plain = _read_plain(database_url, "awkward", columns)
    if "code" in columns:
        # the text "\N" is COPY's NULL mark in the stream: the counts disagree and read_sql takes over
        assert plain is None
        assert expected.code.tolist()[:2] == ["0338", ""] and pd.isna(expected.code[2])
        assert expected.code[3] == "\\N"
    else:
        pd.testing.assert_frame_equal(plain, expected)
    with db.engine(database_url).connect() as conn:
        got = pg_layers.read_raw(conn, "v0001", "awkward", info)
    pd.testing.assert_frame_equal(got, expected)
    assert pg_layers.frame_sha256(got) == info["sha256"]


def test_texts_without_the_mark_read_through_copy(database_url):
    frame = AWKWARD[AWKWARD.code != "\\N"].reset_index(drop=True)
    info = _published(database_url, "texts", frame)
    plain = _read_plain(database_url, "texts", list(frame.columns))
    assert plain is not None, "the awkward texts, NULLs and empty strings must not need the slow path"
    pd.testing.assert_frame_equal(plain, _read_sql(database_url, "texts", info))
    assert plain.code.tolist()[:2] == ["0338", ""] and pd.isna(plain.code[2])
    assert plain.code[3] == 'say "hi", then\nleave\tnow'
    assert pg_layers.frame_sha256(plain) == pg_layers.frame_sha256(frame)


def test_every_double_reads_back_to_the_same_bits(database_url):
    rng = np.random.default_rng(7)
    values = np.concatenate([rng.normal(0, 1e6, 3000), rng.random(3000), 10.0 ** rng.uniform(-300, 300, 3000),
                             [0.30000000000000004, 2.2250738585072014e-308, 1.7976931348623157e308, 5e-324, -0.0]])
    frame = pd.DataFrame({"v": values, "n": np.arange(len(values))})
    _published(database_url, "doubles", frame)
    plain = _read_plain(database_url, "doubles", ["v", "n"])
    assert plain is not None
    assert plain.v.to_numpy().view(np.int64).tolist() == values.view(np.int64).tolist()


def test_a_single_column_of_empty_texts_keeps_every_row(database_url):
    frame = pd.DataFrame({"note": ["", "a", "", ""]})
    _published(database_url, "notes", frame)
    plain = _read_plain(database_url, "notes", ["note"])
    assert plain is not None and plain.note.tolist() == ["", "a", "", ""]


def test_what_plain_cannot_type_is_left_to_read_sql(database_url):
    for name, frame in {"empty": AWKWARD.iloc[:0], "nullbools": pd.DataFrame({"b": [True, None]}),
                        "allnull": pd.DataFrame({"t": pd.Series([None, None], dtype=object), "n": [1, 2]})}.items():
        info = _published(database_url, name, frame)
        assert _read_plain(database_url, name, info["columns"]) is None
        with db.engine(database_url).connect() as conn:
            pd.testing.assert_frame_equal(pg_layers.read_raw(conn, "v0001", name, info),
                                          _read_sql(database_url, name, info))


def test_a_dropped_column_is_a_database_error_as_for_read_sql(database_url):
    info = _published(database_url, "dropped", AWKWARD[["n", "x"]])
    with db.engine(database_url).begin() as conn:
        conn.execute(sa.text("alter table v0001.dropped drop column x"))
    with db.engine(database_url).connect() as conn, pytest.raises(sa.exc.ProgrammingError):
        pg_layers.read_raw(conn, "v0001", "dropped", info)


def test_geometry_and_empty_texts_survive_the_copy_write(database_url):
    frame = gpd.GeoDataFrame({"name": ["", None, "村"]},
                             geometry=[shapely.Point(118.4, 29.1), None, shapely.Point(118.5, 29.2)], crs=4326)
    info = _published(database_url, "places", frame)
    with db.engine(database_url).connect() as conn:
        got = pg_layers.read_raw(conn, "v0001", "places", info)
        srid = conn.execute(sa.text("select distinct ST_SRID(geometry) from v0001.places "
                                    "where geometry is not null")).scalar_one()
    assert srid == 4326
    assert got.name.tolist()[0] == "" and pd.isna(got.name[1]) and got.name[2] == "村"
    assert got.geometry[1] is None and got.geometry[2].equals(frame.geometry[2])
    assert info["sha256"] == pg_layers.frame_sha256(frame)
