"""The dataset's schema: every layer, its geometry type and its required columns.

Types are coarse on purpose ("str", "int", "float", "bool"): they are what the app relies on, and
what an imported file is checked against.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CRS = "EPSG:4326"


@dataclass(frozen=True)
class LayerSpec:
    """One layer: its name, geometry type (None for a plain table) and required columns."""

    name: str
    geometry: str | None
    columns: dict[str, str] = field(default_factory=dict)
    key: tuple[str, ...] = ()
    title_zh: str = ""
    title_en: str = ""


def _spec(layer, geometry, key, title_zh, title_en, /, **columns) -> LayerSpec:
    return LayerSpec(layer, geometry, dict(columns), tuple(key), title_zh, title_en)


LAYERS: dict[str, LayerSpec] = {s.name: s for s in [
    _spec("county", "Polygon", ["code"], "县界", "County", code="str", name="str", area_km2="float",
          seat_lon="float", seat_lat="float", synthetic="bool"),
    _spec("townships", "Polygon", ["code"], "乡镇", "Townships", code="str", code_2023="str", name="str",
          name_en="str", seat_lon="float", seat_lat="float", seat_source="str", area_km2="float", synthetic="bool"),
    _spec("villages", "Polygon", ["code"], "村(社区)", "Villages", code="str", code_2023="str", name="str",
          name_en="str", official_name="str", township_code="str", kind="str", area_km2="float", population="int",
          households="int", party_members="int", patrol_volunteers="int", position_source="str",
          synthetic="bool"),
    _spec("belts", "LineString", ["belt_id"], "示范带", "Demonstration belts", belt_id="str", name="str",
          theme="str", pillar="str", township_codes="str", village_count="int", length_km="float",
          lead_dept_id="str", synthetic="bool"),
    _spec("belt_villages", None, ["belt_id", "village_code"], "示范带成员村", "Belt villages", belt_id="str",
          village_code="str", seq="int", synthetic="bool"),
    _spec("rivers", "LineString", ["river_id"], "河流", "Rivers", river_id="str", name="str", name_en="str",
          source="str", length_km="float", synthetic="bool"),
    _spec("river_segments", "LineString", ["segment_id"], "河段", "River stretches", segment_id="str",
          village_code="str", river_name="str", length_km="float", synthetic="bool"),
    _spec("river_chiefs", None, ["village_code"], "河长", "River chiefs", village_code="str", role="str",
          post="str", name="str", synthetic="bool"),
    _spec("ponds", "Point", ["pond_id"], "山塘", "Ponds", pond_id="str", village_code="str", name="str",
          area_m2="int", synthetic="bool"),
    _spec("pond_chiefs", None, ["village_code"], "塘长", "Pond chiefs", village_code="str", role="str",
          post="str", name="str", synthetic="bool"),
    _spec("advisers", "Point", ["adviser_id"], "乡贤顾问", "Notable-talent advisers", adviser_id="str",
          name="str", village_code="str", residence="str", residence_lon="float", residence_lat="float",
          field="str", suggestions="int", in_county="bool", synthetic="bool"),
    _spec("projects", "Point", ["project_id"], "乡贤认领项目", "Adopted projects", project_id="str",
          adviser_id="str", village_code="str", field="str", name="str", status="str", investment_wan="int",
          synthetic="bool"),
    _spec("suggestions", None, ["suggestion_id"], "建议", "Suggestions", suggestion_id="str", source="str",
          village_code="str", topic="str", year="int", synthetic="bool"),
    _spec("sites", "Point", ["site_id"], "阵地", "Sites", site_id="str", kind="str", name="str",
          village_code="str", members="int", synthetic="bool"),
    _spec("departments", None, ["dept_id"], "组团联村部门", "Departments", dept_id="str", name="str",
          villages="int", cadres="int", synthetic="bool"),
    _spec("cadres", None, ["cadre_id"], "联村干部", "Stationed cadres", cadre_id="str", dept_id="str",
          village_code="str", role="str", name="str", synthetic="bool"),
    _spec("cadre_ratings", None, ["rating_id"], "三色评定", "Cadre ratings", rating_id="str",
          village_code="str", post="str", rating="str", year="int", synthetic="bool"),
    _spec("pairings", None, ["pairing_id"], "结对", "Pairings", pairing_id="str", kind="str",
          village_code="str", started_year="int", turned_round="bool", synthetic="bool"),
    _spec("grid_groups", "Point", ["group_id"], "网格党小组", "Grid party groups", group_id="str",
          village_code="str", located_in="str", name="str", members="int", households="int", synthetic="bool"),
    _spec("stories", "Point", ["story_id"], "公报记载", "Bulletin stories", story_id="str", pillar="str",
          title="str", title_en="str", text="str", location_synthetic="bool"),
    _spec("story_figures", None, ["story_id", "key"], "公报数字", "Bulletin figures", story_id="str",
          key="str", value="float"),
    _spec("indicators", None, ["village_code", "year", "indicator"], "指标", "Indicators",
          village_code="str", year="int", pillar="str", indicator="str", value="float", synthetic="bool"),
    _spec("indicator_catalogue", None, ["indicator"], "指标目录", "Indicator catalogue", indicator="str",
          pillar="str", name_zh="str", name_en="str", unit="str", higher_is_better="bool", weight="float",
          in_score="bool"),
    _spec("ledger", None, ["key"], "公报台账", "Bulletin ledger", key="str", label_zh="str", label_en="str",
          value="float", relation="str", unit="str", pillar="str", quote="str", year="int"),
    _spec("provenance", None, ["layer"], "数据来源", "Provenance", layer="str", source="str", version="str",
          licence="str", crs="str", synthetic="bool", rows="int"),
    _spec("meta", None, ["key"], "元数据", "Metadata", key="str", value="str"),
]}

PILLARS = ("organisation", "ecology", "industry", "talent", "culture")
PILLAR_ZH = {"organisation": "组织", "ecology": "生态", "industry": "产业", "talent": "人才", "culture": "文化"}
PILLAR_EN = {"organisation": "Organisation", "ecology": "Ecology", "industry": "Industry", "talent": "Talent",
             "culture": "Culture"}
