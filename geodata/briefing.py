"""The visitors' briefing: a sequence of steps, read from a YAML (or JSON) file staff can edit.

A step names what the map shows (a view, as in the page's link), two to four bulletin figures by their
ledger key (the numbers always come from the data, never from the file), optional growth pairs, a
chart and presenter notes. :func:`parse_briefing` checks everything and reports each problem in plain
Chinese and English with the file, the step and the field, so a broken file is refused with reasons
and the last good briefing keeps being served.

    >>> from geodata.briefing import shipped_briefing
    >>> briefing = shipped_briefing(ds)          # the file shipped with the app, checked against ds
    >>> briefing.steps[0].facts
    ('belts', 'villages', 'green_fund', 'forest_cover')
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from geodata.errors import DataError

SHIPPED_BRIEFING = Path(__file__).parent / "data" / "briefing.yaml"
MAX_BYTES = 512 * 1024
MAX_STEPS = 60
MAX_FACTS = 4
MAX_TEXT = 2000
CHARTS = ("radar", "ranking", "ratings", "chiefs", "projects")
VIEW_KEYS = ("county", "township", "belt", "village", "story", "layers", "measure", "year")
_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a briefing file: where (step and field) and what, in both languages."""

    step: str | None
    field: str | None
    zh: str
    en: str

    def text(self, lang: str = "zh", file: str = "") -> str:
        where = []
        if file:
            where.append(file)
        if self.step is not None:
            where.append(f"第 {self.step} 步" if lang == "zh" else f"step {self.step}")
        if self.field is not None:
            where.append(f"字段 {self.field}" if lang == "zh" else f"field {self.field}")
        sep = "," if lang == "zh" else ", "
        prefix = sep.join(where)
        message = self.zh if lang == "zh" else self.en
        return f"{prefix}:{message}" if prefix and lang == "zh" else (f"{prefix}: {message}" if prefix else message)


class BriefingError(DataError):
    """A briefing file that cannot be used; ``problems`` says why, step by step."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = tuple(problems)
        super().__init__("; ".join(p.text("zh", file) for p in problems[:5]))


@dataclass(frozen=True)
class Text:
    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.zh


@dataclass(frozen=True)
class BriefStep:
    """One step of the briefing."""

    id: str
    title: Text
    view: Mapping[str, object]
    facts: tuple[str, ...] = ()
    growth: tuple[tuple[str, str], ...] = ()
    chart: str | None = None
    notes: Text | None = None


@dataclass(frozen=True)
class Briefing:
    title: Text
    steps: tuple[BriefStep, ...]

    def index_of(self, step_id: str) -> int | None:
        return next((i for i, s in enumerate(self.steps) if s.id == step_id), None)


def _load_text(raw: bytes, file: str) -> object:
    if len(raw) > MAX_BYTES:
        raise BriefingError(file, [Problem(None, None, f"文件过大(上限 {MAX_BYTES // 1024} KB)",
                                           f"file too large (limit {MAX_BYTES // 1024} KB)")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BriefingError(file, [Problem(None, None, "文件不是 UTF-8 编码", "the file is not UTF-8")]) from None
    try:
        if file.lower().endswith(".json"):
            return json.loads(text)
        return yaml.safe_load(text)  # safe_load: no tags, no objects, no code
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"第 {mark.line + 1} 行" if mark else ""
        line_en = f" at line {mark.line + 1}" if mark else ""
        raise BriefingError(file, [Problem(None, None, f"{line}格式错误,无法读取", f"cannot be read{line_en}")]) \
            from None


def _text(value: object, step: str | None, field: str, problems: list[Problem], required: bool = True) -> Text | None:
    if value is None and not required:
        return None
    if isinstance(value, str):
        value = {"zh": value}
    if not isinstance(value, dict) or not isinstance(value.get("zh"), str) or not value["zh"].strip():
        problems.append(Problem(step, field, "须为 {zh: 中文, en: English},中文不能为空",
                                "must be {zh: ..., en: ...} with the Chinese text filled in"))
        return None
    en = value.get("en", "")
    if not isinstance(en, str):
        problems.append(Problem(step, field, "en 须为文字", "en must be text"))
        en = ""
    if len(value["zh"]) > MAX_TEXT or len(en) > MAX_TEXT:
        problems.append(Problem(step, field, f"文字过长(上限 {MAX_TEXT} 字)", f"text too long (limit {MAX_TEXT})"))
    return Text(value["zh"].strip(), en.strip())


def _keys(value: object, step: str, field: str, ledger: frozenset[str], problems: list[Problem]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
        problems.append(Problem(step, field, "须为台账指标名的列表", "must be a list of ledger keys"))
        return ()
    unknown = [k for k in value if k not in ledger]
    for k in unknown:
        problems.append(Problem(step, field, f"未知的台账指标 “{k[:40]}”", f"unknown ledger key {k[:40]!r}"))
    return tuple(k for k in value if k in ledger)


def _step(raw: object, number: str, ledger: frozenset[str], charts: frozenset[str],
          check_view: Callable[[dict], list[str]], problems: list[Problem]) -> BriefStep | None:
    if not isinstance(raw, dict):
        problems.append(Problem(number, None, "每一步须为一组 字段: 值", "each step must be a mapping"))
        return None
    for key in raw:
        if key not in ("id", "title", "view", "facts", "growth", "chart", "notes"):
            problems.append(Problem(number, str(key)[:40], "未知字段", "unknown field"))
    step_id = raw.get("id")
    if not isinstance(step_id, str) or not _ID.match(step_id):
        problems.append(Problem(number, "id", "须为字母、数字、- 或 _(最长 40)",
                                "must be letters, digits, - or _ (up to 40)"))
        step_id = None
    title = _text(raw.get("title"), number, "title", problems)
    view = raw.get("view", {})
    if not isinstance(view, dict):
        problems.append(Problem(number, "view", "须为一组 字段: 值", "must be a mapping"))
        view = {}
    for key in view:
        if key not in VIEW_KEYS:
            problems.append(Problem(number, f"view.{str(key)[:30]}", "未知字段", "unknown field"))
    view = {k: v for k, v in view.items() if k in VIEW_KEYS}
    for message in check_view(view):
        problems.append(Problem(number, "view", message, message))
    facts = _keys(raw.get("facts"), number, "facts", ledger, problems)
    if len(raw.get("facts") or []) > MAX_FACTS:
        problems.append(Problem(number, "facts", f"最多 {MAX_FACTS} 项", f"at most {MAX_FACTS}"))
    growth: list[tuple[str, str]] = []
    raw_growth = raw.get("growth") or []
    if not isinstance(raw_growth, list):
        problems.append(Problem(number, "growth", "须为 [之前, 之后] 对的列表", "must be a list of [before, after]"))
        raw_growth = []
    for pair in raw_growth:
        if not (isinstance(pair, list) and len(pair) == 2):
            problems.append(Problem(number, "growth", "每项须为 [之前, 之后]", "each item must be [before, after]"))
            continue
        keys = _keys(pair, number, "growth", ledger, problems)
        if len(keys) == 2:
            growth.append((keys[0], keys[1]))
    chart = raw.get("chart")
    if chart is not None and chart not in charts:
        problems.append(Problem(number, "chart", f"未知图表 “{str(chart)[:40]}”,可选:{'、'.join(sorted(charts))}",
                                f"unknown chart {str(chart)[:40]!r}; one of {', '.join(sorted(charts))}"))
        chart = None
    notes = _text(raw.get("notes"), number, "notes", problems, required=False)
    if step_id is None or title is None:
        return None
    return BriefStep(step_id, title, dict(view), facts, tuple(growth), chart, notes)


def parse_briefing(raw: bytes, file: str, ledger_keys: frozenset[str], pillars: tuple[str, ...],
                   check_view: Callable[[dict], list[str]] = lambda view: []) -> Briefing:
    """Read and check a briefing file.

    Parameters
    ----------
    raw : bytes
        The file's content (YAML, or JSON when ``file`` ends in ``.json``).
    file : str
        The file's name, used in the messages.
    ledger_keys : frozenset of str
        The dataset's ledger keys: every fact must name one.
    pillars : tuple of str
        The pillars a ``pillar:<name>`` chart may name.
    check_view : callable
        Checks one step's view against the dataset (the page's own parser); returns its problems.

    Raises
    ------
    BriefingError
        With every problem found, by step and field.
    """
    data = _load_text(raw, file)
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise BriefingError(file, [Problem(None, None, "文件须以 version、title、steps 三个字段组成",
                                           "the file must hold version, title and steps")])
    if data.get("version") != 1:
        problems.append(Problem(None, "version", "须为 1", "must be 1"))
    title = _text(data.get("title"), None, "title", problems)
    steps_raw = data.get("steps")
    if not isinstance(steps_raw, list) or not steps_raw:
        problems.append(Problem(None, "steps", "须为至少一步的列表", "must be a list of at least one step"))
        steps_raw = []
    if len(steps_raw) > MAX_STEPS:
        problems.append(Problem(None, "steps", f"最多 {MAX_STEPS} 步", f"at most {MAX_STEPS} steps"))
        steps_raw = steps_raw[:MAX_STEPS]
    charts = frozenset(CHARTS) | {f"pillar:{p}" for p in pillars}
    steps = [_step(s, str(i + 1), ledger_keys, charts, check_view, problems) for i, s in enumerate(steps_raw)]
    seen: set[str] = set()
    for i, step in enumerate(steps):
        if step is not None and step.id in seen:
            problems.append(Problem(str(i + 1), "id", f"与前面的步骤重复:“{step.id}”", f"duplicate id {step.id!r}"))
        if step is not None:
            seen.add(step.id)
    if problems:
        raise BriefingError(file, problems)
    return Briefing(title, tuple(s for s in steps if s is not None))


def read_briefing_file(path: Path, ledger_keys: frozenset[str], pillars: tuple[str, ...],
                       check_view: Callable[[dict], list[str]] = lambda view: []) -> Briefing:
    """:func:`parse_briefing` of the file at ``path``."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BriefingError(path.name, [Problem(None, None, f"无法读取文件({exc.strerror})",
                                                f"cannot read the file ({exc.strerror})")]) from None
    return parse_briefing(raw, path.name, ledger_keys, pillars, check_view)
