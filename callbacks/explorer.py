"""Selecting things: map clicks, the belt list, links in panels, the breadcrumb, search, Esc."""

from __future__ import annotations

from dash import ALL, Dash, Input, Output, State, ctx, no_update

from callbacks.context import dataset_of, parse_state, settings_of
from dashboard import ids
from dashboard.auth import current_audience
from dashboard.state import (
    ViewState,
    clear_selection,
    county_of,
    select_belt,
    select_county,
    select_story,
    select_township,
    select_village,
    step_back,
)
from geodata import Audience, Dataset
from geodata.queries import belt_township, search, story_context, village_context
from geodata.vocabulary import vocabulary


def select(ds: Dataset, state: ViewState, kind: str, ident: str) -> ViewState | None:
    """The state after selecting ``kind``/``ident``; None when the target is unknown."""
    vocab = vocabulary(ds)
    if kind in ("village", "segment", "pond") and ident in vocab.villages:
        township, belt = village_context(ds, ident)
        return select_village(state, ident, township, belt, county_of(ident, vocab))
    if kind == "belt" and ident in vocab.belts:
        township = belt_township(ds, ident)
        return select_belt(state, ident, township, county_of(township, vocab))
    if kind == "township" and ident in vocab.townships:
        return select_township(state, ident, county_of(ident, vocab))
    if kind == "county" and ident in vocab.counties and len(vocab.counties) > 1:
        return select_county(state, ident)
    if kind == "story" and ident in vocab.stories:
        village, township, belt = story_context(ds, ident)
        return select_story(state, ident, village, township, belt, county_of(township, vocab))
    return None


def on_map_click(click_data: object, state_data: object, ds: Dataset):
    """A click on a polygon, route or marker; its ``customdata`` is "<kind>:<id>"."""
    try:
        point = click_data["points"][0]
        kind, _, ident = str(point.get("customdata") or "").partition(":")
    except (TypeError, KeyError, IndexError, AttributeError):
        return no_update
    new = select(ds, parse_state(state_data, ds), kind, ident)
    return new.to_dict() if new else no_update


def on_pattern_click(triggered_id: object, value: object, state_data: object, ds: Dataset):
    """A click on a belt in the list, or on a village or story named in a panel."""
    if not isinstance(triggered_id, dict) or not value:  # components appearing also "trigger": ignore
        return no_update
    kind = {"belt-item": "belt", "village-link": "village", "story-link": "story",
            "county-link": "county"}.get(triggered_id.get("type"))
    ident = triggered_id.get("belt") or triggered_id.get("code") or triggered_id.get("story")
    if not kind or not isinstance(ident, str):
        return no_update
    new = select(ds, parse_state(state_data, ds), kind, ident)
    return new.to_dict() if new else no_update


def on_crumb(triggered_id: object, value: object, state_data: object, ds: Dataset):
    if not isinstance(triggered_id, dict) or not value:
        return no_update
    return step_back(parse_state(state_data, ds), str(triggered_id.get("level"))).to_dict()


def on_clear(signal: object, state_data: object, ds: Dataset):
    if not signal:
        return no_update
    state = parse_state(state_data, ds)
    cleared = clear_selection(state)
    return cleared.to_dict() if cleared != state else no_update


def search_options(text: object, ds: Dataset, audience: Audience, selected: object = None) -> list[dict]:
    """Dropdown options for what the user typed (at most 12; values are "kind|id")."""
    options = [{"label": f"{h.label}", "value": f"{h.kind}|{h.ident}"}
               for h in search(ds, text if isinstance(text, str) else "", audience)]
    if isinstance(selected, str) and selected not in {o["value"] for o in options}:
        options.append({"label": selected.split("|")[-1], "value": selected})  # keep the chosen value valid
    return options


def on_search_pick(value: object, state_data: object, ds: Dataset):
    if not isinstance(value, str) or "|" not in value:
        return no_update, no_update
    kind, ident = value.split("|", 1)
    new = select(ds, parse_state(state_data, ds), "village" if kind == "adviser" else kind, ident)
    return (new.to_dict() if new else no_update), None


def register(app: Dash) -> None:
    settings = settings_of(app)
    state_out = Output(ids.VIEW_STATE, "data", allow_duplicate=True)
    current = State(ids.VIEW_STATE, "data")

    # A click on the map, or on a belt in the list, is turned into a view state by the map's own callback
    # (callbacks/map.py): the click that selects a belt is framed in one round trip.
    @app.callback(state_out, Input(ids.village_link(ALL), "n_clicks"),
                  Input(ids.story_link(ALL), "n_clicks"), Input(ids.county_link(ALL), "n_clicks"), current,
                  prevent_initial_call=True)
    def _pattern_click(_villages, _stories, _counties, state_data):
        return on_pattern_click(ctx.triggered_id, ctx.triggered[0]["value"] if ctx.triggered else None,
                                state_data, dataset_of(settings))

    @app.callback(state_out, Input(ids.crumb(ALL), "n_clicks"), current, prevent_initial_call=True)
    def _crumb(_clicks, state_data):
        return on_crumb(ctx.triggered_id, ctx.triggered[0]["value"] if ctx.triggered else None, state_data,
                        dataset_of(settings))

    @app.callback(state_out, Input(ids.CLEAR_SIGNAL, "data"), current, prevent_initial_call=True)
    def _clear(signal, state_data):
        return on_clear(signal, state_data, dataset_of(settings))

    @app.callback(Output(ids.SEARCH, "options"), Input(ids.SEARCH, "search_value"), State(ids.SEARCH, "value"),
                  prevent_initial_call=True)
    def _search(text, selected):
        return search_options(text, dataset_of(settings), current_audience(), selected)

    @app.callback(state_out, Output(ids.SEARCH, "value"), Input(ids.SEARCH, "value"), current,
                  prevent_initial_call=True)
    def _search_pick(value, state_data):
        return on_search_pick(value, state_data, dataset_of(settings))
