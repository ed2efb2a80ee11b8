"""Fixtures shared by every test tier."""

from __future__ import annotations

import pytest

from geodata import open_dataset


@pytest.fixture(scope="session")
def dataset():
    """The shipped dataset."""
    return open_dataset()
