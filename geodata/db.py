"""The database connection, when ``DATABASE_URL`` names PostgreSQL + PostGIS (else nothing here is used).

One SQLAlchemy engine per URL and process (a pool; created on first use, never at import). psycopg 3 is the driver:
``postgresql://`` URLs are read as ``postgresql+psycopg://``.
"""

from __future__ import annotations

import threading

import sqlalchemy as sa

SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
_engines: dict[str, sa.Engine] = {}  # per process; an engine is a connection pool, not data
_engines_lock = threading.Lock()


def is_database_url(value: object) -> bool:
    """True for a PostgreSQL URL (``postgresql://...``)."""
    return isinstance(value, str) and value.startswith(SCHEMES)


def driver_url(url: str) -> str:
    """``url`` with the psycopg 3 driver named, as SQLAlchemy wants it."""
    for scheme in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme):]
    raise ValueError("not a PostgreSQL URL")  # the URL itself is not echoed: it may hold a password


def engine(url: str) -> sa.Engine:
    """The pooled engine of ``url`` for this process."""
    with _engines_lock:
        eng = _engines.get(url)
        if eng is None:
            eng = _engines[url] = sa.create_engine(driver_url(url), pool_pre_ping=True, pool_size=5,
                                                   max_overflow=10, connect_args={"connect_timeout": 5})
        return eng


def dispose_all() -> None:
    """Close every pool (after a fork: a child must not share its parent's connections)."""
    with _engines_lock:
        for eng in _engines.values():
            eng.dispose(close=False)
        _engines.clear()
