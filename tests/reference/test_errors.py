"""Errors are built from the HRESULT table and caught by meaning."""

from __future__ import annotations

import pytest

from wua.errors import (
    AccessDenied,
    AuthenticationFailed,
    CatalogError,
    HostUnreachable,
    InvalidCriteria,
    NotAvailableRemotely,
    NotFound,
    ProtocolError,
    UpdateServerError,
    WuaError,
    error_for,
)
from wua.reference.hresults import lookup, table

CASES = [
    (0x80070005, AccessDenied, "E_ACCESSDENIED", "LocalAccountTokenFilterPolicy", False),
    (
        0x800706BA,
        HostUnreachable,
        "HRESULT_FROM_WIN32(RPC_S_SERVER_UNAVAILABLE)",
        "dllhost.exe",
        True,
    ),
    (0x80240032, InvalidCriteria, "WU_E_INVALID_CRITERIA", "single quotes", False),
    (0x8024401C, UpdateServerError, "WU_E_PT_HTTP_STATUS_REQUEST_TIMEOUT", "update server", True),
    (0x80244007, UpdateServerError, "WU_E_PT_SOAPCLIENT_SOAPFAULT", "update server", True),
    (0x8009030C, AuthenticationFailed, "SEC_E_LOGON_DENIED", "password", False),
    (0x80004002, NotFound, "E_NOINTERFACE", "older", False),
    (0x80010108, ProtocolError, "RPC_E_DISCONNECTED", "reconnect", True),
]


@pytest.mark.parametrize(("hresult", "cls", "symbol", "fix_part", "retryable"), CASES)
def test_error_for(
    hresult: int, cls: type[WuaError], symbol: str, fix_part: str, retryable: bool
) -> None:
    err = error_for(hresult, host="10.0.0.5", stage="call")
    assert type(err) is cls
    assert isinstance(err, WuaError)
    assert (err.hresult, err.symbol) == (hresult, symbol)
    assert err.meaning == lookup(hresult).meaning
    assert err.fix is not None and fix_part in err.fix
    assert err.retryable is retryable
    assert "10.0.0.5" in str(err) and symbol in str(err)


def test_every_code_maps_to_a_class() -> None:
    for value in table():
        assert isinstance(error_for(value), WuaError)


def test_unknown_code_still_explains_itself() -> None:
    err = error_for(0x80070643)
    assert err.symbol and "0x80070643" in str(err)
    assert "1603" in error_for(0x80070643).meaning or err.meaning


def test_not_available_remotely_is_access_denied_with_rule() -> None:
    err = NotAvailableRemotely(
        "IUpdateSession.CreateUpdateInstaller",
        rule="Not available remotely.",
        workaround="run it on the host",
    )
    assert isinstance(err, AccessDenied)
    assert err.hresult == 0x80070005
    assert err.fix == "run it on the host"
    assert "Not available remotely." in str(err)


def test_invalid_criteria_points_at_the_problem() -> None:
    err = InvalidCriteria("unknown name 'IsInstaled'", criteria="IsInstaled=0", position=0)
    assert err.hresult == 0x80240032
    assert err.position == 0
    assert "\n  IsInstaled=0\n  ^" in str(err)


def test_protocol_and_catalog_errors_name_where() -> None:
    assert "OBJREF at offset 12: truncated" in str(
        ProtocolError("truncated", structure="OBJREF", offset=12)
    )
    err = CatalogError("not a GUID", field="updates[3].identity.update_id", source="host.yaml")
    assert "host.yaml: updates[3].identity.update_id: not a GUID" in str(err)
