"""The view state -> the map, as a :class:`dash.Patch` of only what changed (never geometry).

A change of language rebuilds the figure (labels live in many traces); everything else patches
styles: village colours (measure, year), dimming and borders (selection), belt emphasis, the
visible layers and the framing.
"""

from __future__ import annotations

from functools import lru_cache

from dash import Dash, Input, Output, Patch, State, no_update

from callbacks.context import dataset_of, parse_state, settings_of
from dashboard import ids, theme
from dashboard.config import Settings
from dashboard.figures.map import NO_LOCATION, build_map_figure, trace_index, village_names, visibility
from dashboard.figures.map_overlays import INSET, inset_visibility
from dashboard.figures.map_style import belt_emphasis, choropleth_style, selection_style, view_for
from dashboard.map_data import map_data_for
from dashboard.state import ViewState
from geodata import Audience, Dataset
from geodata.measures import measure_values
from geodata.queries import belt_members, bounds_of, township_units


@lru_cache(maxsize=16)
def reference_figure(settings: Settings, ds: Dataset, lang: str, prefix: str, county: str | None) -> dict:
    """The full figure for a language and county (cached): the source of trace positions and rebuilds."""
    return build_map_figure(map_data_for(settings, ds, prefix, county), lang)


def frame_bounds(ds: Dataset, county: str | None) -> tuple[float, float, float, float]:
    """What "the whole map" means: the county drilled into, else everything."""
    counties = ds.county()
    if county:
        counties = counties[counties.code == county]
    return tuple(counties.total_bounds)


def highlight(ds: Dataset, state: ViewState) -> tuple[set[str], str | None, tuple | None]:
    """(villages to keep bright, the focused village, the box to frame) for the state's scope."""
    if state.belt:
        codes = set(belt_members(ds, state.belt))
    elif state.township:
        codes = set(township_units(ds, state.township))
    else:
        codes = set()
    if state.village:
        codes.add(state.village)
        frame = bounds_of(ds, [state.village]) if not state.belt else bounds_of(ds, codes)
    else:
        frame = bounds_of(ds, codes) if codes else None
    return codes, state.village, frame


def apply_measure(patch, figure: dict, ds: Dataset, state: ViewState, audience: Audience) -> None:
    vi = trace_index(figure, "villages")
    codes = figure["data"][vi]["locations"]
    villages = ds.villages().set_index("code").loc[codes].reset_index()
    try:
        mv = measure_values(ds, state.measure, state.year, audience)
    except PermissionError:
        mv = measure_values(ds, "none", state.year, audience)
    label = mv.label_zh if state.lang == "zh" else mv.label_en
    style = choropleth_style(codes, village_names(villages, state.lang), mv.values, mv.kind, label, mv.unit,
                             mv.higher_is_better, mv.categories, theme.RATING_COLOURS)
    patch["data"][vi]["z"] = style.z
    patch["data"][vi]["colorscale"] = style.colorscale
    patch["data"][vi]["showscale"] = style.showscale
    patch["data"][vi]["colorbar"] = style.colorbar
    patch["data"][vi]["hovertext"] = style.hovertext


def apply_selection(patch, figure: dict, ds: Dataset, state: ViewState) -> None:
    vi = trace_index(figure, "villages")
    codes = figure["data"][vi]["locations"]
    bright, focus, frame = highlight(ds, state)
    sel = selection_style(codes, bright, focus)
    patch["data"][vi]["selectedpoints"] = sel.selectedpoints
    patch["data"][vi]["marker"]["line"]["width"] = sel.line_width
    patch["data"][vi]["marker"]["line"]["color"] = sel.line_colour
    belt_ids = [tr["uid"][5:] for tr in figure["data"] if tr["uid"].startswith("belt-")]
    for belt_id, (width, opacity) in zip(belt_ids, belt_emphasis(belt_ids, state.belt)):
        bi = trace_index(figure, f"belt-{belt_id}")
        patch["data"][bi]["line"]["width"] = width
        patch["data"][bi]["opacity"] = opacity
    view = view_for(frame, frame_bounds(ds, state.county))
    patch["layout"]["geo"]["center"] = view["center"]
    patch["layout"]["geo"]["projection"]["scale"] = view["scale"]


def apply_layers(patch, figure: dict, state: ViewState) -> None:
    for i, shown in enumerate(visibility(figure, state.layers)):
        patch["data"][i]["visible"] = shown
    for key, value in inset_visibility("advisers" in state.layers).items():
        patch["layout"][INSET][key] = value


def has_villages(figure: dict) -> bool:
    """False in a province overview, where the map shows counties only."""
    return figure["data"][trace_index(figure, "villages")]["locations"] != [NO_LOCATION]


SELECTION_KEYS = ("county", "township", "belt", "village", "story")


def update_map(state_data: object, applied_data: object, settings: Settings, ds: Dataset, prefix: str):
    """(figure patch or full figure, what the map now shows)."""
    state = parse_state(state_data, ds)
    applied = parse_state(applied_data, ds) if applied_data else ViewState(lang=settings.language)
    county = state.county if len(ds.county()) > 1 else None
    figure = reference_figure(settings, ds, state.lang, prefix, county)
    patch = Patch()
    if state.lang != applied.lang or state.county != applied.county:
        patch["data"] = figure["data"]
        patch["layout"] = figure["layout"]
        applied = ViewState(lang=state.lang, layers=(), measure="__", year=0, belt="__")  # force every style
    villages_shown = has_villages(figure)
    changed = False
    if villages_shown and (state.measure != applied.measure or state.year != applied.year):
        apply_measure(patch, figure, ds, state, settings.audience)
        changed = True
    if villages_shown and any(getattr(state, k) != getattr(applied, k) for k in SELECTION_KEYS):
        apply_selection(patch, figure, ds, state)
        changed = True
    if state.layers != applied.layers:
        apply_layers(patch, figure, state)
        changed = True
    # MAP_APPLIED is written even when the map itself has nothing to redraw: the charts follow it, and
    # Dash does not fire the dependants of a callback that answered no_update (the page's first load).
    return (patch if changed else no_update), state.to_dict()


def register(app: Dash) -> None:
    settings = settings_of(app)

    @app.callback(Output(ids.MAP, "figure"), Output(ids.MAP_APPLIED, "data"), Input(ids.VIEW_STATE, "data"),
                  State(ids.MAP_APPLIED, "data"))
    def _update(state_data, applied_data):
        return update_map(state_data, applied_data, settings, dataset_of(settings),
                          app.config.requests_pathname_prefix)
