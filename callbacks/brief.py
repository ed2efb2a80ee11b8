"""The visitors' briefing (``/brief``): the page's config from its URL, and each step the presenter moves to.

Always public: every query and builder is called with :data:`AUDIENCE`, whoever is signed in. A signed-in
staff member who opens ``/brief?room=R`` also presents to room R: each step they move to is written to the
room (``dashboard.rooms``), and every ``/wall?room=R`` follows it.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs

from dash import Dash, Input, Output, State, no_update

from callbacks.context import dataset_of, settings_of
from callbacks.wall import wall_map
from dashboard import ids
from dashboard.auth import Role, current_role
from dashboard.brief import briefing_of, outline, parse_step_number, step_facts, step_state, step_title
from dashboard.config import Settings
from dashboard.figures.charts import build_ratings
from dashboard.figures.wall import county_ratings, dark_chart, font_px
from dashboard.i18n import t
from dashboard.pages import brief as page
from dashboard.pages import wall as wall_page
from dashboard.rooms import RoomState, room_storage, valid_room
from dashboard.state import LANGS, ViewState
from geodata import Audience, Dataset
from geodata.briefing import Briefing, BriefStep
from geodata.provenance import as_of, illustrative_layers, source_document
from geodata.queries import story_context, story_detail
from geodata.vocabulary import vocabulary

AUDIENCE = Audience.PUBLIC
QUERY_KEYS = ("step", "room", "presenter", "lang")
MAX_QUERY = 2000


def parse_query(search: str | None, count: int) -> dict:
    """The briefing's URL: ``step`` (1-based), ``room``, ``presenter=1``, ``lang``; problems for the rest."""
    out = {"step": 1, "room": None, "presenter": False, "lang": "zh", "problems": []}
    if not search or len(search) > MAX_QUERY:
        return out
    query = {k: v[-1] for k, v in parse_qs(search.lstrip("?"), keep_blank_values=True).items()}
    out["problems"] += [f"unknown parameter {k[:20]!r}" for k in sorted(query) if k not in QUERY_KEYS]
    if "step" in query:
        step = parse_step_number(query["step"], count)
        if step is None:
            out["problems"].append(f"step {query['step'][:10]!r} is not between 1 and {count}")
        else:
            out["step"] = step
    if "room" in query:
        if valid_room(query["room"]):
            out["room"] = query["room"]
        else:
            out["problems"].append("room: letters, digits, - and _ only (up to 32)")
    out["presenter"] = query.get("presenter") in ("1", "true", "yes")
    if "lang" in query:
        if query["lang"] in LANGS:
            out["lang"] = query["lang"]
        else:
            out["problems"].append(f"lang {query['lang'][:10]!r} is not zh or en")
    return out


def may_present(role: Role) -> bool:
    """Only staff present to a room: a visitor must not take over a lobby's walls."""
    return role >= Role.STAFF


def configure(search: str | None, settings: Settings, ds: Dataset, build: str, role: Role) -> tuple:
    """(client config, footer, problems children, problems hidden) for the briefing's URL."""
    served = briefing_of(settings, ds)
    briefing = served.briefing
    query = parse_query(search, len(briefing.steps))
    lang = query["lang"]
    problems = list(query["problems"])
    if served.problems:
        problems.insert(0, t("brief_problems", lang) + ": " + "; ".join(
            p.text(lang, served.problem_file) for p in served.problems[:3]))
    room = query["room"]
    room_text = ""
    if room:
        room_text = t("brief_room" if may_present(role) else "brief_room_refused", lang).format(room=room)
    config = {"count": len(briefing.steps), "start": query["step"], "lang": lang, "room": room,
              "presenter": query["presenter"], "outline": outline(briefing, lang), "room_text": room_text,
              "version": ds.version, "build": build, "labels": {
                  k: t(f"brief_{k}", lang) for k in ("step", "next", "notes", "timer", "keys", "end")}}
    footer = wall_page.footer(as_of(ds), source_document(ds), ds.version, len(illustrative_layers(ds)), lang)
    children, hidden = wall_page.problems(tuple(problems), lang)
    return config, footer, children, hidden


def step_chart(ds: Dataset, step: BriefStep, state: ViewState, font: int) -> dict:
    """The step's chart (empty when it has none), drawn as for the public."""
    if step.chart is None:
        return {"data": [], "layout": {"paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
                                       "xaxis": {"visible": False}, "yaxis": {"visible": False}}}
    if step.chart == "ratings":
        return dark_chart(build_ratings(county_ratings(ds.ledger()), state.lang), font)
    from callbacks.charts import chart_outputs  # the explorer's charts of the same view state

    charts = chart_outputs(ds, AUDIENCE, state)
    kind, _, pillar = step.chart.partition(":")
    figure = charts["pillars"][pillar] if kind == "pillar" else charts[
        {"radar": "radar", "ranking": "ranking", "chiefs": "coverage", "projects": "projects"}[step.chart]]
    return dark_chart(figure, font)


def step_story(ds: Dataset, state: ViewState) -> tuple[str | None, str | None]:
    if not state.story:
        return None, None
    detail = story_detail(ds, state.story, AUDIENCE)  # the public's copy: names of people are redacted
    return (detail.title_en or detail.title) if state.lang == "en" else detail.title, detail.text


def step_content(ds: Dataset, briefing: Briefing, k: int, lang: str, font: int) -> tuple:
    """(view state, heading, fact tiles, chart, chart hidden, story) of 1-based step ``k``."""
    step = briefing.steps[k - 1]
    vocab = vocabulary(ds)
    story = step.view.get("story")
    place = story_context(ds, story) if isinstance(story, str) and story in vocab.stories else None
    state = step_state(step, lang, vocab, place)
    facts = step_facts(step, ds.ledger(), lang)
    title, text = step_story(ds, state)
    alone = step.chart is None  # no chart: the panel would show an empty box; the story takes its room
    return (state, step_title(step, lang), page.fact_tiles(facts, lang), step_chart(ds, step, state, font),
            alone, page.story_section(title, text, lang, alone=alone))


def parse_request(data: object) -> tuple[int, int, object] | None:
    """(step, font px, nonce) of what the browser sent; None when it is not a step request."""
    if not isinstance(data, dict):
        return None
    step = data.get("step")
    if isinstance(step, bool) or not isinstance(step, int):
        return None
    nonce = data.get("nonce")
    return step, font_px(data.get("height")), nonce if isinstance(nonce, (int, float, str)) else None


def step_view(step_data: object, search: str | None, settings: Settings, ds: Dataset, role: Role,
              now: float | None = None) -> tuple:
    """(briefing map state, heading, tiles, chart, chart hidden, story, shown) of the requested step; a
    presenter's move is written to the room."""
    request = parse_request(step_data)
    if request is None:
        return (no_update,) * 7
    briefing = briefing_of(settings, ds).briefing
    query = parse_query(search, len(briefing.steps))
    k = min(max(request[0], 1), len(briefing.steps))
    state, heading, tiles, chart, chart_hidden, story = step_content(ds, briefing, k, query["lang"], request[1])
    if query["room"] and may_present(role):
        room_storage(settings).put(RoomState(room=query["room"], step=k, step_id=briefing.steps[k - 1].id,
                                             query=state.to_query(), active=True,
                                             updated=time.time() if now is None else now))
    shown = {"step": k, "count": len(briefing.steps), "nonce": request[2], "version": ds.version}
    size = step_data.get("map") if isinstance(step_data, dict) else None
    return ({"view": state.to_dict(), "font": request[1], "map": size}, heading, tiles, chart, chart_hidden, story,
            shown)


def register(app: Dash) -> None:
    settings = settings_of(app)
    prefix = app.config.requests_pathname_prefix

    @app.callback(Output(ids.BRIEF_CONFIG, "data"), Output(ids.BRIEF_FOOTER, "children"),
                  Output(ids.BRIEF_PROBLEMS, "children"), Output(ids.BRIEF_PROBLEMS, "hidden"),
                  Input(ids.BRIEF_URL, "search"))
    def _configure(search):
        return configure(search, settings, dataset_of(settings), app.server.config.get("KAIHUA_BUILD", ""),
                         current_role())

    app.clientside_callback("function (cfg) { return window.kaihuaBrief.configure(cfg); }",
                            Output(ids.BRIEF_STEP, "data"), Input(ids.BRIEF_CONFIG, "data"),
                            prevent_initial_call=True)

    @app.callback(Output(ids.BRIEF_MAP, "figure"), Output(ids.BRIEF_APPLIED, "data"),
                  Output(ids.BRIEF_HEADING, "children"), Output(ids.BRIEF_FACTS, "children"),
                  Output(ids.BRIEF_CHART, "figure"), Output(ids.BRIEF_CHART_BOX, "hidden"),
                  Output(ids.BRIEF_STORY, "children"), Output(ids.BRIEF_SHOWN, "data"),
                  Input(ids.BRIEF_STEP, "data"), State(ids.BRIEF_URL, "search"), State(ids.BRIEF_APPLIED, "data"),
                  prevent_initial_call=True)
    def _step(step_data, search, applied_data):
        ds = dataset_of(settings)
        state, *panel = step_view(step_data, search, settings, ds, current_role())
        if state is no_update:
            return (no_update,) * 8
        return (*wall_map(state, applied_data, settings, ds, prefix), *panel)

    app.clientside_callback("function (shown) { return window.kaihuaBrief.shown(shown); }",
                            Output(ids.BRIEF_SINK, "data"), Input(ids.BRIEF_SHOWN, "data"), prevent_initial_call=True)
