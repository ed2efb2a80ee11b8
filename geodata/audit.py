"""The audit log of a data store: who did what, when, from where. ``<store>/audit.jsonl``, one JSON object a
line, appended and fsynced (mode 0600), read by admins on /admin and by ``python -m dashboard audit``.

Actions: ``login``, ``login_failed``, ``logout``, ``export``, ``upload``, ``publish``, ``rollback`` (from the
page, and from ``python -m geodata`` as ``cli:<user>``). An entry
never holds a password, a token or personal data from the dataset; the detail is short and the app's own.
When the state is a database URL (``DATABASE_URL``) the entries are rows of ``kb_audit`` instead
(:mod:`geodata.state_db`), one log for every worker and server.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import deque
from pathlib import Path

from geodata import state_db
from geodata.state_db import Location, is_database_url

AUDIT_FILE = "audit.jsonl"
MAX_DETAIL = 200


def audit_path(state: Path) -> Path:
    return Path(state) / AUDIT_FILE


def record(state: Location, action: str, who: str | None, address: str | None, detail: str = "") -> dict:
    """Append one entry and flush it to disk (or commit it to the database); the entry. A failure raises an
    ``OSError`` (:class:`geodata.state_db.StateUnavailable` for the database)."""
    entry = {"time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "action": action,
             "who": (who or "")[:64], "from": (address or "")[:64], "detail": str(detail)[:MAX_DETAIL]}
    if is_database_url(state):
        state_db.append_audit(state, entry)
        return entry
    Path(state).mkdir(parents=True, exist_ok=True)
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    fd = os.open(audit_path(state), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, line)  # one write of one line: O_APPEND keeps lines of several workers whole
        os.fsync(fd)
    finally:
        os.close(fd)
    return entry


def read(state: Location, last: int = 200) -> list[dict]:
    """The last ``last`` entries, oldest first (a damaged line is skipped, not fatal)."""
    if is_database_url(state):
        return state_db.read_audit(state, last)
    try:
        with open(audit_path(state), encoding="utf-8") as fh:
            lines = deque(fh, maxlen=last)
    except FileNotFoundError:
        return []
    entries = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            entries.append(entry)
    return entries


def format_entry(entry: dict) -> str:
    return "\t".join(str(entry.get(k, "")) for k in ("time", "action", "who", "from", "detail"))
