"""Component IDs: the one place they are spelled. Repeated widgets get dict-ID factories."""

from __future__ import annotations

URL = "url"
VIEW_STATE = "view-state"
MAP = "map"
MAP_CONTAINER = "map-container"
SYNTHETIC_NOTE = "synthetic-note"
HEADER = "header"
SIDE_PANEL = "side-panel"
LANGUAGE = "language"
FIGURES_BAR = "figures-bar"
PROVENANCE = "provenance"


def belt_item(belt_id: str) -> dict[str, str]:
    """A belt in the belt list."""
    return {"type": "belt-item", "belt": belt_id}


def key_figure(key: str) -> dict[str, str]:
    """A key figure tile in the header."""
    return {"type": "key-figure", "key": key}
