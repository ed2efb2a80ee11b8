"""Names by romanisation, for the English pages where the data gives a name in Chinese only (pure)."""

from __future__ import annotations

from pypinyin import lazy_pinyin


def romanise(text: str) -> str:
    """Pinyin for a Chinese name the data gives no English for, syllables paired into words and a final
    带 read as "Belt": 钱江源头生态带 -> "Qianjiang Yuantou Shengtai Belt". Other characters stay as they are."""
    suffix = ""
    if text.endswith("带") and len(text) > 1:
        text, suffix = text[:-1], " Belt"
    syllables = lazy_pinyin(text, errors="default")
    if len(syllables) <= 4 and all(p.isascii() and p.isalpha() for p in syllables):
        return "".join(syllables).capitalize() + suffix  # a short name is one word: 严村 -> Yancun
    words: list[str] = []
    run: list[str] = []
    for part in syllables:
        if part.isascii() and part.isalpha() and len(part) <= 6 and part.islower():
            run.append(part)
            continue
        words += ["".join(run[i:i + 2]).capitalize() for i in range(0, len(run), 2)]
        run = []
        words.append(part)
    words += ["".join(run[i:i + 2]).capitalize() for i in range(0, len(run), 2)]
    return " ".join(w.strip() for w in words if w.strip()) + suffix
