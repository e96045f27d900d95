"""A stock impacket DCE/RPC client (an independent implementation proven against Windows)
against our server machine, over loopback TCP: bind with NTLM, auth3, protected calls in
both directions, fragmentation, object UUIDs. Our server verifies every signature."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from uuid import UUID

import pytest
from impacket.dcerpc.v5 import rpcrt, transport
from impacket.uuid import uuidtup_to_bin

from wua.errors import AuthenticationFailed
from wua.rpc.connection.events import CallRejected, CallRequest
from wua.rpc.connection.server import ServerConfig, ServerConnection
from wua.rpc.presentation import SyntaxId
from wua.rpc.security.accounts import Account, LocalAccounts
from wua.rpc.security.base import AuthLevel, AuthType
from wua.rpc.security.ntlm_acceptor import NtlmAcceptor

PASSWORD = "Wu@-s3cret!"
IFACE = SyntaxId(UUID("5b8c2c3e-0f7a-4d1e-9a43-2b6f4c1d7e01"), 1)
IFACE2 = SyntaxId(UUID("5b8c2c3e-0f7a-4d1e-9a43-2b6f4c1d7e02"), 1)
ACCOUNTS = LocalAccounts([Account.with_password("Administrator", PASSWORD)])


def acceptor(auth_type: AuthType | int, auth_level: AuthLevel | int) -> NtlmAcceptor:
    if auth_type != AuthType.WINNT:
        raise AuthenticationFailed(f"auth type {int(auth_type)} is not offered")
    return NtlmAcceptor(ACCOUNTS, AuthLevel(auth_level))


class EchoServer:
    """Serves one connection with our ServerConnection; answers a call with its stub
    reversed and records what happened."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.calls: list[CallRequest] = []
        self.rejections: list[CallRejected] = []
        self.errors: list[BaseException] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.listener.accept()
        machine = ServerConnection(
            ServerConfig(
                interfaces=(IFACE, IFACE2),
                security_factory=acceptor,
                secondary_address=str(self.port),
            )
        )
        with conn:
            try:
                while data := conn.recv(65536):
                    machine.receive_data(data)
                    while (event := machine.next_event()) is not None:
                        out = machine.data_to_send()
                        if isinstance(event, CallRequest):
                            self.calls.append(event)
                            out += machine.respond(event.call_id, event.stub[::-1])
                        elif isinstance(event, CallRejected):
                            self.rejections.append(event)
                        conn.sendall(out)
                    conn.sendall(machine.data_to_send())
            except Exception as exc:  # recorded for the test to report, not swallowed
                self.errors.append(exc)

    def close(self) -> None:
        self.listener.close()
        self.thread.join()


@pytest.fixture
def server() -> Iterator[EchoServer]:
    echo = EchoServer()
    yield echo
    echo.close()
    assert echo.errors == []


def impacket_client(port: int, level: int) -> rpcrt.DCERPC_v5:
    rpc = transport.DCERPCTransportFactory(f"ncacn_ip_tcp:127.0.0.1[{port}]")
    rpc.set_credentials("Administrator", PASSWORD, "WUAHOST")
    dce = rpc.get_dce_rpc()
    dce.set_auth_type(rpcrt.RPC_C_AUTHN_WINNT)
    dce.set_auth_level(level)
    dce.connect()
    dce.bind(uuidtup_to_bin((str(IFACE.uuid), "1.0")))
    return dce


@pytest.mark.parametrize(
    "level", [rpcrt.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, rpcrt.RPC_C_AUTHN_LEVEL_PKT_PRIVACY]
)
def test_impacket_calls_our_server(server: EchoServer, level: int) -> None:
    dce = impacket_client(server.port, level)
    obj = UUID("00112233-4455-6677-8899-aabbccddeeff")
    stubs = [b"", b"\x01", bytes(range(256)) * 3, bytes(range(251)) * 40]
    for opnum, stub in enumerate(stubs):
        dce.call(opnum + 3, stub, uuid=obj.bytes_le if opnum % 2 else None)
        answer = dce.recv()
        assert answer == stub[::-1]
    dce.disconnect()
    server.close()
    assert [(c.opnum, c.stub) for c in server.calls] == [(i + 3, s) for i, s in enumerate(stubs)]
    assert [c.object_uuid for c in server.calls] == [None, obj, None, obj]
    assert server.rejections == []


def test_impacket_alter_ctx_starts_a_fresh_ntlm_context(server: EchoServer) -> None:
    """impacket switches interfaces with alter_context and a new NTLM handshake (new
    auth_context_id, finished by auth3), as it does for DCOM."""
    dce = impacket_client(server.port, rpcrt.RPC_C_AUTHN_LEVEL_PKT_PRIVACY)
    dce.call(3, b"first")
    assert dce.recv() == b"tsrif"
    other = dce.alter_ctx(uuidtup_to_bin((str(IFACE2.uuid), "1.0")))
    other.call(4, b"second" * 1000)
    assert other.recv() == (b"second" * 1000)[::-1]
    dce.call(5, b"third")
    assert dce.recv() == b"driht"
    dce.disconnect()
    server.close()
    assert [(c.context_id, c.opnum) for c in server.calls] == [(0, 3), (1, 4), (0, 5)]
    first, second, third = (c.auth_context_id for c in server.calls)
    assert first == third != second
