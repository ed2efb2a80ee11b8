"""The naive baseline: a map callback that rebuilds the whole figure as a ``go.Figure`` on every change.

It draws the same map from the same data as the app (the app's own snapshot of a view state, which styles
with the live map's own steps), but the way a first Dash map usually does it: a new
:class:`plotly.graph_objects.Figure` (validated trace by trace) with the village geometry inline, serialised
in full into the response. The village GeoJSON is converted once and reused, as the app does, so the
baseline is not charged for that conversion.
"""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.io.json import to_json_plotly

from callbacks.context import parse_state
from dashboard import ids
from dashboard.config import Settings
from dashboard.exports.snapshot import snapshot_figure
from geodata import Audience, Dataset


def naive_figure(state_data: object, settings: Settings, ds: Dataset,
                 size: tuple[int, int] | None = None) -> go.Figure:
    """The whole map for ``state_data``, rebuilt from the data as a validated ``go.Figure`` (framed and
    labelled for a map of ``size`` px; default the exports' size)."""
    extra = {"size": size} if size else {}
    return go.Figure(snapshot_figure(parse_state(state_data, ds), Audience.STAFF, ds, **extra))


def naive_map_response(state_data: object, settings: Settings, ds: Dataset) -> bytes:
    """The body Dash would send for the naive callback (figure and applied state), serialised as Dash does."""
    fig = naive_figure(state_data, settings, ds)
    body = {"multi": True, "response": {ids.MAP: {"figure": fig},
                                        ids.MAP_APPLIED: {"data": state_data}}}
    return to_json_plotly(body).encode("utf-8")
