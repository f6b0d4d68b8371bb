from __future__ import annotations

from pathlib import Path

import pytest

from fanzha.errors import InputError, UnknownKindError
from fanzha.settings import SETTINGS, load_settings, settings_markdown

DOCS = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def test_defaults_apply_without_env_or_file(tmp_path):
    settings = load_settings(environ={}, config_file=_empty_config(tmp_path))
    assert settings.port == 8000
    assert settings.resolved_database_url.startswith("sqlite:///")


def _empty_config(tmp_path: Path) -> Path:
    path = tmp_path / "fanzha.toml"
    path.write_text("", "utf-8")
    return path


def test_option_beats_environment_beats_file_beats_default(tmp_path):
    config = tmp_path / "fanzha.toml"
    config.write_text("[fanzha]\nport = 7000\nhost = '0.0.0.0'\nlog_level = 'DEBUG'\n")
    env = {"FANZHA_PORT": "7500", "FANZHA_HOST": "127.0.0.2"}
    settings = load_settings({"port": 9000}, environ=env, config_file=config)
    assert settings.port == 9000
    assert settings.host == "127.0.0.2"
    assert settings.log_level == "DEBUG"
    assert settings.max_batch == 1000


def test_environment_value_of_wrong_type_names_the_variable(tmp_path):
    with pytest.raises(InputError, match="FANZHA_PORT"):
        load_settings(
            environ={"FANZHA_PORT": "eighty"}, config_file=_empty_config(tmp_path)
        )


def test_boolean_settings_read_words(tmp_path):
    settings = load_settings(
        environ={"FANZHA_DEMO": "yes"}, config_file=_empty_config(tmp_path)
    )
    assert settings.demo is True


def test_unknown_key_in_config_file_is_rejected(tmp_path):
    config = tmp_path / "fanzha.toml"
    config.write_text("[fanzha]\nprot = 1\n")
    with pytest.raises(UnknownKindError, match="prot"):
        load_settings(environ={}, config_file=config)


def test_broken_config_file_is_reported(tmp_path):
    config = tmp_path / "fanzha.toml"
    config.write_text("[fanzha\n")
    with pytest.raises(InputError, match="not valid TOML"):
        load_settings(environ={}, config_file=config)


def test_database_url_from_environment_replaces_sqlite(tmp_path):
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    settings = load_settings(
        environ={"FANZHA_DATABASE_URL": url}, config_file=_empty_config(tmp_path)
    )
    assert settings.resolved_database_url == url


def test_every_setting_is_documented():
    assert DOCS.read_text("utf-8") == settings_markdown(), (
        "docs/settings.md is stale: run 'fanzha settings --format markdown > "
        "docs/settings.md'"
    )
    for spec in SETTINGS:
        assert spec.help.endswith(".") or spec.help.endswith(")")
