"""The view state -> the detail panel (belt list, belt, village or story) and the breadcrumb."""

from __future__ import annotations

from dash import ALL, Dash, Input, Output, ctx, html, no_update

from callbacks.context import dataset_of, parse_state, settings_of
from callbacks.exports import export_links
from dashboard import ids
from dashboard.auth import current_audience
from dashboard.exports.routes import dossier_url
from dashboard.i18n import belt_name, t
from dashboard.json_tree import json_tree
from dashboard.panels import belt_panel, scope_list, story_card, village_card
from dashboard.shared_cache import shared_per_dataset
from dashboard.state import ViewState
from geodata import Audience, Dataset
from geodata.figures import indexed_table, scope_name
from geodata.queries import belt_detail, story_detail, village_detail


def detail_panel(state: ViewState, ds: Dataset, audience: Audience, prefix: str = "/"):
    if state.story:
        return story_card(story_detail(ds, state.story, audience), state.lang)
    if state.village:
        return village_card(village_detail(ds, state.village, state.year, audience), state.lang)
    if state.belt:
        return belt_panel(belt_detail(ds, state.belt, state.year), state.lang,
                          dossier_url(prefix, state.belt, state.lang, state.year))
    return scope_list(ds.county(), ds.belts(), state.county, state.lang)


def crumbs(state: ViewState, ds: Dataset) -> list:
    """(province >) county > township > belt > village (> story); every step but the last goes back to it."""
    counties = indexed_table(ds, "county", "code")
    multi = len(counties) > 1
    lang = state.lang
    county_names = counties.name_en if lang == "en" and "name_en" in counties else counties.name
    stories = indexed_table(ds, "stories", "story_id")
    names = {  # in the page's language: English names, or romanised where the data has none
        "top": t("province" if multi else "whole_county", lang),
        "county": county_names.get(state.county) if multi and state.county else None,
        "township": scope_name(ds, "township", state.township, lang) if state.township else None,
        "belt": belt_name(indexed_table(ds, "belts", "belt_id").name.get(state.belt, ""), lang) or None
        if state.belt else None,
        "village": scope_name(ds, "village", state.village, lang) if state.village else None,
        "story": (stories.title_en if lang == "en" else stories.title).get(state.story) if state.story else None,
    }
    steps = [(level, name) for level, name in names.items() if name]
    out: list = []
    for i, (level, name) in enumerate(steps):
        if i:
            out.append(html.Span("›", className="kb-crumb-sep"))
        last = i == len(steps) - 1
        out.append(html.Button(name, id=ids.crumb(level), n_clicks=0, disabled=last,
                               className="kb-crumb" + (" kb-crumb-current" if last else "")))
    return out


def panel_outputs(ds: Dataset, audience: Audience, state: ViewState, prefix: str = "/") -> tuple:
    """Panel and breadcrumb of a view state, as components."""
    return detail_panel(state, ds, audience, prefix), crumbs(state, ds)


@shared_per_dataset("panel", maxsize=256)  # a bounded LRU of view states, on the dataset (and in Redis)
def panel_answer(ds: Dataset, audience: Audience, state: ViewState, prefix: str = "/") -> tuple:
    """:func:`panel_outputs` as the JSON Dash sends (a view state is immutable, so it is built and serialised
    once per state and data version)."""
    return json_tree(panel_outputs(ds, audience, state, prefix))


def register(app: Dash) -> None:
    settings = settings_of(app)

    # The panel, the breadcrumb and every export link follow the state the map applied, in one answer: each
    # callback a click fires is a request with its own fixed cost (dispatch, limiter, checks). A new export
    # size changes only the links.
    @app.callback(Output(ids.DETAIL_PANEL, "children"), Output(ids.BREADCRUMB, "children"),
                  Output(ids.EXPORT_MAP_LINK, "href"), Output(ids.EXPORT_MAP_PDF_LINK, "href"),
                  Output(ids.export_data_link(ALL), "href"), Output(ids.EXPORT_MAP_HTML_LINK, "href"),
                  Output(ids.EXPORT_COUNTY_LINK, "href"),
                  Input(ids.MAP_APPLIED, "data"), Input(ids.EXPORT_SIZE, "value"))  # after the map, like the charts
    def _panel(state_data, size):
        ds = dataset_of(settings)
        prefix = app.config.requests_pathname_prefix
        links = export_links(state_data, size, prefix, ds)
        if ctx.triggered_id == ids.EXPORT_SIZE:
            return no_update, no_update, *links
        return *panel_answer(ds, current_audience(), parse_state(state_data, ds), prefix), *links
