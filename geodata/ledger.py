"""Measure the bulletin's figures from the dataset and compare them with the ledger."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from geodata.dataset import Dataset


def _count(layer: str, **where) -> Callable[[Dataset], float]:
    def measure(ds: Dataset) -> float:
        frame = ds.layer(layer)
        for col, value in where.items():
            frame = frame[frame[col] == value]
        return float(len(frame))
    return measure


def _villages(ds: Dataset) -> float:
    return float((ds.villages().kind == "村").sum())


def _distinct(layer: str, column: str) -> Callable[[Dataset], float]:
    return lambda ds: float(ds.layer(layer)[column].nunique())


def _village_chiefs(layer: str) -> Callable[[Dataset], float]:
    def measure(ds: Dataset) -> float:
        chiefs = ds.layer(layer)
        vil = ds.villages()
        codes = set(vil[vil.kind == "村"].code)
        return float(chiefs[chiefs.village_code.isin(codes)].village_code.nunique())
    return measure


def _patrol(ds: Dataset) -> float:
    return float(ds.villages().patrol_volunteers.sum())


def _forest_cover(ds: Dataset, year: int = 2018) -> float:
    ind = ds.indicators()
    cover = ind[(ind.indicator == "forest_cover") & (ind.year == year)]
    area = ds.villages().set_index("code").area_km2
    return round(float(np.average(cover.value, weights=area.loc[cover.village_code])), 1)


def _sorghum(stat: str, year: int) -> Callable[[Dataset], float]:
    def measure(ds: Dataset) -> float:
        ind = ds.indicators()
        rows = ind[(ind.indicator == "sorghum_area") & (ind.year == year) & (ind.value > 0)]
        return float(len(rows)) if stat == "villages" else float(rows.value.sum())
    return measure


def _turned_round(ds: Dataset) -> float:
    return float(ds.layer("pairings").turned_round.sum())


def _story_figure(key: str) -> Callable[[Dataset], float]:
    def measure(ds: Dataset) -> float:
        figs = ds.layer("story_figures")
        values = figs[figs.key == key].value
        return float(values.iloc[0]) if len(values) else float("nan")
    return measure


MEASURES: dict[str, Callable[[Dataset], float]] = {
    "belts": _count("belts"),
    "villages": _villages,
    "departments": _distinct("cadres", "dept_id"),
    "cadres_stationed": _count("cadres"),
    "villages_served": _distinct("cadres", "village_code"),
    "river_chiefs": _village_chiefs("river_chiefs"),
    "pond_chiefs": _village_chiefs("pond_chiefs"),
    "patrol_volunteers": _patrol,
    "forest_cover": _forest_cover,
    "industry_branches": _count("sites", kind="industry_branch"),
    "coop_branches": _count("sites", kind="coop_branch"),
    "turned_round": _turned_round,
    "industry_suggestions": _count("suggestions", source="大讨论", topic="产业"),
    "cadres_red": _count("cadre_ratings", rating="红"),
    "cadres_yellow": _count("cadre_ratings", rating="黄"),
    "cadres_grey": _count("cadre_ratings", rating="灰"),
    "advisers": _count("advisers"),
    "adviser_projects": _count("projects"),
    "adviser_suggestions": _count("suggestions", source="乡贤"),
    "sorghum_villages": _sorghum("villages", 2018),
    "sorghum_villages_start": _sorghum("villages", 2015),
    "sorghum_area": _sorghum("area", 2018),
    "sorghum_area_start": _sorghum("area", 2015),
}
# Figures the dataset carries only as the bulletin's own words: measured from the story they belong to.
STORY_KEYS = ("green_fund", "huabu_rank", "meiling_households", "meiling_distance", "yanglin_two_houses",
              "tree_planting_since", "tree_planting_years", "ranger_years", "yancun_donation",
              "yancun_party_years", "rural_talent_trades")
MEASURES.update({key: _story_figure(key) for key in STORY_KEYS})


@dataclass(frozen=True)
class LedgerCheck:
    key: str
    label_zh: str
    expected: float
    relation: str
    measured: float
    unit: str

    @property
    def ok(self) -> bool:
        return agrees(self.measured, self.expected, self.relation)


def agrees(measured: float, expected: float, relation: str) -> bool:
    """'eq': equal; 'over' ("N余"): from N up to the next step of N's last significant digit
    (8000余 is 8000-8999, 320余 is 320-329); 'under' ("不到 N"): below N; 'about' ("约 N"): within 5 % of N."""
    if relation == "eq":
        return bool(np.isclose(measured, expected))
    if relation == "over":
        place = 1
        while expected % (place * 10) == 0:
            place *= 10
        return expected <= measured < expected + place
    if relation == "under":
        return measured < expected
    if relation == "about":
        return abs(measured - expected) <= 0.05 * abs(expected)
    raise ValueError(f"unknown ledger relation {relation!r}")


def check_ledger(ds: Dataset) -> list[LedgerCheck]:
    """Every ledger entry with the figure measured from the dataset."""
    out = []
    for row in ds.ledger().itertuples():
        measure = MEASURES.get(row.key)
        measured = measure(ds) if measure else float("nan")
        out.append(LedgerCheck(row.key, row.label_zh, float(row.value), row.relation, measured, row.unit))
    return out
