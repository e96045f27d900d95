"""Object lifetime and the per-host timing and network faults, seen by impacket or by a
bare socket (the firewall cases)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from impacket.dcerpc.v5 import rpcrt, transport
from impacket.dcerpc.v5.dcomrt import IObjectExporter

from tests.emulator import impacket_client as ic
from wua.emulator.catalog import default_catalog
from wua.emulator.server import FleetThread, HostConfig, PortState, WireFaults
from wua.emulator.wua import HostBehaviour
from wua.reference.hresults import DISP_E_EXCEPTION, RPC_E_DISCONNECTED

PERIOD = 0.2  # ping period of the lifetime host: objects go after 0.6 s unpinged
LIFETIME, REFUSED, DROPPED, RESETS, SLOW, BROKEN, LAGGY = (f"127.0.1.{i}" for i in range(1, 8))
LATENCY = 0.15
ADMIN, PASSWORD = "Administrator", "Passw0rd!"
SEARCH_SECONDS = 1.0
UPDATE_SERVER_ERROR = 0x8024401C


@pytest.fixture(scope="module", autouse=True)
def fleet() -> Iterator[FleetThread]:
    catalog = default_catalog()
    configs = [
        HostConfig(LIFETIME, catalog, ping_period=PERIOD),
        HostConfig(REFUSED, catalog, faults=WireFaults(resolver=PortState.REFUSED)),
        HostConfig(DROPPED, catalog, faults=WireFaults(exporter=PortState.DROPPED)),
        HostConfig(RESETS, catalog, faults=WireFaults(reset_every=4)),
        HostConfig(SLOW, catalog, behaviour=HostBehaviour(search_seconds=SEARCH_SECONDS)),
        HostConfig(BROKEN, catalog, behaviour=HostBehaviour(search_error=UPDATE_SERVER_ERROR)),
        HostConfig(LAGGY, catalog, behaviour=HostBehaviour(call_latency_seconds=LATENCY)),
    ]
    with FleetThread(configs) as running:
        yield running


@pytest.fixture
def dcom(request: pytest.FixtureRequest) -> Iterator[Any]:
    address = request.param
    connection = ic.connect(address, ADMIN, PASSWORD)
    try:
        yield connection
    finally:
        ic.disconnect(connection, address)


def fault_of(action: Any) -> int | None:
    try:
        action()
    except rpcrt.DCERPCException as exc:
        code = exc.get_error_code()
        if code is None and "RPC_E_DISCONNECTED" in str(exc):
            # impacket re-raises this fault with its own advice and without the code
            return RPC_E_DISCONNECTED
        return None if code is None else int(code)
    return None


@pytest.mark.parametrize("dcom", [LIFETIME], indirect=True)
def test_unpinged_object_is_collected(dcom: Any) -> None:
    session = ic.create(dcom)
    assert session.GetIDsOfNames(("ReadOnly",))
    time.sleep(5 * PERIOD)
    assert fault_of(lambda: session.GetIDsOfNames(("ReadOnly",))) == RPC_E_DISCONNECTED


@pytest.mark.parametrize("dcom", [LIFETIME], indirect=True)
def test_pinged_object_lives(dcom: Any) -> None:
    session = ic.create(dcom)
    rpc = transport.DCERPCTransportFactory(f"ncacn_ip_tcp:{LIFETIME}[135]")
    resolver = rpc.get_dce_rpc()
    resolver.connect()
    exporter = IObjectExporter(resolver)
    set_id = exporter.ComplexPing(0, 0, [session.get_oid()], [])["pSetId"]
    deadline = time.monotonic() + 6 * PERIOD
    while time.monotonic() < deadline:
        time.sleep(PERIOD / 2)
        assert exporter.SimplePing(set_id)["ErrorCode"] == 0
    assert session.GetIDsOfNames(("ReadOnly",))
    resolver.disconnect()


@pytest.mark.parametrize("dcom", [LIFETIME], indirect=True)
def test_rem_release_of_every_reference_ends_the_object(dcom: Any) -> None:
    session = ic.create(dcom)
    for _ in range(4):
        session.RemRelease()
    assert session.GetIDsOfNames(("ReadOnly",))  # one public reference is left
    session.RemRelease()
    assert fault_of(lambda: session.GetIDsOfNames(("ReadOnly",))) == RPC_E_DISCONNECTED


def test_refused_resolver_port() -> None:
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((REFUSED, 135), timeout=2).close()


@pytest.mark.parametrize("dcom", [DROPPED], indirect=True)
def test_dropped_exporter_port_never_answers(dcom: Any, fleet: FleetThread) -> None:
    """Activation on 135 works; the exporter port then swallows the bind."""
    session_iface = dcom.CoCreateInstanceEx(
        ic.string_to_bin(ic.CLSID_UPDATE_SESSION), ic.IID_IDispatch
    )
    assert session_iface.get_oxid()
    port = fleet.fleet.host(DROPPED).exporter_port
    assert port is not None
    with socket.create_connection((DROPPED, port), timeout=2) as sock:
        sock.sendall(
            bytes.fromhex(
                "05000b03100000004800000001000000b810b810000000000100000000000100"
                "0004020000000000c000000000000046000000000"
                "45d888aeb1cc9119fe808002b10486002000000"
            )
        )
        sock.settimeout(0.5)
        with pytest.raises(TimeoutError):
            sock.recv(1)


@pytest.mark.parametrize("dcom", [RESETS], indirect=True)
def test_connection_reset_mid_call(dcom: Any) -> None:
    session = ic.create(dcom)
    with pytest.raises((ConnectionResetError, rpcrt.DCERPCException, OSError)):
        for _ in range(4):
            ic.get(session, "ReadOnly")  # two exporter calls each: the 4th is reset


@pytest.mark.parametrize("dcom", [BROKEN], indirect=True)
def test_update_server_error_from_search(dcom: Any) -> None:
    session = ic.create(dcom)
    searcher = ic.value_of(
        session, ic.call(session, "CreateUpdateSearcher", flags=ic.DISPATCH_METHOD)
    )
    answer = ic.raw_invoke(searcher, "Search", ic.bstr("IsInstalled=0"), flags=ic.DISPATCH_METHOD)
    assert (answer.hresult, answer.scode) == (DISP_E_EXCEPTION, UPDATE_SERVER_ERROR)


@pytest.mark.parametrize("dcom", [SLOW], indirect=True)
def test_search_takes_its_time_without_blocking_the_host(dcom: Any) -> None:
    session = ic.create(dcom)
    searcher = ic.value_of(
        session, ic.call(session, "CreateUpdateSearcher", flags=ic.DISPATCH_METHOD)
    )
    alive: list[float] = []

    def ping_during_search() -> None:
        time.sleep(SEARCH_SECONDS / 3)
        started = time.monotonic()
        rpc = transport.DCERPCTransportFactory(f"ncacn_ip_tcp:{SLOW}[135]")
        dce = rpc.get_dce_rpc()
        dce.connect()
        IObjectExporter(dce).ServerAlive2()
        dce.disconnect()
        alive.append(time.monotonic() - started)

    helper = threading.Thread(target=ping_during_search)
    started = time.monotonic()
    helper.start()
    ic.call(searcher, "Search", ic.bstr("IsInstalled=0"), flags=ic.DISPATCH_METHOD)
    took = time.monotonic() - started
    helper.join()
    assert took >= SEARCH_SECONDS
    assert alive and alive[0] < SEARCH_SECONDS / 2


@pytest.mark.parametrize("dcom", [LAGGY], indirect=True)
def test_every_exporter_call_waits_its_latency(dcom: Any) -> None:
    session = ic.create(dcom)
    started = time.monotonic()
    ic.get(session, "ReadOnly")  # GetIDsOfNames + Invoke: two calls
    assert time.monotonic() - started >= 2 * LATENCY


@pytest.mark.parametrize("dcom", [BROKEN], indirect=True)
def test_offline_search_never_meets_the_update_server_error(dcom: Any) -> None:
    session = ic.create(dcom)
    searcher = ic.method(session, "CreateUpdateSearcher")
    answer = ic.raw_invoke(searcher, "Online", ic.boolean(False), flags=4, put=True)
    assert (answer.hresult, answer.scode) == (0, 0)
    result = ic.method(searcher, "Search", ic.bstr("IsInstalled=0"))
    assert ic.get(result, "ResultCode") == 2
