"""A scope's scores and indicator means as rows of arrays built once per dataset.

A view state never seen before (a belt or township nobody has selected since the last publish) computes its
scores for every year, its pillar summary and its indicator comparison. Done with pandas per scope (a
reindex, a mask over the year's indicator rows, a groupby and a concat for each year) that cost tens of
milliseconds per state; here the dataset's villages are the rows of a few arrays (per dataset, or per dataset
and year), and a scope is the rows of its codes, reduced with numpy: well under a millisecond.

The results are those of the plain pandas definitions (``scores.scope_scores``, a groupby of the year's
indicator rows), which ``tests/unit/geodata/test_scope_arrays.py`` checks scope by scope.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geodata.cache import per_dataset, readonly_mapping
from geodata.dataset import Dataset
from geodata.schema import PILLARS
from geodata.scores import OVERALL, village_scores
from geodata.vocabulary import vocabulary

SCORE_COLUMNS = (*PILLARS, OVERALL)


def _readonly(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _row_index(codes: Iterable[str]) -> Mapping[str, int]:
    return readonly_mapping({code: i for i, code in enumerate(codes)})


def _rows(index: Mapping[str, int], codes: Iterable[str] | None) -> np.ndarray | slice:
    """The rows of ``codes`` (those the index knows, in row order); every row for None."""
    if codes is None:
        return slice(None)
    return np.sort(np.fromiter((index[c] for c in codes if c in index), dtype=np.intp))


def _nanmean(values: np.ndarray, axis: int) -> np.ndarray:
    # a scope without a value (no village, or none with one) is NaN, as pandas' mean gives, without the warning
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(values, axis=axis)


@dataclass(frozen=True)
class ScoreCube:
    """Every village's scores in every year: ``values[year, village, column]`` (NaN where none)."""

    years: tuple[int, ...]
    rows: Mapping[str, int]
    values: np.ndarray

    def scope_means(self, codes: Iterable[str] | None) -> np.ndarray:
        """(years, columns): the mean score of the villages ``codes`` (None: all) in each year."""
        return _nanmean(self.values[:, _rows(self.rows, codes), :], axis=1)


@per_dataset()
def score_cube(ds: Dataset) -> ScoreCube:
    """The :class:`ScoreCube` of ``ds`` (read-only), from :func:`geodata.scores.village_scores`."""
    years = vocabulary(ds).years
    per_year = [village_scores(ds, y) for y in years]
    codes = list(dict.fromkeys(c for scores in per_year for c in scores.index))
    values = np.stack([s.reindex(index=codes, columns=list(SCORE_COLUMNS)).to_numpy(dtype=float)
                       for s in per_year]) if years else np.empty((0, len(codes), len(SCORE_COLUMNS)))
    return ScoreCube(years, _row_index(codes), _readonly(values))


def scope_score_table(ds: Dataset, codes: Iterable[str] | None) -> pd.DataFrame:
    """The mean scores of ``codes`` (None: the whole dataset): rows the years, columns pillars and overall."""
    cube = score_cube(ds)
    return pd.DataFrame(cube.scope_means(codes), index=pd.Index(cube.years, name="year"),
                        columns=list(SCORE_COLUMNS))


def scope_scores_in(ds: Dataset, codes: Iterable[str] | None, year: int) -> pd.Series | None:
    """The mean scores of ``codes`` in ``year`` (indexed by pillar, then overall); None for a year the data
    does not hold (the caller then uses the pandas path, which answers NaN)."""
    cube = score_cube(ds)
    if int(year) not in cube.years:
        return None
    at = cube.years.index(int(year))
    return pd.Series(_nanmean(cube.values[at, _rows(cube.rows, codes), :], axis=0), index=list(SCORE_COLUMNS))


@dataclass(frozen=True)
class IndicatorGrid:
    """One year's indicators as village rows x catalogue columns: the value (NaN where none), whether the
    village has a row for it, and its level 0-100."""

    rows: Mapping[str, int]
    values: np.ndarray
    present: np.ndarray
    levels: np.ndarray

    def scope_columns(self, codes: Iterable[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(mean value, total, mean level) per catalogue indicator over the villages ``codes``: NaN where the
        scope has no value (mean, level) or no row (total), as a groupby of the scope's rows gives."""
        at = _rows(self.rows, codes)
        values, present = self.values[at], self.present[at]
        counted = (~np.isnan(values)).sum(axis=0)
        total = np.nansum(values, axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(counted > 0, total / counted, np.nan)
        return mean, np.where(present.any(axis=0), total, np.nan), _nanmean(self.levels[at], axis=0)


def indicator_grid(year_rows: pd.DataFrame, levels: pd.DataFrame,
                   indicators: list[str]) -> IndicatorGrid:
    """The :class:`IndicatorGrid` of one year's indicator rows (``village_code``, ``indicator``, ``value``;
    one row per village and indicator, as the schema's key makes them) and levels (villages x indicators), with
    the catalogue's ``indicators`` as columns."""
    codes = list(dict.fromkeys([*year_rows.village_code, *levels.index]))
    rows = {code: i for i, code in enumerate(codes)}
    column = {name: j for j, name in enumerate(indicators)}
    values = np.full((len(codes), len(indicators)), np.nan)
    present = np.zeros(values.shape, dtype=bool)
    known = year_rows[year_rows.indicator.isin(column)]
    r = known.village_code.map(rows).to_numpy(dtype=np.intp)
    c = known.indicator.map(column).to_numpy(dtype=np.intp)
    values[r, c] = known.value.to_numpy(dtype=float)
    present[r, c] = True
    level = levels.reindex(index=codes, columns=indicators).to_numpy(dtype=float)
    return IndicatorGrid(readonly_mapping(rows), _readonly(values), _readonly(present), _readonly(level))
