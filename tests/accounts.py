"""Users for tests: create them in a test's own state folder and log a client in through the real form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dashboard.config import Settings
from dashboard.users import Role, add_user

PASSWORDS = {Role.STAFF: "staff-password-1", Role.ADMIN: "admin-password-1"}
NAMES = {Role.STAFF: "staffer", Role.ADMIN: "admin"}
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class StateBackend:
    """One backend of the app's state (the ``state_backend`` fixture): ``location`` is what the users, audit,
    briefing and wall functions take (a folder or a database URL); ``folder`` the app's state folder."""

    location: Path | str
    folder: Path

    @property
    def database(self) -> bool:
        return isinstance(self.location, str)

    def settings(self, **kwargs) -> Settings:
        """Settings of an app on this backend (another call: another app server on the same state)."""
        kwargs.setdefault("state_dir", self.folder)
        return Settings(database_url=self.location if self.database else None, **kwargs)


def add_test_users(state: Path | str) -> None:
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
