"""Layout of the five-pillar charts and the key-figures bar (filled by ``callbacks/charts.py``).

The graphs start empty: the charts callback fills them from the view state when the page loads and
whenever the selection, year, measure or language changes.
"""

from __future__ import annotations

from dash import dcc, html

from dashboard import ids, theme
from dashboard.figures.charts import PILLAR_ORDER
from dashboard.i18n import t
from geodata.figures import KEY_FIGURES

# No toolbar: it covered the titles, and a wall or a slide has no use for it.
GRAPH_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False,
                "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
                "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "kaihua-belts-chart"}}


def _graph(graph_id, class_name: str, height: int) -> dcc.Graph:
    # An explicit height: dcc.Graph's own inline default (100% of an auto-height parent) collapses it.
    return dcc.Graph(id=graph_id, className=class_name, config=GRAPH_CONFIG, figure={"data": [], "layout": {}},
                     style={"height": f"{height}px"})


def key_figure_tile(key: str, lang: str) -> html.Div:
    return html.Div(id=ids.key_figure(key), className="kb-kf-tile", children=[
        html.Span("–", id=ids.key_figure_value(key), className="kb-kf-value"),
        html.Span(t(f"kf_{key}", lang), id=ids.label(f"kf_{key}"), className="kb-kf-label"),
    ])


def key_figures_bar(lang: str) -> html.Section:
    """The key figures of the current scope, above the map."""
    return html.Section(id=ids.KEY_FIGURES, className="kb-key-figures", children=[
        html.Div(t("scope_county", lang), id=ids.SCOPE_TITLE, className="kb-kf-scope", role="status"),
        html.Div(className="kb-kf-tiles", children=[key_figure_tile(key, lang) for key in KEY_FIGURES]),
    ])


def score_note(lang: str) -> html.Details:
    """"About this score": the method of ``geodata/scores.py`` in words."""
    return html.Details(id=ids.SCORE_NOTE, className="kb-score-note", children=[
        html.Summary(t("score_note_title", lang), id=ids.label("score_note_title")),
        html.P(t("score_note", lang), id=ids.label("score_note")),
    ])


def pillar_panel(pillar: str) -> html.Div:
    # The coloured top border ties the panel to its pillar's colour in every other chart.
    return html.Div(className="kb-pillar-panel", style={"borderTopColor": theme.PILLAR_COLOURS[pillar]},
                    children=[_graph(ids.pillar_panel(pillar), "kb-pillar-graph", 430)])


def charts_section(lang: str) -> html.Section:
    """Radar and belt ranking, the five pillar panels, then ratings, chief coverage and projects."""
    return html.Section(id=ids.CHARTS_SECTION, className="kb-charts", children=[
        html.Div(className="kb-charts-head", children=[
            html.H2(t("charts_title", lang), id=ids.label("charts_title")), score_note(lang)]),
        html.Div(className="kb-charts-row kb-charts-top", children=[
            _graph(ids.RADAR, "kb-chart kb-radar", 620), _graph(ids.RANKING, "kb-chart kb-ranking", 620),
        ]),
        html.Div(className="kb-charts-row kb-pillars", children=[pillar_panel(p) for p in PILLAR_ORDER]),
        html.Div(className="kb-charts-row kb-charts-bottom", children=[
            html.Div(id=ids.RATINGS_CONTAINER, className="kb-chart-box", style={"display": "none"}, children=[
                _graph(ids.RATINGS, "kb-chart kb-ratings", 380)]),
            _graph(ids.COVERAGE, "kb-chart kb-coverage", 380),
            _graph(ids.PROJECTS, "kb-chart kb-projects", 380),
        ]),
    ])
