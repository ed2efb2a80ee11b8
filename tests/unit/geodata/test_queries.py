"""Questions the app asks of the data: scopes, details for each audience, search."""

from __future__ import annotations

import pytest

from geodata import Audience
from geodata.measures import measure_values, village_ratings
from geodata.people import current_terms
from geodata.queries import (
    belt_detail,
    belt_members,
    belt_township,
    bounds_of,
    search,
    story_context,
    story_detail,
    village_context,
    village_detail,
)


def test_belt_detail_agrees_with_layers(dataset):
    detail = belt_detail(dataset, "B02", 2018)
    members = dataset.belt_villages().query("belt_id == 'B02'").sort_values("seq").village_code.tolist()
    assert [v.ident for v in detail.villages] == members
    vil = dataset.villages().set_index("code").loc[members]
    assert detail.figures["population"] == vil.population.sum()
    assert detail.figures["cadres_stationed"] == 2 * len(members)
    assert detail.townships[0].name == "大溪边乡"
    assert set(detail.scores) == {"organisation", "ecology", "industry", "talent", "culture", "overall"}
    assert detail.lead_departments


def test_village_detail_for_staff_and_public(dataset):
    staff = village_detail(dataset, "330824106220", 2018, Audience.STAFF)
    public = village_detail(dataset, "330824106220", 2018, Audience.PUBLIC)
    secretary = current_terms(dataset.layer("river_chiefs")).set_index("village_code").loc["330824106220", "name"]
    assert secretary in staff.river_chief and secretary not in public.river_chief
    assert "村书记" in public.river_chief
    assert staff.ratings is not None and public.ratings is None
    assert staff.stories and staff.stories[0].ident == "S08"
    assert all(name == "" for _, _, name in public.team) and all(name == "" for name, _, _ in public.advisers)
    assert all("某" in name for _, _, name in staff.team)


def test_story_detail_hides_the_named_person_from_the_public(dataset):
    assert "陈强龙" in story_detail(dataset, "S08", Audience.STAFF).text
    assert "陈强龙" not in story_detail(dataset, "S08", Audience.PUBLIC).text
    assert story_detail(dataset, "S01", Audience.PUBLIC).figures["sorghum_area"] == 2200


def test_contexts(dataset):
    assert village_context(dataset, "330824106220") == ("330824106", "B20")
    assert belt_township(dataset, "B02") == "330824218"
    assert story_context(dataset, "S11") == (None, None, None)
    assert story_context(dataset, "S02")[0] == dataset.villages().set_index("name").loc["禄源村", "code"]
    minx, miny, maxx, maxy = bounds_of(dataset, belt_members(dataset, "B02"))
    assert minx < maxx and miny < maxy
    assert bounds_of(dataset, ["nope"]) is None


@pytest.mark.parametrize("text, kind, label", [("东坑", "village", "东坑口村"), ("huabu", "township", "华埠镇"),
                                               ("红高粱", "belt", "红高粱酒香带"), ("330824106220", "village", "严村")])
def test_search_finds_part_of_a_name(dataset, text, kind, label):
    hits = search(dataset, text, Audience.STAFF)
    assert any(h.kind == kind and label in h.label for h in hits)


def test_search_of_people_is_staff_only(dataset):
    name = dataset.layer("advisers").name.iloc[0]
    assert any(h.kind == "adviser" for h in search(dataset, name, Audience.STAFF))
    assert not any(h.kind == "adviser" for h in search(dataset, name, Audience.PUBLIC))


def test_search_limits(dataset):
    assert search(dataset, "", Audience.STAFF) == []
    assert len(search(dataset, "村", Audience.STAFF)) == 12
    assert search(dataset, "x" * 10_000, Audience.STAFF) == []


def test_measures(dataset):
    ind = measure_values(dataset, "indicator:forest_cover", 2018, Audience.PUBLIC)
    assert ind.kind == "continuous" and len(ind.values) == 255 and ind.unit == "%"
    eco = measure_values(dataset, "pillar:ecology", 2018, Audience.PUBLIC)
    assert eco.values.between(0, 100).all()
    with pytest.raises(PermissionError):
        measure_values(dataset, "rating", 2018, Audience.PUBLIC)
    with pytest.raises(ValueError):
        measure_values(dataset, "bogus", 2018, Audience.STAFF)


def test_village_rating_takes_the_most_frequent_and_ties_go_worse(dataset):
    ratings = village_ratings(dataset)
    rated = dataset.layer("cadre_ratings")
    counts = rated.groupby(["village_code", "rating"]).size().unstack(fill_value=0)
    for code, row in counts.iterrows():
        top = row.max()
        worst_of_top = [c for c in ("灰", "黄", "红") if row.get(c, 0) == top][0]
        assert ratings[code] == worst_of_top
    assert (ratings == "未评").sum() == 255 - len(counts)


@pytest.mark.parametrize("text, kind, ident", [("Yancun", "village", "330824106220"), ("yan cun", "village",
                                                                                      "330824106220"),
                                               ("honggaoliang", "belt", "B02"), ("植树", "story", "S03"),
                                               ("tai chi", "story", "S06"), ("禄源", "story", "S02")])
def test_search_by_pinyin_and_stories_by_title_or_place(dataset, text, kind, ident):
    hits = search(dataset, text, Audience.PUBLIC)
    assert (kind, ident) in [(h.kind, h.ident) for h in hits]


def test_story_text_is_searched_for_staff_only(dataset):
    text = dataset.layer("stories").set_index("story_id").text["S01"]
    needle = "专家服务团"
    assert needle in text
    assert ("story", "S01") in [(h.kind, h.ident) for h in search(dataset, needle, Audience.STAFF)]
    assert ("story", "S01") not in [(h.kind, h.ident) for h in search(dataset, needle, Audience.PUBLIC)]
