"""Config file: precedence CLI > env > host > pattern > defaults, and what it refuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.cli.conftest import Run
from wua.cli.config import ConfigError, load_config, parse_config
from wua.cli.connection import CredentialArgs, resolve_connect_options
from wua.cli.exit_codes import ExitCode

CONFIG = """
[defaults]
domain = "DEFAULTDOM"
auth_level = "privacy"
connect_timeout = 5
call_timeout = 1200
username = "default-user"

[hosts."SRV01.corp.example"]
username = "host-user"
auth_level = "integrity"

[patterns."*.corp.example"]
username = "pattern-user"
domain = "CORP"
connect_timeout = 7
port = 1135

[patterns."srv*"]
domain = "SECOND"
kerberos = true
"""


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, "utf-8")
    return path


def _show(
    run: Run, host: str, *args: str, env: dict[str, str] | None = None, config: Path | None = None
) -> dict[str, Any]:
    first = ["--config", str(config)] if config else []
    result = run(*first, "config", "show", host, "--format", "json", *args, env=env)
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def _values(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v["value"] for k, v in doc.items()}


def test_host_section_beats_pattern_beats_defaults(run: Run, config_file: Path) -> None:
    doc = _show(run, "srv01.corp.example", env={"WUA_CONFIG": str(config_file)})
    assert _values(doc) == {
        "host": "srv01.corp.example",
        "port": 1135,
        "username": "host-user",
        "domain": "CORP",
        "password": None,
        "nt_hash": None,
        "kerberos": True,
        "auth_level": "integrity",
        "connect_timeout": 7.0,
        "call_timeout": 1200.0,
    }
    assert doc["username"]["source"] == f"{config_file} [hosts.SRV01.corp.example]"
    assert doc["domain"]["source"] == f"{config_file} [patterns.*.corp.example]"
    assert doc["call_timeout"]["source"] == f"{config_file} [defaults]"
    assert doc["password"]["source"] == ""  # Kerberos: no password needed


def test_defaults_and_builtins_for_an_unlisted_host(run: Run, config_file: Path) -> None:
    doc = _show(run, "10.0.0.9", config=config_file)
    values = _values(doc)
    assert (values["username"], values["domain"], values["port"]) == (
        "default-user",
        "DEFAULTDOM",
        135,
    )
    assert doc["port"]["source"] == "built-in default"
    assert values["kerberos"] is False


def test_env_beats_config_and_cli_beats_env(run: Run, config_file: Path) -> None:
    env = {
        "WUA_CONFIG": str(config_file),
        "WUA_USER": "ENVDOM\\env-user",
        "WUA_AUTH_LEVEL": "connect",
    }
    doc = _show(run, "srv01.corp.example", env=env)
    assert (doc["username"]["value"], doc["domain"]["value"]) == ("env-user", "ENVDOM")
    assert doc["username"]["source"] == "WUA_USER"
    assert doc["auth_level"] == {"value": "connect", "source": "WUA_AUTH_LEVEL"}
    doc = _show(
        run,
        "srv01.corp.example",
        "-u",
        "cli-user@cli.example",
        "--auth-level",
        "privacy",
        "--port",
        "2135",
        "--connect-timeout",
        "3",
        env=env,
    )
    assert _values(doc) | {} == _values(doc)
    assert (doc["username"]["value"], doc["domain"]["value"]) == ("cli-user", "cli.example")
    assert doc["auth_level"] == {"value": "privacy", "source": "command line"}
    assert doc["port"] == {"value": 2135, "source": "command line"}
    assert doc["connect_timeout"] == {"value": 3.0, "source": "command line"}


def test_cli_config_option_beats_env(run: Run, config_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.toml"
    other.write_text('[defaults]\nusername = "other-user"\n', "utf-8")
    doc = _show(run, "x", config=other, env={"WUA_CONFIG": str(config_file)})
    assert doc["username"]["value"] == "other-user"


def test_user_without_domain_takes_domain_from_config(run: Run, config_file: Path) -> None:
    doc = _show(run, "srv01.corp.example", "-u", "bob", config=config_file)
    assert (doc["username"]["value"], doc["domain"]["value"]) == ("bob", "CORP")


def test_default_location(run: Run, home: Path) -> None:
    folder = home / ".config" / "wua"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text('[defaults]\nusername = "home-user"\n', "utf-8")
    assert _show(run, "x")["username"]["value"] == "home-user"


def test_password_file_from_config_relative_to_config(run: Run, tmp_path: Path) -> None:
    secret = tmp_path / "srv.pw"
    secret.write_text("hunter2-from-file\n", "utf-8")
    secret.chmod(0o600)
    path = tmp_path / "config.toml"
    path.write_text('[hosts.srv]\nusername = "bob"\npassword_file = "srv.pw"\n', "utf-8")
    result = run("--config", str(path), "config", "show", "srv", "-f", "json", "--read-password")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["password"]["value"] == "********"
    assert str(secret) in doc["password"]["source"]
    assert "hunter2" not in result.output


BROKEN = [
    ('[defaults]\npassword = "hunter2"\n', "secrets are not allowed"),
    ('[hosts.srv]\nnt_hash = "8846f7eaee8fb117ad06bdd830b7586c"\n', "secrets are not allowed"),
    ('password = "hunter2"\n', "secrets are not allowed"),
    ('[defaults]\nusernme = "typo"\n', "unknown key 'usernme'"),
    ('[defaults]\nauth_level = "none"\n', "auth_level must be one of privacy, integrity, connect"),
    ("[defaults]\nconnect_timeout = -1\n", "positive number of seconds"),
    ("[defaults]\nport = 70000\n", "TCP port"),
    ('[defaults]\nkerberos = "yes"\n', "true or false"),
    ('[servers.x]\nusername = "a"\n', "unknown top-level entries"),
    ("[defaults\n", "not valid TOML"),
    ('[hosts]\nsrv = "x"\n', "must be a table"),
]


@pytest.mark.parametrize(("text", "message"), BROKEN)
def test_broken_config(text: str, message: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        parse_config(text, tmp_path / "c.toml")
    assert "hunter2" not in info.value.message
    assert "8846f7ea" not in info.value.message


def test_broken_config_exits_2(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[defaults]\npassword = "hunter2"\n', "utf-8")
    result = run("config", "show", "x", env={"WUA_CONFIG": str(path)})
    assert result.exit_code == ExitCode.USAGE
    assert "secrets are not allowed" in result.stderr
    assert "password_file" in result.stderr
    assert "hunter2" not in result.output


def test_missing_explicit_config_is_an_error_missing_default_is_not(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(str(tmp_path / "nope.toml"), {})
    assert load_config(None, {"HOME": str(tmp_path)}).hosts == ()


def test_patterns_match_case_insensitively_in_file_order(tmp_path: Path) -> None:
    cfg = parse_config(CONFIG, tmp_path / "c.toml")
    labels = [s.label for s in cfg.layers_for("SRV02.CORP.EXAMPLE")]
    assert labels == ["patterns.*.corp.example", "patterns.srv*", "defaults"]
    assert cfg.lookup("srv02.corp.example", "domain") == (
        "CORP",
        f"{tmp_path / 'c.toml'} [patterns.*.corp.example]",
    )
    assert cfg.lookup("elsewhere", "port") is None


# Property: for any subset of layers that set auth_level, the highest one present wins.
LAYER_ORDER = ("cli", "env", "host", "pattern", "defaults")
LEVELS = ("privacy", "integrity", "connect")


@given(st.dictionaries(st.sampled_from(LAYER_ORDER), st.sampled_from(LEVELS)))
def test_highest_layer_wins(layers: dict[str, str]) -> None:
    lines = []
    if "defaults" in layers:
        lines += ["[defaults]", f'auth_level = "{layers["defaults"]}"']
    if "host" in layers:
        lines += ['[hosts."srv01.corp.example"]', f'auth_level = "{layers["host"]}"']
    if "pattern" in layers:
        lines += ['[patterns."*.corp.example"]', f'auth_level = "{layers["pattern"]}"']
    cfg = parse_config("\n".join(lines) + "\n", Path("/etc/wua.toml"))
    environ = {"WUA_AUTH_LEVEL": layers["env"]} if "env" in layers else {}
    resolved = resolve_connect_options(
        "SRV01.corp.example",
        CredentialArgs(auth_level=layers.get("cli"), kerberos=True),
        cfg,
        environ,
        prompt=None,
        warn=lambda _: None,
    )
    winner = next((layer for layer in LAYER_ORDER if layer in layers), None)
    expected = layers[winner] if winner else "privacy"
    assert resolved.options.auth_level == expected
    source = resolved.sources["auth_level"]
    expected_source = {
        None: "built-in default",
        "cli": "command line",
        "env": "WUA_AUTH_LEVEL",
        "host": "/etc/wua.toml [hosts.srv01.corp.example]",
        "pattern": "/etc/wua.toml [patterns.*.corp.example]",
        "defaults": "/etc/wua.toml [defaults]",
    }[winner]
    assert source == expected_source


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"WUA_AUTH_LEVEL": "none"}, "WUA_AUTH_LEVEL: auth level 'none' is not one of"),
        ({"WUA_USER": "CORP\\"}, "is not DOMAIN\\user"),
    ],
)
def test_bad_environment_is_usage_error(run: Run, env: dict[str, str], message: str) -> None:
    result = run("config", "show", "srv01", env=env)
    assert result.exit_code == ExitCode.USAGE
    assert message in result.stderr


def test_empty_environment_values_count_as_unset(run: Run) -> None:
    result = run(
        "config",
        "show",
        "srv01",
        "-f",
        "json",
        env={"WUA_USER": "", "WUA_AUTH_LEVEL": "", "WUA_PASSWORD": ""},
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["username"]["value"] is None
    assert doc["auth_level"] == {"value": "privacy", "source": "built-in default"}
