"""A second bind on a bound connection, as Windows answers it: bind_nak (reason 0, one
version 5.0), then the connection is closed (Samba's raw_protocol test
`test_no_auth_valid_valid_request`, checked against Windows; dcesrv_core.c does the same).

Stock impacket sends such a bind for every DCOMConnection.CoCreateInstanceEx, so its
second activation on one DCOMConnection is refused here as on Windows, while the object
of the first activation (on its own exporter connection) stays usable.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from impacket.dcerpc.v5 import rpcrt

from tests.emulator import impacket_client as ic
from wua.client.transport import ACTIVATOR_CONTEXT, OXID_RESOLVER_CONTEXT
from wua.emulator.catalog import default_catalog
from wua.emulator.server import FleetThread, HostConfig
from wua.rpc.connection.events import BindReceived, CallRejected
from wua.rpc.connection.server import ServerConfig, ServerConnection
from wua.rpc.connection.state import ServerState
from wua.rpc.constants import BindNakReason
from wua.rpc.pdu import Bind, BindAck, BindNak, decode_pdu, encode_pdu
from wua.rpc.presentation import ContextElement

ADDRESS = "127.0.53.1"
ADMIN, PASSWORD = "Administrator", "Passw0rd!"
CLSID_AGENT_INFO = "c2e88c2f-6f5b-4aaa-894b-55c847ad3a2d"
# bind_nak: header (16) + reason 0 + one version 5.0 + 3 pad bytes, as Samba asserts for Windows
SECOND_BIND_NAK = "05000d03100000001800000002000000" + "0000" + "01" + "0500" + "000000"


def bind(call_id: int, context: ContextElement) -> bytes:
    return encode_pdu(
        Bind(
            call_id=call_id,
            max_xmit_frag=5840,
            max_recv_frag=5840,
            assoc_group_id=0,
            contexts=(context,),
        )
    )


def test_machine_naks_a_second_bind_and_closes() -> None:
    machine = ServerConnection(ServerConfig(interfaces=(ACTIVATOR_CONTEXT.abstract_syntax,)))
    machine.receive_data(bind(1, ACTIVATOR_CONTEXT))
    assert isinstance(machine.next_event(), BindReceived)
    assert isinstance(decode_pdu(machine.data_to_send()), BindAck)
    machine.receive_data(bind(2, ACTIVATOR_CONTEXT))
    event = machine.next_event()
    assert isinstance(event, CallRejected) and event.close and event.call_id == 2
    assert machine.data_to_send().hex() == SECOND_BIND_NAK
    assert machine.state == ServerState.CLOSED


@pytest.fixture(scope="module")
def fleet() -> Iterator[FleetThread]:
    # impacket's DCOMConnection always dials TCP 135
    with FleetThread([HostConfig(ADDRESS, default_catalog())]) as running:
        yield running


def resolver_port(fleet: FleetThread) -> int:
    port = fleet.hosts[0].resolver_port
    if port is None:
        raise RuntimeError("the resolver port is closed")
    return port


def receive_pdu(sock: socket.socket) -> bytes:
    header = sock.recv(16, socket.MSG_WAITALL)
    size = int.from_bytes(header[8:10], "little")
    return header + sock.recv(size - 16, socket.MSG_WAITALL)


def test_second_bind_on_tcp_135_is_naked_then_closed(fleet: FleetThread) -> None:
    with socket.create_connection((ADDRESS, resolver_port(fleet))) as sock:
        sock.sendall(bind(1, OXID_RESOLVER_CONTEXT))
        assert isinstance(decode_pdu(receive_pdu(sock)), BindAck)
        sock.sendall(bind(2, ACTIVATOR_CONTEXT))
        answer = receive_pdu(sock)
        assert answer.hex() == SECOND_BIND_NAK
        nak = decode_pdu(answer)
        assert isinstance(nak, BindNak) and nak.reject_reason == BindNakReason.REASON_NOT_SPECIFIED
        assert sock.recv(1) == b""  # the server closed the connection


def test_stock_impacket_second_activation_is_refused_like_windows(fleet: FleetThread) -> None:
    dcom = ic.connect(ADDRESS, ADMIN, PASSWORD)
    try:
        session = ic.create(dcom)
        with pytest.raises(rpcrt.DCERPCException) as caught:
            ic.create(dcom, CLSID_AGENT_INFO)
        assert "reason_not_specified" in str(caught.value)
        # the first object lives on its own exporter connection and still answers
        assert ic.get(session, "ClientApplicationID") is not None
    finally:
        ic.disconnect(dcom, ADDRESS)
