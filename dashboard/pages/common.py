"""What every page's layout factory shares: the map's plotly config and its first figure."""

from __future__ import annotations

import copy

from dash import Dash

from dashboard.figures.map_frame import DEFAULT_SIZE
from dashboard.figures.map_labels import DEFAULT_STYLE, LabelStyle
from dashboard.figures.map_overlays import INSET
from dashboard.map_view import apply_frame, apply_labels, apply_layers, has_villages, reference_figure
from dashboard.state import ViewState
from geodata import Audience, Dataset


def graph_config(app: Dash) -> dict:
    """plotly config: topojson from our own assets (never the CDN), PNG export at 2x."""
    return {
        "topojsonURL": app.get_asset_url("topojson/"),
        "displaylogo": False,
        "scrollZoom": True,
        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "kaihua-belts"},
    }


def page_figure(app: Dash, audience: Audience, ds: Dataset, state: ViewState,
                label_style: LabelStyle = DEFAULT_STYLE) -> dict:
    """The map of ``state``'s layers, from the live map's cached figure (geometry converted once): what
    ``build_map_figure(..., layers)`` gives, with the traces and the inset copied so the cache stays as it was.
    ``audience`` decides what the map may show (the wall and the brief pass the public); ``label_style`` the
    labels' sizes (a wall's)."""
    reference = reference_figure(audience, ds, state.lang, app.config.requests_pathname_prefix, None)
    layout = dict(reference["layout"])
    layout[INSET] = dict(layout[INSET])
    layout["showlegend"] = False  # a page draws its legend itself, or none (dashboard/map_legend.py)
    figure = {"data": [dict(trace) for trace in reference["data"]], "layout": layout}
    apply_layers(figure, figure, state)
    if has_villages(figure):  # framed and labelled for a common panel until the page reports its own size
        layout["geo"] = copy.deepcopy(layout["geo"])
        frame = apply_frame(figure, ds, state, DEFAULT_SIZE)
        apply_labels(figure, reference, ds, state, frame, DEFAULT_SIZE, style=label_style)
    return figure
