"""The dataset's schema: every layer, its geometry type, its required and its optional columns.

Types are coarse on purpose ("str", "int", "float", "bool"): they are what the app relies on, and
what an imported file is checked against.

The schema grows without making older files unreadable:

- a **required** column (``LayerSpec.columns``) must be in every file; a file without it fails validation;
- an **optional** column (``LayerSpec.optional``: name -> (kind, default)) may be missing: reading the
  layer, or validating an import, fills it with its default. Every column the app reads is one or the other;
- an **optional layer** (``LayerSpec.required = False``) may be missing from a dataset: it reads as an
  empty table with its declared columns;
- ``meta`` carries ``schema_version``; :data:`MIGRATIONS` brings a layer of an older version to this one,
  in memory, when it is read (see :func:`migrate`).

To add a column the app will read, add it to ``optional=`` of its layer with a default the app can show
(then old files and imports without it keep working), and bump nothing. To change the meaning or the name
of a column, bump :data:`SCHEMA_VERSION` and add the step to :data:`MIGRATIONS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pandas as pd

CRS = "EPSG:4326"
Kind = str  # "str" | "int" | "float" | "bool"
KINDS = ("str", "int", "float", "bool")
SCHEMA_VERSION = 2  # what this code writes; meta.schema_version of the file says what the file was written as
OLDEST_READABLE = 1  # files of schema versions below this cannot be migrated


@dataclass(frozen=True)
class LayerSpec:
    """One layer: its name, geometry type (None for a plain table), required and optional columns.

    ``columns`` are required (name -> kind); ``optional`` are name -> (kind, default), filled with the
    default when a file lacks them; ``required`` False makes the whole layer optional.

    What the public may not see is marked here, by field (``geodata.audience.redact`` masks by these marks):
    ``personal`` columns hold personal data (a person's name); ``names_in`` maps a free-text column to the
    personal column listing the names that occur in it (masked inside the text); a ``restricted`` layer is
    never shown to the public at all.
    """

    name: str
    geometry: str | None
    columns: dict[str, Kind] = field(default_factory=dict)
    key: tuple[str, ...] = ()
    title_zh: str = ""
    title_en: str = ""
    optional: dict[str, tuple[Kind, object]] = field(default_factory=dict)
    required: bool = True
    personal: frozenset[str] = frozenset()
    names_in: tuple[tuple[str, str], ...] = ()
    restricted: bool = False

    @property
    def kinds(self) -> dict[str, Kind]:
        """Every declared column (required first, then optional) with its kind."""
        return {**self.columns, **{c: kind for c, (kind, _) in self.optional.items()}}


def _spec(layer, geometry, key, title_zh, title_en, /, optional=None, required=True, **columns) -> LayerSpec:
    optional = dict(optional or {})
    for col, (kind, _default) in optional.items():
        assert kind in KINDS and col not in columns, (layer, col)
    return LayerSpec(layer, geometry, dict(columns), tuple(key), title_zh, title_en, optional, required)


SYNTHETIC = {"synthetic": ("bool", False)}  # a file without the flag is surveyed data
# a term of a duty (from_year is part of the key, so required); a term still running has no end year
TERM = {**SYNTHETIC, "person_id": ("str", None), "to_year": ("int", 9999)}


LAYERS: dict[str, LayerSpec] = {s.name: s for s in [
    _spec("county", "Polygon", ["code"], "县界", "County", code="str", name="str", area_km2="float",
          seat_lon="float", seat_lat="float", optional={**SYNTHETIC, "name_en": ("str", None)}),
    _spec("townships", "Polygon", ["code"], "乡镇", "Townships", code="str", name="str", name_en="str",
          seat_lon="float", seat_lat="float", seat_source="str", area_km2="float",
          optional={**SYNTHETIC, "code_2023": ("str", None)}),
    _spec("villages", "Polygon", ["code"], "村(社区)", "Villages", code="str", name="str", name_en="str",
          official_name="str", township_code="str", kind="str", area_km2="float", population="int",
          households="int", party_members="int", patrol_volunteers="int", position_source="str",
          optional={**SYNTHETIC, "code_2023": ("str", None)}),
    _spec("belts", "LineString", ["belt_id"], "示范带", "Demonstration belts", belt_id="str", name="str",
          theme="str", pillar="str", township_codes="str", village_count="int", length_km="float",
          lead_dept_id="str", optional=SYNTHETIC),
    _spec("belt_villages", None, ["belt_id", "village_code"], "示范带成员村", "Belt villages", belt_id="str",
          village_code="str", seq="int", optional=SYNTHETIC),
    _spec("rivers", "LineString", ["river_id"], "河流", "Rivers", river_id="str", name="str", name_en="str",
          source="str", length_km="float", optional=SYNTHETIC),
    _spec("river_segments", "LineString", ["segment_id"], "河段", "River stretches", segment_id="str",
          village_code="str", river_name="str", length_km="float",
          optional={**SYNTHETIC, "river_id": ("str", None)}),
    # A chief duty goes with a post (村书记 -> 河长, 村主任 -> 塘长): one row per term of it, held by the
    # post's holder of those years; the current chief is a village's latest term (geodata.people).
    _spec("river_chiefs", None, ["village_code", "from_year"], "河长", "River chiefs", village_code="str",
          role="str", post="str", name="str", from_year="int", optional=TERM),
    _spec("ponds", "Point", ["pond_id"], "山塘", "Ponds", pond_id="str", village_code="str", name="str",
          area_m2="int", optional=SYNTHETIC),
    _spec("pond_chiefs", None, ["village_code", "from_year"], "塘长", "Pond chiefs", village_code="str",
          role="str", post="str", name="str", from_year="int", optional=TERM),
    _spec("advisers", "Point", ["adviser_id"], "乡贤顾问", "Notable-talent advisers", adviser_id="str",
          name="str", village_code="str", residence="str", residence_lon="float", residence_lat="float",
          field="str", suggestions="int", in_county="bool", optional=SYNTHETIC),
    _spec("projects", "Point", ["project_id"], "乡贤认领项目", "Adopted projects", project_id="str",
          adviser_id="str", village_code="str", field="str", name="str", status="str", investment_wan="int",
          optional=SYNTHETIC),
    _spec("suggestions", None, ["suggestion_id"], "建议", "Suggestions", suggestion_id="str", source="str",
          village_code="str", topic="str", year="int", optional={**SYNTHETIC, "adviser_id": ("str", None)}),
    _spec("sites", "Point", ["site_id"], "阵地", "Sites", site_id="str", kind="str", name="str",
          village_code="str", members="int", optional=SYNTHETIC),
    _spec("departments", None, ["dept_id"], "组团联村部门", "Departments", dept_id="str", name="str",
          villages="int", cadres="int", optional=SYNTHETIC),
    _spec("cadres", None, ["cadre_id"], "联村干部", "Stationed cadres", cadre_id="str", dept_id="str",
          village_code="str", role="str", name="str", optional=SYNTHETIC),
    _spec("cadre_ratings", None, ["rating_id"], "三色评定", "Cadre ratings", rating_id="str",
          village_code="str", post="str", rating="str", year="int",
          optional={**SYNTHETIC, "person_id": ("str", None)}),
    # Village cadres as people: who they are, and which post each held when (one holder per post at a time).
    _spec("people", None, ["person_id"], "村干部", "Village cadres", person_id="str", name="str",
          village_code="str", optional=SYNTHETIC, required=False),
    _spec("post_holders", None, ["holding_id"], "村干部任职", "Village posts held", holding_id="str",
          village_code="str", post="str", person_id="str", from_year="int", to_year="int",
          optional={**SYNTHETIC, "end_reason": ("str", "")}, required=False),
    _spec("pairings", None, ["pairing_id"], "结对", "Pairings", pairing_id="str", kind="str",
          village_code="str", started_year="int", turned_round="bool",
          # a pairing is with a village or with an enterprise: either may be empty
          optional={**SYNTHETIC, "partner_village_code": ("str", None), "partner_enterprise": ("str", None)}),
    _spec("grid_groups", "Point", ["group_id"], "网格党小组", "Grid party groups", group_id="str",
          village_code="str", located_in="str", name="str", members="int", households="int",
          optional={**SYNTHETIC, "note": ("str", "")}),
    _spec("stories", "Point", ["story_id"], "公报记载", "Bulletin stories", story_id="str", pillar="str",
          title="str", title_en="str", text="str", location_synthetic="bool",
          optional={**SYNTHETIC, "village_code": ("str", None), "township_code": ("str", None),
                    "source": ("str", ""), "persons": ("str", "")}),
    _spec("story_figures", None, ["story_id", "key"], "公报数字", "Bulletin figures", story_id="str",
          key="str", value="float",
          optional={"label_zh": ("str", ""), "label_en": ("str", ""), "relation": ("str", "eq"), "unit": ("str", "")}),
    _spec("indicators", None, ["village_code", "year", "indicator"], "指标", "Indicators",
          village_code="str", year="int", pillar="str", indicator="str", value="float", optional=SYNTHETIC),
    _spec("indicator_catalogue", None, ["indicator"], "指标目录", "Indicator catalogue", indicator="str",
          pillar="str", name_zh="str", name_en="str", unit="str", higher_is_better="bool", weight="float",
          in_score="bool"),
    _spec("ledger", None, ["key"], "公报台账", "Bulletin ledger", key="str", label_zh="str", label_en="str",
          value="float", relation="str", unit="str", pillar="str", quote="str", year="int",
          optional={"source": ("str", "")}),
    _spec("provenance", None, ["layer"], "数据来源", "Provenance", layer="str", source="str", version="str",
          licence="str", crs="str",
          optional={**SYNTHETIC, "generator": ("str", ""), "seed": ("int", 0), "rows": ("int", 0),
                    "notes": ("str", "")}),
    _spec("meta", None, ["key"], "元数据", "Metadata", key="str", value="str"),
]}

# meta keys the app reads, with the value used when a file lacks one
META_DEFAULTS = {"schema_version": str(OLDEST_READABLE), "source_document": "", "ledger_year": "", "seed": ""}

_DTYPES = {"str": object, "int": "int64", "float": "float64", "bool": bool}


def default_series(kind: Kind, default: object, index: pd.Index) -> pd.Series:
    """A column of ``default`` in the dtype of ``kind`` (None in a str column stays None, i.e. missing)."""
    return pd.Series([default] * len(index), index=index, dtype=_DTYPES[kind])


def fill_defaults(frame: pd.DataFrame, spec: LayerSpec) -> tuple[pd.DataFrame, list[str]]:
    """``frame`` with every optional column of ``spec`` it lacks added with its default; and their names."""
    missing = [c for c in spec.optional if c not in frame.columns]
    if not missing:
        return frame, []
    added = {c: default_series(*spec.optional[c], frame.index) for c in missing}
    return frame.assign(**added), missing


def fill_empty_cells(frame: pd.DataFrame, spec: LayerSpec) -> pd.DataFrame:
    """``frame`` with empty cells of optional int and bool columns set to their default (these kinds cannot
    hold a missing value: a row added to a layer without them, such as a new layer's provenance row)."""
    out = {col: frame[col].fillna(default).astype(_DTYPES[kind]) for col, (kind, default) in spec.optional.items()
           if kind in ("int", "bool") and col in frame
           and (frame[col].isna().any() or frame[col].dtype != _DTYPES[kind])}
    return frame.assign(**out) if out else frame


def _from_1(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Version 1 had no optional columns or layers: a version-1 layer holds every column version 2
    requires, and what it lacks of the optional ones is filled by :func:`fill_defaults` after migration."""
    return frame


# from-version -> step bringing a layer (name, frame) of that version to the next one
MIGRATIONS: dict[int, Callable[[str, pd.DataFrame], pd.DataFrame]] = {1: _from_1}


def check_version(text: object) -> int:
    """The schema version written in a file's meta, checked: ``ValueError`` with the reason if it cannot be read."""
    try:
        version = int(str(text).strip())
    except ValueError:
        raise ValueError(f"meta schema_version {str(text)[:20]!r} is not a number") from None
    if version > SCHEMA_VERSION:
        raise ValueError(f"written for schema version {version}, newer than this app reads ({SCHEMA_VERSION}): "
                         "update the app, or publish a file exported by this version")
    if version < OLDEST_READABLE:
        raise ValueError(f"schema version {version} is older than the oldest this app can migrate "
                         f"({OLDEST_READABLE})")
    return version


def migrate(name: str, frame: pd.DataFrame, version: int) -> pd.DataFrame:
    """Layer ``name`` as read from a file of schema ``version``, brought to :data:`SCHEMA_VERSION`."""
    for step in range(version, SCHEMA_VERSION):
        frame = MIGRATIONS[step](name, frame)
    return frame


# Personal data, by field. A new column that names a person belongs here, or it is shown to everyone.
_PRIVACY: dict[str, dict] = {
    "river_chiefs": {"personal": frozenset({"name"})},
    "pond_chiefs": {"personal": frozenset({"name"})},
    "cadres": {"personal": frozenset({"name"})},
    "advisers": {"personal": frozenset({"name"})},
    "people": {"personal": frozenset({"name"})},
    # why a term ended ("灰色" removal) says how a named post holder was rated
    "post_holders": {"personal": frozenset({"end_reason"})},
    # the names of the people a story tells of, "|"-separated; masked inside ``text`` too
    "stories": {"personal": frozenset({"persons"}), "names_in": (("text", "persons"),)},
    "cadre_ratings": {"restricted": True},
}
LAYERS = {name: replace(spec, **_PRIVACY.get(name, {})) for name, spec in LAYERS.items()}

PILLARS = ("organisation", "ecology", "industry", "talent", "culture")
PILLAR_ZH = {"organisation": "组织", "ecology": "生态", "industry": "产业", "talent": "人才", "culture": "文化"}
PILLAR_EN = {"organisation": "Organisation", "ecology": "Ecology", "industry": "Industry", "talent": "Talent",
             "culture": "Culture"}
