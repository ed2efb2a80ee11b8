"""Versions of the briefing file in a data store, and the briefing the app serves.

``<store>/briefing/v0001.yaml, v0002.yaml, ...`` are the files as uploaded (each checked before it is
written); ``<store>/briefing/CURRENT`` names the published one. A publish writes the new file, flushes it,
then replaces ``CURRENT`` atomically, as the dataset's versions do; ``vNNNN.yaml.meta.json`` beside each
file records when, by whom, with what note and from which file it was published. What is served is the published file
checked against the data as it is now: when a newer dataset no longer fits it (a story it names is gone),
the newest earlier version that fits is served, else the shipped briefing, and the problems are reported.

Every function takes the *location* of the versions: a data store folder as above, or a database URL
(``DATABASE_URL``), where the versions are rows of ``kb_briefing_versions`` and the published one a row of
``kb_briefing_current``, written in one transaction (:mod:`geodata.state_db`). Names, checks and answers are the
same for both.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from geodata import state_db
from geodata.briefing import SHIPPED_BRIEFING, Briefing, BriefingError, Problem, parse_briefing
from geodata.cache import per_dataset
from geodata.dataset import Dataset
from geodata.errors import DataError
from geodata.schema import PILLARS
from geodata.state_db import Location, is_database_url
from geodata.store import write_atomic

FOLDER = "briefing"
POINTER = "CURRENT"
_VERSION = re.compile(r"^v(\d{4})\.(yaml|json)$")
META = ".meta.json"  # beside each version: {created, who, note, source}
ViewCheck = Callable[[dict], list[str]]


@dataclass(frozen=True)
class Served:
    """The briefing served, which file it came from ("shipped" or a version), and the problems of any newer
    published file that could not be used."""

    briefing: Briefing
    source: str
    problems: tuple[Problem, ...] = ()
    problem_file: str = ""  # the published file the problems are in


@dataclass(frozen=True)
class BriefingVersion:
    """One published briefing file: its version name, when, by whom, its note, the file's name as uploaded,
    and whether it is the one published now."""

    name: str
    created: str
    who: str
    note: str
    source: str
    current: bool


def _folder(store: Path) -> Path:
    return Path(store) / FOLDER


def briefing_versions(store: Location) -> list[str]:
    """The briefing versions in ``store``, oldest first (``v0001.yaml`` ...)."""
    if is_database_url(store):
        return state_db.briefing_versions(store)
    folder = _folder(store)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if _VERSION.match(p.name))


def published_briefing(store: Location) -> str | None:
    """The name of the published briefing version, None when nothing was published."""
    if is_database_url(store):
        return state_db.published_briefing(store)
    try:
        name = (_folder(store) / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name if _VERSION.match(name) and (_folder(store) / name).is_file() else None


def _version_bytes(store: Location, name: str) -> bytes:
    """The file of version ``name`` as uploaded (``OSError`` if it is gone)."""
    if is_database_url(store):
        raw = state_db.briefing_content(store, name)
        if raw is None:
            raise FileNotFoundError(name)
        return raw
    return (_folder(Path(store)) / name).read_bytes()


def check_briefing(ds: Dataset, raw: bytes, file: str, check_view: ViewCheck) -> Briefing:
    """``raw`` read and checked against ``ds`` (raises :class:`BriefingError` with every problem)."""
    return parse_briefing(raw, file, frozenset(ds.ledger().key), PILLARS, check_view)


def publish_briefing(store: Location, raw: bytes, file: str, ds: Dataset, check_view: ViewCheck,
                     note: str = "", who: str = "") -> str:
    """Check ``raw`` against ``ds``, keep it as the next version and publish it; returns the version's name.
    A file that fails is refused (:class:`BriefingError`) and nothing changes. ``note`` and ``who`` are kept
    with the version (see :func:`list_briefing_versions`)."""
    check_briefing(ds, raw, file, check_view)
    suffix = "json" if file.lower().endswith(".json") else "yaml"
    kept = {"who": str(who)[:64], "note": str(note)[:200], "source": str(file)[:120]}
    if is_database_url(store):
        try:
            return state_db.publish_briefing(store, raw, suffix, kept)
        except SQLAlchemyError as exc:
            raise DataError(f"the briefing could not be written ({type(exc).__name__}); nothing was changed") from None
    folder = _folder(store)
    folder.mkdir(parents=True, exist_ok=True)
    numbers = [int(_VERSION.match(n).group(1)) for n in briefing_versions(store)]
    name = f"v{max(numbers, default=0) + 1:04d}.{suffix}"
    meta = {"created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **kept}
    try:
        write_atomic(folder / (name + META), json.dumps(meta, ensure_ascii=False).encode("utf-8"))
        write_atomic(folder / name, raw)
        write_atomic(folder / POINTER, name.encode("utf-8"))
    except OSError as exc:
        raise DataError(f"the briefing could not be written ({exc.strerror}); nothing was changed") from None
    return name


def rollback_briefing(store: Location, name: str, ds: Dataset, check_view: ViewCheck) -> None:
    """Publish the earlier version ``name`` again, if it still fits the data (else :class:`BriefingError`)."""
    if name not in briefing_versions(store):
        raise DataError(f"no briefing version {name!r}; versions: {', '.join(briefing_versions(store)) or 'none'}")
    check_briefing(ds, _version_bytes(store, name), name, check_view)
    if is_database_url(store):
        state_db.set_published_briefing(store, name)
    else:
        write_atomic(_folder(store) / POINTER, name.encode("utf-8"))


def resolve_briefing_version(store: Location, name: str) -> str:
    """The version ``name`` names, given as ``v0003``, ``v0003.yaml`` or ``3`` (:class:`DataError` if none)."""
    listed = briefing_versions(store)
    text = str(name).strip()
    for candidate in listed:
        number = candidate.split(".")[0]
        if text in (candidate, number) or (text.isdigit() and len(text) <= 4 and int(text) == int(number[1:])):
            return candidate
    raise DataError(f"no briefing version {text[:40]!r}; versions: {', '.join(listed) or 'none'}")


def _version_meta(store: Location, name: str, kept: dict[str, dict] | None) -> dict:
    if kept is not None:  # the database's, read once for every version
        return kept.get(name, {})
    try:
        return json.loads((_folder(Path(store)) / (name + META)).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def list_briefing_versions(store: Location) -> list[BriefingVersion]:
    """Every briefing version of ``store``, newest first, with its metadata (empty fields when a version has
    none, e.g. one written by hand)."""
    current = published_briefing(store)
    kept = state_db.briefing_meta(store) if is_database_url(store) else None
    out = []
    for name in reversed(briefing_versions(store)):
        meta = _version_meta(store, name, kept)
        meta = meta if isinstance(meta, dict) else {}
        out.append(BriefingVersion(name, str(meta.get("created", "")), str(meta.get("who", "")),
                                   str(meta.get("note", "")), str(meta.get("source", "")), name == current))
    return out


def current_briefing_file(store: Location | None) -> tuple[str, bytes]:
    """The published briefing file as it is stored (its version name and bytes), for staff to download and
    edit; the shipped file when nothing is published."""
    name = published_briefing(store) if store is not None else None
    if name is None:
        return SHIPPED_BRIEFING.name, SHIPPED_BRIEFING.read_bytes()
    return name, _version_bytes(store, name)


def _shipped(ds: Dataset, check_view: ViewCheck, problems: tuple[Problem, ...], problem_file: str = "") -> Served:
    return Served(check_briefing(ds, SHIPPED_BRIEFING.read_bytes(), SHIPPED_BRIEFING.name, check_view),
                  "shipped", problems, problem_file)


@per_dataset(maxsize=8)
def _served(ds: Dataset, store: str | None, pointer: str | None, check_view: ViewCheck) -> Served:
    if store is None or pointer is None:
        return _shipped(ds, check_view, ())
    names = briefing_versions(store)
    candidates = [n for n in reversed(names) if n <= pointer]  # the published one, then the ones before it
    problems: tuple[Problem, ...] = ()
    for name in candidates:
        try:
            raw = _version_bytes(store, name)
            return Served(check_briefing(ds, raw, name, check_view), name, problems, pointer if problems else "")
        except BriefingError as exc:
            problems = problems or exc.problems  # what is wrong with the published one
        except OSError:
            continue
    return _shipped(ds, check_view, problems, pointer if problems else "")


def served_briefing(ds: Dataset, store: Location | None, check_view: ViewCheck) -> Served:
    """The briefing to show with ``ds``: the store's published one if it fits the data, else the newest earlier
    version that does, else the shipped one (cached per dataset and published version)."""
    pointer = published_briefing(store) if store is not None else None
    return _served(ds, str(store) if store is not None else None, pointer, check_view)
