"""What a Windows administrator meets at the `wua` prompt, through the real command tree.

Each test is one disappointment found by using the tool, pinned so it stays fixed:
exit codes scripts branch on, messages that name the way out, and no secrets in logs.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Run
from tests.cli_hosts.helpers import ADMIN, emulated, host_config, port_of, wua
from wua.cli.exit_codes import ExitCode
from wua.emulator.server import FleetThread
from wua.emulator.wua.state import HostBehaviour

HOST = "127.0.0.62"
SLOW_HOST = "127.0.0.63"
SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture(scope="module")
def fleet() -> Iterator[FleetThread]:
    with emulated(
        host_config(HOST),
        host_config(SLOW_HOST, behaviour=HostBehaviour(search_seconds=30.0)),
    ) as running:
        yield running


def closed_port() -> int:
    """A port nothing listens on: bound, never listened, and closed at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_wrong_password_exits_4_like_check(run: Run, fleet: FleetThread) -> None:
    port = port_of(fleet, HOST)
    wrong = ("Administrator", "not-the-password")
    scan = wua(run, "scan", HOST, port, wrong)
    check = wua(run, "check", HOST, port, wrong)
    assert scan.exit_code == check.exit_code == ExitCode.ACCESS_DENIED
    assert "SEC_E_LOGON_DENIED" in scan.stderr and "\n  fix: " in scan.stderr


@pytest.mark.parametrize(
    ("criteria", "words"),
    [
        ("IsInstalled=0 andd IsHidden=0", "'and' needs whitespace"),
        ("Foo=1", "unknown property name 'Foo'"),
        ("IsInstalled=", "IsInstalled="),
    ],
)
def test_bad_criteria_is_a_usage_error_before_any_traffic(
    run: Run, criteria: str, words: str
) -> None:
    # nothing listens on the port: exit 2 rather than 3 shows no connection was tried
    result = wua(run, "scan", "127.0.0.64", closed_port(), ADMIN, "--criteria", criteria)
    assert result.exit_code == ExitCode.USAGE, result.output
    assert "--criteria: " in result.stderr and words in result.stderr
    assert "^" in result.stderr and "  fix: Correct the search criteria" in result.stderr
    assert result.stdout == ""


def test_bad_criteria_with_category_is_still_a_usage_error(run: Run) -> None:
    result = wua(
        run, "scan", "127.0.0.64", closed_port(), ADMIN, "--criteria", "Foo=1",
        "--category", "Drivers",
    )  # fmt: skip
    assert result.exit_code == ExitCode.USAGE and "unknown property name" in result.stderr


def test_broken_catalog_is_a_usage_error_with_its_field(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "host.yaml"
    path.write_text("host:\n  name: X\n", "utf-8")
    for command in (["demo"], ["emulate", "--listen", "127.0.0.65:1"]):
        result = run(*command, "--catalog", str(path))
        assert result.exit_code == ExitCode.USAGE, (command, result.output)
        assert result.stderr.startswith(f"error: {path}: format: ")


def test_prompt_at_end_of_input_names_the_other_sources(run: Run) -> None:
    result = run(
        "scan", "127.0.0.64", "--port", str(closed_port()), "-u", "Administrator", input=""
    )
    assert result.exit_code == ExitCode.USAGE
    assert "no password for Administrator on 127.0.0.64" in result.stderr
    assert "WUA_PASSWORD" in result.stderr and "--password-file" in result.stderr
    assert "Aborted!" not in result.output


def test_debug_log_carries_no_ntlm_tokens(
    run: Run, fleet: FleetThread, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        result = run(
            "--debug", "info", HOST, "--port", str(port_of(fleet, HOST)), "-u", ADMIN[0],
            env={"WUA_PASSWORD": ADMIN[1]},
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert any(r.name.startswith("wua.") for r in caplog.records)  # debug logging is on
    logged = caplog.text + result.stderr
    assert "TlRMTVNTUA" not in logged  # base64 of "NTLMSSP\0": a token
    assert not [r for r in caplog.records if r.name.startswith("spnego") and r.levelno < 30]


def test_history_names_success_as_s_ok(run: Run, fleet: FleetThread) -> None:
    result = wua(run, "history", HOST, port_of(fleet, HOST), ADMIN, "-f", "json", "--limit", "200")
    assert result.exit_code == 0, result.output
    entries = [e for line in result.stdout.splitlines() for e in json.loads(line)["entries"]]
    succeeded = [e for e in entries if e["hresult"] == "0x00000000"]
    assert succeeded, "the default host has successful installations"
    assert {(e["symbol"], e["meaning"]) for e in succeeded} == {("S_OK", "Success.")}


def _wua_process(*args: str, **kwargs: Any) -> subprocess.Popen[bytes]:
    """`python -m wua.cli.main ARGS` in a child, as a shell would start `wua`."""
    env = dict(os.environ, WUA_PASSWORD=ADMIN[1], PYTHONPATH=str(SRC), HOME="/nonexistent")
    env.pop("WUA_CONFIG", None)
    process: subprocess.Popen[bytes] = subprocess.Popen(
        [sys.executable, "-m", "wua.cli.main", *args], env=env, **kwargs
    )
    return process


def test_unwritable_output_is_an_error_not_a_bug(fleet: FleetThread) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")
    port = str(port_of(fleet, HOST))
    with open("/dev/full", "wb") as full:
        process = _wua_process(
            "scan", HOST, "--port", port, "-u", ADMIN[0], stdout=full, stderr=subprocess.PIPE
        )
        _, err = process.communicate(timeout=60)
    assert process.returncode == ExitCode.FAILURE
    assert "error: No space left on device" in err.decode()
    assert "bug in wua" not in err.decode() and "Traceback" not in err.decode()


def test_ctrl_c_during_a_long_search_exits_130(fleet: FleetThread) -> None:
    port = str(port_of(fleet, SLOW_HOST))
    process = _wua_process(
        "scan", SLOW_HOST, "--port", port, "-u", ADMIN[0],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    time.sleep(3)  # logged on and searching: the host takes 30 s
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 130  # 128 + SIGINT, as a shell reports Ctrl-C
    assert time.monotonic() - started < 10
    assert "interrupted (Ctrl-C)" in err.decode() and "Aborted!" not in err.decode()
    assert out == b""


def test_call_timeout_names_the_call_not_a_firewall(run: Run, fleet: FleetThread) -> None:
    started = time.monotonic()
    result = wua(run, "scan", SLOW_HOST, port_of(fleet, SLOW_HOST), ADMIN, "--call-timeout", "1")
    assert time.monotonic() - started < 15
    assert result.exit_code == ExitCode.FAILURE, result.output  # not 3: the host answered
    assert "IUpdateSearcher::Search did not finish within the call timeout" in result.stderr
    assert "--call-timeout" in result.stderr and "ERROR_TIMEOUT" in result.stderr
    assert "firewall" not in result.stderr


def test_low_auth_level_refusal_names_dcom_hardening(run: Run, fleet: FleetThread) -> None:
    result = wua(run, "scan", HOST, port_of(fleet, HOST), ADMIN, "--auth-level", "connect")
    assert result.exit_code == ExitCode.ACCESS_DENIED, result.output
    assert "DCOM hardening (KB5004442)" in result.stderr
    assert "--auth-level privacy" in result.stderr
    default = wua(run, "scan", HOST, port_of(fleet, HOST), ("auditor", "Read0nly!"))
    assert default.exit_code == ExitCode.ACCESS_DENIED
    assert "KB5004442" not in default.stderr  # at privacy, the level is not the cause


def test_no_account_says_so_instead_of_wrong_password(run: Run) -> None:
    # refused before any traffic: nothing listens on the port, yet the exit is not 3
    result = run("scan", "127.0.0.64", "--port", str(closed_port()), env={"WUA_PASSWORD": "x"})
    assert result.exit_code == ExitCode.ACCESS_DENIED, result.output
    assert "no account given" in result.stderr and "-u DOMAIN\\user" in result.stderr
    assert "wrong password" not in result.stderr


def test_password_on_command_line_warns_once_without_a_raw_log_line() -> None:
    # a child process: in-process, pytest's log handlers would hide logging's last resort
    process = _wua_process(
        "config", "show", "srv01", "-u", "bob", "--password", "Pa55!word",
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    warnings = [line for line in err.decode().splitlines() if line.strip()]
    assert len(warnings) == 1 and warnings[0].startswith("WARNING: --password puts"), warnings
    assert b"Pa55!word" not in out + err


def test_emulate_on_a_busy_address_says_what_to_do(run: Run) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.66", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("emulate", "--listen", f"127.0.0.66:{port}")
    assert result.exit_code == 1, result.output
    assert "address already in use" in result.stderr
    assert "another `wua emulate`" in result.stderr and "127.x.y.z" in result.stderr


def test_scan_summary_names_local_filters_and_what_the_search_found(
    run: Run, fleet: FleetThread
) -> None:
    port = port_of(fleet, HOST)
    everything = wua(run, "scan", HOST, port, ADMIN, "-f", "csv", "-q")
    found = len(everything.stdout.splitlines()) - 1  # minus the header
    assert found > 0
    none = wua(run, "scan", HOST, port, ADMIN, "--kb", "99999")
    assert none.exit_code == 0, none.output
    # not a header-only table; the title names the computer the host says it is
    assert none.stdout.strip() == f"{HOST} (WUA-DEMO-01): no pending updates"
    assert (
        f"{HOST}: 0 updates matching 'IsInstalled=0 and IsHidden=0' and --kb 99999 "
        f"(of {found} the search found)"
    ) in none.stderr


def test_scan_title_says_pending_only_for_the_pending_criteria(
    run: Run, fleet: FleetThread
) -> None:
    port = port_of(fleet, HOST)
    installed = wua(run, "scan", HOST, port, ADMIN, "--criteria", "IsInstalled=1")
    assert installed.exit_code == 0, installed.output
    first = installed.stdout.splitlines()[0]
    assert first.startswith(f"{HOST} (WUA-DEMO-01): ") and " updates (" in first
    assert "pending" not in first
    pending = wua(run, "scan", HOST, port, ADMIN)
    assert " pending updates (" in pending.stdout.splitlines()[0]
