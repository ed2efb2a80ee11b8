from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.config import Settings
from geodata import Audience


def test_defaults_are_offline_and_local():
    s = Settings.from_env({})
    assert s.host == "127.0.0.1" and s.port == 8050
    assert s.audience_cap is Audience.STAFF and s.language == "zh"


def test_reads_environment():
    s = Settings.from_env({"KAIHUA_AUDIENCE": "public", "KAIHUA_PORT": "9000", "KAIHUA_DATA": "/tmp/x.gpkg",
                           "KAIHUA_LANGUAGE": "en"})
    assert s.audience_cap is Audience.PUBLIC and s.port == 9000 and s.data_path == Path("/tmp/x.gpkg")


@pytest.mark.parametrize("env", [{"KAIHUA_AUDIENCE": "admin"}, {"KAIHUA_LANGUAGE": "fr"}, {"KAIHUA_PORT": "x"}])
def test_bad_settings_are_refused(env):
    with pytest.raises(ValueError):
        Settings.from_env(env)


def test_settings_are_frozen():
    with pytest.raises(AttributeError):
        Settings().port = 1


def test_security_settings_from_environment():
    s = Settings.from_env({"KAIHUA_SECRET_KEY": "k" * 40, "KAIHUA_HTTPS": "1",
                           "KAIHUA_ALLOWED_HOSTS": "wall.example, 10.0.0.5", "KAIHUA_FRAME_ANCESTORS": "'self'",
                           "REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert s.https and s.allowed_hosts == ("wall.example", "10.0.0.5") and s.frame_ancestors == "'self'"
    assert s.rate_limit_storage == "redis://127.0.0.1:6379/0"
    assert "k" * 40 not in repr(s)  # the secret never shows in a log of the settings
    d = Settings.from_env({})
    assert not d.https and d.allowed_hosts == ("127.0.0.1", "localhost") and d.rate_limit_storage == "memory://"
