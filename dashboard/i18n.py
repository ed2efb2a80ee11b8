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
}


def t(key: str, lang: str) -> str:
    """The label ``key`` in ``lang`` (falls back to Chinese)."""
    entry = LABELS[key]
    return entry.get(lang) or entry["zh"]
