"""Settings, read once from the environment into a frozen dataclass. No secret lives in code."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from geodata import DEFAULT_PATH, Audience
from geodata.db import is_database_url
from geodata.io.safety import Limits
from geodata.store import default_store, is_store

MAX_TRUSTED_PROXIES = 10
_WHOLE = re.compile(r"[0-9]{1,2}")  # ASCII digits only: int() would also take "+1", "1_0" and "１"


def trusted_proxies(value: str | None) -> int:
    """``KAIHUA_TRUSTED_PROXIES``: how many proxies in front of the app append to ``X-Forwarded-For``.

    Parameters
    ----------
    value : str or None
        The variable as set (unset or empty: 0, the client's connection is its address).

    Returns
    -------
    int
        0 to :data:`MAX_TRUSTED_PROXIES`.

    Raises
    ------
    ValueError
        For anything else: a wrong count would let clients forge their address, so it stops the start.
    """
    text = (value or "").strip()
    if not text:
        return 0
    if not _WHOLE.fullmatch(text) or int(text) > MAX_TRUSTED_PROXIES:
        raise ValueError(_proxies_error(value))
    return int(text)


def _proxies_error(value: object) -> str:
    return (f"KAIHUA_TRUSTED_PROXIES must be a whole number from 0 to {MAX_TRUSTED_PROXIES} (the proxies in front "
            f"of the app that add X-Forwarded-For; 0 = none, the default), not {value!r}")


def _bool(value: str | None, default: bool) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Everything the app reads from the environment (prefix ``KAIHUA_``)."""

    # A GeoPackage, a data store folder, or (when DATABASE_URL is set) the database URL: what open_dataset serves.
    data_path: Path | str = field(default=DEFAULT_PATH, repr=False)
    # The most this server ever shows: STAFF (default) lets each request's session decide (nobody logged
    # in = public); PUBLIC caps every request, whoever logs in (a kiosk or lobby server).
    audience_cap: Audience = Audience.STAFF
    language: str = "zh"
    host: str = "127.0.0.1"
    port: int = 8050
    debug: bool = False
    compress: bool = True
    title: str = "开化县“强富美”乡村振兴党建示范带"
    max_upload_mb: float = 50.0
    # Shared state across workers and servers (presenter rooms, ...); unset = the data store's folders.
    redis_url: str | None = field(default=None, repr=False)
    # PostgreSQL + PostGIS (``postgresql://...``) holding the data versions and the app's state; unset = the
    # embedded GeoPackage store. Kept out of repr: it may hold a password.
    database_url: str | None = field(default=None, repr=False)
    # Where users, the audit log and a generated secret key live: the data store, or (when the app serves a
    # fixed GeoPackage) KAIHUA_DATA_STORE / var/data. None = the default store of the environment.
    state_dir: Path | None = None
    # Signs session cookies. Unset: generated once into <state_dir>/secret_key (mode 0600). Kept out of repr.
    secret_key: str | None = field(default=None, repr=False)
    https: bool = False  # session cookies marked Secure
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost")  # Host headers answered (port-agnostic)
    frame_ancestors: str = "'none'"  # CSP frame-ancestors: who may embed the pages (a wall's frame)
    rate_limit_storage: str = "memory://"  # Flask-Limiter storage (REDIS_URL when set)
    # An online tile layer under the offline visitors' map (/export/map.html); unset = no tiles, no requests.
    tiles_url: str | None = None
    # How many proxies (load balancers) in front append to X-Forwarded-For: the client's address (for rate limits
    # and the audit log) and scheme are taken from that many hops back. 0: from the connection, headers ignored.
    trusted_proxies: int = 0

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        language = env.get("KAIHUA_LANGUAGE", "zh")
        if language not in ("zh", "en"):
            raise ValueError(f"KAIHUA_LANGUAGE must be 'zh' or 'en', not {language!r}")
        return cls(
            # KAIHUA_DATA: a GeoPackage (fixed, read-only) or a data store; else the store KAIHUA_DATA_STORE
            # or var/data, which serves the shipped dataset until something is published.
            data_path=Path(env["KAIHUA_DATA"]) if env.get("KAIHUA_DATA") else default_store(env),
            audience_cap=Audience.parse(env.get("KAIHUA_AUDIENCE", "staff")),
            language=language,
            host=env.get("KAIHUA_HOST", "127.0.0.1"),
            port=int(env.get("KAIHUA_PORT", "8050")),
            debug=_bool(env.get("KAIHUA_DEBUG"), False),
            compress=_bool(env.get("KAIHUA_COMPRESS"), True),
            max_upload_mb=Limits.from_env(env).max_bytes / (1024 * 1024),
            tiles_url=env.get("KAIHUA_TILES_URL") or None,
            state_dir=default_store(env),
            secret_key=env.get("KAIHUA_SECRET_KEY") or None,
            https=_bool(env.get("KAIHUA_HTTPS"), False),
            allowed_hosts=tuple(h.strip().lower() for h in env.get("KAIHUA_ALLOWED_HOSTS",
                                                                   "127.0.0.1,localhost").split(",") if h.strip()),
            frame_ancestors=env.get("KAIHUA_FRAME_ANCESTORS") or "'none'",
            rate_limit_storage=env.get("REDIS_URL") or "memory://",
            redis_url=env.get("REDIS_URL") or None,
            database_url=env.get("DATABASE_URL") or None,
            trusted_proxies=trusted_proxies(env.get("KAIHUA_TRUSTED_PROXIES")),
        )

    def __post_init__(self) -> None:
        count = self.trusted_proxies
        if type(count) is not int or not 0 <= count <= MAX_TRUSTED_PROXIES:  # (a bool is an int, and no count)
            raise ValueError(_proxies_error(count))
        # DATABASE_URL selects PostgreSQL + PostGIS behind the same door: open_dataset(settings.data_path) then
        # serves the database's published version, wherever it is called.
        if self.database_url:
            if not is_database_url(self.database_url):
                raise ValueError("DATABASE_URL must be a postgresql:// URL")
            object.__setattr__(self, "data_path", self.database_url)

    @property
    def backend(self) -> str:
        """``"postgis"`` when the data is served from DATABASE_URL, else ``"gpkg"``."""
        return "postgis" if self.database_url else "gpkg"

    @property
    def store(self) -> Path | None:
        """The data store folder the app serves and publishes to; None when it serves a fixed GeoPackage. With a
        database the versions live there (``geodata.backend_for(settings)``) and this is the folder of the app's
        other files (:attr:`state`)."""
        if self.database_url:
            return self.state_dir if self.state_dir is not None else default_store(os.environ)
        return Path(self.data_path) if is_store(self.data_path) else None

    @property
    def state(self) -> Path:
        """The folder of users, audit log and secret key (created when first written)."""
        if self.store is not None:
            return self.store
        return self.state_dir if self.state_dir is not None else default_store(os.environ)

    @property
    def state_location(self) -> Path | str:
        """Where users and the audit log live: the database (``DATABASE_URL``), else :attr:`state`'s files."""
        return self._database() or self.state

    @property
    def content_location(self) -> Path | str | None:
        """Where the briefing's versions and the wall settings live: the database (``DATABASE_URL``), else the
        data store's files (None: a fixed GeoPackage has neither)."""
        return self._database() or self.store

    def _database(self) -> str | None:
        if self.database_url and not is_database_url(self.database_url):
            raise ValueError("DATABASE_URL must be a postgresql:// URL")  # the value is not echoed: a password
        return self.database_url or None

    @property
    def limits(self) -> Limits:
        return Limits.from_mb(self.max_upload_mb)
