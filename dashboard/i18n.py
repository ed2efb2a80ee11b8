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
    "admin_title": {"zh": "数据管理", "en": "Data management"},
    "admin_help": {
        "zh": "上传实测数据(GeoPackage、GeoJSON、zip 压缩的 Shapefile、KML、CSV 或 XLSX),先校验,通过后发布为新版本;"
              "旧版本全部保留,可随时恢复。指标表按(村、年、指标)合并,其他图层整体替换。",
        "en": "Upload surveyed data (GeoPackage, GeoJSON, zipped Shapefile, KML, CSV or XLSX): it is validated first "
              "and, if it passes, published as a new version. Every earlier version is kept and can be restored. "
              "Indicators merge by (village, year, indicator); other layers are replaced whole.",
    },
    "admin_token": {"zh": "管理口令", "en": "Admin token"},
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
}


def t(key: str, lang: str) -> str:
    """The label ``key`` in ``lang`` (falls back to Chinese)."""
    entry = LABELS[key]
    return entry.get(lang) or entry["zh"]
