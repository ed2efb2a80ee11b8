"""The briefing as a handout for delegations (``/export/brief.pdf``): one A4 page per step, with its map.

Each page is the print map of the step's view (the sheet of :mod:`dashboard.exports.snapshot`, with its
legend, scale bar, north arrow, source and illustrative mark), titled with the step and its facts as the
bulletin words them. Drawn as for the public, whoever asks.
"""

from __future__ import annotations

import dataclasses

from dashboard.brief import briefing_of, step_facts, step_state, step_title
from dashboard.exports.snapshot import SIZES, print_map, sheet_text
from dashboard.figures.text import escape_plotly_text
from dashboard.i18n import t
from geodata import Audience, Dataset
from geodata.queries import story_context
from geodata.versions import data_edition
from geodata.vocabulary import vocabulary

PAGE = SIZES["a4"]


def facts_line(facts, lang: str) -> str:
    """"乡村振兴党建示范带 21条 · ..." with a grown figure as "由 A 到 B"."""
    parts = []
    for fact in facts:
        value = t("brief_growth", lang).format(before=fact.before, after=fact.value) if fact.before else fact.value
        parts.append(f"{fact.label} {value}")
    return " · ".join(parts)


def handout_pages(ds: Dataset, settings, lang: str, day: str) -> list[dict]:
    """One print-map figure per briefing step (public data only)."""
    briefing = briefing_of(settings, ds).briefing
    vocab = vocabulary(ds)
    edition = data_edition(ds.path)
    ledger = ds.ledger()
    pages = []
    for k, step in enumerate(briefing.steps, 1):
        story = step.view.get("story")
        place = story_context(ds, story) if isinstance(story, str) and story in vocab.stories else None
        state = step_state(step, lang, vocab, place)
        text = sheet_text(ds, state, Audience.PUBLIC, edition, day, settings.title)
        title = f"{k} / {len(briefing.steps)} · {step_title(step, lang)}"
        text = dataclasses.replace(text, title=escape_plotly_text(title),
                                   subtitle=escape_plotly_text(facts_line(step_facts(step, ledger, lang), lang)))
        pages.append(print_map(state, Audience.PUBLIC, ds, PAGE, text))
    return pages
