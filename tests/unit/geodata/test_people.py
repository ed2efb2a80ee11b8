"""Village cadres are people: one holder per post at a time, ratings of real holdings, grey-rated
holders replaced (their successor holds the post and its river or pond-chief duty)."""

from __future__ import annotations

import pandas as pd
import pytest

from geodata.audience import Audience, redact
from geodata.build.posts import CHIEF_DUTIES, RATING_YEAR
from geodata.overlays import overlays
from geodata.people import current_holders, current_terms, predecessors, terms_in
from geodata.queries import village_detail


@pytest.fixture(scope="module")
def holders(dataset):
    return dataset.layer("post_holders")


@pytest.fixture(scope="module")
def grey(dataset):
    ratings = dataset.layer("cadre_ratings")
    return ratings[ratings.rating == "灰"]


def test_no_post_is_rated_twice_in_a_year(dataset):
    ratings = dataset.layer("cadre_ratings")
    assert not ratings.duplicated(["village_code", "post", "year"]).any()
    assert not ratings.duplicated(["person_id", "year"]).any()
    secretaries = ratings[ratings.post == "村书记"]
    assert not secretaries.duplicated(["village_code", "year"]).any()


def test_the_ledger_colours_stand(dataset):
    counts = dataset.layer("cadre_ratings").rating.value_counts()
    assert (counts["红"], counts["黄"], counts["灰"]) == (85, 81, 35)


def test_every_rating_is_of_the_post_holder_that_year(dataset, holders):
    ratings = dataset.layer("cadre_ratings")
    for r in ratings.itertuples():
        held = terms_in(holders[(holders.village_code == r.village_code) & (holders.post == r.post)], r.year)
        assert held.person_id.tolist() == [r.person_id], r.rating_id


def test_one_holder_per_post_at_a_time_without_gaps(holders):
    for (code, post), terms in holders.sort_values("from_year").groupby(["village_code", "post"]):
        starts, ends = terms.from_year.tolist(), terms.to_year.tolist()
        assert all(a <= b for a, b in zip(starts, ends)), (code, post)
        assert all(nxt == end + 1 for end, nxt in zip(ends, starts[1:])), f"{code} {post}: overlap or gap"
        assert terms.person_id.is_unique


def test_grey_rated_holders_are_replaced_by_a_successor(grey, holders):
    assert len(grey) == 35
    for r in grey.itertuples():
        theirs = holders[holders.person_id == r.person_id]
        assert theirs.to_year.max() == RATING_YEAR and set(theirs.end_reason) <= {"责令辞职", "罢免", "免职"}
        after = holders[(holders.village_code == r.village_code) & (holders.post == r.post)
                        & (holders.from_year == RATING_YEAR + 1)]
        assert len(after) == 1 and after.person_id.iloc[0] != r.person_id


def test_no_grey_rated_person_holds_a_chief_duty_after_the_rating(dataset, grey):
    removed = set(grey.person_id)
    for layer in CHIEF_DUTIES:
        chiefs = dataset.layer(layer)
        theirs = chiefs[chiefs.person_id.isin(removed)]
        assert (theirs.to_year <= RATING_YEAR).all(), layer
        assert not current_terms(chiefs).person_id.isin(removed).any(), layer
        assert set(terms_in(chiefs, RATING_YEAR + 1).village_code) == set(chiefs.village_code), layer


def test_chief_duties_follow_the_post(dataset, holders):
    names = dataset.layer("people").set_index("person_id").name
    for layer, (_, post) in CHIEF_DUTIES.items():
        chiefs = dataset.layer(layer)
        held = holders[holders.post == post]
        merged = chiefs.merge(held, on=["village_code", "person_id", "from_year", "to_year"], how="left",
                              indicator=True)
        assert (merged._merge == "both").all(), f"{layer}: a chief term without the matching {post} holding"
        assert (chiefs.name == chiefs.person_id.map(names)).all()
        assert len(current_terms(chiefs)) == chiefs.village_code.nunique() == 255


def test_current_holders_are_one_per_post(dataset):
    now = current_holders(dataset)
    assert not now.duplicated(["village_code", "post"]).any()
    assert len(now) == 255 * 3 and (now.end_reason == "").all()


def test_current_terms_pick_the_latest_and_keep_flat_rosters():
    terms = pd.DataFrame({"village_code": ["a", "a", "b"], "person_id": ["p1", "p2", "p3"],
                          "from_year": [2017, 2019, 2017], "to_year": [2018, 2020, 2020]})
    assert current_terms(terms).person_id.tolist() == ["p2", "p3"]
    assert predecessors(terms).person_id.tolist() == ["p1"]
    assert terms_in(terms, 2018).person_id.tolist() == ["p1", "p3"]
    flat = terms.drop(columns=["from_year", "to_year"])
    assert current_terms(flat).equals(flat) and predecessors(flat).empty


def _replaced_secretary(dataset, grey):
    return grey[grey.post == "村书记"].iloc[0]


def test_village_card_and_map_show_the_successor(dataset, grey):
    rated = _replaced_secretary(dataset, grey)
    chiefs = dataset.layer("river_chiefs")
    successor = current_terms(chiefs[chiefs.village_code == rated.village_code]).iloc[0]
    detail = village_detail(dataset, rated.village_code, 2018, Audience.STAFF)
    assert successor["name"] in detail.river_chief and detail.river_chief_since == RATING_YEAR + 1
    assert any(c[0] == "村书记" and c[2] == "灰" and c[4] for c in detail.rated_cadres)
    segments = overlays(dataset, Audience.STAFF).river_segments
    mine = segments[segments.village_code == rated.village_code]
    assert len(mine) == (dataset.layer("river_segments").village_code == rated.village_code).sum()
    assert set(mine.name) == {successor["name"]}


def test_public_sees_neither_names_nor_why_a_term_ended(dataset, grey):
    rated = _replaced_secretary(dataset, grey)
    public = village_detail(dataset, rated.village_code, 2018, Audience.PUBLIC)
    assert public.river_chief == "村书记" and public.river_chief_since is None and public.rated_cadres is None
    assert (redact("post_holders", dataset.layer("post_holders"), Audience.PUBLIC).end_reason == "").all()
    assert (redact("people", dataset.layer("people"), Audience.PUBLIC).name == "").all()
