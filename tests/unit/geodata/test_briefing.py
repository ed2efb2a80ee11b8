"""The briefing file: the shipped one is complete and agrees with the data; broken files say why."""

from __future__ import annotations

import pytest

from geodata import PILLARS, open_dataset
from geodata.briefing import SHIPPED_BRIEFING, BriefingError, parse_briefing, read_briefing_file


@pytest.fixture(scope="module")
def ledger_keys() -> frozenset[str]:
    return frozenset(open_dataset().ledger().key)


def _parse(text: str, ledger_keys, file="b.yaml", check_view=lambda view: []):
    return parse_briefing(text.encode("utf-8"), file, ledger_keys, PILLARS, check_view)


GOOD = """
version: 1
title: {zh: 讲解, en: Briefing}
steps:
  - id: one
    title: {zh: 第一步, en: One}
    view: {belt: B01}
    facts: [belts, villages]
  - id: two
    title: 第二步
    facts: [sorghum_area]
    growth: [[sorghum_area_start, sorghum_area]]
    chart: pillar:industry
"""


def test_shipped_briefing_reads_and_covers_every_bulletin_place(ledger_keys):
    briefing = read_briefing_file(SHIPPED_BRIEFING, ledger_keys, PILLARS)
    stories = {step.view.get("story") for step in briefing.steps}
    assert {f"S{i:02d}" for i in range(1, 10)} <= stories  # every place story the bulletin tells
    ids = [step.id for step in briefing.steps]
    assert ids[0] == "overview"
    assert {"organisation", "ecology", "industry", "talent", "culture"} <= set(ids)
    assert {"advisers", "teams", "chiefs", "ratings"} <= set(ids)
    for step in briefing.steps:
        assert len(step.facts) <= 4


def test_shipped_notes_type_no_figure(ledger_keys):
    # numbers come from the ledger, never typed into the story
    briefing = read_briefing_file(SHIPPED_BRIEFING, ledger_keys, PILLARS)
    for step in briefing.steps:
        for text in (step.notes.zh, step.notes.en) if step.notes else ():
            assert not any(ch.isdigit() for ch in text), (step.id, text)


def test_a_good_file_parses(ledger_keys):
    briefing = _parse(GOOD, ledger_keys)
    assert [s.id for s in briefing.steps] == ["one", "two"]
    assert briefing.steps[1].title.get("en") == "第二步"  # no English: falls back to Chinese
    assert briefing.steps[1].growth == (("sorghum_area_start", "sorghum_area"),)
    assert briefing.index_of("two") == 1


@pytest.mark.parametrize(("change", "where", "words"), [
    (("facts: [belts, villages]", "facts: [belts, nonsense]"), ("1", "facts"), "未知的台账指标"),
    (("chart: pillar:industry", "chart: pie"), ("2", "chart"), "未知图表"),
    (("id: two", "id: one"), ("2", "id"), "重复"),
    (("title: 第二步", "title: {en: Two}"), ("2", "title"), "中文不能为空"),
    (("view: {belt: B01}", "view: {belt: B01, zoom: 3}"), ("1", "view.zoom"), "未知字段"),
    (("version: 1", "version: 7"), (None, "version"), "须为 1"),
])
def test_each_problem_names_step_and_field(ledger_keys, change, where, words):
    with pytest.raises(BriefingError) as err:
        _parse(GOOD.replace(*change), ledger_keys)
    found = [(p.step, p.field) for p in err.value.problems]
    assert where in found
    assert any(words in p.zh for p in err.value.problems)
    assert "b.yaml" in str(err.value)


def test_view_checker_problems_are_reported(ledger_keys):
    def check(view):
        return [f"未知示范带 {view['belt']}"] if view.get("belt") == "B01" else []

    with pytest.raises(BriefingError) as err:
        _parse(GOOD, ledger_keys, check_view=check)
    assert [(p.step, p.field) for p in err.value.problems] == [("1", "view")]


@pytest.mark.parametrize("raw", [b"\xff\xfe\x00broken", b"steps: [unclosed", b"- just\n- a list\n",
                                 b"!!python/object/apply:os.system ['echo x']"])
def test_unreadable_files_are_refused_in_plain_words(ledger_keys, raw):
    with pytest.raises(BriefingError) as err:
        parse_briefing(raw, "bad.yaml", ledger_keys, PILLARS)
    assert err.value.problems and all(p.zh for p in err.value.problems)


def test_json_files_are_read_too(ledger_keys):
    text = ('{"version": 1, "title": {"zh": "讲解"}, "steps": [{"id": "a", "title": {"zh": "甲"},'
            ' "facts": ["belts"]}]}')
    assert _parse(text, ledger_keys, file="b.json").steps[0].facts == ("belts",)
