"""Fixed word lists the synthetic generator draws from (no randomness here)."""

from __future__ import annotations

# The 14 township-level units (NBS 2018, unchanged in 2023), their short names and English names.
TOWNSHIP_EN = {
    "330824106": "Tongcun", "330824107": "Yanglin", "330824108": "Suzhuang", "330824109": "Qixi",
    "330824113": "Cuntou", "330824115": "Huabu", "330824116": "Majin", "330824117": "Chihuai",
    "330824202": "Zhongcun", "330824205": "Changhong", "330824208": "Hetian", "330824216": "Linshan",
    "330824217": "Yinkeng", "330824218": "Daxibian",
}

# Seats that GeoNames lacks, flagged seat_source = "estimated": 池淮 from the positions of its own villages
# that GeoNames has (星口, 油溪口); 齐溪 on the real 马金溪 (gazetteers place the town "马金溪畔", about 30 km
# from the county seat), at the point of the GSHHG line nearest the earlier guess (118.190, 29.385), which
# lay outside the county outline.
ESTIMATED_SEATS = {"330824109": (118.307, 29.419), "330824117": (118.265, 29.115)}

# The county seat (芹阳办事处) has no code of its own; its communities are coded under 华埠镇.
COUNTY_SEAT_GEONAMEID = 1804873


# 80 county departments (组团联村 teams). Names follow the 2018 county structure, illustrative.
DEPARTMENTS = [
    "县委办公室", "县人大常委会办公室", "县政府办公室", "县政协办公室", "县纪委县监委", "县委组织部",
    "县委宣传部", "县委统战部", "县委政法委", "县委编办", "县委党校", "县委老干部局", "县直机关工委",
    "县信访局", "县委改革办", "县档案馆", "县发展和改革局", "县经济和信息化局", "县教育局", "县科技局",
    "县公安局", "县民政局", "县司法局", "县财政局", "县人力资源和社会保障局", "县国土资源局",
    "县住房和城乡建设局", "县交通运输局", "县水利局", "县农业局", "县林业局", "县商务局",
    "县文化广电新闻出版局", "县卫生和计划生育局", "县审计局", "县环境保护局", "县统计局", "县市场监督管理局",
    "县安全生产监督管理局", "县旅游委员会", "县体育局", "县粮食局", "县行政审批局", "县综合行政执法局",
    "县人民防空办公室", "县机关事务管理局", "县金融办", "县招商局", "县供销社", "县气象局", "县地税局",
    "县国税局", "县人民法院", "县人民检察院", "县总工会", "团县委", "县妇联", "县科协", "县文联",
    "县残联", "县工商联", "县红十字会", "县农商银行", "县农业发展银行", "县邮政分公司", "县电力局",
    "县电信分公司", "县移动分公司", "县烟草专卖局", "县自来水公司", "县城投集团", "县交投集团",
    "县旅投集团", "县人民医院", "县中医院", "县疾控中心", "县职业中专", "开化中学", "县广播电视台",
    "县钱江源国家公园管委会",
]

# 21 demonstration belts: (name, theme, leading pillar). Illustrative names built on the county's
# real brands (钱江源, 龙顶茶, 清水鱼, 根雕, 红高粱, 古田山); routes are generated.
BELTS = [
    ("钱江源头生态带", "源头护水、生态红线", "ecology"),
    ("红高粱酒香带", "红高粱种植与酿造", "industry"),
    ("古田山绿色屏障带", "国家级自然保护区周边共建", "ecology"),
    ("龙顶茶香带", "开化龙顶茶产业链", "industry"),
    ("清水鱼富民带", "清水鱼养殖与加工", "industry"),
    ("根雕艺术文化带", "根艺、木雕与乡土八师", "culture"),
    ("红色记忆传承带", "革命老区红色教育", "culture"),
    ("太极文化礼堂带", "龙门太极与村歌", "culture"),
    ("孝德治村示范带", "以孝治村、好家风", "culture"),
    ("马金溪滨水带", "河长制与滨水景观", "ecology"),
    ("池淮溪田园带", "田园综合体与异地搬迁", "organisation"),
    ("华埠商贸振兴带", "千强镇商贸与物流", "industry"),
    ("芹阳城郊融合带", "城乡融合与党群服务", "organisation"),
    ("村头山水民宿带", "民宿与乡村旅游", "industry"),
    ("音坑花海带", "花卉苗木与乡村节庆", "industry"),
    ("中村山地农业带", "高山蔬菜与中药材", "industry"),
    ("长虹高山云居带", "高山台地与乡贤回归", "talent"),
    ("何田清水带", "清水鱼与生态护渔", "ecology"),
    ("林山梅岭牵挂带", "离乡不离家的党小组", "organisation"),
    ("桐村严村礼堂带", "老党员捐建文化礼堂", "culture"),
    ("杨林一户一宅带", "农房整治与风貌提升", "organisation"),
]

# Where 乡贤 advisers live now: (city, lon, lat, weight). City centres, WGS84.
RESIDENCES = [
    ("开化县城", 118.414, 29.137, 18), ("衢州", 118.859, 28.970, 14), ("杭州", 120.155, 30.274, 22),
    ("上海", 121.474, 31.230, 12), ("宁波", 121.550, 29.875, 5), ("义乌", 120.075, 29.306, 7),
    ("温州", 120.699, 27.994, 3), ("金华", 119.647, 29.079, 4), ("北京", 116.407, 39.904, 4),
    ("深圳", 114.058, 22.543, 3), ("广州", 113.264, 23.129, 2), ("南京", 118.797, 32.060, 2),
    ("苏州", 120.585, 31.299, 2), ("合肥", 117.227, 31.820, 1), ("南昌", 115.858, 28.683, 1),
]

ADVISER_FIELDS = ["农业", "文旅", "制造", "电商", "金融", "教育", "医疗", "建筑", "文化"]
PROJECT_STATUSES = ["洽谈", "在建", "投产"]
PROJECT_TYPES = {"农业": ["高山蔬菜基地", "龙顶茶园提升", "中药材种植", "红高粱种植"],
                 "文旅": ["民宿集群", "乡村研学营地", "古村落修缮"],
                 "制造": ["竹木制品加工", "根雕工坊"], "电商": ["农产品电商中心", "直播助农"],
                 "金融": ["村级合作社融资"], "教育": ["乡村学堂"], "医疗": ["村卫生室升级"],
                 "建筑": ["农房风貌改造"], "文化": ["文化礼堂展陈", "村歌创作"]}

INDUSTRIES = ["龙顶茶", "清水鱼", "高山蔬菜", "红高粱", "中药材", "根雕", "民宿", "竹木", "香榧", "山茶油"]

SURNAMES = "汪余徐方郑吴王张程叶姜傅邵江洪胡周杨黄刘李戴詹钱"
STEMS = "甲乙丙丁戊己庚辛壬癸"

# Grid "party groups" and other per-village counts come from these ranges.
SUGGESTION_TOPICS = ["产业", "生态", "文化", "人才", "治理"]
