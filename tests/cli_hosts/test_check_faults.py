"""`wua check` against each broken stage that the emulator's accounts and fault switches
produce (the firewall stages run for real in tests/netns): each diagnosis names its
stage, the fix, and the documented exit code; JSON is validated against check-v1."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.cli.conftest import Run
from tests.cli_hosts.helpers import (
    ADMIN,
    NON_ADMIN,
    UAC_FILTERED,
    emulated,
    host_config,
    json_lines,
    port_of,
    wua,
)
from wua.emulator.server import FleetThread, PortState, WireFaults
from wua.emulator.wua import HostBehaviour

GOOD = "127.0.81.1"
NO_SEARCH = "127.0.81.2"
REFUSED = "127.0.81.3"
DROPPED_EXPORTER = "127.0.81.4"
DROPPED_RESOLVER = "127.0.81.5"
STAGE_KEYS = [
    "name-resolution",
    "tcp-135",
    "server-alive",
    "authentication",
    "administrator",
    "dcom-hardening",
    "exporter-port",
    "wua-answers",
    "search-permitted",
]


@pytest.fixture(scope="module")
def fleet() -> Iterator[FleetThread]:
    with emulated(
        host_config(GOOD),
        host_config(NO_SEARCH, behaviour=HostBehaviour(deny_remote_search=True)),
        host_config(REFUSED, faults=WireFaults(resolver=PortState.REFUSED)),
        host_config(DROPPED_EXPORTER, faults=WireFaults(exporter=PortState.DROPPED)),
        host_config(DROPPED_RESOLVER, faults=WireFaults(resolver=PortState.DROPPED)),
    ) as running:
        yield running


def _check(
    run: Run, fleet: FleetThread, address: str, account: tuple[str, str], *extra: str
) -> tuple[int, dict[str, Any]]:
    port = port_of(fleet, address) if address != REFUSED else 1
    result = wua(run, "check", address, port, account, "--format", "json", *extra)
    [document] = json_lines(result.stdout, "check-v1.json")
    return result.exit_code, document


def _stage(document: dict[str, Any], key: str) -> dict[str, Any]:
    return next(s for s in document["stages"] if s["stage"] == key)


def test_clear_path_passes_every_stage(run: Run, fleet: FleetThread) -> None:
    code, document = _check(run, fleet, GOOD, ADMIN)
    assert code == 0 and document["ok"] is True and document["broken_stage"] is None
    assert [s["stage"] for s in document["stages"]] == STAGE_KEYS
    assert {s["status"] for s in document["stages"]} == {"ok"}
    assert "10.0.20348" in _stage(document, "wua-answers")["detail"]
    assert "COM 5.7" in _stage(document, "server-alive")["detail"]


# (account, extra options, host, broken stage, exit code, words the reason or fix must hold)
CASES = [
    pytest.param(
        ("Administrator", "wrong"),
        (),
        GOOD,
        "authentication",
        4,
        ["cannot tell", "password"],
        id="wrong-password",
    ),
    pytest.param(
        ("nosuchuser", "whatever"),
        (),
        GOOD,
        "authentication",
        4,
        ["cannot tell", "unknown account"],
        id="unknown-user",
    ),
    pytest.param(
        NON_ADMIN,
        (),
        GOOD,
        "administrator",
        4,
        ["not an administrator", "LocalAccountTokenFilterPolicy"],
        id="non-admin",
    ),
    pytest.param(
        UAC_FILTERED,
        (),
        GOOD,
        "administrator",
        4,
        ["UAC remote restrictions", "LocalAccountTokenFilterPolicy"],
        id="uac-filtered",
    ),
    pytest.param(
        ADMIN,
        ("--auth-level", "connect"),
        GOOD,
        "dcom-hardening",
        4,
        ["KB5004442", "--auth-level privacy"],
        id="low-auth-level",
    ),
    pytest.param(
        ADMIN,
        (),
        NO_SEARCH,
        "search-permitted",
        5,
        ["refuses remote searches", "scheduled task"],
        id="deny-remote-search",
    ),
    pytest.param(
        ADMIN, (), REFUSED, "tcp-135", 3, ["refused", "svchost.exe"], id="fault-switch-refused-135"
    ),
    pytest.param(
        ADMIN,
        (),
        DROPPED_EXPORTER,
        "exporter-port",
        3,
        ["dllhost.exe"],
        id="fault-switch-dropped-exporter",
    ),
    pytest.param(
        ADMIN,
        (),
        DROPPED_RESOLVER,
        "server-alive",
        3,
        ["ServerAlive2"],
        id="fault-switch-silent-135",
    ),
]


@pytest.mark.parametrize(("account", "extra", "address", "stage", "code", "words"), CASES)
def test_broken_stage_is_named(
    run: Run,
    fleet: FleetThread,
    account: tuple[str, str],
    extra: tuple[str, ...],
    address: str,
    stage: str,
    code: int,
    words: list[str],
) -> None:
    """Ran with the emulator's accounts / fault switches (in-process, loopback)."""
    exit_code, document = _check(run, fleet, address, account, *extra)
    assert document["broken_stage"] == stage and document["ok"] is False
    assert exit_code == code
    statuses = [s["status"] for s in document["stages"]]
    broken_at = STAGE_KEYS.index(stage)
    assert statuses[:broken_at] == ["ok"] * broken_at
    assert statuses[broken_at] == "failed"
    assert statuses[broken_at + 1 :] == ["skipped"] * (len(STAGE_KEYS) - broken_at - 1)
    failed = _stage(document, stage)
    text = failed["detail"] + " " + failed["fix"]
    for word in words:
        assert word in text


def test_table_names_the_broken_stage_and_fix(run: Run, fleet: FleetThread) -> None:
    result = wua(run, "check", GOOD, port_of(fleet, GOOD), NON_ADMIN)
    assert result.exit_code == 4
    error, fix = result.stderr.splitlines()[-2:]
    assert error.startswith(f"error: {GOOD} (administrator rights and UAC): activation refused")
    assert fix.startswith("  fix: use the built-in Administrator")
    assert "Fix:" not in result.stdout + result.stderr and "FAILED" in result.stdout


def test_broken_stage_error_line_in_every_format(run: Run, fleet: FleetThread) -> None:
    """JSON and CSV keep stdout data; the broken stage still reaches stderr, as a scan's
    errors do."""
    for output in ("json", "csv"):
        result = wua(run, "check", GOOD, port_of(fleet, GOOD), NON_ADMIN, "-f", output)
        assert result.exit_code == 4
        assert result.stderr.startswith(f"error: {GOOD} (administrator rights and UAC): ")
        assert "\n  fix: use the built-in Administrator" in result.stderr
        assert "error:" not in result.stdout


def test_passing_check_prints_no_error_line(run: Run, fleet: FleetThread) -> None:
    result = wua(run, "check", GOOD, port_of(fleet, GOOD), ADMIN)
    assert result.exit_code == 0, result.output
    assert "every stage passed" in result.stdout and "error:" not in result.stderr


def test_no_account_fails_authentication(run: Run, fleet: FleetThread) -> None:
    result = run("check", GOOD, "--port", str(port_of(fleet, GOOD)), "-f", "json")
    [document] = json_lines(result.stdout, "check-v1.json")
    assert document["broken_stage"] == "authentication" and result.exit_code == 4
    assert "no account given" in _stage(document, "authentication")["detail"]


def test_unresolvable_name(run: Run) -> None:
    result = run(
        "check", "no-such-host.invalid", "-u", "x", "-f", "json", env={"WUA_PASSWORD": "x"}
    )
    [document] = json_lines(result.stdout, "check-v1.json")
    assert document["broken_stage"] == "name-resolution" and result.exit_code == 3


def test_several_hosts_one_object_each(run: Run, fleet: FleetThread) -> None:
    # one --port for both: the refused host is reached on the good host's port number,
    # where nothing of its own listens
    port = str(port_of(fleet, GOOD))
    result = run(
        "check",
        GOOD,
        REFUSED,
        "--port",
        port,
        "-u",
        ADMIN[0],
        "-f",
        "csv",
        env={"WUA_PASSWORD": ADMIN[1]},
    )
    rows = result.stdout.splitlines()
    assert rows[0] == "host,stage,status,detail,fix"
    assert len(rows) == 1 + 2 * len(STAGE_KEYS)
    assert any(r.startswith(f"{REFUSED},tcp-135,failed") for r in rows)
    assert result.exit_code == 3


def test_integrity_level_meets_hardening(run: Run, fleet: FleetThread) -> None:
    code, document = _check(run, fleet, GOOD, ADMIN, "--auth-level", "integrity")
    assert code == 0
    assert "PKT_INTEGRITY meets" in _stage(document, "dcom-hardening")["detail"]


def test_a_name_is_resolved_first(run: Run) -> None:
    with emulated(host_config("127.0.0.1")) as local:
        port = port_of(local, "127.0.0.1")
        result = wua(run, "check", "localhost", port, ADMIN, "-f", "json")
    [document] = json_lines(result.stdout, "check-v1.json")
    assert result.exit_code == 0, document
    assert "127.0.0.1" in _stage(document, "name-resolution")["detail"]
