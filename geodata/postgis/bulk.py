"""Rows in and out of PostgreSQL in bulk, through ``COPY``, for the large tables of a province.

pandas' ``to_sql`` sends one ``INSERT`` per row and ``read_sql`` turns every value into a Python object before
pandas sees it: on a province's 1.65 million indicator rows that is about a minute to write and several seconds
to read, and every app server reads a new version in full before it serves it. ``COPY`` moves the same rows as
one stream: :func:`copy_rows` is a pandas insertion method (``to_sql(method=copy_rows)``, the pattern pandas
documents for PostgreSQL), and :func:`read_plain` reads a table without geometry as CSV into pandas' C parser,
typed as ``read_sql`` types it, so a layer reads back to the same frame, and the same content hash, either way.
Whatever :func:`read_plain` cannot read faithfully (a column type it does not know, a value it would misread) it
leaves to ``read_sql`` by answering None.
"""

from __future__ import annotations

import io

import pandas as pd
import psycopg
import sqlalchemy as sa
from psycopg import sql as psql

# PostgreSQL type OIDs (pg_type.oid, fixed for the built-in types) of the columns pandas writes.
BOOL = {16}
INTEGER = {20, 21, 23}
FLOAT = {700, 701}
TEXT = {25, 1043}
NULL_MARK = "\\N"  # COPY's NULL in the CSV stream (a text equal to it is counted, and read by read_sql)


def copy_rows(table, conn: sa.Connection, keys: list[str], data_iter) -> int:
    """A pandas ``to_sql`` insertion method: the rows through ``COPY ... FROM STDIN`` in text format
    (psycopg's ``Copy.write_row``, which keeps "" and NULL apart) instead of one ``INSERT`` per row."""
    target = psql.Identifier(table.schema, table.name) if table.schema else psql.Identifier(table.name)
    statement = psql.SQL("COPY {} ({}) FROM STDIN").format(target, psql.SQL(", ").join(map(psql.Identifier, keys)))
    count = 0
    with conn.connection.dbapi_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in data_iter:
            copy.write_row(row)
            count += 1
    return count


def _dtypes(columns: list[str], oids: list[int], nulls: list[int], rows: int) -> dict[str, str] | None:
    """How ``read_csv`` must type each column to give what ``read_sql`` gives; None where that is not sure (a
    column of a type not known here, booleans with NULLs, a text column with nothing but NULLs)."""
    out = {}
    for column, oid, missing in zip(columns, oids, nulls):
        if oid in TEXT and missing < rows:
            out[column] = "str"
        elif oid in FLOAT:
            out[column] = "float64"
        elif oid in INTEGER:
            out[column] = "float64" if missing else "int64"  # read_sql: NULLs make a column of ints float
        elif oid in BOOL and not missing:
            out[column] = "object"  # "t" / "f", turned into bool below
        else:
            return None
    return out


def read_plain(conn: sa.Connection, schema: str, name: str, columns: list[str], order_by: str) -> pd.DataFrame | None:
    """Columns ``columns`` of table ``schema.name`` (no geometry) in ``order_by`` order, through ``COPY ... TO
    STDOUT`` as CSV; None when a column is of a type this reader does not know or its values would not read
    back as ``read_sql`` gives them (the caller then uses ``read_sql``)."""
    table = psql.Identifier(schema, name)
    cols = psql.SQL(", ").join(map(psql.Identifier, columns))
    counts = psql.SQL(", ").join(psql.SQL("count(*) - count({})").format(psql.Identifier(c)) for c in columns)
    buffer = io.BytesIO()
    query = psql.SQL("COPY (SELECT {} FROM {} ORDER BY {}) TO STDOUT WITH (FORMAT csv, NULL {})").format(
        cols, table, psql.Identifier(order_by), psql.Literal(NULL_MARK))
    try:
        with conn.connection.dbapi_connection.cursor() as cursor:
            cursor.execute(psql.SQL("SELECT {} FROM {} LIMIT 0").format(cols, table))
            oids = [d.type_code for d in cursor.description]
            cursor.execute(psql.SQL("SELECT count(*), {} FROM {}").format(counts, table))
            rows, *nulls = cursor.fetchone()
            dtypes = _dtypes(columns, oids, nulls, rows) if rows else None  # (empty: read_sql's own dtypes)
            if dtypes is None:
                return None
            with cursor.copy(query) as copy:
                for chunk in copy:
                    buffer.write(chunk)
    except psycopg.Error as exc:
        # as SQLAlchemy raises it for its own queries (a lost connection is an OperationalError there too)
        raise sa.exc.DBAPIError.instance(f"COPY {schema}.{name}", None, exc, psycopg.Error) from None
    buffer.seek(0)
    # PostgreSQL writes the shortest text that reads back to the same double, and pandas' parser reads it so
    # (tested bit for bit)
    frame = pd.read_csv(buffer, header=None, names=columns, dtype=dtypes, na_values=[NULL_MARK],
                        keep_default_na=False, skip_blank_lines=False)
    if len(frame) != rows:
        return None
    for column, expected in zip(columns, nulls):
        # a text equal to the NULL mark reads as NULL: the counts disagree, and read_sql reads it right
        if int(frame[column].isna().sum()) != expected:
            return None
        if dtypes[column] == "object":
            flags = frame[column]
            if not flags.isin(["t", "f"]).all():
                return None
            frame[column] = (flags == "t").astype(bool)
    return frame
