from __future__ import annotations

from pathlib import Path

import pytest

from aban.config import Settings, load_settings, write_default_config
from aban.errors import ConfigError


def test_precedence_defaults_file_environment_flags(tmp_path: Path) -> None:
    assert load_settings(tmp_path, environ={}) == Settings()
    (tmp_path / "aban.toml").write_text("[settings]\nmax_age = 110\nactor = 'team'\n")
    assert load_settings(tmp_path, environ={}).max_age == 110
    env = {"ABAN_MAX_AGE": "100"}
    assert load_settings(tmp_path, environ=env).max_age == 100
    assert load_settings(tmp_path, {"max_age": 90}, environ=env).max_age == 90
    assert load_settings(tmp_path, environ=env).actor == "team"


def test_every_invalid_setting_is_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / "aban.toml").write_text(
        "[settings]\nmax_age = 'old'\nmax_cell_length = 0\ncolour = 'red'\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, environ={})
    assert str(caught.value) == (
        f"{tmp_path / 'aban.toml'}: setting 'max_age' must be a whole number; "
        "unknown setting 'colour'; setting 'max_cell_length' must be at least 1"
    )


def test_broken_toml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "aban.toml").write_text("[settings\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, environ={})
    assert str(caught.value).startswith(f"{tmp_path / 'aban.toml'}: not valid TOML")


def test_default_config_round_trips(tmp_path: Path) -> None:
    write_default_config(tmp_path)
    assert load_settings(tmp_path, environ={}) == Settings()


def test_every_setting_has_help() -> None:
    import dataclasses

    for f in dataclasses.fields(Settings):
        assert f.metadata.get("help"), f.name


def test_every_setting_is_documented() -> None:
    import dataclasses

    docs = (Path(__file__).resolve().parents[1] / "docs" / "settings.md").read_text()
    for f in dataclasses.fields(Settings):
        assert f"`{f.name}`" in docs and f"`ABAN_{f.name.upper()}`" in docs
