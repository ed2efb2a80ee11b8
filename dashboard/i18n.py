"""Every label the app itself writes, in Chinese (default) and English."""

from __future__ import annotations

from geodata.names import romanise  # noqa: F401  (names by romanisation, shared with the data door)

LABELS: dict[str, dict[str, str]] = {
    "title": {"zh": "开化县“强富美”乡村振兴党建示范带",
              "en": "Kaihua County rural-revitalisation demonstration belts"},
    "subtitle": {"zh": "党建引领一盘棋 激活乡村振兴一池水", "en": "Party building leads, rural revitalisation follows"},
    "illustrative": {"zh": "示意", "en": "illustrative"},
    "axis_not_zero": {"zh": "横轴不从 0 开始,便于比较差距", "en": "axis does not start at 0, to show the differences"},
    "county": {"zh": "县界", "en": "County"},
    "townships": {"zh": "乡镇", "en": "Townships"},
    "villages": {"zh": "村(社区)", "en": "Villages"},
    "belts": {"zh": "示范带", "en": "Belts"},
    "rivers": {"zh": "河流(河长制)", "en": "Rivers (river chiefs)"},
    "streams": {"zh": "村级河段", "en": "Village streams"},
    "ponds": {"zh": "山塘(塘长制)", "en": "Ponds (pond chiefs)"},
    "advisers": {"zh": "乡贤顾问", "en": "Notable-talent advisers"},
    "adviser_flows": {"zh": "乡贤现居地", "en": "Where advisers live now"},
    "projects": {"zh": "乡贤认领项目", "en": "Adopted projects"},
    "sites": {"zh": "党建阵地", "en": "Party sites"},
    "teams": {"zh": "组团联村", "en": "Department teams"},
    "pairings": {"zh": "村村结对", "en": "Village pairings"},
    "pairings_firms": {"zh": "村企结对", "en": "Village-enterprise pairings"},
    "stories": {"zh": "公报记载", "en": "In the bulletin"},
    "source": {"zh": "资料来源", "en": "Source"},
    "km": {"zh": "公里", "en": "km"},
    "published": {"zh": "发布于", "en": "published"},
    "shipped_data": {"zh": "随软件提供的数据", "en": "dataset shipped with the software"},
    "built": {"zh": "生成于", "en": "built"},
    "map_date": {"zh": "制图日期", "en": "map date"},
    "illustrative_mark": {"zh": "示意图 · 部分数据为示意,非实测",
                          "en": "Illustrative · partly synthetic data, not surveyed"},
    "north": {"zh": "北", "en": "N"},
    "county_dossier": {"zh": "县域档案", "en": "county dossier"},
    "county_dossier_sub": {"zh": "主要数字与五大振兴得分", "en": "Key figures and the five pillar scores"},
    "five_pillars": {"zh": "五大振兴得分(全县平均)", "en": "Five pillar scores (county mean)"},
    "belts_ranked": {"zh": "示范带综合得分排名", "en": "belts ranked by overall score"},
    "belts_ranked_sub": {"zh": "每带一行:乡镇、成员村、长度、综合得分与最强的一项",
                         "en": "One line per belt: townships, villages, length, overall score, strongest pillar"},
    "strongest_pillar": {"zh": "最强项", "en": "Strongest pillar"},
    "bulletin_story": {"zh": "公报中的故事", "en": "In the bulletin"},
    "no_story": {"zh": "公报未单独记载本带的故事。", "en": "The bulletin tells no story of this belt."},
    "story_text_in_chinese": {"zh": "", "en": "(the bulletin's text is in the Chinese dossier)"},
    "villages_unit": {"zh": "个村", "en": "villages"},
    "search_placeholder": {"zh": "搜索村、乡镇、示范带、乡贤……", "en": "Search villages, townships, belts, advisers…"},
    "layers": {"zh": "图层", "en": "Layers"},
    "measure": {"zh": "村着色", "en": "Colour villages by"},
    "year": {"zh": "年份", "en": "Year"},
    "language": {"zh": "语言", "en": "Language"},
    "measure_none": {"zh": "不着色", "en": "Plain"},
    "measure_score": {"zh": "综合得分", "en": "Overall score"},
    "measure_rating": {"zh": "三色评定(村干部)", "en": "Red/yellow/grey rating"},
    "pillar_score": {"zh": "振兴得分", "en": "score"},
    "whole_county": {"zh": "开化县", "en": "Kaihua County"},
    "province": {"zh": "全省(示意)", "en": "Province (illustrative)"},
    "counties": {"zh": "县(市、区)", "en": "Counties"},
    "clear_hint": {"zh": "点击空白处或按 Esc 返回全县", "en": "Click empty map or press Esc to go back"},
    "theme": {"zh": "主题", "en": "Theme"},
    "length": {"zh": "长度", "en": "Length"},
    "member_villages": {"zh": "成员村", "en": "Member villages"},
    "lead_departments": {"zh": "牵头部门", "en": "Lead departments"},
    "key_figures": {"zh": "主要数字", "en": "Key figures"},
    "pillar_scores": {"zh": "五大振兴得分(本范围 / 全县)", "en": "Five pillar scores (here / county)"},
    "population": {"zh": "人口", "en": "Population"},
    "households": {"zh": "户数", "en": "Households"},
    "party_members": {"zh": "党员", "en": "Party members"},
    "patrol_volunteers": {"zh": "护河巡山志愿者", "en": "Patrol volunteers"},
    "cadres_stationed": {"zh": "联村干部", "en": "Stationed cadres"},
    "industry_branches": {"zh": "产业支部", "en": "Industry branches"},
    "coop_branches": {"zh": "合作社支部", "en": "Cooperative branches"},
    "auditoriums": {"zh": "文化礼堂", "en": "Auditoriums"},
    "area_km2": {"zh": "面积(平方公里)", "en": "Area (km²)"},
    "code": {"zh": "统计代码", "en": "Statistical code"},
    "township": {"zh": "乡镇", "en": "Township"},
    "belt": {"zh": "示范带", "en": "Belt"},
    "river_chief": {"zh": "河长", "en": "River chief"},
    "pond_chief": {"zh": "塘长", "en": "Pond chief"},
    "river_stretches": {"zh": "责任河段", "en": "River stretches"},
    "team": {"zh": "组团联村", "en": "Department team"},
    "pairing": {"zh": "结对", "en": "Pairing"},
    "ratings": {"zh": "村干部三色评定", "en": "Cadre ratings"},
    "rated_cadres": {"zh": "参评村干部", "en": "Rated village cadres"},
    "none": {"zh": "无", "en": "none"},
    "story": {"zh": "公报记载", "en": "From the bulletin"},
    "unknown_in_link": {"zh": "链接中有无法识别的内容,已忽略:", "en": "Ignored unknown parts of the link:"},
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
    "ranking_hint": {"zh": "点击圆点选择示范带", "en": "click a dot to select the belt"},
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
    "admin_title": {"zh": "数据管理", "en": "Data management"},
    "admin_help": {
        "zh": "上传实测数据(GeoPackage、GeoJSON、zip 压缩的 Shapefile、KML、CSV 或 XLSX),先校验,通过后发布为新版本;"
              "旧版本全部保留,可随时恢复。指标表按(村、年、指标)合并,其他图层整体替换。",
        "en": "Upload surveyed data (GeoPackage, GeoJSON, zipped Shapefile, KML, CSV or XLSX): it is validated first "
              "and, if it passes, published as a new version. Every earlier version is kept and can be restored. "
              "Indicators merge by (village, year, indicator); other layers are replaced whole.",
    },
    "admin_audit": {"zh": "审计日志", "en": "Audit log"},
    "login": {"zh": "登录", "en": "Log in"},
    "logout": {"zh": "退出", "en": "Log out"},
    "role_staff": {"zh": "工作人员", "en": "staff"},
    "role_admin": {"zh": "管理员", "en": "admin"},
    "admin_layer": {"zh": "图层(自动识别)", "en": "Layer (detected)"},
    "admin_crs": {"zh": "坐标系(可选:gcj02、bd09、EPSG:4549)", "en": "CRS (optional: gcj02, bd09, EPSG:4549)"},
    "admin_upload": {"zh": "拖放文件到此处,或点击选择", "en": "Drop a file here, or click to choose"},
    "admin_note": {"zh": "版本说明", "en": "Version note"},
    "admin_publish": {"zh": "发布", "en": "Publish"},
    "admin_versions": {"zh": "版本", "en": "Versions"},
    "admin_rollback": {"zh": "恢复所选版本", "en": "Restore the chosen version"},
    "admin_current": {"zh": "当前", "en": "current"},
    "admin_columns": {"zh": "版本|时间|来源文件|说明|村|示范带|指标", "en": "Version|Time|Source file|Note|Villages|"
                                                                     "Belts|Indicators"},
    "admin_brief_title": {"zh": "来访简报", "en": "Visitors' briefing"},
    "admin_brief_help": {
        "zh": "/brief 的讲解步骤来自一个 YAML(或 JSON)文件。下载当前文件,按文件开头的说明修改,再上传:"
              "先校验,通过即发布为新版本;未通过则列出每处问题(步骤、字段),什么也不改变。",
        "en": "The steps of /brief come from one YAML (or JSON) file. Download the current file, edit it as its "
              "header explains and upload it: it is checked first and published as a new version if it passes; "
              "if not, every problem is listed (step, field) and nothing changes.",
    },
    "admin_brief_upload": {"zh": "拖放简报文件(.yaml / .json)到此处,或点击选择",
                           "en": "Drop a briefing file (.yaml / .json) here, or click to choose"},
    "admin_brief_export": {"zh": "下载当前简报文件", "en": "Download the current briefing file"},
    "admin_brief_versions": {"zh": "简报版本", "en": "Briefing versions"},
    "admin_brief_columns": {"zh": "版本|时间|操作人|说明|来源文件|", "en": "Version|Time|By|Note|Source file|"},
    "admin_brief_rollback": {"zh": "恢复此版本", "en": "Restore"},
    # exports
    "export": {"zh": "导出", "en": "Export"},
    "dossier": {"zh": "示范带档案", "en": "belt dossier"},
    "download_dossier": {"zh": "下载示范带档案(PDF)", "en": "Download the belt dossier (PDF)"},
    "download_png": {"zh": "下载地图图片(PNG)", "en": "Download the map (PNG)"},
    "download_map_pdf": {"zh": "下载打印地图(PDF)", "en": "Print map (PDF)"},
    "download_map_html": {"zh": "离线地图(HTML)", "en": "Offline map (HTML)"},
    "download_county": {"zh": "县域档案(PDF)", "en": "County dossier (PDF)"},
    "download_data": {"zh": "村庄数据:", "en": "Village data:"},
    "export_queued": {"zh": "排队等待生成…", "en": "Waiting to render…"},
    "export_rendering": {"zh": "正在生成… {percent}%", "en": "Rendering… {percent}%"},
    "export_done": {"zh": "已生成: {name}", "en": "Ready: {name}"},
    "export_failed": {"zh": "导出失败: {reason}", "en": "Export failed: {reason}"},
    "export_limit": {"zh": "你已有 {n} 个导出正在生成, 请等其中一个完成后再试",
                     "en": "You have {n} exports rendering already; try again when one is ready"},
    "export_busy": {"zh": "导出服务繁忙, 请一分钟后再试", "en": "The export renderer is busy; try again in a minute"},
    "export_save": {"zh": "保存文件", "en": "Save the file"},
    "pillars_and_villages": {"zh": "五大振兴与成员村", "en": "five pillars and member villages"},
    "data_version": {"zh": "数据版本", "en": "data version"},
    "generated": {"zh": "生成于", "en": "made"},
    "item": {"zh": "项目", "en": "Item"},
    "tick_is_county": {"zh": "竖线为全县平均", "en": "tick = county mean"},
    "value": {"zh": "数值", "en": "Value"},
    "village": {"zh": "村(社区)", "en": "Village"},
    "overall_score": {"zh": "综合得分", "en": "Overall score"},
}


def t(key: str, lang: str) -> str:
    """The label ``key`` in ``lang`` (falls back to Chinese)."""
    entry = LABELS[key]
    return entry.get(lang) or entry["zh"]


# Fixed vocabulary that appears as values in the data, with the English the app shows for it.
TERMS: dict[str, str] = {
    "河长": "River chief", "塘长": "Pond chief", "村书记": "party secretary", "村主任": "village director",
    "组团联村领队": "team leader", "第一书记": "first secretary", "联村干部": "liaison cadre",
    "村村": "Village-village", "村企": "Village-enterprise", "洽谈": "negotiating", "在建": "building",
    "投产": "operating", "农业": "Agriculture", "文旅": "Tourism", "制造": "Manufacturing", "电商": "E-commerce",
    "金融": "Finance", "教育": "Education", "医疗": "Health", "建筑": "Construction", "文化": "Culture",
    "红": "red", "黄": "yellow", "灰": "grey", "村委委员": "committee member", "责令辞职": "made to resign",
    "罢免": "recalled", "免职": "dismissed", "未评": "not rated", "村": "village", "社区": "community",
    "开化县城": "Kaihua town", "杭州": "Hangzhou", "上海": "Shanghai", "衢州": "Quzhou", "宁波": "Ningbo",
    "义乌": "Yiwu", "温州": "Wenzhou", "金华": "Jinhua", "北京": "Beijing", "深圳": "Shenzhen", "广州": "Guangzhou",
    "南京": "Nanjing", "苏州": "Suzhou", "合肥": "Hefei", "南昌": "Nanchang",
}

PHRASES: dict[str, dict[str, str]] = {
    "n_villages": {"zh": "{n}个村", "en": "{n} villages"},
    # counts of belts come from the data (a province has more than the county's 21)
    "belt_list": {"zh": "{n}条示范带", "en": "The {n} belts"},
    "ranking_title": {"zh": "{n}条示范带排名", "en": "Ranking of the {n} belts"},
    "wall_overview_theme": {"zh": "{n}条示范带 · 党建引领乡村振兴",
                            "en": "{n} belts · Party building leads rural revitalisation"},
    "stretch": {"zh": "{river} · {village}段 · {chief}", "en": "{river} · {village} stretch · {chief}"},
    "chief": {"zh": "{role}({post}){name}", "en": "{role} ({post}){name}"},
    "town_chief": {"zh": "镇级河长", "en": "township river chief"},
    "pond": {"zh": "{pond} · {chief}", "en": "{pond} · {chief}"},
    "advisers_at": {"zh": "{village} · 乡贤顾问 {n} 人", "en": "{village} · {n} advisers"},
    "project": {"zh": "{name} · {field} · {status}", "en": "{name} · {field} · {status}"},
    "pairing": {"zh": "{kind}结对 · {village} — {partner} · {done}",
                "en": "{kind} pairing · {village} — {partner} · {done}"},
    "turned_round": {"zh": "已转化", "en": "turned round"},
    "pairing_open": {"zh": "结对中", "en": "in progress"},
    "team_of": {"zh": "组团联村 · {dept}", "en": "Department team · {dept}"},
    "kaihua_local": {"zh": "开化 (县城 {n})", "en": "Kaihua (in town {n})"},
    "since": {"zh": "{year}年起", "en": "since {year}"},
}


def term(value: str, lang: str) -> str:
    """A data value in ``lang`` (unknown values stay as they are)."""
    return TERMS.get(value, value) if lang == "en" else value


def phrase(key: str, lang: str, **parts) -> str:
    return PHRASES[key].get(lang, PHRASES[key]["zh"]).format(**parts)


def name_in(name: str, lang: str) -> str:
    """A place or department name in ``lang``: in English its romanisation (for names the data gives in
    Chinese only)."""
    return romanise(name) if lang == "en" and isinstance(name, str) and name and not name.isascii() else name


def belt_name(name: str, lang: str) -> str:
    """A belt's name in ``lang`` (the data has Chinese names only: English is their romanisation)."""
    return romanise(name) if lang == "en" else name


# The wall display (/wall): short labels, read from a distance.
LABELS.update({
    "wall_title": {"zh": "开化县乡村振兴党建示范带", "en": "Kaihua County demonstration belts"},
    "wall_overview": {"zh": "全县概览", "en": "County overview"},
    "wall_step": {"zh": "第 {k} / {n} 步", "en": "Step {k} of {n}"},
    "wall_as_of": {"zh": "数据年份", "en": "Data as of"},
    "wall_version": {"zh": "数据版本", "en": "Data version"},
    "wall_illustrative": {"zh": "示意 · {n}个图层为按公报数字生成的示意数据,不代表实测",
                          "en": "Illustrative · {n} layers are synthetic, generated to agree with the bulletin"},
    "wall_villages": {"zh": "{n}个成员村", "en": "{n} member villages"},
    "wall_scores": {"zh": "五大振兴得分 · 本带 / 全县", "en": "Pillar scores · this belt / county"},
    "wall_scores_county": {"zh": "五大振兴得分 · 全县", "en": "Pillar scores · county"},
    "wall_this_belt": {"zh": "本带", "en": "This belt"},
    "wall_county": {"zh": "全县", "en": "County"},
    "wall_story": {"zh": "公报记载", "en": "From the bulletin"},
    "wall_problems": {"zh": "设置有误,已用默认值", "en": "Settings not understood, defaults used"},
})

# The visitors' briefing (/brief) and its presenter's view.
LABELS.update({
    "brief_title": {"zh": "开化县乡村振兴党建示范带 · 来访讲解", "en": "Kaihua County demonstration belts · briefing"},
    "brief_step": {"zh": "第 {k} / {n} 步", "en": "Step {k} of {n}"},
    "brief_next": {"zh": "下一步", "en": "Next"},
    "brief_notes": {"zh": "讲解提示", "en": "Presenter notes"},
    "brief_timer": {"zh": "已讲", "en": "Elapsed"},
    "brief_keys": {"zh": "→/PageDown 下一步 · ←/PageUp 上一步 · Home/End · 数字+Enter 跳转",
                   "en": "→/PageDown next · ←/PageUp back · Home/End · number+Enter jumps"},
    "brief_room": {"zh": "房间 {room}:大屏跟随本讲解", "en": "Room {room}: walls follow this briefing"},
    "brief_room_refused": {"zh": "房间 {room}:仅工作人员登录后可主讲,大屏不会跟随",
                           "en": "Room {room}: only signed-in staff may present; walls will not follow"},
    "brief_problems": {"zh": "讲解文件有误,仍在使用上一个可用版本",
                       "en": "The briefing file has problems; the last good one is shown"},
    "brief_growth": {"zh": "由 {before} 到 {after}", "en": "from {before} to {after}"},
    "brief_end": {"zh": "讲解结束", "en": "End of the briefing"},
    "wall_following": {"zh": "跟随讲解 · 房间 {room}", "en": "Following the briefing · room {room}"},
})
