"""Our NTLM client and acceptor driving the real RPC connection machines (wua.rpc.connection),
in memory: bind + auth3, protected calls both ways, fragments, tampering."""

from __future__ import annotations

import pytest

from tests.rpc.harness import IFACE_A, Pair, make_pair
from tests.security.conftest import PASSWORD
from wua.errors import AuthenticationFailed
from wua.rpc.connection.client import ClientConfig
from wua.rpc.connection.events import (
    AuthComplete,
    BindAccepted,
    CallRejected,
    CallRequest,
    CallResponse,
)
from wua.rpc.constants import PType
from wua.rpc.negotiation import windows_offer
from wua.rpc.pdu import decode_pdu, peek_header
from wua.rpc.security.accounts import LocalAccounts
from wua.rpc.security.base import AuthLevel, AuthType
from wua.rpc.security.credentials import Credentials
from wua.rpc.security.ntlm_acceptor import NtlmAcceptor
from wua.rpc.security.spnego_acceptor import SpnegoAcceptor
from wua.rpc.security.spnego_client import negotiate_client, ntlm_client

STUB = bytes(range(256)) * 3
ACCOUNTS = LocalAccounts.from_passwords({"Administrator": PASSWORD})


def ntlm_pair(
    level: AuthLevel,
    acceptors: list[NtlmAcceptor | SpnegoAcceptor],
    password: str = PASSWORD,
    config: ClientConfig | None = None,
    *,
    negotiate: bool = False,
    **server: object,
) -> tuple[Pair, list[object]]:
    def factory(
        auth_type: AuthType | int, auth_level: AuthLevel | int
    ) -> NtlmAcceptor | SpnegoAcceptor:
        acceptor: NtlmAcceptor | SpnegoAcceptor
        if auth_type == AuthType.WINNT:
            acceptor = NtlmAcceptor(ACCOUNTS, AuthLevel(auth_level))
        elif auth_type == AuthType.GSS_NEGOTIATE:
            acceptor = SpnegoAcceptor(ACCOUNTS, AuthLevel(auth_level))
        else:
            raise AuthenticationFailed(f"auth type {auth_type} not offered")
        acceptors.append(acceptor)
        return acceptor

    pair = make_pair(config, security_factory=factory, **server)
    make_client = negotiate_client if negotiate else ntlm_client
    client = make_client(Credentials("administrator", "", password=password), level)
    pair.to_server(pair.client.bind(windows_offer(IFACE_A), security=client, auth_context_id=3))
    events: list[object] = list(pair.to_client())
    server_events, more = pair.settle()
    return pair, events + list(more) + list(server_events)


@pytest.mark.parametrize("level", [AuthLevel.PKT_INTEGRITY, AuthLevel.PKT_PRIVACY])
@pytest.mark.parametrize("negotiate", [False, True], ids=["ntlm", "negotiate"])
def test_bind_handshake_and_calls(level: AuthLevel, negotiate: bool) -> None:
    acceptors: list[NtlmAcceptor | SpnegoAcceptor] = []
    pair, events = ntlm_pair(level, acceptors, negotiate=negotiate)
    assert isinstance(events[0], BindAccepted) and AuthComplete(3) in events
    last_leg = PType.ALTER_CONTEXT if negotiate else PType.AUTH3
    assert [peek_header(w).ptype for w in pair.wire_to_server] == [PType.BIND, last_leg]
    (acceptor,) = acceptors
    assert acceptor.logon is not None and acceptor.logon.user == "Administrator"
    for opnum in range(1, 30):
        wire = pair.client.request(0, opnum, STUB[: opnum * 17])
        assert (STUB[:16] in wire) == (level == AuthLevel.PKT_INTEGRITY and opnum * 17 >= 16)
        (call,) = pair.to_server(wire)
        assert isinstance(call, CallRequest) and call.stub == STUB[: opnum * 17]
        answer = pair.server.respond(call.call_id, STUB[: opnum * 29])
        response = decode_pdu(answer)
        assert response.auth is not None and response.auth.auth_level == level
        assert pair.to_client(answer) == [CallResponse(call.call_id, STUB[: opnum * 29])]


@pytest.mark.parametrize("level", [AuthLevel.PKT_INTEGRITY, AuthLevel.PKT_PRIVACY])
def test_fragmented_calls(level: AuthLevel) -> None:
    pair, _ = ntlm_pair(
        level,
        [],
        config=ClientConfig(max_xmit_frag=160, max_recv_frag=160),
        max_xmit_frag=160,
        max_recv_frag=160,
    )
    (call,) = pair.to_server(pair.client.request(0, 2, STUB * 2))
    assert isinstance(call, CallRequest) and call.stub == STUB * 2
    assert pair.to_client(pair.server.respond(call.call_id, STUB)) == [
        CallResponse(call.call_id, STUB)
    ]


def test_wrong_password_fails_the_logon() -> None:
    acceptors: list[NtlmAcceptor | SpnegoAcceptor] = []
    pair, _ = ntlm_pair(AuthLevel.PKT_PRIVACY, acceptors, password="wrong")
    assert not acceptors[0].complete and acceptors[0].logon is None
    # NTLM's AUTH3 has no answer, so the client learns of the refusal at its first call.
    (rejected,) = pair.to_server(pair.client.request(0, 5, STUB))
    assert isinstance(rejected, CallRejected) and rejected.close


def test_tampered_sealed_request_is_rejected() -> None:
    pair, _ = ntlm_pair(AuthLevel.PKT_PRIVACY, [])
    wire = bytearray(pair.client.request(0, 5, STUB))
    wire[40] ^= 1
    (rejected,) = pair.to_server(bytes(wire))
    assert isinstance(rejected, CallRejected) and rejected.close
