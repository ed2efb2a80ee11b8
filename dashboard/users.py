"""The people who may log in: ``<state>/users.json`` (mode 0600), passwords hashed with argon2id; the table
``kb_users`` instead when the state is a database URL (``DATABASE_URL``, :mod:`geodata.state_db`).

::

    {"users": {"wang": {"role": "staff", "hash": "$argon2id$v=19$..."}}}

Written whole through a temporary file, fsync and ``os.replace``, under an exclusive lock, so a reader sees
the old file or the new one. No password or hash is ever logged or returned by the app.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from geodata import state_db
from geodata.state_db import Location, is_database_url

USERS_FILE = "users.json"
USER_NAME = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{1,64}$")
MIN_PASSWORD = 8
_HASHER = PasswordHasher()
# Checked when the user does not exist, so that a wrong name takes as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("not a password of anyone")


class Role(IntEnum):
    """Who is looking, in order: what a higher role may see includes everything a lower one may."""

    PUBLIC = 0
    STAFF = 1
    ADMIN = 2

    @classmethod
    def parse(cls, value: str) -> Role:
        try:
            return cls[str(value).upper()]
        except KeyError:
            raise ValueError(f"unknown role {value!r}; expected 'staff' or 'admin'") from None

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class User:
    """A user as Flask-Login sees it (``get_id`` is the name)."""

    name: str
    role: Role
    is_authenticated: bool = True
    is_active: bool = True
    is_anonymous: bool = False

    def get_id(self) -> str:
        return self.name


class UserError(ValueError):
    """A user command refused, with the reason."""


def users_path(state: Path) -> Path:
    return Path(state) / USERS_FILE


def _read(state: Location) -> dict[str, dict[str, str]]:
    if is_database_url(state):
        return state_db.user_entries(state)
    try:
        data = json.loads(users_path(state).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    users = data.get("users", {}) if isinstance(data, dict) else {}
    return users if isinstance(users, dict) else {}


def _write(state: Path, users: dict[str, dict[str, str]]) -> None:
    state = Path(state)
    tmp = state / f".{USERS_FILE}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"users": users}, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, users_path(state))
    os.chmod(users_path(state), 0o600)


@contextlib.contextmanager
def _locked(state: Path) -> Iterator[dict[str, dict[str, str]]]:
    Path(state).mkdir(parents=True, exist_ok=True)
    with open(Path(state) / ".users.lock", "a") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            users = _read(state)
            yield users
            _write(state, users)
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _check_name(name: str) -> str:
    if not USER_NAME.match(name or ""):
        raise UserError("a user name is 1-64 letters, digits, '_', '.', '-' or Chinese characters")
    return name


def _hash(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"a password has at least {MIN_PASSWORD} characters")
    return _HASHER.hash(password)


def _entry(state: Location, name: str) -> dict[str, str] | None:
    if is_database_url(state):
        return state_db.user_entry(state, name)
    return _read(state).get(name)


def _exists(name: str) -> UserError:
    return UserError(f"user '{name}' exists (use 'users passwd' to change the password)")


def add_user(state: Location, name: str, role: Role, password: str) -> None:
    _check_name(name)
    if role is Role.PUBLIC:
        raise UserError("a user is 'staff' or 'admin' (the public needs no account)")
    if is_database_url(state):
        if not state_db.insert_user(state, name, role.label, _hash(password)):
            raise _exists(name)
        return
    with _locked(state) as users:
        if name in users:
            raise _exists(name)
        users[name] = {"role": role.label, "hash": _hash(password)}


def set_password(state: Location, name: str, password: str) -> None:
    if is_database_url(state):
        if not state_db.update_user_hash(state, name, _hash(password)):
            raise UserError(f"no user '{name}'")
        return
    with _locked(state) as users:
        if name not in users:
            raise UserError(f"no user '{name}'")
        users[name]["hash"] = _hash(password)


def remove_user(state: Location, name: str) -> None:
    if is_database_url(state):
        if not state_db.delete_user(state, name):
            raise UserError(f"no user '{name}'")
        return
    with _locked(state) as users:
        if users.pop(name, None) is None:
            raise UserError(f"no user '{name}'")


def list_users(state: Location) -> list[User]:
    return [User(name, Role.parse(entry.get("role", ""))) for name, entry in sorted(_read(state).items())]


def load_user(state: Location, name: str) -> User | None:
    """The user ``name`` (for the session), or None if there is none (any more)."""
    entry = _entry(state, name) if isinstance(name, str) else None
    if not entry:
        return None
    try:
        return User(name, Role.parse(entry.get("role", "")))
    except ValueError:
        return None


def verify(state: Location, name: str, password: str) -> User | None:
    """The user if ``password`` is theirs; None otherwise, in about the same time whether or not they exist."""
    entry = _entry(state, name) if USER_NAME.match(name or "") else None
    try:
        _HASHER.verify(entry["hash"] if entry else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return None
    try:
        return User(name, Role.parse(entry.get("role", ""))) if entry else None
    except ValueError:
        return None
