"""The wall display (``/wall``): one screen laid out for the viewport (assets/wall.css), never scrolled.

The layout is structure only; ``callbacks/wall.py`` fills the texts for the tour's language and each step,
and ``assets/wall.js`` runs the tour in the browser (timer, pause on input, resume, reloads).
"""

from __future__ import annotations

import copy

from dash import Dash, dcc, html

from dashboard import ids
from dashboard.config import Settings
from dashboard.figures.wall import WallStep, figure_tiles, font_px, wall_label_style, wall_map_fonts
from dashboard.i18n import t
from dashboard.pages.common import graph_config, page_figure
from dashboard.state import ViewState
from geodata import Audience, Dataset, open_dataset
from geodata.cache import per_dataset
from geodata.wall_settings import load_wall_settings

WALL_GRAPH_CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True, "scrollZoom": True,
                     "doubleClick": False}
SCORES_CONFIG = {"displayModeBar": False, "staticPlot": True, "responsive": True}


def wall_page(figure: dict, map_config: dict, build: str, data_version: str, applied: dict | None) -> html.Div:
    """The wall's page; ``build`` and ``data_version`` tell the browser when a reload is due; ``applied`` is
    what ``figure`` shows (see :func:`initial_applied`)."""
    return html.Div(id=ids.WALL, className="kbw", lang="zh-CN", **{"data-build": build,
                                                                 "data-version": data_version}, children=[
        dcc.Location(id=ids.WALL_URL, refresh=False),
        dcc.Store(id=ids.WALL_CONFIG),
        dcc.Store(id=ids.WALL_STEP),
        dcc.Store(id=ids.WALL_APPLIED, data=applied),
        dcc.Store(id=ids.WALL_SHOWN),
        dcc.Store(id=ids.WALL_SINK),
        html.Header(className="kbw-header", children=[
            html.H1(id=ids.WALL_TITLE, className="kbw-title"),
            html.Div(id=ids.WALL_PROGRESS, className="kbw-progress", role="status"),
            html.Div(className="kbw-countdown-track", children=html.Div(id=ids.WALL_COUNTDOWN,
                                                                        className="kbw-countdown")),
            html.Div(id=ids.WALL_STATUS, className="kbw-status", role="status"),
            html.Time(id=ids.WALL_CLOCK, className="kbw-clock"),
        ]),
        html.Div(id=ids.WALL_PROBLEMS, className="kbw-problems", role="alert", hidden=True),
        html.Main(className="kbw-main", children=[
            html.Div(className="kbw-map", children=dcc.Graph(
                id=ids.WALL_MAP, figure=figure, config=map_config, style={"height": "100%", "width": "100%"})),
            html.Aside(id=ids.WALL_PANEL, className="kbw-panel", children=[
                html.H2(id=ids.WALL_STEP_TITLE, className="kbw-step-title"),
                html.P(id=ids.WALL_STEP_THEME, className="kbw-step-theme"),
                html.P(id=ids.WALL_VILLAGES, className="kbw-villages"),
                html.Div(id=ids.WALL_FIGURES, className="kbw-figures"),
                html.Div(id=ids.WALL_SCORES_BOX, className="kbw-scores", children=dcc.Graph(
                    id=ids.WALL_SCORES, config=SCORES_CONFIG, figure={"data": [], "layout": {}},
                    style={"height": "100%", "width": "100%"})),
                html.Section(id=ids.WALL_STORY, className="kbw-story"),
            ]),
        ]),
        html.Footer(id=ids.WALL_FOOTER, className="kbw-footer"),
    ])


def tiles(step: WallStep, lang: str) -> list:
    return [html.Div(className="kbw-tile", children=[html.Span(value, className="kbw-tile-value"),
                                                     html.Span(label, className="kbw-tile-label")])
            for label, value in figure_tiles(step, lang)]


# What fits the panel in two lines (about 35 CJK characters a line at 16:9), Latin text about twice that.
VILLAGES_BUDGET = {"zh": 64, "en": 120}
STORY_BUDGET = {"zh": 100, "en": 100}


def shorten(text: str, budget: int) -> str:
    """``text`` cut to ``budget`` characters with an ellipsis: the wall never scrolls or clips a box."""
    return text if len(text) <= budget else text[: budget - 1].rstrip().removesuffix("、").removesuffix(",") + "…"


def villages_line(step: WallStep, lang: str) -> str:
    if not step.villages:
        return ""
    head = t("wall_villages", lang).format(n=len(step.villages)) + (":" if lang == "zh" else ": ")
    return shorten(head + ("、" if lang == "zh" else ", ").join(step.villages), VILLAGES_BUDGET[lang])


def story(step: WallStep, lang: str) -> list:
    if not step.story_title:
        return []
    return [html.H3(f"{t('wall_story', lang)} · {step.story_title}", className="kbw-story-title"),
            html.P(shorten(step.story_text or "", STORY_BUDGET[lang]), className="kbw-story-text", lang="zh-CN")]


def footer(as_of: str, source: str, data_version: str, illustrative: int, lang: str) -> list:
    parts = [html.Span(f"{t('wall_as_of', lang)} {as_of}", className="kbw-as-of"),
             html.Span(f"{t('source', lang)}:{source}" if lang == "zh" else f"{t('source', lang)}: {source}",
                       className="kbw-source"),
             html.Span(f"{t('wall_version', lang)} {data_version}", className="kbw-version")]
    if illustrative:
        parts.insert(0, html.Strong(t("wall_illustrative", lang).format(n=illustrative),
                                    className="kbw-illustrative"))
    return parts


def problems(found: tuple[str, ...], lang: str) -> tuple[list, bool]:
    """(children, hidden) of the notice of settings the wall did not understand."""
    if not found:
        return [], True
    return [html.Strong(t("wall_problems", lang) + ": "), html.Span(" · ".join(found[:6]))], False


def initial_applied(lang: str, font: int) -> dict:
    """What the wall's first figure shows: the county overview in ``lang`` at ``font`` px."""
    return {"view": ViewState(lang=lang).to_dict(), "font": font}


def layout(app: Dash, settings: Settings, with_figure: bool = True) -> html.Div:
    """The wall for the dataset currently published (cached per data version and the wall file's language)."""
    ds = open_dataset(settings.data_path)
    lang = load_wall_settings(settings.content_location).lang
    return cached_layout(app, settings, ds, app.server.config.get("KAIHUA_BUILD", ""), lang,
                         with_figure)


@per_dataset(maxsize=4)
def cached_layout(app: Dash, settings: Settings, ds: Dataset, build: str, lang: str,
                  with_figure: bool = True) -> html.Div:
    figure = {}
    if with_figure:
        # a plain copy: the page's figure is built once per data version from read-only cached parts
        figure = copy.deepcopy(page_figure(app, Audience.PUBLIC, ds, ViewState(lang=lang),
                                                   wall_label_style(font_px(1080))))
        wall_map_fonts(figure, figure, font_px(1080))
    return wall_page(figure, {**graph_config(app), **WALL_GRAPH_CONFIG}, build, ds.version,
                     initial_applied(lang, font_px(1080)))
