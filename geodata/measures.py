"""What the village polygons can be coloured by: a score, a pillar score, an indicator, the rating."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from geodata.audience import Audience
from geodata.cache import per_dataset, shallow_copy
from geodata.dataset import Dataset
from geodata.figures import RATINGS
from geodata.schema import PILLAR_EN, PILLAR_ZH
from geodata.scores import OVERALL, village_scores

RATING_ORDER = (*RATINGS, "未评")


@dataclass(frozen=True)
class MeasureValues:
    """Values per village code. ``kind`` is "continuous", "categorical" or "none"."""

    measure: str
    kind: str
    values: pd.Series  # index: village code
    label_zh: str
    label_en: str
    unit: str = ""
    higher_is_better: bool = True
    categories: tuple[str, ...] = ()


@per_dataset(handout=shallow_copy)
def village_ratings(ds: Dataset) -> pd.Series:
    """Each village's prevailing cadre rating (most frequent; ties go to the worse colour)."""
    rated = ds.layer("cadre_ratings")
    counts = rated.groupby(["village_code", "rating"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=list(RATING_ORDER[:3]), fill_value=0)
    # idxmax takes the first maximum: order the columns worst first so that ties go to the worse
    prevailing = counts[list(reversed(RATING_ORDER[:3]))].idxmax(axis=1)
    vil = ds.villages()
    return prevailing.reindex(vil[vil.kind == "村"].code).fillna("未评")


def _own_values(mv: MeasureValues) -> MeasureValues:
    return replace(mv, values=shallow_copy(mv.values))  # the caller's own (copy-on-write) Series


@per_dataset(maxsize=64, handout=_own_values)
def measure_values(ds: Dataset, measure: str, year: int, audience: Audience) -> MeasureValues:
    """Values of ``measure`` ("none", "score", "rating", "pillar:<p>", "indicator:<i>") in ``year``.

    Cached per dataset; each caller gets its own copy-on-write ``values``, so changing them changes no one else's.
    """
    if measure == "none":
        return MeasureValues(measure, "none", pd.Series(dtype=float), "", "")
    if measure == "rating":
        if audience is not Audience.STAFF:
            raise PermissionError("cadre ratings are not shown to the public audience")
        return MeasureValues(measure, "categorical", village_ratings(ds), "三色评定", "Red/yellow/grey rating",
                             categories=RATING_ORDER)
    if measure == "score":
        return MeasureValues(measure, "continuous", village_scores(ds, year)[OVERALL], "综合得分",
                             "Overall score", "分")
    kind, _, name = measure.partition(":")
    if kind == "pillar":
        return MeasureValues(measure, "continuous", village_scores(ds, year)[name],
                             f"{PILLAR_ZH[name]}振兴得分", f"{PILLAR_EN[name]} score", "分")
    if kind == "indicator":
        cat = ds.indicator_catalogue().set_index("indicator").loc[name]
        ind = ds.indicators()
        rows = ind[(ind.indicator == name) & (ind.year == year)]
        return MeasureValues(measure, "continuous", rows.set_index("village_code").value, cat.name_zh,
                             cat.name_en, cat.unit, bool(cat.higher_is_better))
    raise ValueError(f"unknown measure {measure!r}")
