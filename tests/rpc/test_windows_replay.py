"""Our server machine, fed the binds a Windows client sent, answers with the bytes the
Windows server sent (the security tokens are replayed by a scripted context)."""

from __future__ import annotations

import dataclasses
from uuid import UUID

from tests.rpc.vectors import vector
from wua.rpc.connection.client import ClientConfig, ClientConnection
from wua.rpc.connection.events import AlterContextAccepted, BindAccepted
from wua.rpc.connection.server import ServerConfig, ServerConnection
from wua.rpc.negotiation import windows_offer
from wua.rpc.pdu import AlterContextResp, decode_pdu
from wua.rpc.presentation import SyntaxId
from wua.rpc.security.base import AuthLevel, AuthType

IREMUNKNOWN2 = SyntaxId(UUID("00000143-0000-0000-c000-000000000046"))
ISYSTEMACTIVATOR = SyntaxId(UUID("000001a0-0000-0000-c000-000000000046"))


class ScriptedContext:
    """Answers each leg with the token the Windows server sent in the capture."""

    signature_size = 16

    def agree_header_signing(self, agreed: bool) -> None:
        """Only the handshake is replayed: nothing is signed."""

    def __init__(self, auth_type: AuthType, auth_level: AuthLevel, answers: list[bytes]) -> None:
        self.auth_type = auth_type
        self.auth_level = auth_level
        self._answers = answers
        self.received: list[bytes] = []

    @property
    def complete(self) -> bool:
        return False

    def step(self, token: bytes | None) -> bytes | None:
        self.received.append(token or b"")
        return self._answers.pop(0)

    def protect(self, pdu: bytes, stub_start: int, stub_end: int) -> tuple[bytes, bytes]:
        raise AssertionError("no call is made in these captures")

    def unprotect(self, pdu: bytes, stub_start: int, stub_end: int, auth_value: bytes) -> bytes:
        raise AssertionError("no call is made in these captures")


def token_of(name: str) -> bytes:
    pdu = decode_pdu(vector(name))
    assert pdu.auth is not None
    return pdu.auth.auth_value


def server_for(
    interface: SyntaxId, address: str, group: int, answers: list[bytes], made: list[ScriptedContext]
) -> ServerConnection:
    def factory(auth_type: AuthType | int, auth_level: AuthLevel | int) -> ScriptedContext:
        context = ScriptedContext(AuthType(auth_type), AuthLevel(auth_level), answers)
        made.append(context)
        return context

    return ServerConnection(
        ServerConfig(
            interfaces=(interface,),
            secondary_address=address,
            assoc_group_id=group,
            security_factory=factory,
        )
    )


def test_ntlm_capture_bind_and_alter_context() -> None:
    made: list[ScriptedContext] = []
    server = server_for(
        IREMUNKNOWN2,
        "58772",
        0x0510BD56,
        [token_of("ntlm_f3_bind_ack"), token_of("ntlm_f5_alter_context_resp")],
        made,
    )
    server.receive_data(vector("ntlm_f1_bind"))
    while server.next_event() is not None:
        pass
    assert server.data_to_send() == vector("ntlm_f3_bind_ack")
    server.receive_data(vector("ntlm_f4_alter_context"))
    while server.next_event() is not None:
        pass
    ours = decode_pdu(server.data_to_send())
    windows = decode_pdu(vector("ntlm_f5_alter_context_resp"))
    assert isinstance(windows, AlterContextResp)
    # Windows leaves two stale bytes ("58", from the port) in the alignment padding.
    assert ours == dataclasses.replace(windows, address_pad=b"")
    (context,) = made
    assert context.received == [token_of("ntlm_f1_bind"), token_of("ntlm_f4_alter_context")]


def test_kerberos_capture_bind() -> None:
    server = server_for(ISYSTEMACTIVATOR, "135", 0x26C1, [token_of("krb_f7_bind_ack")], [])
    server.receive_data(vector("krb_f4f5_bind"))
    while server.next_event() is not None:
        pass
    assert server.data_to_send() == vector("krb_f7_bind_ack")


def test_our_client_sends_the_windows_ntlm_legs() -> None:
    client = ClientConnection(ClientConfig(first_call_id=2))
    context = ScriptedContext(
        AuthType.GSS_NEGOTIATE,
        AuthLevel.PKT_INTEGRITY,
        [
            token_of("ntlm_f1_bind"),
            token_of("ntlm_f4_alter_context"),
            token_of("ntlm_f6_alter_context"),
        ],
    )
    assert client.bind(windows_offer(IREMUNKNOWN2), security=context) == vector("ntlm_f1_bind")
    client.receive_data(vector("ntlm_f3_bind_ack"))
    assert isinstance(client.next_event(), BindAccepted)
    assert client.data_to_send() == vector("ntlm_f4_alter_context")
    client.receive_data(vector("ntlm_f5_alter_context_resp"))
    assert isinstance(client.next_event(), AlterContextAccepted)
    assert client.data_to_send() == vector("ntlm_f6_alter_context")
    assert context.received == [
        b"",
        token_of("ntlm_f3_bind_ack"),
        token_of("ntlm_f5_alter_context_resp"),
    ]


def test_our_client_sends_the_windows_kerberos_legs() -> None:
    client = ClientConnection(ClientConfig(first_call_id=8, header_sign=False))
    context = ScriptedContext(
        AuthType.GSS_NEGOTIATE,
        AuthLevel.CONNECT,
        [token_of("krb_f4f5_bind"), token_of("krb_f8_alter_context")],
    )
    offer = windows_offer(ISYSTEMACTIVATOR, ndr64=False)
    assert client.bind(offer, security=context) == vector("krb_f4f5_bind")
    client.receive_data(vector("krb_f7_bind_ack"))
    assert isinstance(client.next_event(), BindAccepted)
    assert client.data_to_send() == vector("krb_f8_alter_context")
