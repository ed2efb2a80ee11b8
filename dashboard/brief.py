"""The visitors' briefing (``/brief``): pure builders from a briefing step to what the screen shows.

A step is a view state (the explorer's map framed and highlighted as a click would) plus its facts, worded as
the bulletin words them, with the numbers taken from the ledger in the data. The builders do no I/O (the
callers pass the dataset's vocabulary and ledger); :func:`briefing_of` asks geodata for the briefing served.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from dashboard.state import ViewState, select_story
from geodata import Dataset
from geodata.briefing import Briefing, BriefStep
from geodata.briefing_store import Served, served_briefing
from geodata.cache import per_dataset
from geodata.figures import format_figure
from geodata.vocabulary import Vocabulary, vocabulary

BRIEF_PATH = "/brief"


@dataclass(frozen=True)
class Fact:
    """One figure of a step: its label and its value as the bulletin words it; ``before`` for a growth."""

    key: str
    label: str
    value: str
    before: str | None = None


def view_problems(view: dict, vocab: Vocabulary) -> list[str]:
    """What is wrong with a step's ``view`` for this dataset (the page's own link parser decides)."""
    return list(ViewState.from_dict(view, vocab).problems)


@per_dataset()
def view_checker(ds: Dataset) -> Callable[[dict], list[str]]:
    """The page's own link parser as a briefing's view check, one function per dataset (a stable cache key)."""
    vocab = vocabulary(ds)
    return lambda view: view_problems(view, vocab)


def briefing_of(settings, ds: Dataset) -> Served:
    """The briefing served with ``ds``: the store's published one if it fits, else the last good, else shipped."""
    return served_briefing(ds, settings.content_location, view_checker(ds))


def step_state(step: BriefStep, lang: str, vocab: Vocabulary,
               story_place: tuple[str | None, str | None, str | None] | None = None) -> ViewState:
    """The view state of ``step`` in ``lang``. A step on a story selects it as a click on its marker does;
    ``story_place`` is the story's (village, township, belt)."""
    state = ViewState.from_dict({**step.view, "lang": lang}, vocab)
    if state.story and story_place is not None:
        village, township, belt = story_place
        state = select_story(state, state.story, village, township, belt)
    return state.with_()  # a step's view was checked when the briefing was read: no problems to report


def _label(row: pd.Series, lang: str) -> str:
    label = row.label_en if lang == "en" and isinstance(row.label_en, str) and row.label_en else row.label_zh
    return str(label).replace('"', "").strip()


def _worded(row: pd.Series, lang: str) -> str:
    return format_figure(float(row.value), str(row.relation or "eq"), str(row.unit or ""), lang)


def step_facts(step: BriefStep, ledger: pd.DataFrame, lang: str) -> tuple[Fact, ...]:
    """The facts of ``step``: each ledger key worded as the bulletin words it; a figure that grew shows its
    value before (``growth`` pairs) too."""
    rows = ledger.set_index("key")
    before_of = {after: before for before, after in step.growth}
    out = []
    keys = list(step.facts) + [after for _, after in step.growth if after not in step.facts]
    for key in keys:
        if key not in rows.index:
            continue
        row = rows.loc[key]
        before = before_of.get(key)
        out.append(Fact(key, _label(row, lang), _worded(row, lang),
                        _worded(rows.loc[before], lang) if before in rows.index else None))
    return tuple(out)


def step_title(step: BriefStep, lang: str) -> str:
    return step.title.get(lang)


def step_notes(step: BriefStep, lang: str) -> str:
    return step.notes.get(lang) if step.notes else ""


def outline(briefing: Briefing, lang: str) -> list[dict]:
    """What the presenter's screen needs of every step (titles and notes), sent once with the page's config."""
    return [{"id": s.id, "title": step_title(s, lang), "notes": step_notes(s, lang)} for s in briefing.steps]


def parse_step_number(value: object, count: int) -> int | None:
    """A 1-based step number from the URL or the browser (untrusted), or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 4:
        value = int(value.strip())
    if isinstance(value, int) and 1 <= value <= count:
        return value
    return None
