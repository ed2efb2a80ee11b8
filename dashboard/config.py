"""Settings, read once from the environment into a frozen dataclass. No secret lives in code."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from geodata import DEFAULT_PATH, Audience


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
    # An online basemap is off unless configured: with it unset no request leaves the machine.
    basemap_url: str | None = None
    title: str = "开化县\"强富美\"乡村振兴党建示范带"
    extra: dict = field(default_factory=dict, compare=False)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        language = env.get("KAIHUA_LANGUAGE", "zh")
        if language not in ("zh", "en"):
            raise ValueError(f"KAIHUA_LANGUAGE must be 'zh' or 'en', not {language!r}")
        return cls(
            data_path=Path(env.get("KAIHUA_DATA", str(DEFAULT_PATH))),
            audience=Audience.parse(env.get("KAIHUA_AUDIENCE", "staff")),
            language=language,
            host=env.get("KAIHUA_HOST", "127.0.0.1"),
            port=int(env.get("KAIHUA_PORT", "8050")),
            debug=_bool(env.get("KAIHUA_DEBUG"), False),
            compress=_bool(env.get("KAIHUA_COMPRESS"), True),
            basemap_url=env.get("KAIHUA_BASEMAP_URL") or None,
        )
