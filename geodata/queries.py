"""Questions the app asks of the data: scopes, selections, details and search.

Every function takes the :class:`~geodata.dataset.Dataset` and the :class:`~geodata.audience.Audience`
it answers for, so that what leaves here is already what that audience may see.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pypinyin import lazy_pinyin

from geodata.audience import Audience, redact
from geodata.cache import FrozenDict, freeze, per_dataset, shallow_copy
from geodata.dataset import Dataset
from geodata.figures import column_in, indexed_table, key_figures, pillar_summary, rating_counts
from geodata.people import current_terms
from geodata.schema import PILLARS
from geodata.scores import village_scores


def layer_for(ds: Dataset, name: str, audience: Audience) -> pd.DataFrame:
    """A layer as ``audience`` may see it."""
    return redact(name, ds.layer(name), audience)


@per_dataset()
def _belt_members(ds: Dataset) -> FrozenDict:
    links = ds.belt_villages().sort_values(["belt_id", "seq"])
    return FrozenDict({b: tuple(g.village_code) for b, g in links.groupby("belt_id")})


def belt_members(ds: Dataset, belt_id: str) -> tuple[str, ...]:
    """Member village codes of a belt, in route order."""
    return _belt_members(ds).get(belt_id, ())


@per_dataset()
def village_belt_map(ds: Dataset) -> FrozenDict:
    """The belt of each village on one (a read-only dict)."""
    return FrozenDict({code: b for b, codes in _belt_members(ds).items() for code in codes})


@dataclass(frozen=True)
class Named:
    ident: str
    name: str


@dataclass(frozen=True)
class BeltDetail:
    belt_id: str
    name: str
    theme: str
    pillar: str
    length_km: float
    townships: tuple[Named, ...]
    villages: tuple[Named, ...]
    lead_departments: tuple[str, ...]
    figures: dict[str, float]
    scores: dict[str, float]
    county_scores: dict[str, float]
    synthetic: bool = True


@dataclass(frozen=True)
class VillageDetail:
    code: str
    name: str
    official_name: str
    kind: str
    township: Named
    belt: Named | None
    figures: dict[str, float]
    river_chief: str | None  # the current chief: "村书记 汪某甲" (public: the post only)
    pond_chief: str | None
    river_stretches: tuple[tuple[str, float], ...]  # (river, km)
    advisers: tuple[tuple[str, str, str], ...]  # (name or "" for the public, field, residence)
    projects: tuple[tuple[str, str, int], ...]  # (name, status, investment in 万元)
    sites: tuple[str, ...]
    team: tuple[tuple[str, str, str], ...]  # (department, role, name or "")
    pairings: tuple[tuple[str, str, bool], ...]  # (kind, partner, turned round)
    stories: tuple[Named, ...]
    ratings: dict[str, int] | None
    scores: dict[str, float]
    county_scores: dict[str, float]
    synthetic: bool = True
    # Staff only (None for the public): the year the current chief took over, where someone else held the
    # duty earlier in the term, and each rated cadre: (post, name, rating, year, why the term ended or "").
    river_chief_since: int | None = None
    pond_chief_since: int | None = None
    rated_cadres: tuple[tuple[str, str, str, int, str], ...] | None = None


@dataclass(frozen=True)
class StoryFigure:
    """One figure of a story as the bulletin gives it: ``relation`` is "eq", "under", "over" or "about"
    (word it with :func:`geodata.figures.format_figure`)."""

    key: str
    label_zh: str
    label_en: str
    value: float
    relation: str
    unit: str


@dataclass(frozen=True)
class StoryDetail:
    story_id: str
    title: str
    title_en: str
    text: str
    pillar: str
    village: Named | None
    figures: dict[str, float] = field(default_factory=dict)  # key -> value (see ``figure_rows`` for wording)
    figure_rows: tuple[StoryFigure, ...] = ()


def _scores(ds: Dataset, year: int, codes) -> tuple[dict[str, float], dict[str, float]]:
    summary = pillar_summary(ds, frozenset(codes), year)
    keys = (*PILLARS, "overall")
    return ({k: round(float(summary["scope"].get(k, float("nan"))), 1) for k in keys},
            {k: round(float(summary["county"].get(k, float("nan"))), 1) for k in keys})


def scope_figures(ds: Dataset, codes: tuple[str, ...]) -> dict[str, float]:
    """The belt panel's counts and sums over the villages ``codes``: the key figures of
    :func:`geodata.figures.key_figures` plus population, party members and auditoriums."""
    scope = frozenset(codes)
    shared = key_figures(ds, scope)

    def village_sum(column: str) -> float:
        return float(np.nansum(column_in(ds, "villages", column, scope, "code").astype(float)))

    return {
        "villages": shared["villages"],
        "population": village_sum("population"),
        "party_members": village_sum("party_members"),
        **{k: shared[k] for k in ("patrol_volunteers", "cadres_stationed", "advisers")},
        "projects": shared["adviser_projects"],
        **{k: shared[k] for k in ("industry_branches", "coop_branches")},
        "auditoriums": float((column_in(ds, "sites", "kind", scope) == "auditorium").sum()),
    }


@per_dataset(maxsize=512)
def belt_detail(ds: Dataset, belt_id: str, year: int) -> BeltDetail:
    belt = indexed_table(ds, "belts", "belt_id").loc[belt_id]
    codes = belt_members(ds, belt_id)
    village_names = indexed_table(ds, "villages", "code").name
    town_names = indexed_table(ds, "townships", "code").name
    dept_names = indexed_table(ds, "departments", "dept_id").name
    team = pd.Series(column_in(ds, "cadres", "dept_id", frozenset(codes)), dtype=object)
    lead_order = team.groupby(team).size().sort_values(ascending=False).index  # the most cadres first
    scores, county = _scores(ds, year, codes)
    return BeltDetail(
        belt_id=belt_id, name=belt["name"], theme=belt.theme, pillar=belt.pillar,
        length_km=float(belt.length_km),
        townships=tuple(Named(t, town_names.loc[t]) for t in belt.township_codes.split(",") if t),
        villages=tuple(Named(c, village_names.loc[c]) for c in codes),
        lead_departments=tuple(dept_names.loc[d] for d in lead_order[:3]),
        figures=freeze(scope_figures(ds, codes)), scores=freeze(scores), county_scores=freeze(county),
        synthetic=bool(belt.synthetic),
    )


@per_dataset(maxsize=128, handout=shallow_copy)
def belt_member_table(ds: Dataset, belt_id: str, year: int) -> pd.DataFrame:
    """The belt's villages in route order: code, name and name_en, township and township_en, a label point
    (lon, lat) inside the village, population, party members and the overall score in ``year`` (NaN where a
    village has no indicators). No personal data."""
    codes = list(belt_members(ds, belt_id))
    vil = ds.villages().set_index("code").reindex(codes)
    towns = ds.townships().set_index("code").name
    overall = village_scores(ds, year).reindex(codes)["overall"]
    label_at = vil.geometry.representative_point()  # inside the polygon, where a name label belongs
    return pd.DataFrame({
        "code": codes, "name": vil.name.to_numpy(), "name_en": vil.name_en.to_numpy(),
        "township": vil.township_code.map(towns).to_numpy(),
        "township_en": vil.township_code.map(ds.townships().set_index("code").name_en).to_numpy(),
        "lon": label_at.x.round(5).to_numpy(), "lat": label_at.y.round(5).to_numpy(),
        "population": vil.population.to_numpy(), "party_members": vil.party_members.to_numpy(),
        "score": overall.round(1).to_numpy(),
    })


def _one(frame: pd.DataFrame, code: str, column: str) -> pd.DataFrame:
    return frame[frame[column] == code]


@per_dataset(maxsize=512)
def village_detail(ds: Dataset, code: str, year: int, audience: Audience) -> VillageDetail:
    villages = ds.villages().set_index("code")
    vil = villages.loc[code]
    towns = ds.townships().set_index("code")
    belt_id = village_belt_map(ds).get(code)
    belt_name = ds.belts().set_index("belt_id").name.get(belt_id) if belt_id else None
    river_terms = _one(layer_for(ds, "river_chiefs", audience), code, "village_code")
    pond_terms = _one(layer_for(ds, "pond_chiefs", audience), code, "village_code")
    river, pond = current_terms(river_terms), current_terms(pond_terms)
    stretches = _one(ds.layer("river_segments"), code, "village_code")
    advisers = _one(layer_for(ds, "advisers", audience), code, "village_code")
    projects = _one(ds.layer("projects"), code, "village_code")
    sites = _one(ds.layer("sites"), code, "village_code")
    cadres = _one(layer_for(ds, "cadres", audience), code, "village_code")
    depts = ds.layer("departments").set_index("dept_id").name
    pairs = ds.layer("pairings")
    pairs = pairs[(pairs.village_code == code) | (pairs.partner_village_code == code)]
    names = villages.name
    stories = _one(ds.layer("stories"), code, "village_code")
    ratings = rated = river_since = pond_since = None
    if audience is Audience.STAFF:  # the public never sees ratings (rating_counts refuses them too)
        ratings = {c: int(n) for c, n in rating_counts(ds, frozenset({code}), audience).items()}
        rated = rated_cadres(ds, code)
        river_since, pond_since = (_since(terms) for terms in (river_terms, pond_terms))
    scores, county = _scores(ds, year, (code,))

    def partner(p) -> str:
        if p.kind == "村企":
            return p.partner_enterprise
        return names.get(p.partner_village_code if p.village_code == code else p.village_code, "")

    return VillageDetail(
        code=code, name=vil["name"], official_name=vil.official_name, kind=vil.kind,
        township=Named(vil.township_code, towns.loc[vil.township_code, "name"]),
        belt=Named(belt_id, belt_name) if belt_id else None,
        figures=freeze({k: float(vil[k]) for k in ("population", "households", "party_members",
                                                   "patrol_volunteers", "area_km2")}),
        river_chief=f"{river.post.iloc[0]} {river.name.iloc[0]}".strip() if len(river) else None,
        pond_chief=f"{pond.post.iloc[0]} {pond.name.iloc[0]}".strip() if len(pond) else None,
        river_stretches=tuple((r.river_name, float(r.length_km)) for r in stretches.itertuples()),
        advisers=tuple((a.name, a.field, a.residence) for a in advisers.itertuples()),
        projects=tuple((p.name, p.status, int(p.investment_wan)) for p in projects.itertuples()),
        sites=tuple(s.name for s in sites.itertuples() if s.kind != "service_centre"),
        team=tuple((depts.get(c.dept_id, ""), c.role, c.name) for c in cadres.itertuples()),
        # (public audiences get an empty name, so only the department and role remain)
        pairings=tuple((p.kind, partner(p), bool(p.turned_round)) for p in pairs.itertuples()),
        stories=tuple(Named(s.story_id, s.title) for s in stories.itertuples()),
        ratings=freeze(ratings), scores=freeze(scores), county_scores=freeze(county),
        synthetic=bool(vil.synthetic), river_chief_since=river_since, pond_chief_since=pond_since,
        rated_cadres=rated,
    )


def _since(terms: pd.DataFrame) -> int | None:
    """The year the current holder of a duty took over, if someone else held it before in the data."""
    if len(terms) < 2 or "from_year" not in terms:
        return None
    return int(current_terms(terms).from_year.iloc[0])


def rated_cadres(ds: Dataset, code: str) -> tuple[tuple[str, str, str, int, str], ...]:
    """The village's rated cadres (staff only): (post, name, rating, year, why their term ended or "")."""
    rated = _one(ds.layer("cadre_ratings"), code, "village_code")
    names = ds.layer("people").set_index("person_id").name
    terms = ds.layer("post_holders")
    ended = terms[terms.end_reason.fillna("") != ""].set_index("person_id").end_reason
    return tuple((r.post, str(names.get(r.person_id, "")), r.rating, int(r.year), str(ended.get(r.person_id, "")))
                 for r in rated.itertuples())


@per_dataset(maxsize=512)
def story_detail(ds: Dataset, story_id: str, audience: Audience) -> StoryDetail:
    story = layer_for(ds, "stories", audience).set_index("story_id").loc[story_id]
    names = ds.villages().set_index("code").name
    figs = ds.layer("story_figures")
    figs = figs[figs.story_id == story_id]
    village = Named(story.village_code, names[story.village_code]) if isinstance(story.village_code, str) else None
    return StoryDetail(story_id=story_id, title=story.title, title_en=story.title_en, text=story.text,
                       pillar=story.pillar, village=village, figures=freeze(dict(zip(figs.key, figs.value))),
                       figure_rows=tuple(StoryFigure(f.key, f.label_zh, f.label_en, float(f.value), f.relation,
                                                     f.unit) for f in figs.itertuples()))


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "village" | "township" | "belt" | "story" | "adviser"
    ident: str  # what selecting the hit selects (an adviser selects their home village)
    label: str


def pinyin_keys(name: str) -> str:
    """``name`` in pinyin, joined and spaced ("yancun yan cun"), so a search by romanisation finds it."""
    syllables = [p for p in lazy_pinyin(name) if p.isascii() and p.isalpha()]
    return f"{''.join(syllables)} {' '.join(syllables)}"


@per_dataset(maxsize=8)
def _search_index(ds: Dataset, audience: Audience) -> tuple[tuple[str, str, str, str], ...]:
    """(kind, ident, label, haystack) for everything searchable."""
    entries = []
    towns = ds.townships()
    for t in towns.itertuples():
        entries.append(("township", t.code, t.name, f"{t.name} {t.name_en} {pinyin_keys(t.name)}".lower()))
    for b in ds.belts().itertuples():
        entries.append(("belt", b.belt_id, b.name, f"{b.name} {b.theme} {b.belt_id} {pinyin_keys(b.name)}".lower()))
    town_names = towns.set_index("code").name
    village_names = ds.villages().set_index("code").name
    for v in ds.villages().itertuples():
        label = f"{v.name} · {town_names[v.township_code]}"
        entries.append(("village", v.code, label,
                        f"{v.name} {v.official_name} {v.name_en} {v.code} {pinyin_keys(v.name)}".lower()))
    for s in ds.layer("stories").itertuples():
        # by title (either language, or its pinyin) and by place; the text, which names people, for staff only
        place = village_names.get(s.village_code, "") if isinstance(s.village_code, str) else ""
        town = town_names.get(s.township_code, "") if isinstance(s.township_code, str) else ""
        text = s.text if audience is Audience.STAFF and isinstance(s.text, str) else ""
        entries.append(("story", s.story_id, f"{s.title} · {place or town}",
                        f"{s.title} {s.title_en} {pinyin_keys(s.title)} {place} {town} {text}".lower()))
    if audience is Audience.STAFF:  # the public cannot look people up by name
        names = ds.villages().set_index("code").name
        for a in ds.layer("advisers").itertuples():
            entries.append(("adviser", a.village_code, f"{a.name} · 乡贤 · {names[a.village_code]}",
                            a.name.lower()))
    return tuple(entries)


def search(ds: Dataset, text: str, audience: Audience, limit: int = 12) -> list[SearchHit]:
    """Hits whose name contains ``text`` (case-insensitive); exact and prefix matches first."""
    needle = (text or "").strip().lower()[:40]
    if not needle:
        return []
    hits = []
    order = {"belt": 0, "township": 1, "village": 2, "story": 3, "adviser": 4}
    for kind, ident, label, hay in _search_index(ds, audience):
        pos = hay.find(needle)
        if pos >= 0:
            hits.append(((pos != 0, order[kind], len(label)), SearchHit(kind, ident, label)))
    hits.sort(key=lambda h: h[0])
    return [h for _, h in hits[:limit]]


@per_dataset()
def _village_index(ds: Dataset) -> pd.DataFrame:
    vil = ds.villages()
    b = vil.geometry.bounds
    return pd.DataFrame({"township_code": vil.township_code.values, "minx": b.minx.values, "miny": b.miny.values,
                         "maxx": b.maxx.values, "maxy": b.maxy.values}, index=vil.code.values)


def village_context(ds: Dataset, code: str) -> tuple[str | None, str | None]:
    """(township code, belt id) of a village."""
    idx = _village_index(ds)
    township = idx.township_code.get(code)
    return township, village_belt_map(ds).get(code)


@per_dataset(maxsize=4096)  # a string per belt (a province has ~1,700): every click on a belt asks
def belt_township(ds: Dataset, belt_id: str) -> str | None:
    """The township holding most of a belt's villages."""
    codes = belt_members(ds, belt_id)
    if not codes:
        return None
    return _village_index(ds).loc[list(codes)].township_code.value_counts().index[0]


def story_context(ds: Dataset, story_id: str) -> tuple[str | None, str | None, str | None]:
    """(village, township, belt) a story is told of."""
    story = ds.layer("stories").set_index("story_id").loc[story_id]
    village = story.village_code if isinstance(story.village_code, str) else None
    township = story.township_code if isinstance(story.township_code, str) else None
    belt = village_belt_map(ds).get(village) if village else None
    return village, township, belt


def bounds_of(ds: Dataset, codes) -> tuple[float, float, float, float] | None:
    """Bounding box of the villages ``codes``."""
    idx = _village_index(ds).reindex(list(codes)).dropna()
    if idx.empty:
        return None
    return float(idx.minx.min()), float(idx.miny.min()), float(idx.maxx.max()), float(idx.maxy.max())
