"""Every label the app itself writes, in Chinese (default) and English."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "title": {"zh": "开化县\"强富美\"乡村振兴党建示范带",
              "en": "Kaihua County rural-revitalisation demonstration belts"},
    "subtitle": {"zh": "党建引领一盘棋 激活乡村振兴一池水", "en": "Party building leads, rural revitalisation follows"},
    "synthetic_note": {
        "zh": "示意数据:县界、乡镇与村名称编码、主要河流为真实数据;乡镇和村的边界、示范带路线、支流、山塘、"
              "人员与各项指标为按公报数字生成的示意数据,不代表实测。",
        "en": "Illustrative data: the county outline, official township and village names and codes and the main "
              "rivers are real; township and village boundaries, belt routes, tributaries, ponds, people and "
              "indicators are synthetic, generated to agree with the bulletin's figures, not surveyed.",
    },
    "illustrative": {"zh": "示意", "en": "illustrative"},
    "county": {"zh": "县界", "en": "County"},
    "townships": {"zh": "乡镇", "en": "Townships"},
    "villages": {"zh": "村(社区)", "en": "Villages"},
    "belts": {"zh": "示范带", "en": "Belts"},
    "rivers": {"zh": "河流", "en": "Rivers"},
    "belt_list": {"zh": "21条示范带", "en": "The 21 belts"},
    "source": {"zh": "资料来源", "en": "Source"},
    "km": {"zh": "公里", "en": "km"},
    "villages_unit": {"zh": "个村", "en": "villages"},
    # --- charts (issue 4) ---
    "pillar_organisation": {"zh": "组织", "en": "Organisation"},
    "pillar_ecology": {"zh": "生态", "en": "Ecology"},
    "pillar_industry": {"zh": "产业", "en": "Industry"},
    "pillar_talent": {"zh": "人才", "en": "Talent"},
    "pillar_culture": {"zh": "文化", "en": "Culture"},
    "pillar_overall": {"zh": "综合", "en": "Overall"},
    "kf_belts": {"zh": "示范带", "en": "Belts"},
    "kf_villages": {"zh": "行政村", "en": "Villages"},
    "kf_cadres_stationed": {"zh": "联村干部", "en": "Cadres stationed"},
    "kf_departments": {"zh": "联村部门", "en": "Departments"},
    "kf_river_chiefs": {"zh": "河长", "en": "River chiefs"},
    "kf_pond_chiefs": {"zh": "塘长", "en": "Pond chiefs"},
    "kf_patrol_volunteers": {"zh": "护河巡山党员", "en": "Patrol volunteers"},
    "kf_industry_branches": {"zh": "产业支部", "en": "Industry branches"},
    "kf_coop_branches": {"zh": "合作社支部", "en": "Co-op branches"},
    "kf_advisers": {"zh": "乡贤顾问", "en": "Advisers"},
    "kf_adviser_projects": {"zh": "乡贤项目", "en": "Adviser projects"},
    "kf_forest_cover": {"zh": "森林覆盖率", "en": "Forest cover"},
    "scope_county": {"zh": "全县", "en": "Whole county"},
    "county_mean": {"zh": "全县平均", "en": "County mean"},
    "county_short": {"zh": "全县", "en": "County"},
    "charts_title": {"zh": "五大振兴", "en": "The five revitalisations"},
    "radar_title": {"zh": "五大振兴得分", "en": "Five-pillar scores"},
    "ranking_title": {"zh": "21条示范带排名", "en": "Ranking of the 21 belts"},
    "ranking_hint": {"zh": "点击条形选择示范带", "en": "click a bar to select the belt"},
    "lower_is_better": {"zh": "越低越好", "en": "lower is better"},
    "score": {"zh": "得分", "en": " score"},  # "生态得分" / "Ecology score": the space belongs to English
    "trend": {"zh": "历年得分", "en": "Score by year"},
    "level": {"zh": "水平", "en": "level"},
    "level_note": {"zh": "指标水平 0-100,越长越好", "en": "level 0-100, longer is better"},
    "level_note_county": {"zh": "指标水平 0-100,越长越好 · | 全县", "en": "level 0-100, longer is better · | county"},
    "per_village": {"zh": "村均", "en": "per village"},
    "ratings_title": {"zh": "村干部\"三色\"评定", "en": "Red / yellow / grey cadre ratings"},
    "rating_红": {"zh": "红色", "en": "Red"},
    "rating_黄": {"zh": "黄色", "en": "Yellow"},
    "rating_灰": {"zh": "灰色", "en": "Grey"},
    "coverage_title": {"zh": "河长制覆盖", "en": "River and pond chiefs"},
    "cov_river_chief": {"zh": "有河长", "en": "River chief"},
    "cov_pond_chief": {"zh": "有塘长", "en": "Pond chief"},
    "cov_river_stretch": {"zh": "有河段", "en": "River stretch"},
    "cov_chief_and_stretch": {"zh": "河长且有河段", "en": "Chief with a stretch"},
    "share_of_villages": {"zh": "占行政村比例", "en": "share of villages"},
    "projects_title": {"zh": "乡贤认领项目", "en": "Projects adopted by advisers"},
    "status_洽谈": {"zh": "洽谈", "en": "Negotiating"},
    "status_在建": {"zh": "在建", "en": "Building"},
    "status_投产": {"zh": "投产", "en": "Operating"},
    "field_金融": {"zh": "金融", "en": "Finance"},
    "field_制造": {"zh": "制造", "en": "Manufacturing"},
    "field_医疗": {"zh": "医疗", "en": "Health"},
    "field_电商": {"zh": "电商", "en": "E-commerce"},
    "field_建筑": {"zh": "建筑", "en": "Construction"},
    "field_文旅": {"zh": "文旅", "en": "Tourism"},
    "field_教育": {"zh": "教育", "en": "Education"},
    "field_农业": {"zh": "农业", "en": "Farming"},
    "field_文化": {"zh": "文化", "en": "Culture"},
    "no_data": {"zh": "暂无数据", "en": "No data"},
    "score_note_title": {"zh": "关于得分", "en": "About this score"},
    "score_note": {
        "zh": "得分由指标表计算,不手工录入。① 每项计分指标在全县所有村、2015-2018年所有年份中合并做"
              "最小-最大标准化(0-1),因此得分可以逐年上升;越低越好的指标(如破坏生态案件)取反;"
              "所有值都相同的指标不含信息,不计入。② 村的某项振兴得分 = 该项指标的加权平均 × 100;"
              "缺失值不计入并按其余权重重新归一,某项全无数据的村该项无得分(不是0分)。"
              "③ 综合得分 = 已有各项得分的平均。④ 乡镇、示范带等范围的得分 = 其中各村得分的简单平均,"
              "每村同等计数;全县 = 全部村的平均。指标为示意数据。",
        "en": "Scores are computed from the indicator table, never entered by hand. (1) Each scored indicator is "
              "min-max normalised to 0-1 over all villages and all years 2015-2018 together, so a score can rise "
              "from year to year; indicators where lower is better (e.g. environmental offences) are flipped; an "
              "indicator whose values are all equal carries no information and is left out. (2) A village's pillar "
              "score is the weighted mean of its indicators of that pillar, times 100; missing values are left out "
              "and the remaining weights renormalised, and a village with no value for a pillar has no score "
              "(not zero). (3) The overall score is the mean of the pillar scores that exist. (4) A township, belt or "
              "any scope scores the plain mean of its villages, each village counting once; the county is the mean "
              "of all villages. The indicators are illustrative.",
    },
    "ratings_staff_only": {"zh": "仅限内部", "en": "staff only"},
}


def t(key: str, lang: str) -> str:
    """The label ``key`` in ``lang`` (falls back to Chinese)."""
    entry = LABELS[key]
    return entry.get(lang) or entry["zh"]
