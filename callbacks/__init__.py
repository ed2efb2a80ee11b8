"""Thin wiring, one module per feature, each with ``register(app)``. Only create_app imports this."""

from __future__ import annotations

from dash import Dash

FEATURES: tuple[str, ...] = ("controls", "explorer", "map", "panel", "charts", "admin", "admin_briefing",
                             "session", "wall", "brief")


def register_all(app: Dash) -> None:
    """Register every feature's callbacks on ``app``."""
    import importlib

    for name in FEATURES:
        importlib.import_module(f"callbacks.{name}").register(app)
