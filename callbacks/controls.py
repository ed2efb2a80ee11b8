"""The state hub: the URL and the controls (layers, measure, year, language) <-> the view state.

One callback owns both directions, so that a deep link sets the controls and a control sets the
state without a dependency cycle. The URL follows the state through a query string that
assets/explorer.js pushes onto the browser history; back and forward come in through ``URL_POP``.
"""

from __future__ import annotations

from dataclasses import replace

from dash import ALL, Dash, Input, Output, State, ctx, html, no_update

from callbacks.context import dataset_of, parse_state, settings_of
from dashboard import ids
from dashboard.auth import current_audience
from dashboard.explorer_layout import layer_options, measure_options
from dashboard.i18n import LABELS, t
from dashboard.layout import synthetic_note_children
from dashboard.state import ViewState, county_of, select_story, valid_measure
from geodata import Audience, Dataset
from geodata.provenance import illustration
from geodata.queries import story_context
from geodata.vocabulary import vocabulary

CONTROL_IDS = (ids.LAYER_SWITCHES, ids.MEASURE, ids.YEAR, ids.LANGUAGE)


def state_from_url(query: object, ds: Dataset, audience: Audience) -> ViewState:
    vocab = vocabulary(ds)
    state = ViewState.from_query(query if isinstance(query, str) else "", vocab)
    if state.story and not (state.village or state.township):
        # ``?story=S01`` alone: its place is framed and highlighted, as a click on its marker does
        village, township, belt = story_context(ds, state.story)
        state = select_story(state, state.story, village, township, belt, county_of(township, vocab))
    if state.measure == "rating" and audience is not Audience.STAFF:
        state = replace(state, measure="none", problems=(*state.problems, "rating not available"))
    return state


def controls_of(state: ViewState) -> tuple:
    return list(state.layers), state.measure, state.year, state.lang


def hub(trigger: str | None, query: object, pop: object, layers: object, measure: object, year: object,
        lang: object, state_data: object, ds: Dataset, audience: Audience) -> tuple:
    """(new state or no_update, layers, measure, year, lang, problems) for whatever changed."""
    state = parse_state(state_data, ds)
    if trigger in (None, ids.URL, ids.URL_POP):
        q = pop.split("#", 1)[0] if trigger == ids.URL_POP and isinstance(pop, str) else query
        new = state_from_url(q, ds, audience)
        problems = new.problems
        out_state = new.to_dict() if new != state else no_update
        return (out_state, *controls_of(new), problems_note(problems, new.lang))
    vocab = vocabulary(ds)
    changes: dict = {}
    if trigger == ids.LAYER_SWITCHES and isinstance(layers, list):
        parsed = ViewState.from_dict({"layers": layers}, vocab)
        changes["layers"] = parsed.layers
    elif trigger == ids.MEASURE and valid_measure(measure, vocab):
        if measure != "rating" or audience is Audience.STAFF:
            changes["measure"] = measure
    elif trigger == ids.YEAR and year in vocab.years:
        changes["year"] = year
    elif trigger == ids.LANGUAGE and lang in ("zh", "en"):
        changes["lang"] = lang
    new = state.with_(**changes)
    return ((new.to_dict() if new != state else no_update), no_update, no_update, no_update, no_update, no_update)


def problems_note(problems: tuple[str, ...], lang: str):
    if not problems:
        return []
    return [html.Span(t("unknown_in_link", lang)), " ", html.Span("; ".join(problem_text(p, lang) for p in problems))]


PROBLEM_WORDS_ZH = {"county": "县", "township": "乡镇", "belt": "示范带", "village": "村", "story": "公报记载",
                    "layer": "图层", "measure": "着色", "year": "年份", "language": "语言"}
PROBLEM_PHRASES_ZH = {"rating not available": "评级不可用", "layers is not a list": "图层不是列表",
                      "view state is not an object": "视图状态格式不对"}


def problem_text(problem: str, lang: str) -> str:
    """A problem of a link (written in English by dashboard.state) in ``lang``; the offending value verbatim."""
    if lang != "zh":
        return problem
    if problem in PROBLEM_PHRASES_ZH:
        return PROBLEM_PHRASES_ZH[problem]
    word, _, value = problem.removeprefix("unknown ").partition(" ")
    if problem.startswith("unknown ") and word in PROBLEM_WORDS_ZH:
        return f"未知的{PROBLEM_WORDS_ZH[word]} {value}"
    return problem


def labels_for(keys: list[str], lang: str) -> list[str]:
    return [t(k, lang) if k in LABELS else k for k in keys]


def register(app: Dash) -> None:
    settings = settings_of(app)

    @app.callback(Output(ids.VIEW_STATE, "data", allow_duplicate=True),
                  *(Output(c, "value") for c in CONTROL_IDS), Output(ids.PROBLEMS, "children"),
                  Input(ids.URL, "search"), Input(ids.URL_POP, "data"), *(Input(c, "value") for c in CONTROL_IDS),
                  State(ids.VIEW_STATE, "data"), prevent_initial_call="initial_duplicate")
    def _hub(query, pop, layers, measure, year, lang, state_data):
        trigger = ctx.triggered_id if ctx.triggered_id in (ids.URL_POP, *CONTROL_IDS) else ids.URL
        return hub(trigger, query, pop, layers, measure, year, lang, state_data, dataset_of(settings),
                   current_audience())

    @app.callback(Output(ids.PROBLEMS, "hidden"), Input(ids.PROBLEMS, "children"))
    def _problems_hidden(children):
        return not children

    app.clientside_callback(
        "function(q) { return window.kaihuaBelts ? window.kaihuaBelts.pushQuery(q)"
        " : window.dash_clientside.no_update; }",
        Output(ids.URL_SINK, "data"), Input(ids.URL_QUERY, "data"), prevent_initial_call=True)

    @app.callback(Output(ids.label(ALL), "children"), Output(ids.MEASURE, "options"),
                  Output(ids.LAYER_SWITCHES, "options"), Output(ids.SEARCH, "placeholder"),
                  Output(ids.SYNTHETIC_NOTE, "children"), Output(ids.SYNTHETIC_NOTE, "hidden"),
                  Input(ids.LANGUAGE, "value"), prevent_initial_call=True)
    def _language(value):
        # Follows the language control (set by the hub from links too), not every change of selection.
        ds = dataset_of(settings)
        lang = value if value in ("zh", "en") else settings.language
        keys = [o["id"]["key"] for o in ctx.outputs_list[0]]
        illustrative = illustration(ds)
        note = synthetic_note_children(illustrative, lang)
        return (labels_for(keys, lang), measure_options(ds.indicator_catalogue(), lang,
                                                        current_audience() is Audience.STAFF),
                layer_options(lang, illustrative), t("search_placeholder", lang), note, not note)
