"""`AccessDenied.cause`: why a host refused, as a value the CLI branches on instead of the
wording of the message. End to end against the emulator, whose activator refuses a
non-administrator, a UAC-filtered local administrator and a level below PKT_INTEGRITY
with the one E_ACCESSDENIED Windows gives."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

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
from wua.cli.error_text import AUTH_LEVEL_FIX, describe
from wua.cli.exit_codes import ExitCode
from wua.client.connect import build_session
from wua.client.transport import STAGE_ACTIVATION, activation_refusal_cause
from wua.emulator.server import FleetThread
from wua.errors import AccessDenied, NotAvailableRemotely, error_for
from wua.reference.hresults import E_ACCESSDENIED, lookup
from wua.rpc.security.base import AuthLevel

HOST = "127.0.0.83"
TABLE_FIX = lookup(E_ACCESSDENIED).fix


@pytest.fixture(scope="module")
def fleet() -> Iterator[FleetThread]:
    with emulated(host_config(HOST)) as running:
        yield running


def _refusal(fleet: FleetThread, account: tuple[str, str], level: AuthLevel) -> AccessDenied:
    session = build_session(
        f"{HOST}:{port_of(fleet, HOST)}", account[0], account[1], auth_level=level, timeout=5
    )

    async def refused() -> BaseException | None:
        try:
            await session.open()
        except AccessDenied as error:
            return error
        await session.close()
        return None

    error = asyncio.run(refused())
    assert isinstance(error, AccessDenied) and error.stage == STAGE_ACTIVATION
    return error


@pytest.mark.parametrize(
    ("account", "level", "cause"),
    [
        (NON_ADMIN, AuthLevel.PKT_PRIVACY, "rights"),
        (UAC_FILTERED, AuthLevel.PKT_PRIVACY, "rights"),
        (UAC_FILTERED, AuthLevel.PKT_INTEGRITY, "rights"),
        (ADMIN, AuthLevel.CONNECT, "auth_level"),
    ],
)
def test_activation_refusal_cause(
    fleet: FleetThread, account: tuple[str, str], level: AuthLevel, cause: str
) -> None:
    """The session itself sets the cause: library users get it too."""
    assert _refusal(fleet, account, level).cause == cause


def test_the_rule_by_level() -> None:
    assert activation_refusal_cause(AuthLevel.CONNECT) == "auth_level"
    assert activation_refusal_cause(AuthLevel.PKT) == "auth_level"
    assert activation_refusal_cause(AuthLevel.PKT_INTEGRITY) == "rights"
    assert activation_refusal_cause(AuthLevel.PKT_PRIVACY) == "rights"


def test_cause_defaults_to_unknown() -> None:
    """Errors built from an HRESULT, or a remote rule, carry no cause."""
    from_table = error_for(E_ACCESSDENIED)
    assert isinstance(from_table, AccessDenied) and from_table.cause is None
    assert AccessDenied("refused").cause is None
    rule = NotAvailableRemotely("refused", rule="a rule.", workaround="do it locally")
    assert rule.cause is None


def test_the_fix_follows_the_attribute_not_the_wording() -> None:
    """A message worded like the auth-level refusal but caused by rights gets the table's
    UAC advice; a plain message with the auth-level cause gets the auth-level fix."""
    worded = AccessDenied(
        "below PKT_INTEGRITY, which DCOM hardening (KB5004442) refuses", cause="rights"
    )
    assert describe(worded).fix == TABLE_FIX
    plain = AccessDenied("activation refused", cause="auth_level")
    assert describe(plain).fix == AUTH_LEVEL_FIX


@pytest.mark.parametrize(
    ("account", "extra", "fix"),
    [
        (NON_ADMIN, (), TABLE_FIX),
        (UAC_FILTERED, (), TABLE_FIX),
        (ADMIN, ("--auth-level", "connect"), AUTH_LEVEL_FIX),
    ],
)
def test_scan_fix_by_cause(
    run: Run, fleet: FleetThread, account: tuple[str, str], extra: tuple[str, ...], fix: str
) -> None:
    result = wua(run, "scan", HOST, port_of(fleet, HOST), account, "-f", "json", *extra)
    assert result.exit_code == ExitCode.ACCESS_DENIED, result.output
    [document] = json_lines(result.stdout, "scan-v1.json")
    assert document["errors"][0]["fix"] == fix
    assert result.stderr.rstrip("\n").endswith(f"  fix: {fix}")
