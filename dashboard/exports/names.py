"""Names in English for exports: the data's English where it has one, else the Chinese romanised (pypinyin)."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import lazy_pinyin

BELT_SUFFIXES = ("示范带", "带")


@lru_cache(maxsize=4096)
def romanise(text: str) -> str:
    """``text`` in Hanyu Pinyin without tones, words capitalised (马金溪 -> "Majinxi")."""
    syllables = lazy_pinyin(text)
    return "".join(syllables).capitalize() if syllables else text


def belt_label(belt_id: str, name: str, lang: str) -> str:
    """A belt as a legend or heading names it: its Chinese name, or in English "B05 Qingshuiyufumin Belt"."""
    if lang != "en":
        return name
    stem = next((name[: -len(s)] for s in BELT_SUFFIXES if name.endswith(s) and len(name) > len(s)), name)
    return f"{belt_id} {romanise(stem)} Belt"
