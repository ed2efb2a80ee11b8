"""People and organisations: village figures, 组团联村 teams, ratings, advisers, sites, pairings.

All of it is synthetic (drawn from a fixed seed) but sized to agree with the bulletin's ledger.
Personal names are placeholders of the form 汪某甲, so that none can be mistaken for a real person.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from geodata.build import catalogue
from geodata.build.geography import METRIC, WGS84, to_wgs


def placeholder_names(n: int, rng: np.random.Generator) -> list[str]:
    """Anonymised names (surname + 某 + a heavenly stem), obviously not real people."""
    s = rng.choice(list(catalogue.SURNAMES), n)
    t = rng.choice(list(catalogue.STEMS), n)
    return [f"{a}某{b}" for a, b in zip(s, t)]


def split_total(total: int, weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Integers proportional to ``weights`` (with noise) that add up to exactly ``total``."""
    w = np.asarray(weights, dtype=float) * rng.uniform(0.7, 1.3, len(weights))
    raw = w / w.sum() * total
    out = np.floor(raw).astype(int)
    remainder = total - out.sum()
    out[np.argsort(raw - out)[::-1][:remainder]] += 1
    return out


def random_point_in(poly, rng: np.random.Generator) -> Point:
    minx, miny, maxx, maxy = poly.bounds
    while True:
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if poly.contains(p):
            return p


def village_figures(villages: gpd.GeoDataFrame, rng: np.random.Generator, volunteers: int) -> pd.DataFrame:
    """Population, households, party members and patrol volunteers of each unit."""
    is_village = (villages.kind == "村").values
    pop = np.where(is_village, rng.lognormal(np.log(1300), 0.45, len(villages)),
                   rng.lognormal(np.log(5200), 0.3, len(villages))).round().astype(int)
    households = (pop / rng.uniform(2.6, 3.3, len(villages))).round().astype(int)
    members = (pop * rng.uniform(0.035, 0.06, len(villages))).round().astype(int)
    vols = np.zeros(len(villages), dtype=int)
    vols[is_village] = split_total(volunteers, members[is_village], rng)
    return pd.DataFrame({"population": pop, "households": households, "party_members": members,
                         "patrol_volunteers": vols})


def team_tables(villages: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """80 departments, each serving 3-4 neighbouring villages with two cadres per village."""
    vil = villages[villages.kind == "村"].sort_values("code")
    codes = vil.code.tolist()
    n_dept = len(catalogue.DEPARTMENTS)
    sizes = np.full(n_dept, len(codes) // n_dept)
    sizes[rng.choice(n_dept, len(codes) - sizes.sum(), replace=False)] += 1
    order = rng.permutation(n_dept)
    departments, cadres = [], []
    pos = 0
    for d in order:
        dept_id = f"D{d + 1:02d}"
        served = codes[pos: pos + sizes[d]]
        pos += sizes[d]
        departments.append({"dept_id": dept_id, "name": catalogue.DEPARTMENTS[d],
                            "villages": len(served), "cadres": 2 * len(served), "synthetic": True})
        for k, code in enumerate(served):
            cadres.append({"dept_id": dept_id, "village_code": code,
                           "role": "组团联村领队" if k == 0 else "第一书记"})
            cadres.append({"dept_id": dept_id, "village_code": code, "role": "联村干部"})
    cadre_frame = pd.DataFrame(cadres)
    cadre_frame.insert(0, "cadre_id", [f"C{i + 1:03d}" for i in range(len(cadre_frame))])
    cadre_frame["name"] = placeholder_names(len(cadre_frame), rng)
    cadre_frame["synthetic"] = True
    return pd.DataFrame(departments).sort_values("dept_id", ignore_index=True), cadre_frame


def adviser_layers(villages: gpd.GeoDataFrame, rng: np.random.Generator, n_advisers: int, n_projects: int,
                   n_suggestions: int) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame]:
    """乡贤 advisers (at their home villages), their adopted projects and their suggestions."""
    vil = villages[villages.kind == "村"].reset_index(drop=True)
    centres = vil.to_crs(METRIC).representative_point()
    home = rng.choice(len(vil), n_advisers)
    weights = np.array([r[3] for r in catalogue.RESIDENCES], dtype=float)
    res = rng.choice(len(catalogue.RESIDENCES), n_advisers, p=weights / weights.sum())
    fields = rng.choice(catalogue.ADVISER_FIELDS, n_advisers)
    advisers = pd.DataFrame({
        "adviser_id": [f"A{i + 1:03d}" for i in range(n_advisers)],
        "name": placeholder_names(n_advisers, rng),
        "village_code": vil.code.iloc[home].values,
        "residence": [catalogue.RESIDENCES[r][0] for r in res],
        "residence_lon": [catalogue.RESIDENCES[r][1] for r in res],
        "residence_lat": [catalogue.RESIDENCES[r][2] for r in res],
        "field": fields,
        "suggestions": split_total(n_suggestions, np.ones(n_advisers), rng),
        "synthetic": True,
    })
    advisers["in_county"] = advisers.residence == "开化县城"
    adviser_geo = gpd.GeoDataFrame(advisers, geometry=list(to_wgs(centres.iloc[home])), crs=WGS84)
    owners = rng.choice(n_advisers, n_projects, replace=False)
    projects = []
    for k, a in enumerate(owners):
        field = fields[a]
        projects.append({"project_id": f"PJ{k + 1:02d}", "adviser_id": advisers.adviser_id.iloc[a],
                         "village_code": advisers.village_code.iloc[a], "field": field,
                         "name": f"{vil.name.iloc[home[a]]}{rng.choice(catalogue.PROJECT_TYPES[field])}",
                         "status": str(rng.choice(catalogue.PROJECT_STATUSES, p=[0.3, 0.4, 0.3])),
                         "investment_wan": int(rng.integers(20, 800)), "synthetic": True})
    project_geo = gpd.GeoDataFrame(projects, geometry=list(to_wgs(centres.iloc[home[owners]])), crs=WGS84)
    suggestions = [{"source": "乡贤", "adviser_id": a.adviser_id, "village_code": a.village_code,
                    "topic": str(rng.choice(catalogue.SUGGESTION_TOPICS))}
                   for a in advisers.itertuples() for _ in range(a.suggestions)]
    return adviser_geo, project_geo, pd.DataFrame(suggestions)


def discussion_suggestions(villages: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """The 大讨论's reasonable suggestions on rural industry, by village."""
    codes = villages[villages.kind == "村"].code.to_numpy()
    return pd.DataFrame({"source": "大讨论", "adviser_id": None, "village_code": rng.choice(codes, n),
                         "topic": "产业"})


def site_layer(villages: gpd.GeoDataFrame, belt_links: pd.DataFrame, rng: np.random.Generator,
               counts: dict[str, int], auditorium_villages: list[str]) -> gpd.GeoDataFrame:
    """Party branches on industry chains and in cooperatives, 文化礼堂 and party service centres."""
    vil = villages[villages.kind == "村"].to_crs(METRIC).set_index("code")
    on_belt = belt_links.village_code.unique()
    rows = []
    for code in rng.choice(on_belt, counts["industry_branch"], replace=False):
        industry = str(rng.choice(catalogue.INDUSTRIES))
        rows.append(("industry_branch", f"{vil.loc[code, 'name']}{industry}产业链党支部", code))
    for code in rng.choice(vil.index.to_numpy(), counts["coop_branch"], replace=False):
        industry = str(rng.choice(catalogue.INDUSTRIES))
        rows.append(("coop_branch", f"{vil.loc[code, 'name']}{industry}专业合作社党支部", code))
    for code in auditorium_villages:
        rows.append(("auditorium", f"{vil.loc[code, 'name']}文化礼堂", code))
    for code in vil.index:
        rows.append(("service_centre", f"{vil.loc[code, 'name']}党群服务中心", code))
    points = [random_point_in(vil.loc[code].geometry, rng) for _, _, code in rows]
    frame = pd.DataFrame(rows, columns=["kind", "name", "village_code"])
    frame.insert(0, "site_id", [f"ST{i + 1:04d}" for i in range(len(frame))])
    frame["members"] = rng.integers(3, 25, len(frame))
    frame["synthetic"] = True
    return gpd.GeoDataFrame(frame, geometry=list(to_wgs(points)), crs=WGS84)


def pairing_table(villages: pd.DataFrame, rng: np.random.Generator, turned_round: int,
                  lagging: int) -> pd.DataFrame:
    """村村 and 村企 pairings of lagging villages; ``turned_round`` of them turned round."""
    vil = villages[villages.kind == "村"]
    weak = rng.choice(vil.code.to_numpy(), lagging, replace=False)
    strong = [c for c in vil.code if c not in set(weak)]
    rows = []
    for k, code in enumerate(weak):
        kind = "村村" if k % 3 else "村企"
        partner_village = str(rng.choice(strong)) if kind == "村村" else None
        enterprise = f"开化{rng.choice(catalogue.INDUSTRIES)}有限公司" if kind == "村企" else None
        rows.append({"pairing_id": f"PR{k + 1:02d}", "kind": kind, "village_code": code,
                     "partner_village_code": partner_village, "partner_enterprise": enterprise,
                     "started_year": int(rng.integers(2016, 2019)), "turned_round": k < turned_round,
                     "synthetic": True})
    return pd.DataFrame(rows)


def grid_group_layer(villages: gpd.GeoDataFrame, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Grid party groups (网格党小组), including 禄源村's group for 梅岭 households in 池淮镇."""
    vil = villages[villages.kind == "村"].to_crs(METRIC).set_index("code")
    rows, points = [], []
    for code, v in vil.iterrows():
        for g in range(int(rng.integers(2, 6))):
            rows.append({"village_code": code, "located_in": code, "name": f"{v['name']}第{g + 1}网格党小组",
                         "members": int(rng.integers(3, 12)), "households": int(rng.integers(20, 90)),
                         "note": ""})
            points.append(random_point_in(v.geometry, rng))
    luyuan = vil.index[vil.name == "禄源村"][0]
    chihuai = vil.index[vil.name == "池淮村"][0]
    rows.append({"village_code": luyuan, "located_in": chihuai, "name": "禄源村梅岭党小组(池淮)",
                 "members": 9, "households": 105, "note": "梅岭自然村105户异地搬迁至池淮镇,离乡不离\"家\""})
    points.append(random_point_in(vil.loc[chihuai].geometry, rng))
    frame = pd.DataFrame(rows)
    frame.insert(0, "group_id", [f"G{i + 1:04d}" for i in range(len(frame))])
    frame["synthetic"] = True
    return gpd.GeoDataFrame(frame, geometry=list(to_wgs(points)), crs=WGS84)
