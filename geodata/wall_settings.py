"""Defaults of a wall display, from ``<store>/wall.json`` (each wall configured without touching its URL).

    {"dwell": 20, "idle": 60, "belts": ["B01", "B05"], "lang": "zh"}

Every key is optional; a missing file means the built-in defaults. A value that is wrong is reported (file,
key, what is wrong) and its default used, so a typo never takes a wall down. When the location is a database URL
(``DATABASE_URL``) the same JSON text is one row of ``kb_wall_settings`` (:mod:`geodata.state_db`), written with
:func:`save_wall_settings` (``python -m dashboard wall set FILE``) and read the same way.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from geodata import state_db
from geodata.state_db import Location, is_database_url

WALL_FILE = "wall.json"
DWELL_RANGE = (2.0, 600.0)  # seconds one step stays on screen
IDLE_RANGE = (2.0, 3600.0)  # seconds without input before a paused tour resumes
BELT_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
LANGS = ("zh", "en")


@dataclass(frozen=True)
class WallSettings:
    """How a wall tours. ``belts`` empty = every belt of the dataset, in order."""

    dwell: float = 20.0
    idle: float = 60.0
    belts: tuple[str, ...] = ()
    lang: str = "zh"
    problems: tuple[str, ...] = field(default=(), compare=False)


def parse_seconds(value: object, key: str, bounds: tuple[float, float]) -> tuple[float | None, str | None]:
    """(seconds, None) or (None, the problem) for an untrusted number of seconds."""
    if isinstance(value, bool):
        return None, f"{key}: not a number"
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None, f"{key}: {str(value)[:20]!r} is not a number"
    low, high = bounds
    if not (low <= seconds <= high):  # also refuses NaN
        return None, f"{key}: {str(value)[:20]} is outside {low:g}-{high:g} s"
    return seconds, None


def parse_belt_list(value: object, key: str = "belts") -> tuple[tuple[str, ...] | None, list[str]]:
    """Belt IDs from a list or a comma-separated string (shape checked only: the dataset decides which exist)."""
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, (list, tuple)):
        return None, [f"{key}: not a list of belt IDs"]
    good, problems = [], []
    for item in value[:100]:
        if isinstance(item, str) and BELT_ID.match(item):
            if item not in good:
                good.append(item)
        else:
            problems.append(f"{key}: {str(item)[:20]!r} is not a belt ID")
    return tuple(good), problems


def parse_wall_settings(data: object, source: str = WALL_FILE, base: WallSettings | None = None) -> WallSettings:
    """Untrusted settings (the file's JSON object) over ``base``; problems name ``source`` and the key."""
    base = base or WallSettings()
    if not isinstance(data, dict):
        return replace(base, problems=(f"{source}: not a JSON object",))
    out: dict = {}
    problems: list[str] = []
    for key, bounds in (("dwell", DWELL_RANGE), ("idle", IDLE_RANGE)):
        if key in data:
            seconds, problem = parse_seconds(data[key], key, bounds)
            if problem:
                problems.append(f"{source}: {problem}")
            else:
                out[key] = seconds
    if "belts" in data:
        belts, bad = parse_belt_list(data["belts"])
        problems += [f"{source}: {p}" for p in bad]
        if belts is not None:
            out["belts"] = belts
    if "lang" in data:
        if data["lang"] in LANGS:
            out["lang"] = data["lang"]
        else:
            problems.append(f"{source}: lang {str(data['lang'])[:10]!r} is not zh or en")
    unknown = sorted(str(k)[:20] for k in data if k not in ("dwell", "idle", "belts", "lang"))
    problems += [f"{source}: unknown key {k!r}" for k in unknown]
    return replace(base, **out, problems=tuple(problems))


@lru_cache(maxsize=8)
def parse_wall_text(text: str) -> WallSettings:
    """The settings of one wall.json text (problems reported, never raised)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return WallSettings(problems=(f"{WALL_FILE}: not valid JSON (line {exc.lineno})",))
    return parse_wall_settings(data)


@lru_cache(maxsize=8)
def _read(path: str, mtime_ns: int) -> WallSettings:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return WallSettings(problems=(f"{WALL_FILE}: cannot be read ({type(exc).__name__})",))
    return parse_wall_text(text)


def save_wall_settings(store: Location, text: str) -> WallSettings:
    """Keep ``text`` (wall.json's content) as the wall settings of ``store``; the settings it gives. Text that is
    not a JSON object is refused (``ValueError``) and nothing changes; wrong values are kept and reported, as
    for a file edited by hand."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{WALL_FILE}: not valid JSON (line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{WALL_FILE}: not a JSON object")
    settings = parse_wall_settings(data)
    if is_database_url(store):
        state_db.save_wall_settings_text(store, text)
        return settings
    folder = Path(store)
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".wall-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, folder / WALL_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return settings


def load_wall_settings(store: Location | None) -> WallSettings:
    """The wall defaults of ``store`` (built-in defaults without a store or a file), re-read when it changes."""
    if store is None:
        return WallSettings()
    if is_database_url(store):
        text = state_db.wall_settings_text(store)
        return WallSettings() if text is None else parse_wall_text(text)
    path = Path(store) / WALL_FILE
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return WallSettings()
    return _read(str(path), mtime)
