"""What every callback needs: the app's settings and the dataset currently published."""

from __future__ import annotations

from dash import Dash

from dashboard.config import Settings
from dashboard.state import ViewState
from geodata import Dataset, open_dataset
from geodata.vocabulary import vocabulary


def settings_of(app: Dash) -> Settings:
    return app.server.config["KAIHUA_SETTINGS"]


def dataset_of(settings: Settings) -> Dataset:
    """The published dataset (cached; a new version is picked up on its next change)."""
    return open_dataset(settings.data_path)


def parse_state(data: object, ds: Dataset) -> ViewState:
    """The view state a client sent, checked against the dataset."""
    return ViewState.from_dict(data, vocabulary(ds))
