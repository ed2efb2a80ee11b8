"""The naive baseline: a map callback that rebuilds the whole figure as a ``go.Figure`` on every change.

It draws the same map from the same data as the app (the app's own figure builder and style functions),
but the way a first Dash map usually does it: a new :class:`plotly.graph_objects.Figure` (validated trace by
trace) with the village geometry inline, serialised in full into the response. The village GeoJSON is
converted once and reused, as the app does, so the baseline is not charged for that conversion.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache

import plotly.graph_objects as go
from plotly.io.json import to_json_plotly

from callbacks.context import parse_state
from dashboard import ids
from dashboard.config import Settings
from dashboard.figures.map import build_map_figure, trace_index
from dashboard.map_data import map_data_for
from dashboard.map_view import apply_layers, apply_measure, apply_selection, has_villages
from geodata import Dataset
from geodata.geojson import layer_geojson


@lru_cache(maxsize=16)
def _villages_geojson(ds: Dataset, county: str | None) -> dict:
    return json.loads(layer_geojson(ds, "villages", county))


def naive_figure(state_data: object, settings: Settings, ds: Dataset) -> go.Figure:
    """The whole map for ``state_data``, rebuilt from the data as a validated ``go.Figure``."""
    state = parse_state(state_data, ds)
    county = state.county if len(ds.county()) > 1 else None
    fig = build_map_figure(map_data_for(settings, ds, "/", county), state.lang)
    # geometry inline, as naive code does
    fig["data"][trace_index(fig, "villages")]["geojson"] = copy.deepcopy(_villages_geojson(ds, county))
    # The app's style functions write through item assignment, so they work on a plain dict as on a Patch.
    if has_villages(fig):
        apply_measure(fig, fig, ds, state, settings.audience)
        apply_selection(fig, fig, ds, state)
    apply_layers(fig, fig, state)
    return go.Figure(fig)


def naive_map_response(state_data: object, settings: Settings, ds: Dataset) -> bytes:
    """The body Dash would send for the naive callback (figure and applied state), serialised as Dash does."""
    fig = naive_figure(state_data, settings, ds)
    body = {"multi": True, "response": {ids.MAP: {"figure": fig},
                                        ids.MAP_APPLIED: {"data": state_data}}}
    return to_json_plotly(body).encode("utf-8")
