"""`wua emulate` in the foreground: summary lines, accounts from the command line (with
the warning), a stock client served, a clean stop on SIGTERM and on Ctrl-C (SIGINT)."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.emulator import impacket_client as ic
from wua.cli.emulate import parse_account, parse_listen
from wua.cli.main import build_cli
from wua.reference.hresults import E_ACCESSDENIED

WUA = Path(sys.executable).with_name("wua")
ADDRESS = "127.0.4.1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("127.0.0.5", ("127.0.0.5", 135)),
        ("127.0.0.5:1135", ("127.0.0.5", 1135)),
        ("127.0.0.5:0", ("127.0.0.5", 0)),
    ],
)
def test_parse_listen(text: str, expected: tuple[str, int]) -> None:
    assert parse_listen(text) == expected


@pytest.mark.parametrize("text", ["127.0.0.5:http", "127.0.0.5:70000"])
def test_parse_listen_refuses(text: str) -> None:
    with pytest.raises(click.BadParameter):
        parse_listen(text)


def test_parse_account_roles() -> None:
    admin = parse_account("ops:S3cret!")
    user = parse_account("eve:pw:user")
    assert (admin.name, admin.password, admin.is_admin, admin.builtin_admin) == (
        "ops",
        "S3cret!",
        True,
        True,
    )
    assert (user.is_admin, user.builtin_admin) == (False, False)


@pytest.mark.parametrize("text", ["ops", "ops:", ":pw", "ops:pw:root", "a:b:c:d"])
def test_parse_account_refuses(text: str) -> None:
    with pytest.raises(click.BadParameter):
        parse_account(text)


def test_bad_search_error_is_a_usage_error() -> None:
    result = CliRunner().invoke(
        build_cli(), ["emulate", "--listen", "127.0.4.9:0", "--search-error", "soon"]
    )
    assert result.exit_code == 2 and "--search-error" in result.output


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_foreground_run_serves_and_stops_cleanly(stop: signal.Signals) -> None:
    process = subprocess.Popen(
        [
            str(WUA),
            "emulate",
            "--listen",
            ADDRESS,
            "--account",
            "ops:S3cret!:admin",
            "--account",
            "eve:Eve!pw:user",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        summary = process.stdout.readline()
        assert summary.split()[1] == f"{ADDRESS}:135" and "ops" in summary
        dcom = ic.connect(ADDRESS, "ops", "S3cret!")
        try:
            assert ic.get(ic.create(dcom), "ReadOnly") is False
        finally:
            ic.disconnect(dcom, ADDRESS)
        dcom = ic.connect(ADDRESS, "eve", "Eve!pw")
        try:
            with pytest.raises(Exception) as caught:
                ic.create(dcom)
            assert getattr(caught.value, "get_error_code", lambda: None)() == E_ACCESSDENIED
        finally:
            ic.disconnect(dcom, ADDRESS)
    finally:
        process.send_signal(stop)
        _, errors = process.communicate()
    assert process.returncode == 0, errors
    assert "visible to other users" in errors
    assert errors.rstrip().endswith("stopped")
