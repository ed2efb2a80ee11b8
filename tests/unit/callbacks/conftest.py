"""The callback tests run on both backends of the data door: the shipped data read from the GeoPackage and
from PostGIS (``served_dataset``), so a callback that works on one and not the other fails here."""

from __future__ import annotations

import pytest


@pytest.fixture
def dataset(served_dataset):
    """The shipped dataset, once from each backend (the callbacks' audience tests, public and staff, included)."""
    return served_dataset
