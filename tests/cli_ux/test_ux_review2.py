"""The second UX review of `wua`: one prompt per account, one way to print an error.

Each test drives the real command tree against emulated hosts or a port nothing
listens on (connection refused at once, so no timeout is waited for).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from tests.cli_hosts.helpers import ADMIN, emulated, host_config, json_lines, port_of, wua
from tests.cli_ux.test_cli_ux import closed_port
from wua.cli.error_text import AUTH_LEVEL_FIX
from wua.cli.exit_codes import ExitCode
from wua.emulator.server import FleetThread

HOST = "127.0.0.66"
NOWHERE = ("127.0.0.71", "127.0.0.72", "127.0.0.73", "127.0.0.74", "127.0.0.75")
UAC_WORDS = "LocalAccountTokenFilterPolicy"


@pytest.fixture(scope="module")
def fleet() -> Iterator[FleetThread]:
    with emulated(host_config(HOST)) as running:
        yield running


def _scan_nowhere(run: Run, *extra: str, env: dict[str, str] | None = None, input: str = ""):  # type: ignore[no-untyped-def]
    port = str(closed_port())
    args = ["scan", *NOWHERE, "--port", port, "--connect-timeout", "2", *extra]
    return run(*args, env=env, input=input)


def test_five_hosts_one_account_one_prompt(run: Run) -> None:
    result = _scan_nowhere(run, "-u", "CORP\\admin", input="secret\n")
    assert result.exit_code == ExitCode.UNREACHABLE, result.output
    assert result.output.count("Password for") == 1
    assert "Password for CORP\\admin on " + ", ".join(NOWHERE) in result.output


def test_hosts_of_two_accounts_get_one_prompt_each(run: Run, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[hosts."127.0.0.71"]\nusername = "LAB\\\\other"\n'
        '[hosts."127.0.0.72"]\nusername = "lab\\\\OTHER"\n'
        '[defaults]\nusername = "CORP\\\\admin"\n',
        "utf-8",
    )
    result = _scan_nowhere(run, env={"WUA_CONFIG": str(config)}, input="one\ntwo\n")
    assert result.exit_code == ExitCode.UNREACHABLE, result.output
    assert result.output.count("Password for") == 2
    assert "Password for LAB\\other on 127.0.0.71, 127.0.0.72" in result.output
    assert "Password for CORP\\admin on 127.0.0.73, 127.0.0.74, 127.0.0.75" in result.output


def test_password_option_warned_once_for_five_hosts(run: Run) -> None:
    result = _scan_nowhere(run, "-u", "admin", "--password", "x")
    assert result.exit_code == ExitCode.UNREACHABLE, result.output
    assert result.stderr.count("--password puts the password in the process list") == 1
    assert "Password for" not in result.output


def test_error_line_names_host_once_with_stage_and_indented_fix(run: Run) -> None:
    result = _scan_nowhere(run, "-u", "admin", env={"WUA_PASSWORD": "x"})
    lines = result.stderr.splitlines()
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == len(NOWHERE)
    for host, line in zip(NOWHERE, errors, strict=True):
        assert line.startswith(f"error: {host} (")
        assert f"[{host}" not in line and f": {host}:" not in line
    fixes = [line for line in lines if line.startswith("  fix: ")]
    assert len(fixes) == len(NOWHERE)
    assert "Fix:" not in result.stderr


@pytest.mark.parametrize("command", ["scan", "history", "info", "detect"])
def test_json_error_message_is_plain_with_separate_fix(run: Run, command: str) -> None:
    schema = {"scan": "scan-v1.json", "history": "history-v1.json"}.get(
        command, f"{command}-v1.json"
    )
    port = str(closed_port())
    result = run(
        "-f", "json", command, NOWHERE[0], "-u", "admin", "--port", port,
        env={"WUA_PASSWORD": "x"},
    )  # fmt: skip
    assert result.exit_code == ExitCode.UNREACHABLE, result.output
    [document] = json_lines(result.stdout, schema)
    [error] = document["errors"]
    assert not error["message"].startswith("[") and "Fix" not in error["message"]
    assert "\n" not in error["message"]
    assert error["fix"] and error["stage"] and "RPC_S_SERVER_UNAVAILABLE" in error["symbol"]
    assert error["hresult"] == "0x800706BA"


def test_demo_and_scan_both_give_the_address_as_host(run: Run, fleet: FleetThread) -> None:
    demo = run("-f", "json", "demo")
    scan = wua(run, "scan", HOST, port_of(fleet, HOST), ADMIN, "-f", "json")
    assert demo.exit_code == scan.exit_code == ExitCode.OK, demo.output + scan.output
    [demo_document] = json_lines(demo.stdout, "scan-v1.json")
    [scan_document] = json_lines(scan.stdout, "scan-v1.json")
    assert demo_document["host"] == "127.0.0.1"
    assert demo_document["computer_name"] == "WUA-DEMO-01"
    assert scan_document["host"] == HOST


def test_low_auth_level_refusal_gives_only_the_auth_level_fix(run: Run, fleet: FleetThread) -> None:
    result = wua(run, "scan", HOST, port_of(fleet, HOST), ADMIN, "--auth-level", "connect")
    assert result.exit_code == ExitCode.ACCESS_DENIED, result.output
    [fix] = [line for line in result.stderr.splitlines() if line.startswith("  fix: ")]
    assert fix == f"  fix: {AUTH_LEVEL_FIX}"
    assert UAC_WORDS not in fix
    as_json = wua(
        run, "scan", HOST, port_of(fleet, HOST), ADMIN, "--auth-level", "connect", "-f", "json"
    )
    [document] = json_lines(as_json.stdout, "scan-v1.json")
    assert document["errors"][0]["fix"] == AUTH_LEVEL_FIX


def test_non_admin_refusal_keeps_the_uac_fix(run: Run, fleet: FleetThread) -> None:
    result = wua(run, "scan", HOST, port_of(fleet, HOST), ("auditor", "Read0nly!"))
    assert result.exit_code == ExitCode.ACCESS_DENIED, result.output
    [fix] = [line for line in result.stderr.splitlines() if line.startswith("  fix: ")]
    assert fix != f"  fix: {AUTH_LEVEL_FIX}" and json.dumps(fix)


def test_check_names_the_port_it_tried_and_keeps_the_stage_key(run: Run) -> None:
    port = closed_port()
    result = run(
        "-f", "json", "check", NOWHERE[0], "-u", "admin", "--port", str(port),
        "--connect-timeout", "2", env={"WUA_PASSWORD": "x"},
    )  # fmt: skip
    [document] = json_lines(result.stdout, "check-v1.json")
    stage = next(s for s in document["stages"] if s["stage"] == "tcp-135")
    assert stage["title"] == f"TCP {port} reachable"
    assert f"TCP {port}" in stage["detail"] and f"TCP {port}" in stage["fix"]
    skipped = next(s for s in document["stages"] if s["stage"] == "server-alive")
    assert f"'TCP {port} reachable'" in skipped["detail"]
    table = run("check", NOWHERE[0], "-u", "admin", "--port", str(port), env={"WUA_PASSWORD": "x"})
    assert f"TCP {port} reachable" in table.stdout and "TCP 135" not in table.stdout


def test_unreachable_fix_names_the_port_given(run: Run) -> None:
    port = closed_port()
    result = run(
        "-f", "json", "scan", NOWHERE[0], "-u", "admin", "--port", str(port),
        env={"WUA_PASSWORD": "x"},
    )  # fmt: skip
    [document] = json_lines(result.stdout, "scan-v1.json")
    fix = document["errors"][0]["fix"]
    assert f"TCP {port} " in fix and "TCP 135" not in fix
    assert f"  fix: {fix}" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("-f", "json", "firewall", "rules"),
        ("firewall", "rules", "--format", "json"),
    ],
)
def test_firewall_rules_as_json(run: Run, args: tuple[str, ...]) -> None:
    result = run(*args, "-a", "10.0.5.20", "-a", "10.0.6.0/24", "--profile", "private")
    assert result.exit_code == ExitCode.OK, result.output
    [document] = json_lines(result.stdout, "firewall-rules-v1.json")
    endpoint, dllhost = document["rules"]
    assert (endpoint["local_port"], endpoint["service"]) == ("135", "RpcSs")
    assert endpoint["program"].endswith("\\svchost.exe")
    assert (dllhost["local_port"], dllhost["service"]) == ("RPC", None)
    assert dllhost["program"].endswith("\\dllhost.exe")
    for rule in (endpoint, dllhost):
        assert rule["remote_addresses"] == ["10.0.5.20/32", "10.0.6.0/24"]
        assert rule["profile"] == "private" and rule["direction"] == "in"
        assert any(rule["name"] in command for command in rule["verify"])


def test_firewall_rules_refuse_csv(run: Run) -> None:
    result = run("-f", "csv", "firewall", "rules")
    assert result.exit_code == ExitCode.USAGE
    assert "no CSV output" in result.stderr and result.stdout == ""


def test_firewall_rules_explicit_format_wins_over_global_json(run: Run) -> None:
    result = run("-f", "json", "firewall", "rules", "--format", "netsh")
    assert result.exit_code == ExitCode.OK
    assert result.stdout.startswith("REM ")
