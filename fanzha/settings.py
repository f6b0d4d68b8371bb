"""Every setting fanzha reads, declared once.

``SETTINGS`` is the single list. Each entry feeds a CLI option where one makes
sense, the ``FANZHA_<NAME>`` environment variable, the optional TOML config file
(``FANZHA_CONFIG`` or ``./fanzha.toml``) and ``docs/settings.md``. Precedence,
highest first: explicit value (CLI), environment, config file, default.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fanzha.errors import InputError, UnknownKindError

ENV_PREFIX = "FANZHA_"
DEFAULT_CONFIG_FILE = "fanzha.toml"


@dataclass(frozen=True)
class Setting:
    """One configurable value: its name, default, type and help text."""

    name: str
    default: Any
    help: str
    type: type = str
    secret: bool = False

    @property
    def env_var(self) -> str:
        """The environment variable that sets it, e.g. ``FANZHA_PORT``."""
        return ENV_PREFIX + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "data_dir",
        "./fanzha-data",
        "Folder for the SQLite store, trained models and quarantined rows.",
    ),
    Setting(
        "database_url",
        "",
        "SQLAlchemy URL of the store, e.g. "
        "postgresql+psycopg://postgres@127.0.0.1:5432/fanzha; "
        "empty means SQLite in data_dir.",
        secret=True,
    ),
    Setting("host", "127.0.0.1", "Address the server listens on."),
    Setting("port", 8000, "Port the server listens on.", int),
    Setting("log_level", "INFO", "Logging level: DEBUG, INFO, WARNING or ERROR."),
    Setting(
        "max_body_bytes",
        2_000_000,
        "Largest request body the API accepts, in bytes.",
        int,
    ),
    Setting("max_batch", 1000, "Most items one scoring request may carry.", int),
    Setting(
        "models_dir",
        "",
        "Folder of trained models that replace the shipped ones; "
        "empty means the models shipped with fanzha.",
    ),
    Setting("demo", False, "Load the demo data set when the server starts.", bool),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def setting(name: str) -> Setting:
    """Return the declared setting called ``name``."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise UnknownKindError(
            f"unknown setting {name!r}; known: {', '.join(sorted(_BY_NAME))}"
        ) from None


def _convert(spec: Setting, raw: Any, origin: str) -> Any:
    if spec.type is bool and isinstance(raw, str):
        lowered = raw.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off", ""}:
            return False
        raise InputError(f"{origin}: {spec.name} must be true or false, got {raw!r}")
    try:
        return spec.type(raw)
    except (TypeError, ValueError):
        raise InputError(
            f"{origin}: {spec.name} must be of type {spec.type.__name__}, got {raw!r}"
        ) from None


def read_config_file(path: Path | None) -> dict[str, Any]:
    """Read the ``[fanzha]`` table (or top level) of a TOML config file."""
    if path is None:
        candidate = os.environ.get(ENV_PREFIX + "CONFIG") or DEFAULT_CONFIG_FILE
        path = Path(candidate)
        if not path.is_file():
            return {}
    if not path.is_file():
        raise InputError(f"config file {path} does not exist; fix the path")
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"config file {path} is not valid TOML: {exc}") from None
    table = data.get("fanzha", data)
    for key in table:
        setting(key)
    return dict(table)


@dataclass(frozen=True)
class Settings:
    """Resolved settings; read fields as attributes, e.g. ``settings.port``."""

    values: Mapping[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def resolved_database_url(self) -> str:
        """The store URL: ``database_url`` or SQLite inside ``data_dir``."""
        if self.values["database_url"]:
            return str(self.values["database_url"])
        return f"sqlite:///{Path(self.values['data_dir']) / 'fanzha.db'}"

    def with_overrides(self, **overrides: Any) -> Settings:
        """Return a copy with some values replaced (``None`` keeps the old one)."""
        merged = dict(self.values)
        merged.update({k: v for k, v in overrides.items() if v is not None})
        return Settings(merged)


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    config_file: Path | None = None,
) -> Settings:
    """Resolve every setting: overrides, then environment, config file, default."""
    env = os.environ if environ is None else environ
    from_file = read_config_file(config_file)
    values: dict[str, Any] = {}
    for spec in SETTINGS:
        if overrides and overrides.get(spec.name) is not None:
            values[spec.name] = _convert(spec, overrides[spec.name], "option")
        elif spec.env_var in env:
            values[spec.name] = _convert(spec, env[spec.env_var], spec.env_var)
        elif spec.name in from_file:
            values[spec.name] = _convert(spec, from_file[spec.name], "config file")
        else:
            values[spec.name] = spec.default
    return Settings(values)


def settings_markdown() -> str:
    """Render the settings table that ``docs/settings.md`` holds."""
    lines = [
        "# Settings",
        "",
        "Each setting is read from, highest first: the CLI option, the environment",
        "variable, the `[fanzha]` table of the TOML config file (`FANZHA_CONFIG` or",
        "`./fanzha.toml`), the default. This page is generated from",
        "`fanzha.settings.SETTINGS` by `fanzha settings --format markdown`.",
        "",
        "| name | environment variable | default | meaning |",
        "|---|---|---|---|",
    ]
    for spec in SETTINGS:
        default = repr(spec.default) if spec.default != "" else "(empty)"
        lines.append(
            f"| `{spec.name}` | `{spec.env_var}` | `{default}` | {spec.help} |"
        )
    return "\n".join(lines) + "\n"
