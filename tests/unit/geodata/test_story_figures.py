"""Story figures say what the bulletin says: the relation is stored next to the value and worded back."""

from __future__ import annotations

import pytest

from dashboard.panels import story_card
from geodata.audience import Audience
from geodata.build.bulletin import STORIES
from geodata.figures import RELATIONS, format_figure
from geodata.queries import story_detail


@pytest.mark.parametrize("value, relation, unit, zh, en", [
    (200, "under", "亩", "不到200亩", "under 200 mu"),
    (200, "over", "亩", "200余亩", "200+ mu"),
    (200, "about", "亩", "约200亩", "about 200 mu"),
    (2200, "eq", "亩", "2200亩", "2,200 mu"),
    (8000, "over", "名", "8000余名", "8,000+"),
    (80.8, "eq", "%", "80.8%", "80.8%"),
    (1982, "eq", "年", "1982年", "1982"),
    (36, "eq", "年", "36年", "36 years"),
    (7.37, "eq", "亿元", "7.37亿元", "737 million yuan"),
    (60, "eq", "公里", "60公里", "60 km"),
])
def test_format_figure_words_it_as_the_bulletin(value, relation, unit, zh, en):
    assert format_figure(value, relation, unit, "zh") == zh
    assert format_figure(value, relation, unit, "en") == en


def test_unknown_relation_is_refused():
    with pytest.raises(ValueError, match="relation"):
        format_figure(200, "lt", "亩", "zh")


def test_under_200_is_stored_as_200_under_not_199(dataset):
    figs = dataset.layer("story_figures").set_index("key")
    start = figs.loc["sorghum_area_start"]
    assert (start.value, start.relation, start.unit) == (200.0, "under", "亩")
    assert set(figs.relation) <= set(RELATIONS)


def test_every_bulletin_figure_keeps_its_relation(dataset):
    stored = {(r.story_id, r.key): r.relation for r in dataset.layer("story_figures").itertuples()}
    expected = {(sid, key): (given[1] if isinstance(given, tuple) else "eq")
                for sid, *_, figs in STORIES for key, given in figs.items()}
    assert stored == expected


def test_story_card_shows_the_bulletin_wording(dataset):
    detail = story_detail(dataset, "S01", Audience.PUBLIC)
    zh, en = str(story_card(detail, "zh")), str(story_card(detail, "en"))
    assert "不到200亩" in zh and "199" not in zh and "2200亩" in zh
    assert "under 200 mu" in en and "2,200 mu" in en
