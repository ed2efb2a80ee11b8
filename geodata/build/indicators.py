"""The long indicator table (village, year, pillar, indicator, value) and its catalogue.

Values are synthetic except where they must agree with another layer or with the bulletin: the
2018 talent figures are counted from the adviser tables, patrol volunteers from the villages, the
auditorium flag from the sites, red-sorghum areas and county forest cover from the ledger.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

YEARS = (2015, 2016, 2017, 2018)

# indicator, pillar, name_zh, name_en, unit, higher_is_better, weight, in_score
CATALOGUE = [
    ("party_members", "organisation", "党员人数", "Party members", "人", True, 1.0, True),
    ("household_link_rate", "organisation", "党员联户覆盖率", "Households linked to a member", "%", True, 1.0, True),
    ("grid_items_closed", "organisation", "网格事项办结率", "Grid requests resolved", "%", True, 1.0, True),
    ("council_meetings", "organisation", "议事协商次数", "Village council meetings", "次", True, 0.5, True),
    ("forest_cover", "ecology", "森林覆盖率", "Forest cover", "%", True, 1.0, True),
    ("water_quality", "ecology", "水质达标率", "Water-quality compliance", "%", True, 1.0, True),
    ("patrol_volunteers", "ecology", "护河巡山志愿者", "Patrol volunteers", "人", True, 0.5, True),
    ("eco_violations", "ecology", "破坏生态案件", "Environmental offences", "起", False, 1.0, True),
    ("collective_income", "industry", "村集体经济收入", "Village collective income", "万元", True, 1.0, True),
    ("income_per_capita", "industry", "农民人均可支配收入", "Rural income per person", "元", True, 1.0, True),
    ("homestay_beds", "industry", "民宿床位", "Homestay beds", "张", True, 0.5, True),
    ("sorghum_area", "industry", "红高粱种植面积", "Red-sorghum area", "亩", True, 0.0, False),
    ("advisers", "talent", "乡贤顾问", "Notable-talent advisers", "人", True, 1.0, True),
    ("adopted_projects", "talent", "乡贤认领项目", "Projects adopted by advisers", "个", True, 1.0, True),
    ("talent_trained", "talent", "乡土人才培训", "Rural talent trained", "人次", True, 1.0, True),
    ("suggestions", "talent", "乡贤献计献策", "Adviser suggestions", "项", True, 0.5, True),
    ("auditorium", "culture", "文化礼堂", "Cultural auditorium", "座", True, 1.0, True),
    ("cultural_events", "culture", "文化活动场次", "Cultural events", "场", True, 1.0, True),
    ("model_families", "culture", "好家风示范户", "Model families", "户", True, 1.0, True),
    ("volunteer_hours", "culture", "志愿服务时长", "Volunteer service hours", "小时", True, 0.5, True),
]
CATALOGUE_COLUMNS = ["indicator", "pillar", "name_zh", "name_en", "unit", "higher_is_better", "weight", "in_score"]


def catalogue_frame() -> pd.DataFrame:
    return pd.DataFrame(CATALOGUE, columns=CATALOGUE_COLUMNS)


def _trend(base: np.ndarray, growth: np.ndarray, year: int, rng: np.random.Generator) -> np.ndarray:
    return base * (1 + growth) ** (year - YEARS[0]) * rng.uniform(0.97, 1.03, len(base))


def forest_cover(areas: np.ndarray, target: float, rng: np.random.Generator) -> np.ndarray:
    """Village forest cover (one decimal) whose area-weighted mean rounds to ``target``."""
    values = np.clip(rng.normal(target, 7.0, len(areas)), 45.0, 96.0)
    values = np.round(values + (target - np.average(values, weights=areas)), 1)
    order = np.argsort(areas)[::-1]
    k = 0
    while round(float(np.average(values, weights=areas)), 2) != target:
        gap = target - np.average(values, weights=areas)
        step = np.sign(gap) * 0.1
        values[order[k % len(order)]] = round(values[order[k % len(order)]] + step, 1)
        k += 1
    return values


def indicator_table(villages: pd.DataFrame, figures: pd.DataFrame, talent_2018: pd.DataFrame,
                    auditoriums: set[str], sorghum: dict[str, list[float]], forest_target: float,
                    rng: np.random.Generator) -> pd.DataFrame:
    """Long table for administrative villages over ``YEARS``."""
    mask = (villages.kind == "村").to_numpy()
    vil = villages[mask].reset_index(drop=True)
    fig = figures[mask].reset_index(drop=True)
    n = len(vil)
    rows: dict[str, dict[int, np.ndarray]] = {}
    cover_2018 = forest_cover(vil.area_km2.to_numpy(), forest_target, rng)
    growth = rng.uniform(0.04, 0.15, n)
    income = rng.lognormal(np.log(14000), 0.15, n)
    collective = rng.lognormal(np.log(12), 0.6, n)
    beds = np.where(rng.random(n) < 0.4, rng.integers(10, 200, n), 0).astype(float)
    talent_base = rng.integers(5, 40, n).astype(float)
    events = rng.integers(4, 20, n).astype(float)
    families = rng.integers(2, 25, n).astype(float)
    hours = rng.integers(200, 3000, n).astype(float)
    has_hall = vil.code.isin(auditoriums).to_numpy()
    hall_year = np.where(has_hall, rng.integers(2014, 2019, n), 9999)
    for year in YEARS:
        k = year - YEARS[0]
        rows.setdefault("party_members", {})[year] = np.round(fig.party_members * (0.94 + 0.02 * k))
        rows.setdefault("household_link_rate", {})[year] = np.clip(
            np.round(rng.uniform(55, 80, n) + 5 * k, 1), 0, 100)
        rows.setdefault("grid_items_closed", {})[year] = np.clip(np.round(rng.uniform(70, 92, n) + 2 * k, 1), 0, 100)
        rows.setdefault("council_meetings", {})[year] = rng.integers(2, 12, n) + 2 * k
        rows.setdefault("forest_cover", {})[year] = np.round(cover_2018 - 0.4 * (3 - k), 1)
        rows.setdefault("water_quality", {})[year] = np.clip(np.round(rng.uniform(85, 97, n) + 1.2 * k, 1), 0, 100)
        rows.setdefault("patrol_volunteers", {})[year] = (
            fig.patrol_volunteers.to_numpy() if year == 2018 else np.round(fig.patrol_volunteers * (0.7 + 0.1 * k)))
        rows.setdefault("eco_violations", {})[year] = rng.poisson(max(0.2, 1.2 - 0.3 * k), n)
        rows.setdefault("collective_income", {})[year] = np.round(_trend(collective, growth, year, rng), 1)
        rows.setdefault("income_per_capita", {})[year] = np.round(_trend(income, growth * 0.6, year, rng))
        rows.setdefault("homestay_beds", {})[year] = np.round(beds * (0.6 + 0.15 * k))
        rows.setdefault("sorghum_area", {})[year] = np.array(
            [sorghum.get(c, [0.0] * len(YEARS))[k] for c in vil.code])
        talent = talent_2018.reindex(vil.code).fillna(0)
        for col in ("advisers", "adopted_projects", "suggestions"):
            rows.setdefault(col, {})[year] = talent[col].to_numpy() if year == 2018 else np.zeros(n)
        rows.setdefault("talent_trained", {})[year] = np.round(talent_base * (1 + 0.3 * k))
        rows.setdefault("auditorium", {})[year] = (hall_year <= year).astype(float)
        rows.setdefault("cultural_events", {})[year] = events + 2 * k
        rows.setdefault("model_families", {})[year] = families + k
        rows.setdefault("volunteer_hours", {})[year] = np.round(hours * (0.8 + 0.1 * k))
    pillar = {c[0]: c[1] for c in CATALOGUE}
    frames = [pd.DataFrame({"village_code": vil.code, "year": year, "pillar": pillar[ind], "indicator": ind,
                            "value": np.asarray(values, dtype=float)})
              for ind, by_year in rows.items() for year, values in by_year.items()]
    return pd.concat(frames, ignore_index=True).sort_values(["village_code", "year", "indicator"],
                                                            ignore_index=True)


def sorghum_plan(villages: pd.DataFrame, rng: np.random.Generator, township: str, first: str,
                 start_area: float, villages_end: int, area_end: float) -> dict[str, list[float]]:
    """Red sorghum in 大溪边乡: one village under ``start_area`` mu in 2015, ``villages_end``
    villages and ``area_end`` mu in 2018."""
    codes = villages[(villages.township_code == township) & (villages.kind == "村")].code.tolist()
    first_code = villages[villages.name == first].code.iloc[0]
    others = [c for c in codes if c != first_code]
    growers = [first_code] + list(rng.choice(others, villages_end - 1, replace=False))
    final = np.round(rng.dirichlet(np.ones(villages_end)) * (area_end - 400) + 40)
    final[-1] += area_end - final.sum()
    plan: dict[str, list[float]] = {}
    start_year = {c: 0 if c == first_code else int(rng.integers(1, 4)) for c in growers}
    for c, end in zip(growers, final):
        series = []
        for k in range(len(YEARS)):
            if k < start_year[c]:
                series.append(0.0)
            elif c == first_code and k == 0:
                series.append(float(start_area))
            else:
                series.append(float(round(end * (k + 1) / len(YEARS))) if k < 3 else float(end))
        plan[c] = series
    return plan
