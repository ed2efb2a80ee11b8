"""The map of a view state, as styling steps shared by the live map and the exports.

Each ``apply_*`` writes only what its part of the state decides (village colours, dimming and framing,
visible layers) through item assignment, so the same step patches the live map (a :class:`dash.Patch`)
or styles a whole figure dict for an export.
"""

from __future__ import annotations

from dashboard import theme
from dashboard.figures.map import (
    LABEL_TRACES,
    NO_LOCATION,
    build_map_figure,
    display_names,
    trace_index,
    visibility,
)
from dashboard.figures.map_frame import Frame, frame_for, geo_of
from dashboard.figures.map_labels import (
    DEFAULT_STYLE,
    LabelPoints,
    LabelStyle,
    Place,
    colour_scale_box,
    label_trace_values,
    legend_box,
    map_label_candidates,
    marker_boxes,
    place_labels,
    spread_points,
)
from dashboard.figures.map_overlays import INSET, INSET_LAYER, STORY_MARKER, inset_visibility
from dashboard.figures.map_style import COLORBAR_PLACE, belt_emphasis, choropleth_style, selection_style
from dashboard.figures.text import escape_list, escape_plotly_text
from dashboard.i18n import belt_name, t
from dashboard.map_data import map_data_for
from dashboard.map_legend import legend_groups, names_of
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
    codes, frame = _highlight(ds, state.belt, state.township, state.village)
    return set(codes), state.village, frame


@per_dataset(maxsize=256)
def _highlight(ds: Dataset, belt: str | None, township: str | None,
               village: str | None) -> tuple[frozenset[str], tuple | None]:
    # cached: the selection step, the framing and the labels of one click all ask
    if belt:
        codes = set(belt_members(ds, belt))
    elif township:
        codes = set(scope_villages(ds, "township", township))
    else:
        codes = set()
    if village:
        codes.add(village)
        frame = bounds_of(ds, [village]) if not belt else bounds_of(ds, codes)
    else:
        frame = bounds_of(ds, codes) if codes else None
    return frozenset(codes), frame


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
                             mv.higher_is_better, categories, colours, state.year)
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


def view_frame(ds: Dataset, state: ViewState, size: tuple[int, int]) -> Frame:
    """The ground the map shows for ``state`` in a panel of ``size`` px: the selection padded and centred,
    else the whole map."""
    _, _, bounds = highlight(ds, state)
    return frame_for(bounds or frame_bounds(ds, state.county), size[0] / size[1])


def apply_frame(patch, ds: Dataset, state: ViewState, size: tuple[int, int]) -> Frame:
    """Frame the selection to fill a map panel of ``size`` (width, height) px (see map_frame.frame_geo)."""
    frame = view_frame(ds, state, size)
    geo = geo_of(frame)
    patch["layout"]["geo"]["center"] = geo["center"]
    patch["layout"]["geo"]["projection"]["scale"] = 1.0
    patch["layout"]["geo"]["lonaxis"]["range"] = geo["lonaxis"]["range"]
    patch["layout"]["geo"]["lataxis"]["range"] = geo["lataxis"]["range"]
    return frame


@per_dataset(maxsize=16)
def _label_places(ds: Dataset, lang: str, county: str | None) -> tuple[tuple[Place, ...], ...]:
    """(belts, townships, villages) the map may label, in ``lang``, for the county drawn (None: all)."""
    belts = ds.belts().sort_values("belt_id")
    towns = ds.townships()
    vil = ds.villages()
    if county:
        belts = belts[belts.township_codes.str.startswith(county)]
        towns = towns[towns.code.str.startswith(county)]
        vil = vil[vil.code.str.startswith(county)]
    mids = [g.interpolate(0.5, normalized=True) for g in belts.geometry]
    belt_places = tuple(Place(b, belt_name(n, lang), round(m.x, 6), round(m.y, 6))
                        for b, n, m in zip(belts.belt_id, belts.name, mids))
    tpts = towns.geometry.representative_point()
    town_places = tuple(Place(c, n, round(p.x, 6), round(p.y, 6))
                        for c, n, p in zip(towns.code, display_names(towns, lang), tpts))
    vpts = vil.geometry.representative_point()
    village_places = tuple(Place(c, n, round(p.x, 6), round(p.y, 6), group=tc)
                           for c, n, p, tc in zip(vil.code, display_names(vil, lang), vpts, vil.township_code))
    return belt_places, town_places, village_places


def darker(colour: str, share: float = 0.35) -> str:
    """``colour`` (#rrggbb) mixed with ``share`` of black: a pale belt colour still reads as text."""
    if not (isinstance(colour, str) and len(colour) == 7 and colour.startswith("#")):
        return colour
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c * (1 - share)):02x}" for c in rgb)


def label_points(ds: Dataset, figure: dict, state: ViewState) -> LabelPoints:
    """What the map of ``figure`` may label; belt colours and story markers are read from the figure itself."""
    belts, towns, villages = _label_places(ds, state.lang, map_county(ds, state))
    colours = {tr["uid"][5:]: tr["line"]["color"] for tr in figure["data"] if tr["uid"].startswith("belt-")}
    belts = tuple(Place(p.ident, p.name, p.lon, p.lat, colour=darker(colours.get(p.ident, "#555555")))
                  for p in belts)
    stories: tuple[Place, ...] = ()
    if any(tr["uid"] == "stories" for tr in figure["data"]):
        tr = figure["data"][trace_index(figure, "stories")]
        stories = tuple(Place(c.split(":", 1)[1], n, lon, lat)
                        for c, n, lon, lat in zip(tr["customdata"], tr["hovertext"], tr["lon"], tr["lat"]))
    return LabelPoints(belts, towns, villages, stories)


def legend_names(figure: dict, state: ViewState) -> list[str]:
    """The entries the map's legend lists for ``state`` (visible traces with a legend entry)."""
    return names_of(legend_groups(figure, state.layers))


HALO = "0 0 3px #fffdf7, 0 0 3px #fffdf7"  # a light halo keeps text readable over lines
LABEL_FONT = {"belt": {"weight": 600, "shadow": HALO}, "township": {"weight": 600, "shadow": HALO},
              "village": {"shadow": HALO}, "story": {"weight": 600, "shadow": HALO}}


def apply_labels(patch, figure: dict, ds: Dataset, state: ViewState, frame: Frame, size: tuple[int, int],
                 story_titles: bool = False, style: LabelStyle = DEFAULT_STYLE) -> None:
    """Place the labels of the view (none overlapping) and set stories that share a point apart."""
    width, height = size
    points = label_points(ds, figure, state)
    obstacles = [legend_box(legend_names(figure, state), 11.0, t("belts", state.lang))]
    if state.measure != "none":  # the colour bar lies over the map's lower right corner
        obstacles.append(colour_scale_box(width, height, 12.0 * style.scale, COLORBAR_PLACE))
    if points.stories:
        spread = spread_points(points.stories, frame, width, height, radius_px=STORY_MARKER * style.scale * 0.8)
        si = trace_index(figure, "stories")
        patch["data"][si]["lon"] = [p[0] for p in spread]
        patch["data"][si]["lat"] = [p[1] for p in spread]
        # the selected story's marker stands out
        patch["data"][si]["marker"] = {**figure["data"][si]["marker"], "size": [
            STORY_MARKER * style.scale * (1.6 if p.ident == state.story else 1.0) for p in points.stories]}
        if "stories" in state.layers:
            obstacles += marker_boxes(spread, frame, width, height, STORY_MARKER * style.scale)
        points = LabelPoints(points.belts, points.townships, points.villages,
                             tuple(Place(p.ident, p.name, lon, lat) for p, (lon, lat) in zip(points.stories, spread)))
    highlighted, _, _ = highlight(ds, state)
    candidates = map_label_candidates(points, belt=state.belt, township=state.township, village=state.village,
                                      highlighted=highlighted, layers=state.layers, frame=frame,
                                      story_titles=story_titles, story=state.story, style=style)
    placed = place_labels(candidates, frame, width, height, tuple(obstacles))
    for uid, kind in LABEL_TRACES.items():
        values = label_trace_values(placed, kind)
        values["text"] = escape_list(values["text"])  # names from the data are drawn as text, never as markup
        li = trace_index(figure, uid)
        for key in ("lon", "lat", "text", "textposition"):
            patch["data"][li][key] = values[key]
        # a new dict, never written into the cached figure's own
        patch["data"][li]["textfont"] = {"family": theme.FONT_FAMILY, **values["textfont"], **LABEL_FONT[kind]}


class _Writes:
    """Stands in for a patch and records the item assignments a styling step makes, as (path, value)."""

    def __init__(self, log: list, path: tuple = ()) -> None:
        self._log, self._path = log, path

    def __getitem__(self, key) -> _Writes:
        return _Writes(self._log, self._path + (key,))

    def __setitem__(self, key, value) -> None:
        self._log.append((self._path + (key,), value))


def replay(writes: tuple, target) -> None:
    """Make the recorded assignments ``writes`` on ``target`` (a :class:`dash.Patch` or a figure dict)."""
    for path, value in writes:
        node = target
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value


@per_dataset(maxsize=256)
def label_writes(audience: Audience, ds: Dataset, prefix: str, state: ViewState, frame: Frame,
                 size: tuple[int, int], style: LabelStyle = DEFAULT_STYLE) -> tuple:
    """What :func:`apply_labels` writes on the reference figure of ``audience`` for ``state``, read-only.

    Cached per dataset: placing the labels is most of a selection's map answer, and the same views come back
    (a wall's tour, a belt selected again, the county after each belt)."""
    figure = reference_figure(audience, ds, state.lang, prefix, map_county(ds, state))
    log: list = []
    apply_labels(_Writes(log), figure, ds, state, frame, size, style=style)
    return freeze(tuple(log))


def apply_layers(patch, figure: dict, state: ViewState) -> None:
    for i, shown in enumerate(visibility(figure, state.layers)):
        patch["data"][i]["visible"] = shown
    for key, value in inset_visibility(INSET_LAYER in state.layers).items():
        patch["layout"][INSET][key] = value


def has_villages(figure: dict) -> bool:
    """False in a province overview, where the map shows counties only."""
    return figure["data"][trace_index(figure, "villages")]["locations"] != [NO_LOCATION]
