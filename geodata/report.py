"""The validation report: every finding names file, layer, row and field, in Chinese and English."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

import pandas as pd

from geodata.errors import DataError

Level = Literal["error", "warning", "repaired"]
LEVEL_LABEL = {"error": {"zh": "错误", "en": "ERROR"}, "warning": {"zh": "警告", "en": "WARNING"},
               "repaired": {"zh": "已修复", "en": "REPAIRED"}}
# A broken column can produce a finding per row; beyond this many only a count is reported.
MAX_PER_KIND = 20


@dataclass(frozen=True)
class Issue:
    """One finding. ``row`` is 1-based: 1 is the first record after any header."""

    level: Level
    file: str
    layer: str | None
    row: int | None
    field: str | None
    message_zh: str
    message_en: str

    def where(self) -> str:
        parts = [self.file, self.layer or "", f"row {self.row}" if self.row is not None else "",
                 f"field {self.field}" if self.field else ""]
        return " · ".join(p for p in parts if p)

    def text(self, lang: str) -> str:
        message = self.message_zh if lang == "zh" else self.message_en
        return f"[{LEVEL_LABEL[self.level][lang]}] {self.where()}: {message}"


@dataclass
class Report:
    """All findings about one file. Nothing is published while :attr:`ok` is False."""

    file: str
    issues: list[Issue] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # layer -> rows read
    # layer -> its first rows as text, so the user sees what was read (encoding, columns) before publishing
    preview: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    def add(self, level: Level, layer: str | None, zh: str, en: str, row: int | None = None,
            column: str | None = None) -> None:
        self.issues.append(Issue(level, self.file, layer, row, column, zh, en))

    def error(self, layer: str | None, zh: str, en: str, row: int | None = None, column: str | None = None) -> None:
        self.add("error", layer, zh, en, row, column)

    def warning(self, layer: str | None, zh: str, en: str, row: int | None = None,
                column: str | None = None) -> None:
        self.add("warning", layer, zh, en, row, column)

    def repaired(self, layer: str | None, zh: str, en: str, row: int | None = None,
                 column: str | None = None) -> None:
        self.add("repaired", layer, zh, en, row, column)

    def rows_issue(self, level: Level, layer: str, rows: list[int], column: str | None, zh: str, en: str,
                   values: list[object] | None = None) -> None:
        """One finding per row, at most :data:`MAX_PER_KIND`, then one line with the remainder.
        ``values`` (one per row) are quoted in the message, so the user sees what was wrong."""
        for k, row in enumerate(rows[:MAX_PER_KIND]):
            quoted = f" ('{str(values[k])[:80]}')" if values is not None else ""
            self.add(level, layer, zh + quoted, en + quoted, row, column)
        if len(rows) > MAX_PER_KIND:
            more = len(rows) - MAX_PER_KIND
            self.add(level, layer, f"另有 {more} 行同样问题", f"... and {more} more rows like this", None, column)

    def refuse(self, exc: Refused) -> None:
        self.error(exc.layer, exc.message_zh, exc.message_en)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]

    def summary(self, lang: str) -> str:
        counts = {lvl: sum(i.level == lvl for i in self.issues) for lvl in LEVEL_LABEL}
        if lang == "zh":
            verdict = "通过,可以发布" if self.ok else "未通过,不能发布"
            return (f"{self.file}: {verdict}(错误 {counts['error']},警告 {counts['warning']},"
                    f"已修复 {counts['repaired']})")
        verdict = "passed, can be published" if self.ok else "failed, cannot be published"
        return (f"{self.file}: {verdict} ({counts['error']} errors, {counts['warning']} warnings, "
                f"{counts['repaired']} repaired)")

    def lines(self, lang: str) -> list[str]:
        """The report as plain text lines (shown escaped, never as markup)."""
        layers = ", ".join(f"{k} {v}" for k, v in self.rows.items())
        head = [self.summary(lang)] + ([("读取: " if lang == "zh" else "read: ") + layers] if layers else [])
        return head + [i.text(lang) for i in self.issues]

    def to_dict(self) -> dict:
        return {"file": self.file, "rows": dict(self.rows), "issues": [asdict(i) for i in self.issues],
                "preview": self.preview}

    @classmethod
    def from_dict(cls, data: dict) -> Report:
        return cls(data["file"], [Issue(**i) for i in data["issues"]], dict(data.get("rows", {})),
                   dict(data.get("preview", {})))

    def add_preview(self, layer: str, frame: pd.DataFrame, rows: int = 5) -> None:
        head = frame.head(rows).drop(columns=[c for c in frame.columns if c == "geometry"])
        self.preview[layer] = [{str(k): str(v)[:80] for k, v in rec.items()} for rec in head.to_dict("records")]


class Refused(DataError):
    """A file refused outright (hostile, unreadable or unusable), with the reason in both languages."""

    def __init__(self, message_zh: str, message_en: str, layer: str | None = None) -> None:
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en
        self.layer = layer
