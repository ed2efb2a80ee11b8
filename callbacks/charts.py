"""Charts feature: key figures, radar, belt ranking, pillar panels and distributions follow the one
view state; clicking a ranking bar selects that belt.

Plain functions do the work (called directly by the unit tests); :func:`register` only wires them.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import ALL, Dash, Input, Output, State

from callbacks import context
from callbacks.explorer import select
from dashboard import ids
from dashboard.auth import current_audience
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

RATINGS_SHOWN = {"display": "block"}


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
    cat = ds.indicator_catalogue().set_index("indicator")
    indicator = cat.loc[name].to_dict() if kind == "indicator" and name in cat.index else None
    ranked = gf.belt_ranking(ds, state.measure, state.year, map_county(ds, state))  # province: the county's belts
    title, colour, fmt = ranking_style(kind, name, indicator, state.year, state.lang, len(ranked))
    labels = ranked.assign(label=[gf.scope_name(ds, "belt", b, state.lang) for b in ranked.belt_id])
    return build_ranking(labels, selected_belt(ds, state), title, colour, fmt, state.lang)


def pillar_figures(ds: Dataset, state: ViewState) -> dict[str, dict]:
    """The five pillar panels, keyed by pillar."""
    codes, label = scope_of(ds, state)
    summary = gf.pillar_summary(ds, codes, state.year)
    table = gf.indicator_comparison(ds, codes, state.year)
    history = gf.pillar_history(ds, codes)
    out = {}
    for pillar in PILLAR_ORDER:
        data = PillarPanelData(
            pillar=pillar, score=float(summary.scope[pillar]), county_score=float(summary.county[pillar]),
            indicators=table[table.pillar == pillar], year=state.year, scope_label=label,
            history=history.xs(pillar, axis=1, level=1))
        out[pillar] = build_pillar_panel(data, state.lang)
    return out


def ratings_outputs(ds: Dataset, audience: Audience, state: ViewState) -> tuple[Any, Any]:
    """(figure, container style) of the ratings; nothing at all for the public audience.

    The public gets ``no_update`` for both, so the ratings never leave the server and the container
    keeps its hidden initial style. ``rating_counts`` would refuse anyway (``geodata.audience.redact``).
    """
    if audience is not Audience.STAFF:
        return dash.no_update, dash.no_update
    codes, _ = scope_of(ds, state)
    return build_ratings(gf.rating_counts(ds, codes, audience, state.year), state.lang), RATINGS_SHOWN


# A view state is immutable and hashable; so is what the charts show for it: a bounded LRU of states, on the
# dataset, and (with REDIS_URL) shared by every worker and server, keyed by data version and audience.
@shared_per_dataset("charts", maxsize=256)
def chart_outputs(ds: Dataset, audience: Audience, state: ViewState) -> dict[str, Any]:
    """Everything the charts show for ``state``, keyed by output name (read-only: shared between requests)."""
    codes, label = scope_of(ds, state)
    ratings, ratings_style = ratings_outputs(ds, audience, state)
    return freeze({
        "key_figures": key_figure_texts(ds, state),
        "scope_title": scope_title(ds, state),
        "radar": build_radar(gf.pillar_summary(ds, codes, state.year), label, state.lang),
        "ranking": ranking_figure(ds, state),
        "pillars": pillar_figures(ds, state),
        "ratings": ratings,
        "ratings_style": ratings_style,
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


def register(app: Dash) -> None:
    settings = context.settings_of(app)

    @app.callback(
        Output(ids.key_figure_value(ALL), "children"),
        Output(ids.SCOPE_TITLE, "children"),
        Output(ids.RADAR, "figure"),
        Output(ids.RANKING, "figure"),
        Output(ids.pillar_panel(ALL), "figure"),
        Output(ids.RATINGS, "figure"),
        Output(ids.RATINGS_CONTAINER, "style"),
        Output(ids.COVERAGE, "figure"),
        Output(ids.PROJECTS, "figure"),
        # The state the map has applied, not the view state itself: the charts (eight plotly figures,
        # the heaviest thing the browser draws) then follow the map instead of racing it, so a click
        # redraws the map first.
        Input(ids.MAP_APPLIED, "data"),
    )
    def update_charts(state_data):
        ds = context.dataset_of(settings)
        out = chart_outputs(ds, current_audience(), parse_state(ds, state_data))
        outputs = dash.ctx.outputs_list
        return (_by_id(outputs[0], "key", out["key_figures"]), out["scope_title"], out["radar"], out["ranking"],
                _by_id(outputs[4], "pillar", out["pillars"]), out["ratings"], out["ratings_style"],
                out["coverage"], out["projects"])

    @app.callback(
        Output(ids.VIEW_STATE, "data", allow_duplicate=True),
        Input(ids.RANKING, "clickData"),
        State(ids.VIEW_STATE, "data"),
        prevent_initial_call=True,
    )
    def ranking_click(click_data, state_data):
        return select_belt(click_data, state_data, context.dataset_of(settings))
