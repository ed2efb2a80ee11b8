"""Errors raised at the data door."""

from __future__ import annotations


class DataError(Exception):
    """The dataset (or a file offered as one) is missing, broken or does not match the schema.

    The message names the file, the layer and, where it applies, the column or row.
    """


class DatabaseUnavailable(DataError):
    """The database (``DATABASE_URL``) cannot be reached now: refused, timed out, or the connection was lost.

    A :class:`DataError`, so callers that serve the last good data on any data error keep doing so; the app
    answers requests that need the database 503 (``dashboard.outage``). The message never holds the URL.
    """
