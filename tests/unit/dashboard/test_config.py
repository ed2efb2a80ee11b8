from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.config import Settings
from geodata import Audience


def test_defaults_are_offline_and_local():
    s = Settings.from_env({})
    assert s.host == "127.0.0.1" and s.port == 8050
    assert s.audience is Audience.STAFF and s.language == "zh"


def test_reads_environment():
    s = Settings.from_env({"KAIHUA_AUDIENCE": "public", "KAIHUA_PORT": "9000", "KAIHUA_DATA": "/tmp/x.gpkg",
                           "KAIHUA_LANGUAGE": "en"})
    assert s.audience is Audience.PUBLIC and s.port == 9000 and s.data_path == Path("/tmp/x.gpkg")


@pytest.mark.parametrize("env", [{"KAIHUA_AUDIENCE": "admin"}, {"KAIHUA_LANGUAGE": "fr"}, {"KAIHUA_PORT": "x"}])
def test_bad_settings_are_refused(env):
    with pytest.raises(ValueError):
        Settings.from_env(env)


def test_settings_are_frozen():
    with pytest.raises(AttributeError):
        Settings().port = 1
