"""Scope figures: the county equals the bulletin, smaller scopes add up, ratings stay staff-only."""

from __future__ import annotations

import math

import numpy as np
import pytest

from geodata.audience import Audience
from geodata.figures import (
    COVERAGE,
    KEY_FIGURES,
    PROJECT_STATUSES,
    RATINGS,
    belt_of_village,
    belt_ranking,
    chief_coverage,
    indicator_comparison,
    indicator_levels,
    key_figures,
    parse_measure,
    pillar_history,
    pillar_summary,
    project_counts,
    rating_counts,
    scope_villages,
)
from geodata.ledger import MEASURES, agrees
from geodata.schema import PILLARS
from geodata.scores import OVERALL


@pytest.fixture(scope="module")
def county(dataset):
    return scope_villages(dataset, "county", None)


@pytest.fixture(scope="module")
def ledger(dataset):
    frame = dataset.ledger().set_index("key")
    return frame


def test_county_key_figures_are_the_bulletins(dataset, county, ledger):
    figures = key_figures(dataset, county, 2018)
    assert tuple(figures) == KEY_FIGURES
    for key, value in figures.items():
        assert value == MEASURES[key](dataset), key
        row = ledger.loc[key]
        assert agrees(value, row.value, row.relation), key
        if row.relation == "eq":
            assert value == row.value, key


def test_county_key_figures_literally(dataset, county):
    f = key_figures(dataset, county, 2018)
    assert (f["belts"], f["villages"], f["cadres_stationed"], f["departments"]) == (21, 255, 510, 80)
    assert (f["river_chiefs"], f["pond_chiefs"], f["industry_branches"], f["coop_branches"]) == (255, 255, 28, 56)
    assert (f["advisers"], f["adviser_projects"], f["forest_cover"]) == (278, 75, 80.8)
    assert 8000 <= f["patrol_volunteers"] < 9000


def test_scope_kinds(dataset):
    vil = dataset.villages()
    assert len(scope_villages(dataset, "county", None)) == len(vil)
    town = vil.township_code.iloc[0]
    assert scope_villages(dataset, "township", town) == frozenset(vil.code[vil.township_code == town])
    assert len(scope_villages(dataset, "belt", "B03")) == int(dataset.belts().set_index("belt_id").village_count["B03"])
    code = vil.code.iloc[0]
    assert scope_villages(dataset, "village", code) == {code}
    assert scope_villages(dataset, "belt", "B99") == frozenset()
    with pytest.raises(ValueError):
        scope_villages(dataset, "province", None)


def test_belt_key_figures(dataset):
    codes = scope_villages(dataset, "belt", "B03")
    f = key_figures(dataset, codes, 2018)
    members = dataset.belt_villages()
    assert f["belts"] == 1 and f["villages"] == (members.belt_id == "B03").sum() > 3
    cadres = dataset.layer("cadres")
    assert f["cadres_stationed"] == cadres.village_code.isin(codes).sum()


def test_townships_add_up_to_the_county(dataset, county):
    totals = dict.fromkeys(["villages", "cadres_stationed", "advisers", "adviser_projects", "industry_branches"], 0.0)
    for town in dataset.townships().code:
        f = key_figures(dataset, scope_villages(dataset, "township", town), 2018)
        for key in totals:
            totals[key] += f[key]
    whole = key_figures(dataset, county, 2018)
    assert totals == {key: whole[key] for key in totals}


def test_single_village_and_empty_scope(dataset):
    code = dataset.belt_villages().village_code.iloc[0]
    f = key_figures(dataset, frozenset({code}), 2018)
    assert f["villages"] == 1 and f["belts"] == 1 and f["river_chiefs"] == 1
    empty = key_figures(dataset, frozenset(), 2018)
    assert empty["villages"] == 0 and math.isnan(empty["forest_cover"])


def test_forest_cover_follows_the_year(dataset, county):
    values = {y: key_figures(dataset, county, y)["forest_cover"] for y in (2015, 2018)}
    assert values[2018] == 80.8 and values[2015] != values[2018]


def test_pillar_summary_scope_against_county(dataset, county):
    codes = scope_villages(dataset, "belt", "B03")
    table = pillar_summary(dataset, codes, 2018)
    assert list(table.index) == [*PILLARS, OVERALL] and list(table.columns) == ["scope", "county"]
    whole = pillar_summary(dataset, county, 2018)
    assert whole.scope.tolist() == pytest.approx(whole.county.tolist())
    assert table.county.tolist() == pytest.approx(whole.county.tolist())


def test_pillar_history_has_every_year(dataset):
    hist = pillar_history(dataset, scope_villages(dataset, "belt", "B01"))
    assert list(hist.index) == [2015, 2016, 2017, 2018]
    assert hist[("scope", "ecology")].notna().all() and hist[("county", OVERALL)].notna().all()


def test_indicator_comparison(dataset, county):
    table = indicator_comparison(dataset, scope_villages(dataset, "belt", "B02"), 2018)
    assert set(table.indicator) == set(dataset.indicator_catalogue().indicator)
    whole = indicator_comparison(dataset, county, 2018)
    assert whole.scope.tolist() == pytest.approx(whole.county.tolist())
    ind = dataset.indicators()
    expected = ind[(ind.year == 2018) & (ind.indicator == "forest_cover")].value.mean()
    assert whole.set_index("indicator").county["forest_cover"] == pytest.approx(expected)


def test_indicator_levels_explain_the_pillar_score(dataset):
    """A pillar score is the weighted mean of its scored indicators' levels (no gaps in the shipped data)."""
    codes = scope_villages(dataset, "belt", "B04")
    table = indicator_comparison(dataset, codes, 2017)
    summary = pillar_summary(dataset, codes, 2017)
    cat = dataset.indicator_catalogue().set_index("indicator")
    for pillar in PILLARS:
        rows = table[(table.pillar == pillar) & table.in_score.astype(bool)]
        weights = cat.weight.reindex(rows.indicator).to_numpy()
        rows, weights = rows[weights > 0], weights[weights > 0]
        assert np.average(rows.scope_level, weights=weights) == pytest.approx(summary.scope[pillar])
        assert np.average(rows.county_level, weights=weights) == pytest.approx(summary.county[pillar])


def test_indicator_levels_are_0_to_100_and_flip_lower_is_better(dataset):
    table = indicator_comparison(dataset, scope_villages(dataset, "county", None), 2018).set_index("indicator")
    assert table.scope_level.between(0, 100).all()
    ind = dataset.indicators()
    bad = ind[ind.indicator == "eco_violations"]
    best = bad.loc[bad.value.idxmin()]
    levels = indicator_levels(dataset)
    assert levels.loc[(best.village_code, best.year), "eco_violations"] == 100.0


@pytest.mark.parametrize("measure, expected", [
    ("score", ("score", OVERALL)), ("none", ("score", OVERALL)), ("rating", ("score", OVERALL)),
    ("pillar:talent", ("pillar", "talent")), ("indicator:forest_cover", ("indicator", "forest_cover")),
    ("pillar:", ("score", OVERALL)),
])
def test_parse_measure(measure, expected):
    assert parse_measure(measure) == expected


def test_ranking_orders_all_belts_best_first(dataset):
    ranked = belt_ranking(dataset, "pillar:ecology", 2018)
    assert len(ranked) == 21 and set(ranked.belt_id) == set(dataset.belts().belt_id)
    assert ranked.value.is_monotonic_decreasing


def test_ranking_on_a_lower_is_better_indicator_puts_lowest_first(dataset):
    ranked = belt_ranking(dataset, "indicator:eco_violations", 2018)
    assert ranked.value.is_monotonic_increasing


def test_ranking_score_is_the_mean_of_belt_village_scores(dataset):
    ranked = belt_ranking(dataset, "score", 2018).set_index("belt_id")
    table = pillar_summary(dataset, scope_villages(dataset, "belt", "B05"), 2018)
    assert ranked.value["B05"] == pytest.approx(table.scope[OVERALL])


def test_belt_of_village(dataset):
    row = dataset.belt_villages().iloc[0]
    assert belt_of_village(dataset, row.village_code) == row.belt_id
    assert belt_of_village(dataset, "nowhere") is None


def test_ratings_for_staff_match_the_bulletin(dataset, county):
    counts = rating_counts(dataset, county, Audience.STAFF)
    assert list(counts.index) == list(RATINGS) and counts.tolist() == [85, 81, 35]


def test_ratings_by_year(dataset, county):
    assert rating_counts(dataset, county, Audience.STAFF, 2018).tolist() == [85, 81, 35]
    assert rating_counts(dataset, county, Audience.STAFF, 2015).tolist() == [0, 0, 0]


def test_ratings_are_refused_to_the_public(dataset, county):
    with pytest.raises(PermissionError):
        rating_counts(dataset, county, Audience.PUBLIC)


def test_chief_coverage(dataset, county):
    cov = chief_coverage(dataset, county)
    assert list(cov.index) == list(COVERAGE) and ((cov >= 0) & (cov <= 1)).all()
    assert cov["river_chief"] == 1.0  # every one of the 255 village secretaries is a river chief
    assert chief_coverage(dataset, frozenset()).isna().all()


def test_project_counts(dataset, county):
    table = project_counts(dataset, county)
    assert list(table.columns) == list(PROJECT_STATUSES)
    assert int(table.to_numpy().sum()) == 75
    assert table.sum(axis=1).is_monotonic_decreasing
    assert project_counts(dataset, frozenset()).empty


def test_chief_coverage_is_computed_once_per_scope_and_handed_out_read_only(dataset):
    from geodata.figures import chief_coverage, scope_villages

    codes = scope_villages(dataset, "county", None)
    chief_coverage.cache_clear(dataset)
    hits = chief_coverage.cache_info(dataset).hits
    first = chief_coverage(dataset, codes)
    first["river_chief"] = -1.0  # a caller's change stays its own
    again = chief_coverage(dataset, codes)
    assert chief_coverage.cache_info(dataset).hits == hits + 1 and again["river_chief"] != -1.0
    assert 0.0 <= again["river_chief"] <= 1.0
