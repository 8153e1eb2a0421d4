"""Settings: every REGISTRY_* variable is read, converted and checked; bad values name themselves."""

from __future__ import annotations

import pytest

from registry.config import SETTINGS, Settings
from registry.errors import ConfigurationError


def test_defaults_match_the_table() -> None:
    settings = Settings.from_env({})
    for s in SETTINGS:
        expected = s.default
        if s.type is list:
            expected = tuple(p.strip() for p in str(s.default).split(","))
        assert getattr(settings, s.name) == expected, s.name


def test_environment_overrides_each_setting() -> None:
    env = {
        "REGISTRY_DATABASE_URL": "postgresql://u@h/db",
        "REGISTRY_HOST": "0.0.0.0",
        "REGISTRY_PORT": "9000",
        "REGISTRY_WORKERS": "3",
        "REGISTRY_MAX_UPLOAD_BYTES": "1024",
        "REGISTRY_MAX_RESPONSE_ARTEFACTS": "10",
        "REGISTRY_MAX_RESPONSE_OBSERVATIONS": "20",
        "REGISTRY_LANGUAGES": "fr, ar ,en",
        "REGISTRY_CORS_ORIGINS": "https://a.example,https://b.example",
        "REGISTRY_STRUCTURE_CACHE_SIZE": "7",
        "REGISTRY_LOG_LEVEL": "debug",
    }
    assert {s.env for s in SETTINGS} == set(env), "test must cover every setting"
    s = Settings.from_env(env)
    assert s.database_url == "postgresql://u@h/db"
    assert (s.host, s.port, s.workers) == ("0.0.0.0", 9000, 3)
    assert (s.max_upload_bytes, s.max_response_artefacts, s.max_response_observations) == (
        1024,
        10,
        20,
    )
    assert s.languages == ("fr", "ar", "en")
    assert s.cors_origins == ("https://a.example", "https://b.example")
    assert s.structure_cache_size == 7
    assert s.log_level == "debug"


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"REGISTRY_PORT": "eighty"}, "REGISTRY_PORT must be an integer"),
        ({"REGISTRY_MAX_UPLOAD_BYTES": "-1"}, "REGISTRY_MAX_UPLOAD_BYTES must not be negative"),
        ({"REGISTRY_DATABASE_URL": "mysql://x"}, "REGISTRY_DATABASE_URL"),
        ({"REGISTRY_LANGUAGES": " , "}, "REGISTRY_LANGUAGES"),
        ({"REGISTRY_LOG_LEVEL": "loud"}, "REGISTRY_LOG_LEVEL"),
    ],
)
def test_bad_values_are_refused_with_the_variable_name(env: dict[str, str], needle: str) -> None:
    with pytest.raises(ConfigurationError, match=needle):
        Settings.from_env(env)


def test_sqlite_path() -> None:
    assert str(Settings().sqlite_path) == "var/registry.db"
    assert Settings(database_url="postgresql://x/y").sqlite_path is None
