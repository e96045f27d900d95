"""Windows-like security against a stock impacket client: who gets in, at which level."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from impacket.dcerpc.v5 import rpcrt, transport
from impacket.dcerpc.v5.dcomrt import IID_IObjectExporter, IObjectExporter

from tests.emulator import impacket_client as ic
from wua.emulator.catalog import default_catalog
from wua.emulator.server import FleetThread, HostConfig
from wua.emulator.wua import HostBehaviour
from wua.reference.hresults import DISP_E_EXCEPTION, E_ACCESSDENIED

ADDRESS = "127.0.0.6"
LAX = "127.0.0.7"  # LocalAccountTokenFilterPolicy = 1: local admins keep their rights
ADMIN, PASSWORD = "Administrator", "Passw0rd!"


@pytest.fixture(scope="module", autouse=True)
def fleet() -> Iterator[FleetThread]:
    lax = HostBehaviour(uac_remote_restrictions=False)
    with FleetThread(
        [HostConfig(ADDRESS, default_catalog()), HostConfig(LAX, default_catalog(), behaviour=lax)]
    ) as running:
        yield running


def activation_error(
    address: str, user: str, password: str, level: int = rpcrt.RPC_C_AUTHN_LEVEL_PKT_PRIVACY
) -> int | str:
    dcom = ic.connect(address, user, password, level)
    try:
        ic.create(dcom)
    except rpcrt.DCERPCException as exc:
        code = exc.get_error_code()
        return code if code is not None else str(exc)
    finally:
        ic.disconnect(dcom, address)
    return 0


@pytest.mark.parametrize(
    ("user", "password", "expected"),
    [
        ("auditor", "Read0nly!", E_ACCESSDENIED),  # not an administrator
        ("wuadmin", "Adm1n!2026", E_ACCESSDENIED),  # local admin under UAC restrictions
        (ADMIN, PASSWORD, 0),
    ],
)
def test_activation_rights(user: str, password: str, expected: int) -> None:
    assert activation_error(ADDRESS, user, password) == expected


def test_uac_policy_lets_a_local_admin_in() -> None:
    assert activation_error(LAX, "wuadmin", "Adm1n!2026") == 0


def test_wrong_password_fails_authentication() -> None:
    """The NTLM proof does not verify: the first call is faulted access denied (5)."""
    assert activation_error(ADDRESS, ADMIN, "wrong") == "rpc_s_access_denied"


def test_activation_below_integrity_is_refused() -> None:
    """impacket signs nothing at CONNECT level; the activation itself is refused."""
    level = rpcrt.RPC_C_AUTHN_LEVEL_CONNECT
    assert activation_error(ADDRESS, ADMIN, PASSWORD, level) == E_ACCESSDENIED


def test_activation_at_integrity_is_accepted() -> None:
    assert activation_error(ADDRESS, ADMIN, PASSWORD, rpcrt.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY) == 0


def test_server_alive2_needs_no_authentication() -> None:
    rpc = transport.DCERPCTransportFactory(f"ncacn_ip_tcp:{ADDRESS}[135]")
    dce = rpc.get_dce_rpc()
    dce.connect()
    bindings = IObjectExporter(dce).ServerAlive2()
    names = [b["aNetworkAddr"].rstrip("\x00") for b in bindings]
    assert ADDRESS in names
    dce.disconnect()
    assert IID_IObjectExporter  # the interface impacket bound


@pytest.fixture
def session() -> Iterator[Any]:
    dcom = ic.connect(ADDRESS, ADMIN, PASSWORD)
    try:
        yield ic.create(dcom)
    finally:
        ic.disconnect(dcom, ADDRESS)


def test_is_hidden_is_read_only(session: Any) -> None:
    searcher = ic.value_of(
        session, ic.call(session, "CreateUpdateSearcher", flags=ic.DISPATCH_METHOD)
    )
    result = ic.value_of(
        searcher, ic.call(searcher, "Search", ic.bstr("IsInstalled=0"), flags=ic.DISPATCH_METHOD)
    )
    updates = ic.get(result, "Updates")
    update = ic.value_of(updates, ic.call(updates, "Item", ic.long(0)))
    answer = ic.raw_invoke(update, "IsHidden", ic.boolean(True), flags=4, put=True)
    assert (answer.hresult, answer.scode) == (DISP_E_EXCEPTION, E_ACCESSDENIED)
    assert ic.get(update, "IsHidden") is False


def test_unknown_name_is_disp_e_unknownname(session: Any) -> None:
    with pytest.raises(rpcrt.DCERPCException) as caught:
        session.GetIDsOfNames(("NoSuchMember",))
    assert caught.value.get_error_code() == 0x80020006


def test_oxid_resolution_names_the_exporter_port(fleet: FleetThread) -> None:
    host = fleet.fleet.host(ADDRESS)
    rpc = transport.DCERPCTransportFactory(f"ncacn_ip_tcp:{ADDRESS}[135]")
    dce = rpc.get_dce_rpc()
    dce.connect()
    exporter = IObjectExporter(dce)
    for resolve in (exporter.ResolveOxid, exporter.ResolveOxid2):
        names = [b["aNetworkAddr"].rstrip("\x00") for b in resolve(host.runtime.oxid, [7])]
        assert f"{ADDRESS}[{host.exporter_port}]" in names
    with pytest.raises(rpcrt.DCERPCException) as caught:
        exporter.ResolveOxid(host.runtime.oxid ^ 1, [7])
    assert caught.value.get_error_code() == 0x776  # OR_INVALID_OXID
    assert exporter.ServerAlive()["ErrorCode"] == 0
    dce.disconnect()
