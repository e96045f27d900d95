"""The config file: defaults, per-host and glob-pattern sections, never secrets.

    [defaults]
    domain = "CORP"
    auth_level = "privacy"

    [hosts."srv01.corp.example"]
    username = "CORP\\patchadmin"
    password_file = "~/.config/wua/srv01.password"

    [patterns."*.lab.example"]
    username = "labadmin"
    kerberos = false

Lookup for one host, highest first: its `hosts` section, every `patterns` section whose
glob matches (in file order), `defaults`. Host names match case-insensitively. Unknown
keys are errors (a typo must not silently fall back to a default), and so is any key
that holds a secret: a config file is copied, backed up and committed far more often
than a password file.
"""

from __future__ import annotations

import fnmatch
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from wua.cli.connect_options import AuthLevel

CONFIG_ENV = "WUA_CONFIG"


class ConfigError(click.ClickException):
    """The config file is unusable; exit code 2 (a usage problem, not a host problem)."""

    exit_code = 2


def _text(key: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{key} must be a non-empty string")
    return value


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{key} must be true or false")
    return value


def _seconds(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"{key} must be a positive number of seconds")
    return float(value)


def _port(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise ValueError(f"{key} must be a TCP port (1-65535)")
    return value


def _auth_level(key: str, value: Any) -> AuthLevel:
    choices = [level.value for level in AuthLevel]
    if value not in choices:
        raise ValueError(f"{key} must be one of {', '.join(choices)}")
    return AuthLevel(value)


# One row per key a section may hold: the key and the check that also converts it.
SETTINGS: dict[str, Callable[[str, Any], Any]] = {
    "username": _text,
    "domain": _text,
    "password_file": _text,
    "kerberos": _bool,
    "auth_level": _auth_level,
    "port": _port,
    "connect_timeout": _seconds,
    "call_timeout": _seconds,
}

SECRET_KEYS = frozenset(
    {
        "password",
        "passwd",
        "pass",
        "pwd",
        "secret",
        "nt_hash",
        "hash",
        "nthash",
        "lm_hash",
        "token",
        "ticket",
    }
)


@dataclass(frozen=True)
class Section:
    """One table of the file; `label` names it in messages ("hosts.srv01", "defaults")."""

    label: str
    values: Mapping[str, Any]


@dataclass(frozen=True)
class Config:
    path: Path | None
    defaults: Section
    hosts: tuple[tuple[str, Section], ...] = ()
    patterns: tuple[tuple[str, Section], ...] = ()

    def layers_for(self, host: str) -> tuple[Section, ...]:
        wanted = host.lower()
        exact = tuple(s for name, s in self.hosts if name.lower() == wanted)
        globbed = tuple(
            s for pattern, s in self.patterns if fnmatch.fnmatchcase(wanted, pattern.lower())
        )
        return (*exact, *globbed, self.defaults)

    def lookup(self, host: str, key: str) -> tuple[Any, str] | None:
        """The value for `key` and the label of the section it came from, or None."""
        for section in self.layers_for(host):
            if key in section.values:
                return section.values[key], self.describe(section)
        return None

    def describe(self, section: Section) -> str:
        where = str(self.path) if self.path else "config"
        return f"{where} [{section.label}]"

    def resolve_path(self, value: str) -> Path:
        """A path from the file: `~` expanded, relative paths taken from the file's folder."""
        path = Path(value).expanduser()
        if not path.is_absolute() and self.path is not None:
            path = self.path.parent / path
        return path


EMPTY_CONFIG = Config(path=None, defaults=Section("defaults", {}))


def default_config_path(environ: Mapping[str, str]) -> Path:
    base = environ.get("XDG_CONFIG_HOME") or os.path.join(environ.get("HOME", "~"), ".config")
    return Path(base).expanduser() / "wua" / "config.toml"


def choose_config_path(cli_value: str | None, environ: Mapping[str, str]) -> tuple[Path, bool]:
    """The file to read and whether it was asked for (--config > WUA_CONFIG > the default).

    A file that was asked for must exist; the default file is optional.
    """
    if cli_value:
        return Path(cli_value).expanduser(), True
    if environ.get(CONFIG_ENV):
        return Path(environ[CONFIG_ENV]).expanduser(), True
    return default_config_path(environ), False


def _section(label: str, table: Any, path: Path) -> Section:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{label}] must be a table")
    values: dict[str, Any] = {}
    for key, raw in table.items():
        if key.lower() in SECRET_KEYS:
            raise ConfigError(
                f"{path}: [{label}] {key}: secrets are not allowed in the config file; "
                "put the password in a file readable only by you and set password_file"
            )
        check = SETTINGS.get(key)
        if check is None:
            raise ConfigError(
                f"{path}: [{label}] unknown key {key!r}; known keys: {', '.join(SETTINGS)}"
            )
        try:
            values[key] = check(key, raw)
        except ValueError as exc:
            raise ConfigError(f"{path}: [{label}] {exc}") from None
    return Section(label, values)


def _named_sections(kind: str, table: Any, path: Path) -> tuple[tuple[str, Section], ...]:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{kind}] must be a table of tables")
    return tuple((name, _section(f"{kind}.{name}", body, path)) for name, body in table.items())


def parse_config(text: str, path: Path) -> Config:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(document) - {"defaults", "hosts", "patterns"}
    if unknown:
        if unknown & SECRET_KEYS:
            raise ConfigError(f"{path}: secrets are not allowed in the config file")
        raise ConfigError(
            f"{path}: unknown top-level entries {sorted(unknown)}; "
            'expected [defaults], [hosts."name"] and [patterns."glob"]'
        )
    return Config(
        path=path,
        defaults=_section("defaults", document.get("defaults", {}), path),
        hosts=_named_sections("hosts", document.get("hosts", {}), path),
        patterns=_named_sections("patterns", document.get("patterns", {}), path),
    )


def load_config(cli_value: str | None, environ: Mapping[str, str]) -> Config:
    path, explicit = choose_config_path(cli_value, environ)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        if explicit:
            raise ConfigError(f"config file {path} does not exist") from None
        return EMPTY_CONFIG
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    return parse_config(text, path)
