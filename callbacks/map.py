"""The view state -> the map, as a :class:`dash.Patch` of only what changed (never geometry).

A change of language rebuilds the figure (labels live in many traces); everything else patches
styles: village colours (measure, year), dimming and borders (selection), belt emphasis, the
visible layers and the framing (the steps live in :mod:`dashboard.map_view`, shared with exports).
"""

from __future__ import annotations

from dash import ALL, Dash, Input, Output, Patch, State, ctx, no_update
from dash.exceptions import PreventUpdate

from callbacks.context import dataset_of, parse_state, settings_of
from callbacks.explorer import on_map_click, on_pattern_click
from dashboard import ids
from dashboard.auth import current_audience
from dashboard.config import Settings
from dashboard.figures.map_frame import panel_size
from dashboard.figures.map_labels import DEFAULT_STYLE, LabelStyle
from dashboard.map_legend import legend_class, legend_groups, legend_panel_children
from dashboard.map_view import (
    apply_frame,
    apply_layers,
    apply_measure,
    apply_selection,
    has_villages,
    label_writes,
    map_county,
    reference_figure,
    replay,
)
from dashboard.state import ViewState
from geodata import Audience, Dataset

SELECTION_KEYS = ("county", "township", "belt", "village", "story")


def update_map(state_data: object, applied_data: object, settings: Settings, ds: Dataset, prefix: str,
               audience: Audience, size_data: object = None, resized: bool = False,
               label_style: LabelStyle = DEFAULT_STYLE):
    """(figure patch or full figure, what the map now shows) for ``audience`` (the request's). ``size_data`` is
    the panel's size as the page reports it (checked); ``resized``: that size (or the labels' style) is what
    changed, so only framing and labels are redone. ``label_style``: the labels' sizes (a wall's are larger:
    they are placed at the size they are drawn, so that none overlap)."""
    state = parse_state(state_data, ds)
    applied = parse_state(applied_data, ds) if applied_data else ViewState(lang=settings.language)
    figure = reference_figure(audience, ds, state.lang, prefix, map_county(ds, state))
    patch = Patch()
    # A new language or county sends the whole figure, which then needs every style.
    full = state.lang != applied.lang or state.county != applied.county
    if full:
        patch["data"] = figure["data"]
        patch["layout"] = figure["layout"]
        patch["layout"]["showlegend"] = False  # the page draws the legend (dashboard/map_legend.py)
    villages_shown = has_villages(figure)
    changed = False
    if villages_shown and (full or state.measure != applied.measure or state.year != applied.year):
        apply_measure(patch, figure, ds, state, audience)
        changed = True
    selection = any(getattr(state, k) != getattr(applied, k) for k in SELECTION_KEYS)
    if villages_shown and (full or selection):
        apply_selection(patch, figure, ds, state)
        changed = True
    if full or state.layers != applied.layers:
        apply_layers(patch, figure, state)
        changed = True
    # Framing and labels follow the selection, the layers and the panel's size: a small Patch (no geometry).
    if villages_shown and (full or selection or state.layers != applied.layers or resized):
        size = panel_size(size_data)
        frame = apply_frame(patch, ds, state, size)
        replay(label_writes(audience, ds, prefix, state, frame, size, label_style), patch)
        if not changed:  # only the panel's size changed: what the map shows did not (the panels stay as they are)
            return patch, no_update
        changed = True
    # MAP_APPLIED is written even when the map itself has nothing to redraw: the charts follow it, and
    # Dash does not fire the dependants of a callback that answered no_update (the page's first load).
    return (patch if changed else no_update), state.to_dict()


def legend_update(state_data: object, applied_data: object, settings: Settings, ds: Dataset, prefix: str,
                  audience: Audience):
    """(children, hidden, className) of the map's legend when what it lists (language, county, layers) changed,
    else ``no_update`` for all three. The belt it emphasises follows what the map applied in the page
    (assets/explorer.js, ``window.kaihuaBelts.legendBelt``): sent from here on every click, the legend's 120
    components were rendered again by dash-renderer before plotly could redraw the map, which cost what drawing
    it apart had saved."""
    state = parse_state(state_data, ds)
    applied = parse_state(applied_data, ds) if applied_data else ViewState(lang=settings.language)
    if all(getattr(state, k) == getattr(applied, k) for k in ("lang", "county", "layers")):
        return no_update, no_update, no_update
    groups = legend_groups(reference_figure(audience, ds, state.lang, prefix, map_county(ds, state)), state.layers)
    children = legend_panel_children(groups, state.belt)
    return children, not children, legend_class(state.layers)


def address_query(applied: object, ds: Dataset):
    """The address bar's query for what the map now shows (``no_update`` when that did not change)."""
    return no_update if applied is no_update else parse_state(applied, ds).to_query()


def on_click_or_state(click_data: object, state_data: object, triggered: object, ds: Dataset,
                      clicks: object = None):
    """(the view state to draw, what to write back to ``ids.VIEW_STATE``) for the map callback's trigger.

    A click on the map, or on a belt in the list (``clicks``: that entry's ``n_clicks``), is turned into a view
    state here, in the same request that draws it: a callback of its own (click -> view state, then view state
    -> map) was one more round trip before anything was framed. None when a click selects nothing (the map
    stays as it is; so do belt entries that only appeared, with no click)."""
    if triggered == ids.MAP:
        new = on_map_click(click_data, state_data, ds)
    elif isinstance(triggered, dict) and triggered.get("type") == "belt-item":
        new = on_pattern_click(triggered, clicks, state_data, ds)
    else:
        return state_data, no_update
    return (None, no_update) if new is no_update else (new, new)


def register(app: Dash) -> None:
    settings = settings_of(app)

    # The address bar follows what the map applied, in the same answer: a callback of its own was one more
    # request on every click. A click writes the view state it selected back (the other selectors start from
    # it); dash-renderer does not fire a callback again for its own output.
    @app.callback(Output(ids.MAP, "figure"), Output(ids.MAP_APPLIED, "data"), Output(ids.URL_QUERY, "data"),
                  Output(ids.VIEW_STATE, "data", allow_duplicate=True),
                  Output(ids.MAP_LEGEND, "children"), Output(ids.MAP_LEGEND, "hidden"),
                  Output(ids.MAP_LEGEND, "className"),
                  Input(ids.VIEW_STATE, "data"), Input(ids.MAP, "clickData"), Input(ids.MAP_SIZE, "data"),
                  Input(ids.belt_item(ALL), "n_clicks"),
                  State(ids.MAP_APPLIED, "data"), prevent_initial_call="initial_duplicate")
    def _update(state_data, click_data, size_data, _belt_clicks, applied_data):
        ds = dataset_of(settings)
        clicks = ctx.triggered[0]["value"] if ctx.triggered else None
        state_data, written = on_click_or_state(click_data, state_data, ctx.triggered_id, ds, clicks)
        if state_data is None:
            raise PreventUpdate
        prefix, audience = app.config.requests_pathname_prefix, current_audience()
        figure, applied = update_map(state_data, applied_data, settings, ds, prefix, audience, size_data,
                                     ctx.triggered_id == ids.MAP_SIZE)
        legend = legend_update(state_data, applied_data, settings, ds, prefix, audience) if applied is not no_update \
            else (no_update, no_update, no_update)
        return figure, applied, address_query(applied, ds), written, *legend

    app.clientside_callback(
        "function(applied) { return window.kaihuaBelts ? window.kaihuaBelts.legendBelt(applied)"
        " : window.dash_clientside.no_update; }",
        Output(ids.LEGEND_SINK, "data"), Input(ids.MAP_APPLIED, "data"), prevent_initial_call=True)
