"""Component IDs: the one place they are spelled. Repeated widgets get dict-ID factories.

Sections: page frame and shared state; map explorer (issue 3); charts (issue 4); admin (issue 5).
"""

from __future__ import annotations

# --- page frame and shared state -------------------------------------------------------------
URL = "url"
VIEW_STATE = "view-state"  # dcc.Store holding ViewState.to_dict(): the one selection every view follows
HEADER = "header"
SYNTHETIC_NOTE = "synthetic-note"
PROVENANCE = "provenance"
LANGUAGE = "language"
MAIN_PAGE = "main-page"

# --- map explorer --------------------------------------------------------------------------------
MAP = "map"
MAP_CONTAINER = "map-container"
SIDE_PANEL = "side-panel"

# --- charts --------------------------------------------------------------------------------------
KEY_FIGURES = "key-figures"
CHARTS_SECTION = "charts-section"

# --- admin ---------------------------------------------------------------------------------------
ADMIN_PAGE = "admin-page"
ADMIN_TOKEN = "admin-token"  # password input: the admin token the server checks
ADMIN_LAYER = "admin-layer"
ADMIN_CRS = "admin-crs"
ADMIN_UPLOAD = "admin-upload"
ADMIN_REPORT = "admin-report"
ADMIN_STAGED = "admin-staged"  # dcc.Store: the server's token for the checked, staged upload
ADMIN_NOTE = "admin-note"
ADMIN_PUBLISH = "admin-publish"
ADMIN_STATUS = "admin-status"
ADMIN_VERSIONS = "admin-versions"
ADMIN_ROLLBACK_TO = "admin-rollback-to"
ADMIN_ROLLBACK = "admin-rollback"


def belt_item(belt_id: str) -> dict[str, str]:
    """A belt in the belt list."""
    return {"type": "belt-item", "belt": belt_id}


def key_figure(key: str) -> dict[str, str]:
    """A key figure tile in the header."""
    return {"type": "key-figure", "key": key}
