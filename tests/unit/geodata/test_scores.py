"""Pillar scores: the documented method (pooled min-max, direction, weights, NaN handling, scope mean)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geodata.schema import PILLARS
from geodata.scores import (
    OVERALL,
    compute_village_scores,
    normalise,
    scope_scores,
    village_scores,
)


def catalogue(*rows) -> pd.DataFrame:
    """Rows of (indicator, pillar, higher_is_better, weight, in_score)."""
    return pd.DataFrame(rows, columns=["indicator", "pillar", "higher_is_better", "weight", "in_score"])


def indicators(*rows) -> pd.DataFrame:
    """Rows of (village_code, year, indicator, value)."""
    return pd.DataFrame(rows, columns=["village_code", "year", "indicator", "value"])


CAT = catalogue(("a", "ecology", True, 1.0, True), ("b", "ecology", True, 1.0, True),
                ("bad", "ecology", False, 1.0, True))


def test_normalise_min_max():
    out = normalise(pd.Series([10.0, 20.0, 15.0]), higher_is_better=True)
    assert out.tolist() == [0.0, 1.0, 0.5]


def test_normalise_lower_is_better_is_flipped():
    out = normalise(pd.Series([10.0, 20.0, 15.0]), higher_is_better=False)
    assert out.tolist() == [1.0, 0.0, 0.5]


def test_normalise_ties_share_a_value():
    out = normalise(pd.Series([1.0, 3.0, 3.0, 2.0]), higher_is_better=True)
    assert out.tolist() == [0.0, 1.0, 1.0, 0.5]


def test_normalise_all_equal_has_no_information():
    assert normalise(pd.Series([4.0, 4.0, 4.0]), True).isna().all()


def test_normalise_keeps_missing_values_missing():
    out = normalise(pd.Series([0.0, np.nan, 10.0]), True)
    assert out.iloc[0] == 0.0 and np.isnan(out.iloc[1]) and out.iloc[2] == 1.0


def test_normalise_all_missing():
    assert normalise(pd.Series([np.nan, np.nan]), True).isna().all()


def test_lower_is_better_indicator_raises_the_score_when_low():
    cat = catalogue(("bad", "ecology", False, 1.0, True))
    ind = indicators(("v1", 2018, "bad", 0.0), ("v2", 2018, "bad", 5.0))
    scores = compute_village_scores(ind, cat, 2018)
    assert scores.loc["v1", "ecology"] == 100.0 and scores.loc["v2", "ecology"] == 0.0


def test_weights_and_renormalisation_over_missing_values():
    cat = catalogue(("a", "ecology", True, 1.0, True), ("b", "ecology", True, 3.0, True))
    ind = indicators(("v1", 2018, "a", 1.0), ("v1", 2018, "b", 0.0),
                     ("v2", 2018, "a", 0.0), ("v2", 2018, "b", 1.0),
                     ("v3", 2018, "a", 1.0), ("v3", 2018, "b", np.nan))
    scores = compute_village_scores(ind, cat, 2018)
    assert scores.loc["v1", "ecology"] == pytest.approx(25.0)  # (1*1 + 3*0) / 4
    assert scores.loc["v2", "ecology"] == pytest.approx(75.0)
    # v3 has no value for b: its weight drops out rather than counting as zero
    assert scores.loc["v3", "ecology"] == pytest.approx(100.0)


def test_village_with_no_value_for_a_pillar_has_no_score_not_zero():
    cat = catalogue(("a", "ecology", True, 1.0, True), ("c", "culture", True, 1.0, True))
    ind = indicators(("v1", 2018, "a", 1.0), ("v2", 2018, "a", 3.0),
                     ("v1", 2018, "c", 2.0), ("v2", 2018, "c", np.nan))
    scores = compute_village_scores(ind, cat, 2018)
    assert np.isnan(scores.loc["v2", "culture"])
    # overall is the mean of the pillars that exist
    assert scores.loc["v2", OVERALL] == scores.loc["v2", "ecology"] == 100.0
    assert np.isnan(scores.loc["v1", "organisation"])


def test_all_equal_indicator_is_left_out():
    cat = catalogue(("a", "ecology", True, 1.0, True), ("flat", "ecology", True, 5.0, True))
    ind = indicators(("v1", 2018, "a", 0.0), ("v2", 2018, "a", 2.0),
                     ("v1", 2018, "flat", 7.0), ("v2", 2018, "flat", 7.0))
    scores = compute_village_scores(ind, cat, 2018)
    assert scores.ecology.tolist() == [0.0, 100.0]


def test_indicators_not_in_score_or_weight_zero_are_ignored():
    cat = catalogue(("a", "ecology", True, 1.0, True), ("x", "ecology", True, 1.0, False),
                    ("z", "ecology", True, 0.0, True))
    ind = indicators(("v1", 2018, "a", 0.0), ("v2", 2018, "a", 2.0),
                     ("v1", 2018, "x", 9.0), ("v2", 2018, "x", 0.0),
                     ("v1", 2018, "z", 9.0), ("v2", 2018, "z", 0.0))
    assert compute_village_scores(ind, cat, 2018).ecology.tolist() == [0.0, 100.0]


def test_normalisation_is_pooled_over_years_so_scores_can_rise():
    cat = catalogue(("a", "ecology", True, 1.0, True))
    ind = indicators(("v1", 2015, "a", 0.0), ("v2", 2015, "a", 5.0),
                     ("v1", 2018, "a", 5.0), ("v2", 2018, "a", 10.0))
    s15 = compute_village_scores(ind, cat, 2015)
    s18 = compute_village_scores(ind, cat, 2018)
    assert s15.ecology.tolist() == [0.0, 50.0] and s18.ecology.tolist() == [50.0, 100.0]


def test_unknown_year_gives_an_empty_frame_with_every_column():
    ind = indicators(("v1", 2018, "a", 0.0), ("v2", 2018, "a", 1.0))
    out = compute_village_scores(ind, CAT, 1999)
    assert out.empty and list(out.columns) == [*PILLARS, OVERALL]


def test_scope_is_the_plain_mean_of_its_villages():
    scores = pd.DataFrame({"ecology": [10.0, 20.0, 60.0], OVERALL: [10.0, 20.0, 60.0]}, index=["v1", "v2", "v3"])
    assert scope_scores(scores, ["v1", "v3"])["ecology"] == 35.0
    assert scope_scores(scores)["ecology"] == 30.0


def test_single_village_scope_is_that_village():
    scores = pd.DataFrame({"ecology": [10.0, 20.0]}, index=["v1", "v2"])
    assert scope_scores(scores, ["v2"])["ecology"] == 20.0


def test_scope_ignores_unknown_codes_and_missing_values():
    scores = pd.DataFrame({"ecology": [10.0, np.nan, 30.0]}, index=["v1", "v2", "v3"])
    out = scope_scores(scores, ["v1", "v2", "v3", "nowhere"])
    assert out["ecology"] == 20.0


def test_empty_scope_has_no_score():
    scores = pd.DataFrame({"ecology": [10.0]}, index=["v1"])
    assert scope_scores(scores, []).isna().all()


def test_scope_scores_always_list_every_pillar():
    scores = pd.DataFrame({"ecology": [10.0]}, index=["v1"])
    assert list(scope_scores(scores).index) == [*PILLARS, OVERALL]


def test_shipped_scores_are_in_range_and_cover_every_village(dataset):
    for year in (2015, 2018):
        scores = village_scores(dataset, year)
        assert len(scores) == dataset.indicators().village_code.nunique()
        values = scores.to_numpy()
        assert np.nanmin(values) >= 0.0 and np.nanmax(values) <= 100.0
        assert not scores[list(PILLARS)].isna().any().any()


def test_cached_scores_equal_a_fresh_computation(dataset):
    fresh = compute_village_scores(dataset.indicators(), dataset.indicator_catalogue(), 2017)
    pd.testing.assert_frame_equal(village_scores(dataset, 2017).sort_index(), fresh.sort_index())


def test_cached_scores_cannot_be_changed_by_a_caller(dataset):
    first = village_scores(dataset, 2018)
    first.loc[first.index[0], "ecology"] = -1.0
    assert village_scores(dataset, 2018).iloc[0]["ecology"] != -1.0


def _pivot(rows: pd.DataFrame) -> pd.DataFrame:
    """What wide_values replaces (slow on a province's 1.6 million rows)."""
    return rows.pivot_table(index=["village_code", "year"], columns="indicator", values="value",
                            aggfunc="first", dropna=False)


def test_wide_values_is_the_pivot_table_it_replaces_on_the_shipped_data(dataset):
    from geodata.scores import wide_values

    rows = dataset.indicators()
    pd.testing.assert_frame_equal(wide_values(rows), _pivot(rows))


def test_wide_values_keeps_the_first_value_not_nan_and_every_village_with_every_year():
    from geodata.scores import wide_values

    rows = pd.DataFrame({"village_code": pd.array(["b", "a", "a", "a", "b", "c"], dtype="string"),
                         "year": [2016, 2015, 2015, 2016, 2016, 2015],
                         "indicator": pd.array(["x", "x", "x", "y", "x", "y"], dtype="string"),
                         "value": [np.nan, np.nan, 2.0, 3.0, 4.0, 5.0]})
    got = wide_values(rows)
    pd.testing.assert_frame_equal(got, _pivot(rows))
    assert got.loc[("a", 2015), "x"] == 2.0  # the first value that is not NaN
    assert got.loc[("b", 2016), "x"] == 4.0
    assert np.isnan(got.loc[("c", 2016), "y"])  # c has no 2016 row: there, but empty
    assert len(got) == 3 * 2
