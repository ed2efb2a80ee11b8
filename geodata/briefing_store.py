"""Versions of the briefing file in a data store, and the briefing the app serves.

``<store>/briefing/v0001.yaml, v0002.yaml, ...`` are the files as uploaded (each checked before it is
written); ``<store>/briefing/CURRENT`` names the published one. A publish writes the new file, flushes it,
then replaces ``CURRENT`` atomically, as the dataset's versions do. What is served is the published file
checked against the data as it is now: when a newer dataset no longer fits it (a story it names is gone),
the newest earlier version that fits is served, else the shipped briefing, and the problems are reported.

Every function takes the *location* of the versions: a data store folder as above, or a database URL
(``DATABASE_URL``), where the versions are rows of ``kb_briefing_versions`` and the published one a row of
``kb_briefing_current``, written in one transaction (:mod:`geodata.state_db`). Names, checks and answers are the
same for both.
"""

from __future__ import annotations

import os
import re
import tempfile
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

FOLDER = "briefing"
POINTER = "CURRENT"
_VERSION = re.compile(r"^v(\d{4})\.(yaml|json)$")
ViewCheck = Callable[[dict], list[str]]


@dataclass(frozen=True)
class Served:
    """The briefing served, which file it came from ("shipped" or a version), and the problems of any newer
    published file that could not be used."""

    briefing: Briefing
    source: str
    problems: tuple[Problem, ...] = ()
    problem_file: str = ""  # the published file the problems are in


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


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def check_briefing(ds: Dataset, raw: bytes, file: str, check_view: ViewCheck) -> Briefing:
    """``raw`` read and checked against ``ds`` (raises :class:`BriefingError` with every problem)."""
    return parse_briefing(raw, file, frozenset(ds.ledger().key), PILLARS, check_view)


def publish_briefing(store: Location, raw: bytes, file: str, ds: Dataset, check_view: ViewCheck) -> str:
    """Check ``raw`` against ``ds``, keep it as the next version and publish it; returns the version's name.
    A file that fails is refused (:class:`BriefingError`) and nothing changes."""
    check_briefing(ds, raw, file, check_view)
    suffix = "json" if file.lower().endswith(".json") else "yaml"
    if is_database_url(store):
        try:
            return state_db.publish_briefing(store, raw, suffix)
        except SQLAlchemyError as exc:
            raise DataError(f"the briefing could not be written ({type(exc).__name__}); nothing was changed") from None
    folder = _folder(store)
    folder.mkdir(parents=True, exist_ok=True)
    numbers = [int(_VERSION.match(n).group(1)) for n in briefing_versions(store)]
    name = f"v{max(numbers, default=0) + 1:04d}.{suffix}"
    try:
        _write_atomic(folder / name, raw)
        _write_atomic(folder / POINTER, name.encode("utf-8"))
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
        _write_atomic(_folder(store) / POINTER, name.encode("utf-8"))


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
