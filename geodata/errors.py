"""Errors raised at the data door."""

from __future__ import annotations


class DataError(Exception):
    """The dataset (or a file offered as one) is missing, broken or does not match the schema.

    The message names the file, the layer and, where it applies, the column or row.
    """
