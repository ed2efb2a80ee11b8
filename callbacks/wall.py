"""The wall display: the tour's settings, each step's panel and map, all as the public sees them.

The browser's timer (assets/wall.js) writes the step to ``ids.WALL_STEP``; :func:`step_view` makes the
step's view state and panel, and :func:`wall_map` patches the map from that view state through the explorer's
path (``callbacks.map.update_map``, ``dashboard.map_view``), in one answer. Every query here is made for
``Audience.PUBLIC``, whatever the server's default or the browser's login: a wall hangs in a lobby.
"""

from __future__ import annotations

from dash import Dash, Input, Output, Patch, State, no_update

from callbacks.context import dataset_of, settings_of
from callbacks.map import update_map
from dashboard import ids
from dashboard.config import Settings
from dashboard.figures.map import display_names
from dashboard.figures.map_frame import panel_size
from dashboard.figures.wall import (
    MAX_FONT_PX,
    MIN_FONT_PX,
    WallStep,
    build_wall_scores,
    font_px,
    wall_label_style,
    wall_map_fonts,
)
from dashboard.i18n import phrase, t
from dashboard.map_view import map_county, reference_figure
from dashboard.pages import wall as page
from dashboard.state import DEFAULT_YEAR, ViewState
from dashboard.wall_tour import TourConfig, step_state, tour_config
from geodata import Audience, Dataset
from geodata.figures import key_figures, pillar_summary, scope_villages, units
from geodata.provenance import as_of, illustrative_layers, source_document
from geodata.queries import belt_members, belt_township, layer_for, story_detail, village_belt_map
from geodata.vocabulary import vocabulary
from geodata.wall_settings import load_wall_settings

AUDIENCE = Audience.PUBLIC
BELT_FIGURES = ("villages", "cadres_stationed", "patrol_volunteers", "advisers", "adviser_projects", "forest_cover")
COUNTY_FIGURES = ("belts", "villages", "cadres_stationed", "departments", "patrol_volunteers", "forest_cover")


def belt_ids(ds: Dataset) -> tuple[str, ...]:
    return tuple(sorted(ds.belts().belt_id))


def wall_tour(settings: Settings, ds: Dataset, search: str | None) -> TourConfig:
    """The tour for the wall's URL query over the store's ``wall.json``."""
    return tour_config(search, load_wall_settings(settings.content_location), belt_ids(ds))


def configure(search: str | None, settings: Settings, ds: Dataset, build: str) -> tuple:
    """(client config, title, footer, problems children, problems hidden) for the wall's URL."""
    cfg = wall_tour(settings, ds, search)
    lang = cfg.lang
    footer = page.footer(as_of(ds), source_document(ds), ds.version, len(illustrative_layers(ds)), lang)
    client = {**cfg.to_client(ds.version, build), "village_belts": village_belt_map(ds)}
    return client, t("wall_title", lang), footer, *page.problems(cfg.problems, lang)


def _story(ds: Dataset, codes: frozenset[str] | None, lang: str) -> tuple[str | None, str | None]:
    """(title, text) of the bulletin story told in ``codes`` (None: of the whole county), redacted for the
    public."""
    stories = layer_for(ds, "stories", AUDIENCE).sort_values("story_id")
    if codes is None:
        chosen = stories[stories.village_code.isna() & stories.township_code.isna()]
    else:
        chosen = stories[stories.village_code.isin(codes)]
    if chosen.empty:
        return None, None
    detail = story_detail(ds, chosen.story_id.iloc[0], AUDIENCE)
    return (detail.title if lang == "zh" else detail.title_en or detail.title), detail.text


def wall_step(ds: Dataset, belt: str | None, lang: str, year: int = DEFAULT_YEAR) -> WallStep:
    """What the panel shows for the county overview (``belt`` None) or a belt."""
    unit = units(ds)
    if belt is None:
        codes = scope_villages(ds, "county", None)
        figs = key_figures(ds, codes, year)
        title, text = _story(ds, None, lang)
        return WallStep(t("wall_overview", lang), phrase("wall_overview_theme", lang, n=len(ds.belts())), (),
                        tuple((k, figs[k], unit.get(k, "")) for k in COUNTY_FIGURES), title, text)
    row = ds.belts().set_index("belt_id").loc[belt]
    members = belt_members(ds, belt)
    vil = ds.villages().set_index("code").reindex(list(members)).reset_index()
    figs = key_figures(ds, frozenset(members), year)
    title, text = _story(ds, frozenset(members), lang)
    return WallStep(str(row["name"]), str(row.theme), tuple(display_names(vil, lang)),
                    tuple((k, figs[k], unit.get(k, "")) for k in BELT_FIGURES), title, text)


def parse_step(data: object) -> tuple[int, int] | None:
    """(1-based step, font px) from what the browser sent; None when it is not a step request."""
    if not isinstance(data, dict):
        return None
    step = data.get("step")
    if isinstance(step, bool) or not isinstance(step, int):
        return None
    return step, font_px(data.get("height"))


def step_view(step_data: object, search: str | None, settings: Settings, ds: Dataset) -> tuple:
    """(wall state, title, theme, villages line, tiles, scores figure, scores hidden, story, shown) of the
    requested step."""
    parsed = parse_step(step_data)
    if parsed is None:
        return (no_update,) * 9
    cfg = wall_tour(settings, ds, search)
    k = min(max(parsed[0], 1), cfg.count)
    font = parsed[1]
    nonce = step_data.get("nonce") if isinstance(step_data.get("nonce"), (int, float, str)) else None
    brief = step_data.get("brief")
    if isinstance(brief, int) and not isinstance(brief, bool) and cfg.room:
        return presenter_step(brief, k, cfg, font, settings, ds, nonce, step_data.get("map"))
    belt = cfg.steps[k - 1]
    state = step_state(cfg, k, {belt: belt_township(ds, belt)} if belt else {})
    step = wall_step(ds, belt, cfg.lang, state.year)
    codes = scope_villages(ds, "county", None) if belt is None else frozenset(belt_members(ds, belt))
    scores = build_wall_scores(pillar_summary(ds, codes, state.year), belt is None, cfg.lang, font)
    shown = {"step": k, "count": cfg.count, "belt": belt or "", "nonce": nonce, "version": ds.version}
    return ({"view": state.to_dict(), "font": font, "map": step_data.get("map")}, step.title, step.theme,
            page.villages_line(step, cfg.lang),
            page.tiles(step, cfg.lang), scores, False, page.story(step, cfg.lang), shown)


def presenter_step(brief_step: int, k: int, cfg, font: int, settings: Settings, ds: Dataset, nonce,
                   map_size: object = None) -> tuple:
    """What :func:`step_view` answers while the wall follows its room's presenter: the briefing's step (as for
    the public, like every step of the wall), in the wall's panel."""
    from callbacks.brief import briefing_of, step_content  # the briefing's own step builder (it imports this module)

    briefing = briefing_of(settings, ds).briefing
    b = min(max(brief_step, 1), len(briefing.steps))
    state, heading, tiles, chart, chart_hidden, story = step_content(ds, briefing, b, cfg.lang, font)
    shown = {"step": k, "count": cfg.count, "belt": "", "brief": b, "nonce": nonce, "version": ds.version}
    return ({"view": state.to_dict(), "font": font, "map": map_size}, heading,
            t("wall_following", cfg.lang).format(room=cfg.room),
            "", tiles, chart, chart_hidden, story, shown)


def _view(data: object) -> tuple[object, int | None]:
    """(view state dict, font px) of a wall state a client sent (a font out of range is None)."""
    if not isinstance(data, dict):
        return None, None
    font = data.get("font")
    ok = isinstance(font, int) and not isinstance(font, bool) and MIN_FONT_PX <= font <= MAX_FONT_PX
    return data.get("view"), (font if ok else None)


def wall_map(state_data: object, applied_data: object, settings: Settings, ds: Dataset, prefix: str) -> tuple:
    """(map patch, what the map now shows): the explorer's map path for the public, plus the wall's text size."""
    view, font = _view(state_data)
    if view is None:
        return no_update, no_update
    applied_view, applied_font = _view(applied_data)
    size = panel_size(state_data.get("map"))  # checked: any client may send any JSON
    applied_size = panel_size(applied_data.get("map")) if isinstance(applied_data, dict) else None
    font = font or applied_font or font_px(1080)
    patch, applied = update_map(view, applied_view, settings, ds, prefix, audience=AUDIENCE,
                                size_data={"width": size[0], "height": size[1]},
                                resized=size != applied_size or font != applied_font,
                                label_style=wall_label_style(font))
    state = ViewState.from_dict(applied, vocabulary(ds))
    full = applied_view is None or not isinstance(applied_view, dict) or applied_view.get("lang") != state.lang
    # a patch of the map may replace the colour bar or send the whole figure: the wall's text sizes again
    if full or font != applied_font or isinstance(patch, Patch):
        figure = reference_figure(AUDIENCE, ds, state.lang, prefix, map_county(ds, state))
        patch = patch if isinstance(patch, Patch) else Patch()
        wall_map_fonts(patch, figure, font)
    return patch, {"view": applied, "font": font, "map": {"width": size[0], "height": size[1]}}


def register(app: Dash) -> None:
    settings = settings_of(app)
    prefix = app.config.requests_pathname_prefix

    @app.callback(Output(ids.WALL_CONFIG, "data"), Output(ids.WALL_TITLE, "children"),
                  Output(ids.WALL_FOOTER, "children"), Output(ids.WALL_PROBLEMS, "children"),
                  Output(ids.WALL_PROBLEMS, "hidden"), Input(ids.WALL_URL, "search"))
    def _configure(search):
        return configure(search, settings, dataset_of(settings), app.server.config.get("KAIHUA_BUILD", ""))

    # The timer lives in the browser (assets/wall.js): it starts the tour when the config arrives.
    app.clientside_callback("function (cfg) { return window.kaihuaWall.configure(cfg); }",
                            Output(ids.WALL_STEP, "data"), Input(ids.WALL_CONFIG, "data"), prevent_initial_call=True)

    # One answer per step: the map's patch (through the explorer's map path) and the panel together, so a step
    # costs one round trip.
    @app.callback(Output(ids.WALL_MAP, "figure"), Output(ids.WALL_APPLIED, "data"),
                  Output(ids.WALL_STEP_TITLE, "children"), Output(ids.WALL_STEP_THEME, "children"),
                  Output(ids.WALL_VILLAGES, "children"), Output(ids.WALL_FIGURES, "children"),
                  Output(ids.WALL_SCORES, "figure"), Output(ids.WALL_SCORES_BOX, "hidden"),
                  Output(ids.WALL_STORY, "children"),
                  Output(ids.WALL_SHOWN, "data"),
                  Input(ids.WALL_STEP, "data"), State(ids.WALL_URL, "search"), State(ids.WALL_APPLIED, "data"),
                  prevent_initial_call=True)
    def _step(step_data, search, applied_data):
        ds = dataset_of(settings)
        state, *panel = step_view(step_data, search, settings, ds)
        if state is no_update:
            return (no_update,) * 10
        return (*wall_map(state, applied_data, settings, ds, prefix), *panel)

    app.clientside_callback("function (shown) { return window.kaihuaWall.shown(shown); }",
                            Output(ids.WALL_SINK, "data"), Input(ids.WALL_SHOWN, "data"), prevent_initial_call=True)
