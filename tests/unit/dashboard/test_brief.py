"""Brief steps: the map view a step sets and its facts, worded as the bulletin words them, from the ledger."""

from __future__ import annotations

import pytest

from dashboard.brief import outline, parse_step_number, step_facts, step_state, view_problems
from geodata import open_dataset
from geodata.briefing_store import served_briefing
from geodata.queries import story_context
from geodata.vocabulary import vocabulary


@pytest.fixture(scope="module")
def ds():
    return open_dataset()


@pytest.fixture(scope="module")
def briefing(ds):
    return served_briefing(ds, None, lambda view: view_problems(view, vocabulary(ds))).briefing


def _step(briefing, step_id):
    return briefing.steps[briefing.index_of(step_id)]


def test_the_sorghum_step_shows_growth_as_the_bulletin_words_it(ds, briefing):
    facts = {f.key: f for f in step_facts(_step(briefing, "sorghum"), ds.ledger(), "zh")}
    assert facts["sorghum_area"].value == "2200亩"
    assert facts["sorghum_area"].before == "不到200亩"  # not 199
    assert (facts["sorghum_villages"].before, facts["sorghum_villages"].value) == ("1个", "10个")
    english = {f.key: f for f in step_facts(_step(briefing, "sorghum"), ds.ledger(), "en")}
    assert english["sorghum_area"].before == "under 200 mu"


def test_facts_come_from_the_ledger_not_the_file(ds, briefing):
    ledger = ds.ledger().copy()
    ledger.loc[ledger.key == "belts", "value"] = 22.0
    facts = {f.key: f.value for f in step_facts(_step(briefing, "overview"), ledger, "zh")}
    assert facts["belts"] == "22条"


def test_a_story_step_selects_the_story_as_a_click_does(ds, briefing):
    vocab = vocabulary(ds)
    step = _step(briefing, "yancun")
    state = step_state(step, "zh", vocab, story_context(ds, step.view["story"]))
    assert state.story == "S08"
    assert state.village is not None and state.township == state.village[:9]
    assert "stories" in state.layers and not state.problems


def test_every_shipped_step_sets_a_valid_view(ds, briefing):
    vocab = vocabulary(ds)
    for step in briefing.steps:
        assert not view_problems(dict(step.view), vocab), step.id
        assert step_state(step, "en", vocab).lang == "en"


def test_the_outline_carries_titles_and_notes(briefing):
    first = outline(briefing, "en")[0]
    assert first["id"] == "overview" and first["title"] and first["notes"]


@pytest.mark.parametrize(("value", "expected"), [("3", 3), (3, 3), ("0", None), (99, None), (True, None),
                                                 ("3; drop", None), (None, None), ("12345", None)])
def test_step_numbers_from_clients_are_checked(value, expected):
    assert parse_step_number(value, 19) == expected


def test_every_step_renders_as_for_the_public(ds, briefing):
    from callbacks import brief as cb
    from dashboard.auth import Role
    from dashboard.config import Settings

    for k in range(1, len(briefing.steps) + 1):
        state, heading, tiles, chart, chart_hidden, story, shown = cb.step_view(
            {"step": k, "height": 1080, "nonce": k}, "", Settings(), ds, Role.PUBLIC)
        assert shown["step"] == k and heading == briefing.steps[k - 1].title.zh
        assert "data" in chart
        # a step without a chart hides the chart's box (no empty panel) and gives its story the room
        assert chart_hidden is (briefing.steps[k - 1].chart is None)
        if chart_hidden and story:
            assert "kbb-story-alone" in story[1].className
    ratings = cb.step_chart(ds, briefing.steps[briefing.index_of("ratings")], step_state(
        briefing.steps[briefing.index_of("ratings")], "zh", vocabulary(ds)), 21)
    assert sorted(ratings["data"][0]["y"]) == [35, 81, 85]  # the county's totals from the ledger, no person


def test_the_handout_has_a_map_page_per_step_titled_with_its_facts(ds, briefing):
    import json

    from dashboard.config import Settings
    from dashboard.exports.handout import handout_pages

    pages = handout_pages(ds, Settings(), "zh", "2026-12-02")
    assert len(pages) == len(briefing.steps)
    sorghum = json.dumps(pages[briefing.index_of("sorghum")], ensure_ascii=False)
    assert title("sorghum", briefing) in sorghum and "由 不到200亩 到 2200亩" in sorghum
    assert all(any(tr.get("uid") == "villages" for tr in p["data"]) for p in pages)  # each page has its map
    assert "陈强龙" not in json.dumps(pages, ensure_ascii=False)  # drawn as for the public


def title(step_id, briefing):
    return briefing.steps[briefing.index_of(step_id)].title.zh
