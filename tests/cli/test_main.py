"""The command frame: help with examples everywhere, version, exit codes, error reporting."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.cli.conftest import Run
from wua.cli.errors import WuaGroup
from wua.cli.exit_codes import EXIT_CODES, ExitCode, exit_code_for
from wua.cli.main import build_cli
from wua.cli.output import colour_wanted, make_console
from wua.errors import (
    AccessDenied,
    AuthenticationFailed,
    HostUnreachable,
    InvalidCriteria,
    NotAvailableRemotely,
    ProtocolError,
    WuaError,
    error_for,
)


def _all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _all_commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


@pytest.mark.parametrize("path", _all_commands(build_cli()), ids=" ".join)
def test_every_command_has_help(run: Run, path: tuple[str, ...]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert "Usage: " in result.stdout
    assert "Examples:" in result.stdout
    examples = result.stdout.split("Examples:", 1)[1]
    assert f"wua {' '.join(path)}".rstrip() in examples


def test_version(run: Run) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("wua, version ")


def test_top_level_help_lists_the_exit_codes(run: Run) -> None:
    text = run("--help").stdout
    for code in ExitCode:
        assert f"  {int(code)}  " in text


def test_real_subprocess_help() -> None:
    wua = Path(sys.executable).with_name("wua")
    command = [str(wua)] if wua.exists() else [sys.executable, "-m", "wua.cli.main"]
    done = subprocess.run([*command, "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "Usage: wua" in done.stdout
    for name in ("demo", "firewall", "config"):
        assert name in done.stdout


def test_unknown_command_is_usage_error(run: Run) -> None:
    result = run("no-such-command")
    assert result.exit_code == ExitCode.USAGE


EXIT_CODE_VECTORS = [
    (
        NotAvailableRemotely(
            "IUpdateSession::CreateUpdateInstaller",
            rule="Not remote.",
            workaround="Run it on the host.",
        ),
        ExitCode.NOT_AVAILABLE_REMOTELY,
    ),
    (AccessDenied(), ExitCode.ACCESS_DENIED),
    (error_for(0x80070005), ExitCode.ACCESS_DENIED),
    (HostUnreachable(host="10.0.0.9", stage="port 135"), ExitCode.UNREACHABLE),
    (error_for(0x800706BA), ExitCode.UNREACHABLE),
    (AuthenticationFailed(), ExitCode.ACCESS_DENIED),
    (ProtocolError("bad", structure="PDU", offset=3), ExitCode.FAILURE),
    (InvalidCriteria("unexpected token", criteria="IsInstalled=", position=12), ExitCode.FAILURE),
    (WuaError("boom"), ExitCode.FAILURE),
]


@pytest.mark.parametrize(("error", "code"), EXIT_CODE_VECTORS, ids=lambda v: type(v).__name__)
def test_exit_code_table(error: WuaError, code: ExitCode) -> None:
    assert exit_code_for(error) is code


def test_exit_code_table_lists_subclasses_before_bases() -> None:
    classes = [cls for cls, _ in EXIT_CODES]
    for i, earlier in enumerate(classes):
        for later in classes[i + 1 :]:
            assert not issubclass(later, earlier) or later is earlier, (earlier, later)


def _failing_cli(error: BaseException) -> click.Group:
    cli = build_cli()

    @cli.command("boom")
    def boom() -> None:
        raise error

    assert isinstance(cli, WuaGroup)
    return cli


@pytest.mark.parametrize(("error", "code"), EXIT_CODE_VECTORS, ids=lambda v: type(v).__name__)
def test_errors_end_with_message_fix_and_exit_code(error: WuaError, code: ExitCode) -> None:
    result = CliRunner().invoke(_failing_cli(error), ["boom"], catch_exceptions=False)
    assert result.exit_code == code
    assert result.stderr.startswith("error: ")
    first = result.stderr.splitlines()[0]
    assert (error.detail or error.meaning).splitlines()[0] in first
    assert "Fix:" not in result.stderr
    if error.fix:
        assert f"\n  fix: {error.fix}\n" in result.stderr
    assert "Traceback" not in result.output


def test_access_denied_names_the_fix() -> None:
    result = CliRunner().invoke(_failing_cli(AccessDenied(host="srv01")), ["boom"])
    assert result.exit_code == ExitCode.ACCESS_DENIED
    assert "E_ACCESSDENIED" in result.stderr
    assert result.stderr.startswith("error: srv01: ")
    assert "\n  fix: " in result.stderr


def test_debug_adds_the_traceback() -> None:
    result = CliRunner().invoke(_failing_cli(HostUnreachable()), ["--debug", "boom"])
    assert result.exit_code == ExitCode.UNREACHABLE
    assert "Traceback" in result.stderr


def test_unexpected_exception_is_exit_1_without_traceback() -> None:
    result = CliRunner().invoke(_failing_cli(KeyError("x")), ["boom"], catch_exceptions=False)
    assert result.exit_code == ExitCode.FAILURE
    assert "internal error: KeyError" in result.stderr
    assert "--debug" in result.stderr
    assert "Traceback" not in result.stderr


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stream", "environ", "expected"),
    [
        (_Tty(), {}, True),
        (_Tty(), {"NO_COLOR": "1"}, False),
        (_Tty(), {"NO_COLOR": ""}, True),
        (io.StringIO(), {}, False),
    ],
)
def test_colour_only_on_a_tty_without_no_color(
    stream: io.StringIO, environ: dict[str, str], expected: bool
) -> None:
    assert colour_wanted(stream, environ) is expected


def test_no_escape_codes_when_piped(run: Run) -> None:
    assert "\x1b[" not in run("demo").stdout


def test_escape_codes_on_a_tty() -> None:
    stream = _Tty()
    make_console(stream, {}).print("[red]Critical[/]")
    assert "\x1b[" in stream.getvalue()
    stream = _Tty()
    make_console(stream, {"NO_COLOR": "1"}).print("[red]Critical[/]")
    assert "\x1b[" not in stream.getvalue()
