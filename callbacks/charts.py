"""Charts feature: key figures, radar, belt ranking, pillar panels and distributions follow the one
view state; clicking a ranking bar selects that belt.

Plain functions do the work (called directly by the unit tests); :func:`register` only wires them.
"""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import ALL, Dash, Input, Output, State

from callbacks import context
from callbacks.explorer import select
from dashboard import ids
from dashboard.auth import current_audience
from dashboard.charts_layout import CHART_GRAPHS, charts_body
from dashboard.figures.charts import (
    PILLAR_ORDER,
    build_coverage,
    build_projects,
    build_radar,
    build_ranking,
    build_ratings,
    format_figure,
    ranking_style,
)
from dashboard.figures.pillars import PillarPanelData, build_pillar_panel
from dashboard.i18n import t
from dashboard.map_view import map_county
from dashboard.shared_cache import shared_per_dataset
from dashboard.state import ViewState
from geodata import Audience, Dataset
from geodata import figures as gf
from geodata.cache import freeze
from geodata.queries import village_belt_map
from geodata.vocabulary import vocabulary


def parse_state(ds: Dataset, data: object) -> ViewState:
    """The view state the browser sent, checked against the dataset (:func:`callbacks.context.parse_state`)."""
    return context.parse_state(data, ds)


def scope_of(ds: Dataset, state: ViewState) -> tuple[frozenset[str], str | None]:
    """The village codes of the state's scope and its label (None for the county)."""
    kind, value = state.scope
    return gf.scope_villages(ds, kind, value), gf.scope_name(ds, kind, value, state.lang)


def scope_title(ds: Dataset, state: ViewState) -> str:
    _, label = scope_of(ds, state)
    return f"{label or t('scope_county', state.lang)} · {state.year}"


def key_figure_texts(ds: Dataset, state: ViewState) -> dict[str, str]:
    """Each key figure of the scope, formatted for its tile."""
    codes, _ = scope_of(ds, state)
    units = gf.units(ds)
    values = gf.key_figures(ds, codes, state.year)
    return {key: format_figure(values[key], units.get(key, ""), state.lang) for key in gf.KEY_FIGURES}


def selected_belt(ds: Dataset, state: ViewState) -> str | None:
    """The belt to highlight: the selected belt, or the belt of the selected village."""
    return state.belt or (village_belt_map(ds).get(state.village) if state.village else None)


def ranking_figure(ds: Dataset, state: ViewState) -> dict:
    kind, name = gf.parse_measure(state.measure)
    cat = gf.indexed_table(ds, "indicator_catalogue", "indicator")
    indicator = cat.loc[name].to_dict() if kind == "indicator" and name in cat.index else None
    ranked = gf.belt_ranking(ds, state.measure, state.year, map_county(ds, state))  # province: the county's belts
    title, colour, fmt = ranking_style(kind, name, indicator, state.year, state.lang, len(ranked))
    labels = ranked.assign(label=[gf.scope_name(ds, "belt", b, state.lang) for b in ranked.belt_id])
    return build_ranking(labels, selected_belt(ds, state), title, colour, fmt, state.lang)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts of plain Python values (``DataFrame.to_dict("records")``, which goes
    through ``itertuples`` and boxes every value, cost more than the pillar panels it fed)."""
    columns = [str(c) for c in frame.columns]
    return [dict(zip(columns, row)) for row in zip(*(frame[c].tolist() for c in frame.columns))]


def pillar_figures(ds: Dataset, state: ViewState) -> dict[str, dict]:
    """The five pillar panels, keyed by pillar."""
    codes, label = scope_of(ds, state)
    summary = gf.pillar_summary(ds, codes, state.year)
    table = gf.indicator_comparison(ds, codes, state.year)
    history = gf.pillar_history(ds, codes)
    by_pillar: dict[str, list[dict]] = {}
    for row in records(table):  # one pass over the table, not a mask and a frame per pillar
        by_pillar.setdefault(row["pillar"], []).append(row)
    out = {}
    for pillar in PILLAR_ORDER:
        data = PillarPanelData(
            pillar=pillar, score=float(summary.scope[pillar]), county_score=float(summary.county[pillar]),
            indicators=tuple(by_pillar.get(pillar, ())), year=state.year, scope_label=label,
            history=history.xs(pillar, axis=1, level=1))
        out[pillar] = build_pillar_panel(data, state.lang)
    return out


def ratings_figure(ds: Dataset, audience: Audience, state: ViewState) -> Any:
    """The ratings figure; nothing at all (``no_update``) for the public audience, so the ratings never leave
    the server and a public page has no ratings box. ``rating_counts`` would refuse anyway
    (``geodata.audience.redact``)."""
    if audience is not Audience.STAFF:
        return dash.no_update
    codes, _ = scope_of(ds, state)
    return build_ratings(gf.rating_counts(ds, codes, audience, state.year), state.lang)


# A view state is immutable and hashable; so is what the charts show for it: a bounded LRU of states, on the
# dataset, and (with REDIS_URL) shared by every worker and server, keyed by data version and audience.
@shared_per_dataset("charts", maxsize=256)
def chart_outputs(ds: Dataset, audience: Audience, state: ViewState) -> dict[str, Any]:
    """Everything the charts show for ``state``, keyed by output name (read-only: shared between requests)."""
    codes, label = scope_of(ds, state)
    return freeze({
        "key_figures": key_figure_texts(ds, state),
        "scope_title": scope_title(ds, state),
        "radar": build_radar(gf.pillar_summary(ds, codes, state.year), label, state.lang),
        "ranking": ranking_figure(ds, state),
        "pillars": pillar_figures(ds, state),
        "ratings": ratings_figure(ds, audience, state),
        "coverage": build_coverage(gf.chief_coverage(ds, codes),
                                   gf.chief_coverage(ds, gf.scope_villages(ds, "county", None)), label, state.lang),
        "projects": build_projects(gf.project_counts(ds, codes), state.lang),
    })


def select_belt(click_data: object, state_data: object, ds: Dataset) -> dict | Any:
    """The view state after a click on the ranking: that belt selected, finer selections cleared.

    ``click_data`` comes from the browser: anything but a known belt id gives ``no_update``.
    """
    try:
        belt = click_data["points"][0]["customdata"]  # type: ignore[index]
    except (TypeError, KeyError, IndexError):
        return dash.no_update
    if not isinstance(belt, str) or belt not in vocabulary(ds).belts:
        return dash.no_update
    # the same state as a click on the belt on the map (its township in the breadcrumb too)
    new = select(ds, parse_state(ds, state_data), "belt", belt)
    return new.to_dict() if new else dash.no_update


def _by_id(outputs_list: list[dict], field: str, values: dict[str, Any]) -> list[Any]:
    """Values of a pattern-matching ALL output, in the order Dash lists the components."""
    return [values[item["id"][field]] for item in outputs_list]


def figure_updates(out: dict[str, Any]) -> list[tuple[object, str, Any]]:
    """(component ID, prop, value) of every graph and box in the charts' body for ``out``
    (:func:`chart_outputs`); what is not sent to this audience (``no_update``: the public's ratings) is left out."""
    items = [*((ident, "figure", out[key]) for ident, key in CHART_GRAPHS),
             *((ids.pillar_panel(p), "figure", out["pillars"][p]) for p in PILLAR_ORDER)]
    return [item for item in items if item[2] is not dash.no_update]


def mounted_body(out: dict[str, Any]) -> list:
    """The charts' body drawn with ``out`` from the start (no ratings box for the public)."""
    return charts_body({key: (None if value is dash.no_update else value) for key, value in out.items()})


def charts_answer(ds: Dataset, audience: Audience, state: ViewState, map_drawn: object,
                  shown: object) -> tuple[dict[str, str], str, Any, Any, list[tuple[object, str, Any]]]:
    """(key figures, scope title, the charts' body, whether it now holds the graphs, the graphs' new props)
    for ``state``.

    Until the map has drawn (``map_drawn`` is True) the body stays empty; the first answer after that mounts
    the graphs already drawn; later ones (``shown``: the body holds them) leave the body and set each graph's
    figure in place, so that plotly redraws the graphs it has instead of mounting ten new ones."""
    out = chart_outputs(ds, audience, state)
    if map_drawn is not True:
        return out["key_figures"], out["scope_title"], dash.no_update, dash.no_update, []
    if shown is not True:
        return out["key_figures"], out["scope_title"], mounted_body(out), True, []
    return out["key_figures"], out["scope_title"], dash.no_update, dash.no_update, figure_updates(out)


def register(app: Dash) -> None:
    settings = context.settings_of(app)

    @app.callback(
        Output(ids.key_figure_value(ALL), "children"),
        Output(ids.SCOPE_TITLE, "children"),
        Output(ids.CHARTS_BODY, "children"),
        Output(ids.CHARTS_SHOWN, "data"),
        # The state the map has applied, not the view state itself: the charts (ten plotly figures, the
        # heaviest thing the browser draws) then follow the map instead of racing it, so a click redraws the
        # map first. On a page's first load they wait for the map's first drawing (MAP_DRAWN).
        Input(ids.MAP_APPLIED, "data"),
        Input(ids.MAP_DRAWN, "data"),
        State(ids.CHARTS_SHOWN, "data"),
    )
    def update_charts(state_data, map_drawn, shown):
        ds = context.dataset_of(settings)
        key_figures, title, body, now_shown, updates = charts_answer(
            ds, current_audience(), parse_state(ds, state_data), map_drawn, shown)
        # The graphs are not outputs: they are not on the page until the map has drawn, and Dash would not
        # send a callback whose outputs are partly missing. set_props reaches them once they are.
        for ident, prop, value in updates:
            dash.set_props(ident, {prop: value})
        return _by_id(dash.ctx.outputs_list[0], "key", key_figures), title, body, now_shown

    @app.callback(
        Output(ids.VIEW_STATE, "data", allow_duplicate=True),
        Input(ids.RANKING, "clickData"),
        State(ids.VIEW_STATE, "data"),
        prevent_initial_call=True,
    )
    def ranking_click(click_data, state_data):
        return select_belt(click_data, state_data, context.dataset_of(settings))
