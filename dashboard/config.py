"""Settings, read once from the environment into a frozen dataclass. No secret lives in code."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from geodata import DEFAULT_PATH, Audience
from geodata.io.safety import Limits
from geodata.store import default_store, is_store


def _bool(value: str | None, default: bool) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Everything the app reads from the environment (prefix ``KAIHUA_``)."""

    data_path: Path = DEFAULT_PATH
    audience: Audience = Audience.STAFF
    language: str = "zh"
    host: str = "127.0.0.1"
    port: int = 8050
    debug: bool = False
    compress: bool = True
    title: str = "开化县\"强富美\"乡村振兴党建示范带"
    # Publishing and rollback need this token, typed by the user; unset = no admin actions. Kept out of repr
    # so that logging the settings never shows it.
    admin_token: str | None = field(default=None, repr=False)
    max_upload_mb: float = 50.0
    # Shared state across workers and servers (presenter rooms, ...); unset = the data store's folders.
    redis_url: str | None = field(default=None, repr=False)

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
            audience=Audience.parse(env.get("KAIHUA_AUDIENCE", "staff")),
            language=language,
            host=env.get("KAIHUA_HOST", "127.0.0.1"),
            port=int(env.get("KAIHUA_PORT", "8050")),
            debug=_bool(env.get("KAIHUA_DEBUG"), False),
            compress=_bool(env.get("KAIHUA_COMPRESS"), True),
            admin_token=env.get("KAIHUA_ADMIN_TOKEN") or None,
            max_upload_mb=Limits.from_env(env).max_bytes / (1024 * 1024),
            redis_url=env.get("REDIS_URL") or None,
        )

    @property
    def store(self) -> Path | None:
        """The data store the app serves and publishes to; None when it serves a fixed GeoPackage."""
        return self.data_path if is_store(self.data_path) else None

    @property
    def limits(self) -> Limits:
        return Limits.from_mb(self.max_upload_mb)
