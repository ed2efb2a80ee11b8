"""The bookkeeping tables of the PostGIS store, in schema ``kaihua``; each version's layers live in a schema of
their own named by the version id (``v0001``, ``v0002``, ...).

::

    kaihua.versions   one row per published version: id, time, source file, note, base, the layers (geometry
                      type, columns, rows, sha256 of the content), the whole version's hash, the file as uploaded
    kaihua.current    one row: the id of the published version (switched last, in the publish's transaction)
    kaihua.staged     checked candidates waiting for a publish: token, base version, report, candidate GeoPackage
    kaihua.changes    one row per version whose tables were changed after its publish (a trigger counts every
                      write statement; see :mod:`geodata.postgis.guard`)
    kaihua.published  the stamp of each version as its publish committed it (see :mod:`geodata.postgis.guard`)
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

SCHEMA = "kaihua"
LOCK_KEY = 0x6B61_6968  # the advisory lock held by whoever publishes, rolls back or creates the tables

metadata = sa.MetaData(schema=SCHEMA)

versions = sa.Table(
    "versions", metadata,
    sa.Column("id", sa.String(16), primary_key=True),
    sa.Column("created", sa.String(32), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("base", sa.String(16)),
    sa.Column("layers", JSONB, nullable=False),  # name -> {"geometry", "columns", "rows", "sha256"}
    sa.Column("content", sa.String(64), nullable=False),  # sha256 over the layers' hashes: the data version
    sa.Column("upload_name", sa.Text),
    sa.Column("upload", sa.LargeBinary),  # the file as uploaded
)

current = sa.Table(
    "current", metadata,
    sa.Column("one", sa.Boolean, primary_key=True, server_default=sa.true()),
    sa.Column("version_id", sa.String(16), sa.ForeignKey(versions.c.id), nullable=False),
    sa.CheckConstraint("one", name="current_single_row"),
)

staged = sa.Table(
    "staged", metadata,
    sa.Column("token", sa.String(32), primary_key=True),
    sa.Column("base", sa.String(16), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("created", sa.Float, nullable=False),  # unix time: candidates older than a day are swept
    sa.Column("report", JSONB, nullable=False),
    sa.Column("candidate", sa.LargeBinary, nullable=False),  # the checked candidate GeoPackage
    sa.Column("upload_name", sa.Text),
    sa.Column("upload", sa.LargeBinary),
)

# Bumped by the trigger geodata.postgis.guard installs on every layer table: any write statement on a published
# version's table (even one that changes nothing) gives its row a new xmin, which the version's stamp includes.
changes = sa.Table(
    "changes", metadata,
    sa.Column("version_id", sa.String(16), primary_key=True),
    sa.Column("n", sa.BigInteger, nullable=False),
)

# The stamp of each version (see geodata.postgis.guard) as its publish committed it, just after the publish read
# and hashed every table it wrote. A process that finds a version at this stamp knows its tables hold what was
# hashed, so it may serve them without hashing them again. Versions published before this table have no row.
published = sa.Table(
    "published", metadata,
    sa.Column("version_id", sa.String(16), sa.ForeignKey(versions.c.id), primary_key=True),
    sa.Column("stamp", sa.Text, nullable=False),
)

# The trigger function (plpgsql: SQLAlchemy has no construct for it). Not SECURITY DEFINER on purpose: a role
# that may write a layer table but not kaihua.changes has its write refused with the count, never unrecorded.
NOTE_CHANGE = sa.DDL("""
CREATE OR REPLACE FUNCTION kaihua.note_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO kaihua.changes AS c (version_id, n) VALUES (TG_TABLE_SCHEMA, 1)
    ON CONFLICT (version_id) DO UPDATE SET n = c.n + 1;
    RETURN NULL;
END $$""")


def lock(conn: sa.Connection) -> None:
    """Hold the store's advisory lock until ``conn``'s transaction ends (one writer at a time, across servers)."""
    conn.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_KEY)))


def ensure_tables(engine: sa.Engine) -> None:
    """Create schema ``kaihua`` and its tables if missing (under the lock: several servers may start at once)."""
    with engine.begin() as conn:
        lock(conn)
        conn.execute(sa.schema.CreateSchema(SCHEMA, if_not_exists=True))
        metadata.create_all(conn, checkfirst=True)
        conn.execute(NOTE_CHANGE)
