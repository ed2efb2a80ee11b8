"""Pillar scores, computed from the indicator table (never stored by hand).

Method (shown in the app's "about this score" note):

1. Each indicator that counts towards a score (``in_score``) is min-max normalised to 0-1 across all
   villages and all years together, so that a score can rise from one year to the next. Indicators
   where lower is better (``higher_is_better = False``) are flipped (1 - x). An indicator with no
   spread at all (every value equal) carries no information and is left out.
2. A village's pillar score is the weighted mean (catalogue ``weight``) of its normalised indicators
   of that pillar, times 100. Missing values are left out and the remaining weights renormalised; a
   village with no value at all for a pillar has no score (NaN), not zero.
3. The overall score is the mean of the five pillar scores that exist.
4. A scope (township, belt, any set of villages) scores the plain mean of its villages' scores, so
   every village counts once whatever its size; the county is the mean of all villages.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from geodata.cache import per_dataset, shallow_copy
from geodata.dataset import Dataset
from geodata.schema import PILLARS

OVERALL = "overall"


def normalise(values: pd.Series, higher_is_better: bool) -> pd.Series:
    """Min-max to 0-1 (flipped when lower is better); all-NaN when there is no spread."""
    lo, hi = values.min(), values.max()
    if not np.isfinite(lo) or not np.isfinite(hi) or hi == lo:
        return pd.Series(np.nan, index=values.index)
    scaled = (values - lo) / (hi - lo)
    return scaled if higher_is_better else 1.0 - scaled


def normalised_table(indicators: pd.DataFrame, catalogue: pd.DataFrame, scored_only: bool = True) -> pd.DataFrame:
    """Indicators normalised 0-1 (direction applied), pooled over every village and year.

    Rows are (village_code, year), columns the indicators that count (``in_score`` and weight > 0), or
    every catalogue indicator when ``scored_only`` is False (for display beside the score).
    Pooling over the years is what lets a village's score move from one year to the next.
    """
    cat = scored_catalogue(catalogue) if scored_only else catalogue.set_index("indicator")
    rows = indicators[indicators.indicator.isin(cat.index)]
    pooled = wide_values(rows)
    return pd.DataFrame({ind: normalise(pooled[ind], bool(cat.loc[ind, "higher_is_better"]))
                         for ind in pooled.columns}, index=pooled.index)


def _factorized(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    # python-stored strings factorize several times faster as a plain object array
    values = column.to_numpy(dtype=object) if column.dtype == object or pd.api.types.is_string_dtype(column) \
        else column.to_numpy()
    codes, uniques = pd.factorize(values, sort=True)
    return codes, pd.Index(uniques, dtype=column.dtype)


def wide_values(rows: pd.DataFrame) -> pd.DataFrame:
    """Long indicator rows as a (village_code, year) x indicator table of values.

    What ``rows.pivot_table(index=["village_code", "year"], columns="indicator", values="value",
    aggfunc="first", dropna=False)`` gives (every village with every year, the first value that is not NaN of
    each cell), without its groupby: on a province's 1.6 million rows that took 5-14 s, this takes a fraction.

    Parameters
    ----------
    rows : DataFrame
        ``village_code``, ``year``, ``indicator``, ``value``.

    Returns
    -------
    DataFrame
        Index (village_code, year), sorted; columns the sorted indicators, named "indicator"; NaN where no value.
    """
    (village, villages), (year, years), (ind, inds) = (_factorized(rows[c]) for c in ("village_code", "year",
                                                                                      "indicator"))
    value = rows["value"].to_numpy(dtype=float)
    known = ~np.isnan(value) & (village >= 0) & (year >= 0) & (ind >= 0)
    cell = ((village * len(years) + year) * len(inds) + ind)[known]
    cells, first = np.unique(cell, return_index=True)  # the first row of each cell, in row order
    grid = np.full(len(villages) * len(years) * len(inds), np.nan)
    grid[cells] = value[known][first]
    index = pd.MultiIndex.from_product([villages, years], names=["village_code", "year"])
    return pd.DataFrame(grid.reshape(len(villages) * len(years), len(inds)), index=index,
                        columns=inds.rename("indicator"))


def scored_catalogue(catalogue: pd.DataFrame) -> pd.DataFrame:
    """The catalogue rows that count towards a score, indexed by indicator."""
    return catalogue[catalogue.in_score.astype(bool) & (catalogue.weight > 0)].set_index("indicator")


def pillar_scores(normed: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Weighted pillar scores 0-100 and the overall score from one year's normalised rows."""
    cat = scored_catalogue(catalogue)
    out = pd.DataFrame(index=normed.index)
    for pillar in PILLARS:
        inds = [i for i in cat.index[cat.pillar == pillar] if i in normed.columns]
        if not inds:
            out[pillar] = np.nan
            continue
        vals = normed[inds].to_numpy(dtype=float)
        weights = cat.loc[inds, "weight"].to_numpy(dtype=float)
        # Renormalise over the indicators a village actually has: a gap is not a zero.
        wsum = (~np.isnan(vals) * weights).sum(axis=1)
        total = np.nansum(vals * weights, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[pillar] = np.where(wsum > 0, total / wsum * 100.0, np.nan)
    out[OVERALL] = out[list(PILLARS)].mean(axis=1, skipna=True)
    return out


def compute_village_scores(indicators: pd.DataFrame, catalogue: pd.DataFrame, year: int) -> pd.DataFrame:
    """Scores 0-100 per village (rows) for each pillar and overall (columns) in ``year``."""
    normed_all = normalised_table(indicators, catalogue)
    return _year_scores(normed_all, catalogue, year)


def _year_scores(normed_all: pd.DataFrame, catalogue: pd.DataFrame, year: int) -> pd.DataFrame:
    if year not in normed_all.index.get_level_values("year"):
        return pd.DataFrame(columns=[*PILLARS, OVERALL], dtype=float)
    return pillar_scores(normed_all.xs(year, level="year"), catalogue)


@per_dataset()
def _normalised(ds: Dataset) -> pd.DataFrame:
    return normalised_table(ds.indicators(), ds.indicator_catalogue())


@per_dataset()
def _village_scores(ds: Dataset, year: int) -> pd.DataFrame:
    # The pooled normalisation is shared by every year, so it is computed once per dataset.
    return _year_scores(_normalised(ds), ds.indicator_catalogue(), year)


def village_scores(ds: Dataset, year: int) -> pd.DataFrame:
    """Cached :func:`compute_village_scores` of ``ds`` (a copy-on-write view)."""
    return shallow_copy(_village_scores(ds, int(year)))


def scope_scores(scores: pd.DataFrame, village_codes: Iterable[str] | None = None) -> pd.Series:
    """Mean score of the villages in ``village_codes`` (all villages when None).

    Codes without a score (unknown, or no indicators) are ignored; an empty scope gives NaN.
    """
    frame = scores if village_codes is None else scores.reindex(list(village_codes)).dropna(how="all")
    return frame.mean(axis=0, skipna=True).reindex([*PILLARS, OVERALL])
