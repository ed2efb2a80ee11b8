"""The map of a view state, as styling steps shared by the live map and the exports.

Each ``apply_*`` writes only what its part of the state decides (village colours, dimming and framing,
visible layers) through item assignment, so the same step patches the live map (a :class:`dash.Patch`)
or styles a whole figure dict for an export.
"""

from __future__ import annotations

from dashboard import theme
from dashboard.figures.map import NO_LOCATION, build_map_figure, display_names, trace_index, visibility
from dashboard.figures.map_overlays import INSET, inset_visibility
from dashboard.figures.map_style import belt_emphasis, choropleth_style, selection_style, view_for
from dashboard.figures.text import escape_list, escape_plotly_text
from dashboard.map_data import map_data_for
from dashboard.state import ViewState
from geodata import Audience, Dataset
from geodata.cache import FrozenDict, freeze, per_dataset
from geodata.figures import scope_villages
from geodata.measures import measure_values
from geodata.queries import belt_members, bounds_of


@per_dataset(maxsize=16)
def reference_figure(audience: Audience, ds: Dataset, lang: str, prefix: str, county: str | None) -> FrozenDict:
    """The full figure for an audience, language and county (cached per audience: a public request never gets
    the figure drawn for staff): the source of trace positions and rebuilds.

    Read-only all the way down (:func:`geodata.cache.freeze`): a caller that styles it works on a copy
    (``copy.deepcopy`` gives plain dicts and lists)."""
    return freeze(build_map_figure(map_data_for(audience, ds, prefix, county), lang))


def map_county(ds: Dataset, state: ViewState) -> str | None:
    """The county the map draws: the state's on province-scale data, None (the whole map) on one county."""
    return state.county if len(ds.county()) > 1 else None


@per_dataset()
def _village_names(ds: Dataset, lang: str) -> FrozenDict:
    """Every village's name in ``lang`` by code (no geometry touched)."""
    vil = ds.villages()
    return FrozenDict(zip(vil.code, escape_list(display_names(vil, lang))))


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
        codes = set(scope_villages(ds, "township", state.township))
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
    by_code = _village_names(ds, state.lang)
    names = [by_code[c] for c in codes]
    try:
        mv = measure_values(ds, state.measure, state.year, audience)
    except PermissionError:
        mv = measure_values(ds, "none", state.year, audience)
    label = escape_plotly_text(mv.label_zh if state.lang == "zh" else mv.label_en)
    categories = tuple(escape_list(mv.categories)) if mv.categories else mv.categories
    values = mv.values.map(escape_plotly_text) if mv.kind == "categorical" else mv.values
    colours = {escape_plotly_text(k): v for k, v in theme.RATING_COLOURS.items()}
    style = choropleth_style(codes, names, values, mv.kind, label, escape_plotly_text(mv.unit),
                             mv.higher_is_better, categories, colours)
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
