"""The bulletin's figures (衢州组工信息 2019 第1期) and the places it names, as data.

``LEDGER`` is what the shipped dataset must agree with; :mod:`geodata.ledger` measures each entry
from the layers. ``relation`` is "eq" (exactly), "over" (the bulletin says "N余": at least N and
below the next round figure), "under" ("不到 N") or "about" ("约 N"). A story's figures keep the
bulletin's relation too ("不到200亩" is stored as 200 with "under", never as 199), so that every
screen can word them as the bulletin does (:func:`geodata.figures.format_figure`).
"""

from __future__ import annotations

SOURCE = "衢州组工信息 2019年第1期(总1034期)《党建引领一盘棋 激活乡村振兴一池水》"
LEDGER_YEAR = 2018  # the bulletin (dated 2019-01-04) reports the state at the end of 2018

# key, label_zh, label_en, value, relation, unit, pillar, quote
LEDGER = [
    ("belts", "乡村振兴党建示范带", "Demonstration belts", 21, "eq", "条", "organisation",
     "打造 21 条\"强富美\"乡村振兴党建示范带"),
    ("villages", "行政村", "Villages", 255, "eq", "个", "organisation", "深入到255个村"),
    ("departments", "组团联村部门", "Departments in village teams", 80, "eq", "个", "organisation",
     "80个部门的510名机关党员干部"),
    ("cadres_stationed", "联村机关党员干部", "Cadres stationed in villages", 510, "eq", "名", "organisation",
     "80个部门的510名机关党员干部深入到255个村"),
    ("villages_served", "组团联村覆盖村", "Villages served by teams", 255, "eq", "个", "organisation",
     "深入到255个村"),
    ("river_chiefs", "村书记任河长", "Village river chiefs", 255, "eq", "名", "ecology",
     "全县 255 个村书记担任河长"),
    ("pond_chiefs", "村主任任塘长", "Village pond chiefs", 255, "eq", "名", "ecology",
     "255 个村主任担任塘长"),
    ("patrol_volunteers", "护河巡山党员志愿者", "Party volunteers patrolling rivers and hills", 8000, "over",
     "名", "ecology", "8000 余名农村党员志愿参加护河、巡山"),
    ("forest_cover", "森林覆盖率", "Forest cover", 80.8, "eq", "%", "ecology", "全县森林覆盖率 80.8%"),
    ("industry_branches", "产业支部", "Industry-chain party branches", 28, "eq", "个", "industry",
     "全县共建立产业支部 28 个"),
    ("coop_branches", "合作社支部", "Cooperative party branches", 56, "eq", "个", "industry", "合作社支部 56 个"),
    ("turned_round", "结对转化后进村", "Lagging villages turned round by pairing", 15, "eq", "个", "industry",
     "有效帮助 15 个后进村成功转化"),
    ("industry_suggestions", "产业发展合理化建议", "Industry suggestions from the discussion", 232, "eq", "条",
     "industry", "仅乡村产业发展方面的合理化建议,全县就征集到232条"),
    ("cadres_red", "\"红色\"村干部", "Village cadres rated red", 85, "eq", "名", "organisation",
     "组织85名\"红色\"村干部到消薄结对县诸暨市蹲点学习"),
    ("cadres_yellow", "\"黄色\"村干部", "Village cadres rated yellow", 81, "eq", "名", "organisation",
     "组织81名\"黄色\"村干部到市委党校集中\"歇职教育\""),
    ("cadres_grey", "\"灰色\"村干部", "Village cadres rated grey", 35, "eq", "名", "organisation",
     "35名\"灰色\"干部被责令辞职、罢免或免职"),
    ("advisers", "乡贤顾问", "Notable-talent advisers", 278, "eq", "人", "talent", "已聘请乡贤顾问 278 人"),
    ("adviser_projects", "乡贤认领挂联产业项目", "Projects adopted by advisers", 75, "eq", "个", "talent",
     "达成\"乡贤认领挂联乡村产业项目\"75 个"),
    ("adviser_suggestions", "乡贤献计献策", "Suggestions from advisers", 320, "over", "项", "talent",
     "为各村献计献策 320 余项"),
    ("rural_talent_trades", "乡土八师", "Eight rural master trades", 8, "eq", "类", "talent",
     "开展\"乡土八师\"……培育"),
    ("sorghum_villages", "红高粱种植村", "Villages growing red sorghum", 10, "eq", "个", "industry",
     "3年内,实现由1村种植变10村种植"),
    ("sorghum_villages_start", "红高粱种植村(起步)", "Red-sorghum villages at the start", 1, "eq", "个",
     "industry", "由1村种植变10村种植"),
    ("sorghum_area", "红高粱种植面积", "Red-sorghum area", 2200, "eq", "亩", "industry",
     "由不到200亩发展到2200亩"),
    ("sorghum_area_start", "红高粱种植面积(起步)", "Red-sorghum area at the start", 200, "under", "亩",
     "industry", "由不到200亩发展到2200亩"),
    ("green_fund", "省绿色发展财政奖补资金(2017)", "Provincial green-development award (2017)", 7.37, "eq",
     "亿元", "ecology", "2017年,获得省绿色发展财政奖补资金7.37亿元,全省第一"),
    ("huabu_rank", "华埠镇全国综合实力千强镇排名", "Huabu's rank among China's top 1,000 towns", 372, "eq",
     "名", "industry", "华埠镇上榜2018年度全国综合实力千强镇,位列第372名"),
    ("meiling_households", "梅岭自然村异地搬迁农户", "Meiling households relocated", 105, "eq", "户",
     "organisation", "梅岭自然村的105 户农户下山异地搬迁"),
    ("meiling_distance", "梅岭搬迁距离", "Meiling relocation distance", 60, "eq", "公里", "organisation",
     "到 60 公里远的池淮镇"),
    ("yanglin_two_houses", "杨林镇\"一户两宅\"", "Yanglin households with two houses", 75, "eq", "户",
     "organisation", "一周内摸清\"一户两宅\"75户"),
    ("tree_planting_since", "\"植树拜年\"始于", "New-year tree planting since", 1982, "eq", "年", "ecology",
     "\"植树拜年\"从 1982 年开始"),
    ("tree_planting_years", "\"植树拜年\"坚持年数", "Years of new-year tree planting", 36, "eq", "年", "ecology",
     "坚持了 36 年"),
    ("ranger_years", "古田山党员护林员坚守", "Years the Gutianshan ranger has served", 30, "eq", "年", "ecology",
     "一位党员护林员坚守大山30 年"),
    ("yancun_donation", "严村老党员捐建文化礼堂", "Yan village veteran's donation", 10, "eq", "万元",
     "culture", "捐献了 10 万元助力村文化礼堂建设"),
    ("yancun_party_years", "严村老党员党龄", "Yan village veteran's party years", 42, "eq", "年", "culture",
     "有着 42 年党龄的 80 岁老党员"),
]

# Places and stories the bulletin names. village: official village name (or None for a township
# or a place); township code; pillar; title; English title; short story; the figures it carries
# (ledger key: value, or (value, relation) where the bulletin does not give the figure exactly).
STORIES = [
    ("S01", "大溪边村", "330824218", "industry", "红高粱小镇", "Red-sorghum town",
     "县农业局组建组团联村专家服务团帮扶种植红高粱,3年内由1村种植变10村种植,由不到200亩发展到2200亩,"
     "\"高粱满山岗、酒香大溪边\"。",
     {"sorghum_villages": 10, "sorghum_villages_start": 1, "sorghum_area": 2200,
      "sorghum_area_start": (200, "under")}),
    ("S02", "禄源村", "330824216", "organisation", "梅岭党小组:离乡不离\"家\"", "Meiling party group",
     "林山乡禄源村梅岭自然村105户农户下山异地搬迁到60公里远的池淮镇,禄源村党支部在此组建党小组,"
     "每月一次主题活动,落实群众代办事项。", {"meiling_households": 105, "meiling_distance": 60}),
    ("S03", "金星村", "330824115", "ecology", "植树拜年", "New-year tree planting",
     "农历新年初一,全村党员干部带领群众一起上山植树;\"植树拜年\"从1982年开始,坚持了36年。",
     {"tree_planting_since": 1982, "tree_planting_years": 36}),
    ("S04", "金星村", "330824115", "talent", "民宿带头人入党", "From idler to homestay leader",
     "一位年轻人在党支部干部出资帮助下办民宿,成为村民宿产业带头人,递交入党申请书,被确定为入党积极分子。", {}),
    ("S05", "古田村", "330824108", "ecology", "古田山党员护林员", "Gutianshan ranger",
     "古田山国家级自然保护区一位党员护林员坚守大山30年终不悔。", {"ranger_years": 30}),
    ("S06", "龙门村", "330824109", "culture", "龙门太极", "Longmen tai chi",
     "齐溪镇龙门村推行\"红色文化传承、太极文化到户、礼仪文化到人\",组织村民练太极、唱村歌。", {}),
    ("S07", "东坑口村", "330824107", "culture", "以孝治村", "Governing by filial piety",
     "杨林镇东坑口村推行\"以孝治村\",开展\"好媳妇\"\"模范家庭\"\"孝敬之星\"评选。", {}),
    ("S08", "严村", "330824106", "culture", "老党员捐建文化礼堂", "A veteran's gift to the village hall",
     "桐村镇严村有着42年党龄的80岁老党员陈强龙,临终前捐献10万元助力村文化礼堂建设。",
     {"yancun_donation": 10, "yancun_party_years": 42}),
    ("S09", "杨林村", "330824107", "organisation", "\"1+X\"党员联户包事", "One member, many households",
     "杨林镇通过\"1+X\"党员联户包事办法,一周内摸清\"一户两宅\"75户,半个月内全面完成\"一户多宅\"整治。",
     {"yanglin_two_houses": 75}),
    ("S10", None, "330824115", "industry", "全国千强镇", "Top-1,000 town",
     "华埠镇上榜2018年度全国综合实力千强镇,位列第372名。", {"huabu_rank": 372}),
    ("S11", None, None, "ecology", "省绿色发展财政奖补资金全省第一", "First in the province's green award",
     "2017年,获得省绿色发展财政奖补资金7.37亿元,全省第一。", {"green_fund": 7.37}),
    ("S12", None, None, "talent", "乡土八师", "Eight rural master trades",
     "实施\"万名乡土人才\"培训工程,开展\"乡土八师\"(根艺师、茶艺师、气糕师、评茶师、清水鱼养殖师、名厨师、"
     "陶艺师、民间工艺师)培育。", {"rural_talent_trades": 8}),
]

# The people each story names (its ``persons`` field): personal data, masked for the public by field.
STORY_PERSONS = {"S08": ("陈强龙",)}


def story_figure_rows(story_id: str, figures: dict) -> list[dict]:
    """A story's figures as rows of ``story_figures``: value, the bulletin's relation, unit and label
    (unit and labels from the ledger entry of the same key)."""
    ledger = {row[0]: row for row in LEDGER}
    rows = []
    for key, given in figures.items():
        value, relation = given if isinstance(given, tuple) else (given, "eq")
        _, label_zh, label_en, _, _, unit, *_ = ledger[key]
        rows.append({"story_id": story_id, "key": key, "label_zh": label_zh, "label_en": label_en,
                     "value": float(value), "relation": relation, "unit": unit})
    return rows
