"""Credential parsing and the guarantee that a secret never shows up anywhere."""

from __future__ import annotations

import logging
import pickle
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.cli.conftest import Run
from wua.cli.config import EMPTY_CONFIG
from wua.cli.connect_options import ConnectOptions
from wua.cli.connection import CredentialArgs, resolve_connect_options
from wua.cli.credentials import (
    Account,
    CredentialError,
    parse_account,
    read_password_file,
    validate_nt_hash,
)
from wua.cli.exit_codes import ExitCode
from wua.cli.secret import MASK, Secret

PASSWORD = "S3cr3t-Pa55!word"
NT_HASH = "8846F7EAEE8FB117AD06BDD830B7586C"

ACCOUNT_VECTORS = [
    ("CORP\\patchadmin", Account("patchadmin", "CORP")),
    ("patchadmin@corp.example", Account("patchadmin", "corp.example")),
    ("Administrator", Account("Administrator", None)),
    (".\\Administrator", Account("Administrator", ".")),
    ("  CORP\\bob ", Account("bob", "CORP")),
    ("first.last@sub.corp.example", Account("first.last", "sub.corp.example")),
]


@pytest.mark.parametrize(("text", "account"), ACCOUNT_VECTORS)
def test_parse_account(text: str, account: Account) -> None:
    assert parse_account(text) == account


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("CORP\\", "is not DOMAIN\\\\user"),
        ("\\bob", "is not DOMAIN\\\\user"),
        ("A\\B\\c", "is not DOMAIN\\\\user"),
        ("bob@", "is not user@domain"),
        ("@corp", "is not user@domain"),
        ("CORP\\bob@corp", "mixes"),
    ],
)
def test_bad_accounts(text: str, message: str) -> None:
    with pytest.raises(CredentialError, match=message):
        parse_account(text)


_names = st.text(
    alphabet=st.characters(blacklist_characters="\\@", blacklist_categories=("Cs", "Z", "C")),
    min_size=1,
    max_size=20,
)


@given(_names, _names)
def test_both_account_spellings_parse_to_the_same_account(user: str, domain: str) -> None:
    assert parse_account(f"{domain}\\{user}") == Account(user, domain)
    assert parse_account(f"{user}@{domain}") == Account(user, domain)
    assert parse_account(user) == Account(user, None)


def test_auth_levels_map_to_rpc_levels() -> None:
    from wua.cli.connect_options import AuthLevel
    from wua.rpc.security.base import AuthLevel as Rpc

    assert [a.rpc for a in AuthLevel] == [Rpc.PKT_PRIVACY, Rpc.PKT_INTEGRITY, Rpc.CONNECT]


NT_HASH_VECTORS = [
    (NT_HASH, NT_HASH.lower()),
    (NT_HASH.lower(), NT_HASH.lower()),
    (f"aad3b435b51404eeaad3b435b51404ee:{NT_HASH}", NT_HASH.lower()),
    (f":{NT_HASH}", NT_HASH.lower()),
]


@pytest.mark.parametrize(("text", "value"), NT_HASH_VECTORS)
def test_nt_hash(text: str, value: str) -> None:
    secret = validate_nt_hash(text)
    assert secret.reveal() == value
    assert value not in repr(secret)


@pytest.mark.parametrize(
    "text",
    [NT_HASH[:-1], NT_HASH + "0", "g" * 32, "", "zz:" + NT_HASH, "0x" + NT_HASH[:30]],
)
def test_bad_nt_hash_never_echoed(text: str) -> None:
    with pytest.raises(CredentialError) as info:
        validate_nt_hash(text)
    assert "32 hex digits" in str(info.value)
    if text:
        assert text not in str(info.value)


def test_secret_hides_its_value() -> None:
    secret = Secret(PASSWORD, source="test")
    for shown in (repr(secret), str(secret), f"{secret}", f"{secret!r}", format(secret, ">20")):
        assert PASSWORD not in shown
    assert str(secret) == MASK
    assert secret.reveal() == PASSWORD
    with pytest.raises(TypeError):
        pickle.dumps(secret)
    options = ConnectOptions("h", 135, "u", None, secret, None, False, "privacy", 1.0, 2.0)  # type: ignore[arg-type]
    assert PASSWORD not in repr(options)
    assert PASSWORD not in str(options)


def test_command_line_arguments_hide_secrets() -> None:
    args = CredentialArgs(
        user="bob", password=Secret(PASSWORD, source="--password"), nt_hash=NT_HASH
    )
    _no_leak(repr(args))
    _no_leak(str(args))


@given(st.text(), st.text())
def test_repr_and_str_do_not_depend_on_the_value(value: str, other: str) -> None:
    secret, decoy = Secret(value, source="x"), Secret(other, source="x")
    assert repr(secret) == repr(decoy)
    assert str(secret) == str(decoy) == f"{secret}" == MASK


def _password_file(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "password"
    path.write_text(text, "utf-8")
    path.chmod(mode)
    return path


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (f"{PASSWORD}\n", PASSWORD),
        (f"{PASSWORD}\r\nsecond line\n", PASSWORD),
        (f" {PASSWORD} ", f" {PASSWORD} "),
        (PASSWORD, PASSWORD),
    ],
)
def test_password_file_first_line(tmp_path: Path, content: str, expected: str) -> None:
    assert read_password_file(_password_file(tmp_path, content)).reveal() == expected


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660, 0o602])
def test_password_file_readable_by_others_is_refused(tmp_path: Path, mode: int) -> None:
    path = _password_file(tmp_path, PASSWORD, mode)
    with pytest.raises(CredentialError, match="chmod 600") as info:
        read_password_file(path)
    assert PASSWORD not in str(info.value)


def test_password_file_problems(tmp_path: Path) -> None:
    with pytest.raises(CredentialError, match="cannot read"):
        read_password_file(tmp_path / "missing")
    with pytest.raises(CredentialError, match="is empty"):
        read_password_file(_password_file(tmp_path, "\nsecond\n"))
    with pytest.raises(CredentialError, match="not a regular file"):
        read_password_file(tmp_path)


def _resolve(
    args: CredentialArgs, environ: dict[str, str] | None = None, answer: str | None = None
) -> tuple[ConnectOptions, list[str], list[str]]:
    warnings: list[str] = []
    prompts: list[str] = []

    def prompt(text: str) -> str:
        prompts.append(text)
        assert answer is not None
        return answer

    resolved = resolve_connect_options(
        "srv01", args, EMPTY_CONFIG, environ or {}, prompt=prompt, warn=warnings.append
    )
    return resolved.options, warnings, prompts


def test_password_sources_in_order(tmp_path: Path) -> None:
    file = _password_file(tmp_path, "from-file\n")
    env = {"WUA_PASSWORD": "from-env"}
    user = "CORP\\bob"
    opts, warnings, _ = _resolve(
        CredentialArgs(user=user, password=Secret("from-cli", source="--password")), env
    )
    assert (opts.secret.reveal(), opts.secret.source) == ("from-cli", "--password")  # type: ignore[union-attr]
    assert warnings and "ps" in warnings[0]
    opts, warnings, _ = _resolve(CredentialArgs(user=user, password_file=str(file)), env)
    assert opts.secret.reveal() == "from-file" and not warnings  # type: ignore[union-attr]
    opts, _, prompts = _resolve(CredentialArgs(user=user), env)
    assert opts.secret.reveal() == "from-env" and not prompts  # type: ignore[union-attr]
    opts, _, prompts = _resolve(CredentialArgs(user=user), {}, answer="typed")
    assert opts.secret.reveal() == "typed"  # type: ignore[union-attr]
    assert prompts == ["Password for CORP\\bob on srv01"]


def test_no_prompt_for_kerberos_or_nt_hash() -> None:
    opts, _, prompts = _resolve(CredentialArgs(user="bob@corp", kerberos=True))
    assert opts.kerberos and opts.secret is None and not prompts
    # a password given without the prompt gets a ticket instead of the cache's
    opts, _, prompts = _resolve(
        CredentialArgs(user="bob@corp", kerberos=True), {"WUA_PASSWORD": "pw"}
    )
    assert opts.kerberos and opts.secret is not None and opts.secret.reveal() == "pw"
    assert not prompts
    opts, _, prompts = _resolve(CredentialArgs(user="bob", nt_hash=NT_HASH))
    assert opts.secret is None and not prompts
    assert opts.nt_hash_bytes() == bytes.fromhex(NT_HASH)


@pytest.mark.parametrize(
    "args",
    [
        CredentialArgs(user="bob", kerberos=True, nt_hash=NT_HASH),
        CredentialArgs(user="bob", nt_hash=NT_HASH, password=Secret("x", source="t")),
    ],
)
def test_conflicting_sources(args: CredentialArgs) -> None:
    with pytest.raises(CredentialError):
        _resolve(args)


# Through the command line: the secret must not appear in stdout, stderr or logs.


def _no_leak(text: str) -> None:
    assert PASSWORD not in text
    assert NT_HASH.lower() not in text.lower()


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_password_on_command_line_warns_and_never_shows(
    run: Run, fmt: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        result = run(
            "--debug",
            "config",
            "show",
            "srv01",
            "-u",
            "CORP\\bob",
            "--password",
            PASSWORD,
            "--format",
            fmt,
        )
    assert result.exit_code == 0, result.output
    assert "WARNING: --password puts the password in the process list" in result.stderr
    assert MASK in result.stdout
    _no_leak(result.output)
    _no_leak(caplog.text)
    assert "password taken from the command line" in caplog.text
    assert "connection options for srv01: ConnectOptions(" in caplog.text
    assert "secret=Secret(********, source='--password')" in caplog.text


def test_env_password(run: Run, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        result = run(
            "--debug",
            "config",
            "show",
            "srv01",
            "-u",
            "bob@corp.example",
            "-f",
            "json",
            "--read-password",
            env={"WUA_PASSWORD": PASSWORD},
        )
    assert result.exit_code == 0
    assert '"password": {"value": "********", "source": "WUA_PASSWORD"}' in result.stdout
    assert '"domain": {"value": "corp.example", "source": "command line"}' in result.stdout
    assert "WARNING" not in result.stderr
    _no_leak(result.output)
    _no_leak(caplog.text)


def test_prompt_reads_without_echo(run: Run, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        result = run(
            "--debug",
            "config",
            "show",
            "srv01",
            "-u",
            "CORP\\bob",
            "--read-password",
            "-f",
            "csv",
            input=PASSWORD + "\n",
        )
    assert result.exit_code == 0, result.output
    assert "Password for CORP\\bob on srv01" in result.stderr
    assert result.stdout.startswith("setting,value,source\n")
    assert "password,********,prompt" in result.stdout
    _no_leak(result.output)
    _no_leak(caplog.text)


def test_password_file_through_cli(run: Run, tmp_path: Path) -> None:
    path = _password_file(tmp_path, PASSWORD + "\n")
    result = run(
        "config",
        "show",
        "srv01",
        "-u",
        "bob",
        "--password-file",
        str(path),
        "--read-password",
        "-f",
        "csv",
    )
    assert result.exit_code == 0
    assert f"password,********,--password-file {path}" in result.stdout
    _no_leak(result.output)
    path.chmod(0o644)
    result = run("config", "show", "srv01", "-u", "bob", "--password-file", str(path))
    assert result.exit_code == ExitCode.USAGE
    assert "chmod 600" in result.stderr
    _no_leak(result.output)


@pytest.mark.parametrize("value", ["123", NT_HASH + "ff", "x" * 32])
def test_bad_nt_hash_through_cli(run: Run, value: str) -> None:
    result = run("config", "show", "srv01", "-u", "bob", "--nt-hash", value)
    assert result.exit_code == ExitCode.USAGE
    assert "--nt-hash must be 32 hex digits" in result.stderr
    assert value not in result.output


def test_nt_hash_through_cli(run: Run, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        result = run(
            "--debug", "config", "show", "srv01", "-u", "bob", "--nt-hash", NT_HASH, "-f", "csv"
        )
    assert result.exit_code == 0
    assert "nt_hash,********,command line" in result.stdout
    _no_leak(result.output)
    _no_leak(caplog.text)
