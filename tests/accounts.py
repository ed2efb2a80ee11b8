"""Users for tests: create them in a test's own state folder and log a client in through the real form."""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.users import Role, add_user

PASSWORDS = {Role.STAFF: "staff-password-1", Role.ADMIN: "admin-password-1"}
NAMES = {Role.STAFF: "staffer", Role.ADMIN: "admin"}
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def add_test_users(state: Path) -> None:
    """A staff user and an admin in ``state`` (see :data:`NAMES`, :data:`PASSWORDS`)."""
    for role in (Role.STAFF, Role.ADMIN):
        add_user(state, NAMES[role], role, PASSWORDS[role])


def csrf_of(client) -> str:
    page = client.get("/login").get_data(as_text=True)
    return _TOKEN.search(page).group(1)


def log_in(client, role: Role | None, name: str | None = None, password: str | None = None):
    """Log ``client`` (a Flask test client) in as the test user of ``role`` (None: stay public); the answer."""
    if role is None and name is None:
        return None
    return client.post("/login", data={"username": name or NAMES[role], "password": password or PASSWORDS[role],
                                       "csrf_token": csrf_of(client)})
