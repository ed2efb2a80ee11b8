"""The numbers beside the map: key figures, pillar summaries, rankings and distributions of a scope.

A scope is a set of village codes (see :func:`scope_villages`); every function here is a pure function
of a :class:`~geodata.dataset.Dataset` and such a set, so that the county, a township, a belt and a
single village are all computed the same way. For the whole county the key figures are exactly the
bulletin's (the same measures as :mod:`geodata.ledger`; ``tests/unit/geodata/test_figures.py``).

Costly results are cached on the dataset (:func:`geodata.cache.per_dataset`); pass scopes as ``frozenset`` so
they hash. Frames come as copy-on-write copies and dicts read-only, so no caller changes another's result.
"""

from __future__ import annotations

from collections import Counter
from types import MappingProxyType

import numpy as np
import pandas as pd

from geodata.audience import Audience, redact
from geodata.cache import FrozenDict, per_dataset, readonly_mapping, shallow_copy
from geodata.dataset import Dataset
from geodata.names import romanise
from geodata.scope_arrays import IndicatorGrid, indicator_grid, scope_score_table, scope_scores_in
from geodata.scores import OVERALL, normalised_table, scope_scores, village_scores

# Key figures, in display order. Each key is also a ledger key, so the county value can be checked.
KEY_FIGURES = ("belts", "villages", "cadres_stationed", "departments", "river_chiefs", "pond_chiefs",
               "patrol_volunteers", "industry_branches", "coop_branches", "advisers", "adviser_projects",
               "forest_cover")
RATINGS = ("红", "黄", "灰")
PROJECT_STATUSES = ("洽谈", "在建", "投产")
COVERAGE = ("river_chief", "pond_chief", "river_stretch", "chief_and_stretch")


@per_dataset(maxsize=256)
def scope_villages(ds: Dataset, kind: str, value: str | None) -> frozenset[str]:
    """The village codes of a scope (``kind`` as in ``ViewState.scope``); empty if ``value`` is unknown."""
    vil = ds.villages()
    if kind == "county":  # the whole dataset, or one county of province-scale data
        return frozenset(vil.code if not value else vil.code[vil.code.str.startswith(value)])
    if kind == "township":
        return frozenset(vil.code[vil.township_code == value])
    if kind == "belt":
        bv = ds.belt_villages()
        return frozenset(bv.village_code[bv.belt_id == value])
    if kind == "village":
        return frozenset(vil.code[vil.code == value])
    raise ValueError(f"unknown scope kind {kind!r}")


def _in(frame: pd.DataFrame, codes: frozenset[str], column: str = "village_code") -> pd.DataFrame:
    return frame[frame[column].isin(codes)]


# A scope's rows of a layer, found through the layer's rows per village (built once per dataset) rather than a
# boolean mask over the whole layer for every scope: a view state never seen before computes a dozen of these.
@per_dataset()
def _rows_per_code(ds: Dataset, layer: str, column: str) -> MappingProxyType:
    positions = ds.layer(layer).groupby(column, sort=False).indices
    return readonly_mapping({code: tuple(rows) for code, rows in positions.items()})


def _positions(ds: Dataset, layer: str, codes: frozenset[str], column: str = "village_code") -> np.ndarray:
    """The row positions of ``layer`` whose ``column`` is one of ``codes``, in the layer's order."""
    per_code = _rows_per_code(ds, layer, column)
    return np.array(sorted(r for code in codes for r in per_code.get(code, ())), dtype=np.intp)


@per_dataset()
def _column(ds: Dataset, layer: str, column: str) -> np.ndarray:
    # one column of a layer as a read-only array: a scope's figures index it by row position, where a copy of
    # the (geo) frame per figure and scope cost more than the figures themselves
    values = ds.layer(layer)[column].to_numpy(copy=True)
    values.flags.writeable = False
    return values


def column_in(ds: Dataset, layer: str, column: str, codes: frozenset[str],
               key: str = "village_code") -> np.ndarray:
    """``column`` of the rows of ``layer`` whose ``key`` is one of ``codes``, in the layer's order."""
    return _column(ds, layer, column)[_positions(ds, layer, codes, key)]


@per_dataset(handout=shallow_copy)
def indexed_table(ds: Dataset, layer: str, key: str) -> pd.DataFrame:
    """``layer`` without its geometry, indexed by ``key`` (built once per dataset; a copy-on-write copy), for
    looking rows up by identifier: a geo frame's copy and ``set_index`` per lookup cost milliseconds each."""
    frame = ds.layer(layer)
    return pd.DataFrame(frame.drop(columns="geometry", errors="ignore")).set_index(key)


def _distinct(values: np.ndarray) -> int:
    """How many different values there are, leaving out missing ones (as ``Series.nunique``)."""
    return len(pd.unique(values[~pd.isna(values)]))


def _codes_with(ds: Dataset, layer: str, codes: frozenset[str]) -> frozenset[str]:
    """Those of ``codes`` that have at least one row in ``layer``."""
    return codes & _rows_per_code(ds, layer, "village_code").keys()


@per_dataset()
def _all_admin_villages(ds: Dataset) -> frozenset[str]:
    vil = ds.villages()
    return frozenset(vil.code[vil.kind == "村"])


def _admin_villages(ds: Dataset, codes: frozenset[str]) -> frozenset[str]:
    """Administrative villages (村) only: the bulletin's 255 leave out the 14 urban communities."""
    return _all_admin_villages(ds) & codes


@per_dataset(maxsize=16, handout=shallow_copy)
def _forest_cover_by_village(ds: Dataset, year: int) -> pd.DataFrame:
    # The year's forest cover of every village with its area, once per year (the indicator table is the
    # largest there is; filtering it for every scope cost more than the rest of the key figures).
    ind = ds.indicators()
    cover = ind[(ind.indicator == "forest_cover") & (ind.year == year)]
    area = ds.villages().set_index("code").area_km2
    return pd.DataFrame({"value": cover.value.to_numpy(), "area": area.loc[cover.village_code].to_numpy()},
                        index=pd.Index(cover.village_code.to_numpy(), name="village_code"))


def forest_cover(ds: Dataset, codes: frozenset[str], year: int) -> float:
    """Area-weighted forest cover (%) of the scope in ``year``, one decimal (as the bulletin gives it)."""
    cover = _forest_cover_by_village(ds, int(year))
    cover = cover[cover.index.isin(codes)]
    if cover.empty:
        return float("nan")
    return round(float(np.average(cover.value, weights=cover.area)), 1)


@per_dataset(maxsize=256)
def key_figures(ds: Dataset, codes: frozenset[str], year: int = 2018) -> FrozenDict:
    """Every figure of :data:`KEY_FIGURES` for the villages ``codes`` (forest cover in ``year``), read-only."""
    admin = _admin_villages(ds, codes)
    departments = column_in(ds, "cadres", "dept_id", codes)
    site_kinds = column_in(ds, "sites", "kind", codes)
    return FrozenDict({
        "belts": float(_distinct(column_in(ds, "belt_villages", "belt_id", codes))),
        "villages": float(len(admin)),
        "cadres_stationed": float(len(departments)),
        "departments": float(_distinct(departments)),
        "river_chiefs": float(len(_codes_with(ds, "river_chiefs", admin))),
        "pond_chiefs": float(len(_codes_with(ds, "pond_chiefs", admin))),
        "patrol_volunteers": float(np.nansum(column_in(ds, "villages", "patrol_volunteers", codes, "code")
                                             .astype(float))),
        "industry_branches": float((site_kinds == "industry_branch").sum()),
        "coop_branches": float((site_kinds == "coop_branch").sum()),
        "advisers": float(len(_positions(ds, "advisers", codes))),
        "adviser_projects": float(len(_positions(ds, "projects", codes))),
        "forest_cover": forest_cover(ds, codes, int(year)),
    })


def units(ds: Dataset) -> dict[str, str]:
    """The unit of each key figure, from the ledger (个, 名, % ...)."""
    ledger = ds.ledger()
    return dict(zip(ledger.key, ledger.unit))


# --- pillar scores ------------------------------------------------------------------------------


@per_dataset(maxsize=16, handout=shallow_copy)
def county_scores(ds: Dataset, year: int) -> pd.Series:
    """Pillar and overall scores of the whole dataset in ``year`` (the same for every scope: computed once)."""
    fast = scope_scores_in(ds, None, year)
    return scope_scores(village_scores(ds, year)) if fast is None else fast


def pillar_summary(ds: Dataset, codes: frozenset[str], year: int) -> pd.DataFrame:
    """Pillar and overall scores of the scope and of the county in ``year`` (columns scope, county)."""
    scope = scope_scores_in(ds, codes, year)
    if scope is None:  # a year the data does not hold: NaN, the pandas way
        scope = scope_scores(village_scores(ds, year), codes)
    return pd.DataFrame({"scope": scope, "county": county_scores(ds, year)})


@per_dataset(maxsize=128, handout=shallow_copy)
def pillar_history(ds: Dataset, codes: frozenset[str]) -> pd.DataFrame:
    """Scores of the scope and the county every year: rows years, columns (who, pillar)."""
    table = pd.concat({"scope": scope_score_table(ds, codes), "county": scope_score_table(ds, None)}, axis=1)
    table.columns = pd.MultiIndex.from_tuples(list(table.columns))  # (who, pillar), unnamed as before
    return table


@per_dataset(handout=shallow_copy)
def indicator_levels(ds: Dataset) -> pd.DataFrame:
    """Every indicator as a level 0-100 per (village_code, year): min-max pooled over villages and
    years with lower-is-better flipped, exactly as the scores normalise them (so a longer bar is always
    better, and a pillar score is the weighted mean of its indicators' levels)."""
    return normalised_table(ds.indicators(), ds.indicator_catalogue(), scored_only=False) * 100.0


@per_dataset(maxsize=256, handout=shallow_copy)
def indicator_comparison(ds: Dataset, codes: frozenset[str], year: int) -> pd.DataFrame:
    """Each catalogue indicator in ``year``: the scope's and the county's mean value per village
    (``scope``, ``county``) and mean level 0-100 (``scope_level``, ``county_level``).

    Means per village (not sums), so that a three-village belt and the whole county compare fairly.
    ``scope_total``, ``county_total``: sums, for counts (auditoriums, advisers ...), which read as whole
    numbers. Other columns: indicator, pillar, name_zh, name_en, unit, higher_is_better, in_score.
    """
    grid, out = _year_comparison(ds, int(year))
    out["scope"], out["scope_total"], out["scope_level"] = grid.scope_columns(codes)
    return out[COMPARISON_COLUMNS]


COMPARISON_COLUMNS = ["indicator", "pillar", "name_zh", "name_en", "unit", "higher_is_better", "in_score",
                      "scope", "county", "scope_total", "county_total", "scope_level", "county_level"]


@per_dataset(maxsize=16, handout=lambda held: (held[0], shallow_copy(held[1])))
def _year_comparison(ds: Dataset, year: int) -> tuple[IndicatorGrid, pd.DataFrame]:
    # What every scope's comparison shares in a year, computed once: the year's values and levels as a grid of
    # villages x the catalogue's indicators (read-only), and the catalogue with the county's columns (handed
    # out as a copy-on-write copy).
    ind = ds.indicators()
    ind = ind[ind.year == year]
    levels = indicator_levels(ds)
    levels = levels.xs(year, level="year") if year in levels.index.get_level_values("year") else levels.iloc[:0]
    out = ds.indicator_catalogue()[COMPARISON_COLUMNS[:7]].reset_index(drop=True)
    out["county"] = out.indicator.map(ind.groupby("indicator").value.mean()).astype(float)
    out["county_total"] = out.indicator.map(ind.groupby("indicator").value.sum()).astype(float)
    out["county_level"] = out.indicator.map(levels.mean()).astype(float)
    return indicator_grid(ind, levels, list(out.indicator)), out


def parse_measure(measure: str) -> tuple[str, str]:
    """``ViewState.measure`` as (kind, name) for the ranking: ("pillar", p), ("indicator", i) or
    ("score", "overall"). "none" and "rating" have no belt ranking, so they rank the overall score."""
    kind, _, name = str(measure).partition(":")
    if kind in ("pillar", "indicator") and name:
        return kind, name
    return "score", OVERALL


@per_dataset(maxsize=256, handout=shallow_copy)
def belt_ranking(ds: Dataset, measure: str, year: int, county: str | None = None) -> pd.DataFrame:
    """The 21 belts (of ``county``, on province-scale data) on ``measure`` in ``year``, best first.

    Columns: belt_id, name, value. Scores are the mean of the belt's village scores; an indicator is
    the mean per village. For a lower-is-better indicator the lowest value ranks first.
    """
    kind, name = parse_measure(measure)
    bv = ds.belt_villages()
    if kind == "indicator":
        ind = ds.indicators()
        ind = ind[(ind.year == year) & (ind.indicator == name)]
        values = bv.merge(ind, on="village_code").groupby("belt_id").value.mean()
        cat = ds.indicator_catalogue().set_index("indicator")
        ascending = name in cat.index and not bool(cat.loc[name, "higher_is_better"])
    else:
        scores = village_scores(ds, year)[name]
        values = bv.assign(value=bv.village_code.map(scores)).groupby("belt_id").value.mean()
        ascending = False
    belts = ds.belts()
    if county:
        belts = belts[belts.township_codes.str.startswith(county)]
    belts = belts[["belt_id", "name"]].set_index("belt_id")
    belts["value"] = values.reindex(belts.index).astype(float)
    # Ties keep belt order, so the ranking is stable between requests.
    ranked = belts.reset_index().sort_values(["value", "belt_id"], ascending=[ascending, True],
                                            na_position="last", kind="mergesort")
    return ranked.reset_index(drop=True)


def belt_of_village(ds: Dataset, code: str | None) -> str | None:
    """The belt a village belongs to (None if it lies on no belt)."""
    from geodata.queries import village_belt_map  # imported here: queries imports this module

    return village_belt_map(ds).get(code)


# --- distributions ------------------------------------------------------------------------------


def rating_counts(ds: Dataset, codes: frozenset[str], audience: Audience, year: int | None = None) -> pd.Series:
    """Red/yellow/grey cadre ratings in the scope (in ``year`` when given: the ratings were made in 2018's
    re-election review, so earlier years have none).

    Raises
    ------
    PermissionError
        For :attr:`Audience.PUBLIC`: ratings are staff-only and must never reach a public screen.
    """
    ratings = redact("cadre_ratings", ds.layer("cadre_ratings"), audience)
    if year is not None:
        ratings = ratings[ratings.year == year]
    return _in(ratings, codes).rating.value_counts().reindex(list(RATINGS), fill_value=0).astype(int)


# cached: every chart answer compares its scope with the whole dataset's, which on province data is 20,000
# villages intersected with three layers (~100 ms) for every view state never seen
@per_dataset(maxsize=256, handout=shallow_copy)
def chief_coverage(ds: Dataset, codes: frozenset[str]) -> pd.Series:
    """Share (0-1) of the scope's administrative villages with a river chief, a pond chief, a river
    stretch, and both a river chief and a stretch (the chief has water to look after)."""
    admin = _admin_villages(ds, codes)
    if not admin:
        return pd.Series(np.nan, index=list(COVERAGE))
    river = _codes_with(ds, "river_chiefs", admin)
    pond = _codes_with(ds, "pond_chiefs", admin)
    stretch = _codes_with(ds, "river_segments", admin)
    n = len(admin)
    return pd.Series({"river_chief": len(river) / n, "pond_chief": len(pond) / n,
                      "river_stretch": len(stretch) / n, "chief_and_stretch": len(river & stretch) / n})


def project_counts(ds: Dataset, codes: frozenset[str]) -> pd.DataFrame:
    """乡贤 projects in the scope by field (rows, most first) and status (columns, in pipeline order)."""
    # Counted in Python: pandas' crosstab of a dozen rows cost more than the rest of the projects chart.
    counts = Counter(zip(column_in(ds, "projects", "field", codes), column_in(ds, "projects", "status", codes)))
    fields = sorted({field for field, _ in counts})
    table = pd.DataFrame([[counts[(f, s)] for s in PROJECT_STATUSES] for f in fields], dtype=int,
                         index=pd.Index(fields, name="field"), columns=pd.Index(list(PROJECT_STATUSES), name="status"))
    return table.loc[table.sum(axis=1).sort_values(ascending=False, kind="mergesort").index]


@per_dataset(maxsize=4096)
def scope_name(ds: Dataset, kind: str, value: str | None, lang: str = "zh") -> str | None:
    """The name of a scope from the data (None for the county, whose label is the app's own)."""
    if kind == "county" or value is None:
        return None
    if kind == "belt":
        name = ds.belts().set_index("belt_id").name.get(value)
        return None if name is None else (f"Belt {value[1:]} {romanise(name).removesuffix(' Belt')}" if lang == "en"
                                          else str(name))
    frame = ds.townships() if kind == "township" else ds.villages()
    row = frame[frame.code == value]
    if row.empty:
        return None
    return str(row.name_en.iloc[0] if lang == "en" and row.name_en.iloc[0] else row.name.iloc[0])


# --- the bulletin's wording of a figure ----------------------------------------------------------

# How a figure relates to the value stored: "eq" exactly, "under" 不到 N, "over" N余, "about" 约 N.
RELATIONS = ("eq", "under", "over", "about")
_ZH_RELATION = {"eq": "{n}{u}", "under": "不到{n}{u}", "over": "{n}余{u}", "about": "约{n}{u}"}
_EN_RELATION = {"eq": "{n}{u}", "under": "under {n}{u}", "over": "{n}+{u}", "about": "about {n}{u}"}
# English for the bulletin's units, with the factor that turns the value into that unit.
_EN_UNITS = {"亩": ("mu", 1), "公里": ("km", 1), "户": ("households", 1), "年": ("years", 1),
             "万元": ("yuan", 10_000), "亿元": ("million yuan", 100), "%": ("%", 1), "类": ("kinds", 1),
             "人": ("", 1), "名": ("", 1), "个": ("", 1), "条": ("", 1), "项": ("", 1)}


def _plain(value: float, thousands: bool) -> str:
    return f"{value:,.10g}" if thousands else f"{value:.10g}"


def format_figure(value: float, relation: str, unit: str, lang: str) -> str:
    """A figure worded as the bulletin words it: zh "不到200亩", "8000余名", "约200亩", "2200亩";
    en "under 200 mu", "8,000+", "about 200 mu", "2,200 mu".

    Raises
    ------
    ValueError
        For a relation outside :data:`RELATIONS` (a figure is never shown with a meaning it lacks).
    """
    if relation not in RELATIONS:
        raise ValueError(f"unknown figure relation {relation!r}; expected one of {', '.join(RELATIONS)}")
    value = float(value)
    if lang != "en":
        return _ZH_RELATION[relation].format(n=_plain(value, thousands=False), u=unit or "")
    if unit == "年" and value >= 1000:  # a calendar year ("1982年"), not a number of years
        name, factor, thousands = "", 1, False
    else:
        name, factor = _EN_UNITS.get(unit, (unit or "", 1))
        thousands = True
    shown = round(value * factor, 6)
    suffix = name if name == "%" else (f" {name}" if name else "")
    return _EN_RELATION[relation].format(n=_plain(shown, thousands), u=suffix)
