"""Scope scores and indicator means from per-dataset arrays agree with their plain pandas definitions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geodata.figures import (
    COMPARISON_COLUMNS,
    indicator_comparison,
    indicator_levels,
    key_figures,
    pillar_history,
    pillar_summary,
    project_counts,
    scope_villages,
)
from geodata.scope_arrays import SCORE_COLUMNS, indicator_grid, score_cube
from geodata.scores import scope_scores, village_scores
from geodata.vocabulary import vocabulary


def _scopes(ds) -> dict[str, frozenset[str]]:
    """Every belt and township, one village, the county, nothing, and a scope with a code the data lacks."""
    vil = ds.villages()
    scopes = {f"belt {b}": scope_villages(ds, "belt", b) for b in sorted(ds.belts().belt_id)}
    scopes |= {f"township {t}": scope_villages(ds, "township", t) for t in sorted(ds.townships().code)}
    one = sorted(vil.code)[0]
    scopes |= {"village": frozenset([one]), "county": frozenset(vil.code), "empty": frozenset(),
               "unknown code": frozenset([one, "330824999999"])}
    return scopes


def _reference_history(ds, codes):
    """pillar_history as the pandas definition gives it: scope_scores of each year's village scores."""
    frames = {}
    for year in vocabulary(ds).years:
        frames[year] = pd.concat({"scope": scope_scores(village_scores(ds, year), codes),
                                  "county": scope_scores(village_scores(ds, year))})
    return pd.DataFrame(frames).T.rename_axis("year")


def _reference_comparison(ds, codes, year):
    """The scope's columns of indicator_comparison as a groupby of the year's indicator rows gives them."""
    ind = ds.indicators()
    ind = ind[(ind.year == year) & ind.village_code.isin(codes)].groupby("indicator").value
    levels = indicator_levels(ds).xs(year, level="year")
    names = ds.indicator_catalogue().indicator
    return pd.DataFrame({"scope": names.map(ind.mean()).astype(float),
                         "scope_total": names.map(ind.sum()).astype(float),
                         "scope_level": names.map(levels[levels.index.isin(codes)].mean()).astype(float)})


def test_every_scope_history_is_the_pandas_definition(dataset):
    for name, codes in _scopes(dataset).items():
        got = pillar_history(dataset, codes)
        pd.testing.assert_frame_equal(got, _reference_history(dataset, codes), rtol=1e-12, obj=name)


@pytest.mark.parametrize("year", [2016, 2018])
def test_every_scope_summary_is_the_pandas_definition(dataset, year):
    county = scope_scores(village_scores(dataset, year))
    for name, codes in _scopes(dataset).items():
        got = pillar_summary(dataset, codes, year)
        want = pd.DataFrame({"scope": scope_scores(village_scores(dataset, year), codes), "county": county})
        pd.testing.assert_frame_equal(got, want, rtol=1e-12, obj=name)


def test_a_year_the_data_lacks_scores_nan(dataset):
    summary = pillar_summary(dataset, scope_villages(dataset, "belt", "B01"), 1990)
    assert list(summary.index) == list(SCORE_COLUMNS)
    assert summary.isna().all().all()


@pytest.mark.parametrize("year", [2016, 2018])
def test_every_scope_comparison_is_the_groupby_of_its_rows(dataset, year):
    for name, codes in _scopes(dataset).items():
        got = indicator_comparison(dataset, codes, year)
        assert list(got.columns) == COMPARISON_COLUMNS
        pd.testing.assert_frame_equal(got[["scope", "scope_total", "scope_level"]].reset_index(drop=True),
                                      _reference_comparison(dataset, codes, year).reset_index(drop=True),
                                      rtol=1e-12, obj=name)


def test_a_row_without_a_value_counts_for_the_total_not_the_mean():
    # groupby: a village's row with a NaN value leaves the mean to the others and adds 0 to the total; an
    # indicator with no row in the scope has no total at all
    rows = pd.DataFrame({"village_code": ["a", "b", "b", "c"], "indicator": ["x", "x", "y", "x"],
                         "value": [2.0, np.nan, np.nan, 6.0]})
    levels = pd.DataFrame({"x": [10.0, np.nan, 30.0]}, index=["a", "b", "c"])
    grid = indicator_grid(rows, levels, ["x", "y", "z"])
    mean, total, level = grid.scope_columns({"a", "b"})
    assert mean[0] == 2.0 and total[0] == 2.0 and level[0] == 10.0
    assert np.isnan(mean[1]) and total[1] == 0.0  # y: a row, but no value
    assert np.isnan(mean[2]) and np.isnan(total[2]) and np.isnan(level[2])  # z: no row anywhere
    mean, total, level = grid.scope_columns({"a", "c", "nobody"})
    assert mean[0] == 4.0 and total[0] == 8.0 and level[0] == 20.0


def test_the_arrays_are_read_only(dataset):
    cube = score_cube(dataset)
    with pytest.raises(ValueError):
        cube.values[0, 0, 0] = 1.0
    with pytest.raises(TypeError):
        cube.rows["new"] = 0  # type: ignore[index]


def _reference_key_figures(ds, codes) -> dict[str, float]:
    """The key figures (all but forest cover) as boolean masks over whole layers give them."""
    def rows(layer, column="village_code"):
        frame = ds.layer(layer)
        return frame[frame[column].isin(codes)]

    vil = rows("villages", "code")
    admin = set(vil.code[vil.kind == "村"])
    cadres, sites = rows("cadres"), rows("sites")
    return {"belts": rows("belt_villages").belt_id.nunique(), "villages": len(admin),
            "cadres_stationed": len(cadres), "departments": cadres.dept_id.nunique(),
            "river_chiefs": rows("river_chiefs").village_code.isin(admin).pipe(lambda m: rows("river_chiefs")
                                                                               .village_code[m].nunique()),
            "pond_chiefs": rows("pond_chiefs").village_code.isin(admin).pipe(lambda m: rows("pond_chiefs")
                                                                             .village_code[m].nunique()),
            "patrol_volunteers": float(vil.patrol_volunteers.sum()),
            "industry_branches": int((sites.kind == "industry_branch").sum()),
            "coop_branches": int((sites.kind == "coop_branch").sum()),
            "advisers": len(rows("advisers")), "adviser_projects": len(rows("projects"))}


def test_every_scope_key_figures_are_the_masks_over_whole_layers(dataset):
    for name, codes in _scopes(dataset).items():
        got = key_figures(dataset, codes, 2018)
        want = _reference_key_figures(dataset, codes)
        assert {k: got[k] for k in want} == pytest.approx({k: float(v) for k, v in want.items()}), name


def test_every_scope_project_counts_are_the_crosstab_of_its_projects(dataset):
    projects = dataset.layer("projects")
    for name, codes in _scopes(dataset).items():
        got = project_counts(dataset, codes)
        mine = projects[projects.village_code.isin(codes)]
        want = pd.crosstab(mine.field, mine.status)
        assert got.to_numpy().sum() == len(mine), name
        for field in want.index:
            for status in want.columns:
                assert got.loc[field, status] == want.loc[field, status], (name, field, status)
