"""Workspace settings: defaults < aban.toml < ABAN_* environment variables < CLI flags.

``aban.toml`` holds settings and the publication policy, never personal data.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from aban.errors import ConfigError

CONFIG_NAME = "aban.toml"


@dataclass(frozen=True)
class Settings:
    """Every setting of a workspace, with its default and help text."""

    max_cell_length: int = field(
        default=10_000,
        metadata={
            "help": "longest cell (characters) an import accepts; longer is an issue"
        },
    )
    max_age: int = field(
        default=120,
        metadata={"help": "largest plausible age in years; above is an issue"},
    )
    earliest_date: str = field(
        default="1900-01-01",
        metadata={"help": "dates before this (ISO) are reported as impossible"},
    )
    actor: str = field(
        default="cli",
        metadata={"help": "name recorded in the audit log for CLI writes"},
    )
    serve_tls_cert: str = field(
        default="",
        metadata={
            "help": "TLS certificate (PEM file; relative to the workspace) of 'aban "
            "serve': with serve_tls_key the app speaks HTTPS only"
        },
    )
    serve_tls_key: str = field(
        default="",
        metadata={"help": "the unencrypted private key (PEM file) of serve_tls_cert"},
    )
    serve_hosts: str = field(
        default="",
        metadata={
            "help": "host names 'aban serve' answers to besides this computer's, "
            "comma-separated; needed to listen on every interface"
        },
    )
    serve_trusted_proxy: str = field(
        default="",
        metadata={
            "help": "addresses or networks (comma-separated) of the reverse proxy "
            "whose X-Forwarded-For and X-Forwarded-Proto 'aban serve' believes; "
            "'' believes no one"
        },
    )
    serve_request_timeout: int = field(
        default=15,
        metadata={
            "help": "seconds a client of 'aban serve' has to send a whole request "
            "(headers and body); slower connections are closed"
        },
    )
    serve_max_connections: int = field(
        default=100,
        metadata={
            "help": "connections 'aban serve' holds open at once; more are closed "
            "at once"
        },
    )

    serve_two_factor: str = field(
        default="optional",
        metadata={
            "help": "two-factor sign-in (TOTP codes) in 'aban serve': 'optional' "
            "(each user may enrol; an admin may require it per user) or "
            "'required' (of every user, who enrols at the next sign-in)"
        },
    )
    serve_session_hours: int = field(
        default=12,
        metadata={
            "help": "hours a sign-in to 'aban serve' lasts at most, however busy"
        },
    )
    serve_session_idle_minutes: int = field(
        default=30,
        metadata={
            "help": "minutes without a request after which a sign-in to 'aban "
            "serve' ends"
        },
    )

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _validate(values: Mapping[str, Any]) -> list[str]:
    errors = []
    known = {f.name: f for f in dataclasses.fields(Settings)}
    for name, value in values.items():
        if name not in known:
            errors.append(f"unknown setting {name!r}")
        elif known[name].type == "int" and not isinstance(value, int):
            errors.append(f"setting {name!r} must be a whole number")
        elif known[name].type == "str" and not isinstance(value, str):
            errors.append(f"setting {name!r} must be text")
    for name in (
        "max_cell_length",
        "serve_request_timeout",
        "serve_max_connections",
        "serve_session_hours",
        "serve_session_idle_minutes",
    ):
        if isinstance(values.get(name), int) and values[name] < 1:
            errors.append(f"setting {name!r} must be at least 1")
    if values.get("serve_two_factor", "optional") not in ("optional", "required"):
        errors.append("setting 'serve_two_factor' must be 'optional' or 'required'")
    return errors


def _from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in dataclasses.fields(Settings):
        raw = environ.get(f"ABAN_{f.name.upper()}")
        if raw is None:
            continue
        if f.type == "int":
            try:
                values[f.name] = int(raw)
            except ValueError:
                values[f.name] = raw  # reported by _validate
        else:
            values[f.name] = raw
    return values


def load_settings(
    workspace: Path,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve the settings of ``workspace``.

    Raises:
        ConfigError: aban.toml is unreadable or a value is invalid (all reported
            at once).
    """
    values: dict[str, Any] = {}
    path = workspace / CONFIG_NAME
    if path.is_file():
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise ConfigError(
                f"{path}: not valid TOML ({err}); fix or recreate it"
            ) from err
        values.update(document.get("settings", {}))
    values.update(_from_environment(os.environ if environ is None else environ))
    values.update(overrides or {})
    errors = _validate(values)
    if errors:
        raise ConfigError(f"{path}: " + "; ".join(errors))
    return Settings(**values)


def load_section(workspace: Path, name: str) -> dict[str, Any]:
    """The table ``[name]`` of the workspace's aban.toml (empty when absent).

    Sections other than ``[settings]`` belong to the stage that reads them (for
    example ``[grading]`` and ``[event]``); that stage validates its own keys.

    Raises:
        ConfigError: aban.toml is unreadable, or ``[name]`` is not a table.
    """
    path = workspace / CONFIG_NAME
    if not path.is_file():
        return {}
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(
            f"{path}: not valid TOML ({err}); fix or recreate it"
        ) from err
    section = document.get(name, {})
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [{name}] must be a table")
    return section


def write_default_config(workspace: Path) -> None:
    """Write a fresh aban.toml with every setting at its default."""
    document = {
        "aban": {"format": 1},
        "settings": Settings().to_dict(),
    }
    (workspace / CONFIG_NAME).write_text(tomli_w.dumps(document), encoding="utf-8")
