"""Authenticated connections through both machines, with a toy mechanism that really
signs and seals (tests/rpc/fake_security.py), until the NTLM provider lands."""

from __future__ import annotations

import pytest

from tests.rpc.fake_security import FakeContext, server_factory
from tests.rpc.harness import IFACE_A, IFACE_B, Pair, make_pair
from wua.errors import AuthenticationFailed
from wua.rpc.connection.client import ClientConfig
from wua.rpc.connection.events import (
    AuthComplete,
    BindAccepted,
    BindRejected,
    CallFault,
    CallRejected,
    CallRequest,
    CallResponse,
)
from wua.rpc.connection.state import ServerState
from wua.rpc.constants import BindNakReason, PType
from wua.rpc.faults import NCA_S_FAULT_ACCESS_DENIED
from wua.rpc.fragments import CallSecurity, fragment_call
from wua.rpc.negotiation import windows_offer
from wua.rpc.pdu import Request, Response, decode_pdu, encode_pdu, peek_header
from wua.rpc.security.base import AuthLevel, AuthType

STUB = b"The quick brown fox jumps over the lazy dog" * 3


def authenticated_pair(
    level: AuthLevel,
    *,
    spnego_like: bool = False,
    auth_context_id: int = 0,
    client_config: ClientConfig | None = None,
    **server: object,
) -> Pair:
    pair = make_pair(
        client_config, security_factory=server_factory(spnego_like=spnego_like), **server
    )
    client_ctx = FakeContext(
        server=False,
        auth_level=level,
        spnego_like=spnego_like,
        auth_type=AuthType.GSS_NEGOTIATE if spnego_like else AuthType.WINNT,
    )
    pair.to_server(
        pair.client.bind(
            windows_offer(IFACE_A), security=client_ctx, auth_context_id=auth_context_id
        )
    )
    c_events = pair.to_client()
    s_events, more = pair.settle()
    c_events += more
    assert isinstance(c_events[0], BindAccepted)
    assert AuthComplete(auth_context_id) in c_events and AuthComplete(auth_context_id) in s_events
    return pair


@pytest.mark.parametrize("level", [AuthLevel.PKT_INTEGRITY, AuthLevel.PKT_PRIVACY])
def test_three_leg_handshake_with_auth3_then_protected_call(level: AuthLevel) -> None:
    pair = authenticated_pair(level, auth_context_id=7)
    legs = [peek_header(w).ptype for w in pair.wire_to_server]
    assert legs == [PType.BIND, PType.AUTH3]
    wire = pair.client.request(0, 5, STUB)
    request = decode_pdu(wire)
    assert request.auth is not None and request.auth.auth_context_id == 7
    assert (len(request.stub) + request.auth.auth_pad_length) % 16 == 0  # type: ignore[union-attr]
    assert (STUB[:16] in wire) == (level == AuthLevel.PKT_INTEGRITY)
    (call,) = pair.to_server(wire)
    assert isinstance(call, CallRequest) and call.stub == STUB and call.auth_context_id == 7
    answer = pair.server.respond(call.call_id, STUB.upper())
    response = decode_pdu(answer)
    assert isinstance(response, Response) and response.auth is not None
    assert response.auth.auth_context_id == 7  # the client's, not a server-chosen one
    assert response.auth.auth_level == level
    assert pair.to_client(answer) == [CallResponse(call.call_id, STUB.upper())]


def test_spnego_like_handshake_uses_alter_context_legs() -> None:
    pair = authenticated_pair(AuthLevel.PKT_PRIVACY, spnego_like=True)
    legs = [peek_header(w).ptype for w in pair.wire_to_server]
    assert legs == [PType.BIND, PType.ALTER_CONTEXT]
    (call,) = pair.to_server(pair.client.request(0, 1, STUB))
    assert pair.to_client(pair.server.respond(call.call_id, b"x")) == [  # type: ignore[union-attr]
        CallResponse(call.call_id, b"x")
    ]


@pytest.mark.parametrize("level", [AuthLevel.PKT_INTEGRITY, AuthLevel.PKT_PRIVACY])
def test_fragmented_protected_calls_sign_every_fragment(level: AuthLevel) -> None:
    config = ClientConfig(max_xmit_frag=128, max_recv_frag=128)
    pair = authenticated_pair(level, client_config=config, max_xmit_frag=128, max_recv_frag=128)
    wire = pair.client.request(0, 2, STUB * 4)
    sizes = []
    rest = wire
    while rest:
        n = peek_header(rest).frag_length
        fragment = decode_pdu(rest[:n])
        assert fragment.auth is not None and len(fragment.auth.auth_value) == 16
        sizes.append(n)
        rest = rest[n:]
    assert len(sizes) > 3 and max(sizes) <= 128
    (call,) = pair.to_server(wire)
    assert call.stub == STUB * 4  # type: ignore[union-attr]
    (reply,) = pair.to_client(pair.server.respond(call.call_id, STUB * 3))  # type: ignore[union-attr]
    assert reply == CallResponse(call.call_id, STUB * 3)  # type: ignore[union-attr]


def flip(wire: bytes, at: int) -> bytes:
    return wire[:at] + bytes([wire[at] ^ 0x01]) + wire[at + 1 :]


@pytest.mark.parametrize("where", ["stub", "header", "signature"])
def test_tampered_request_gets_access_denied_and_closes(where: str) -> None:
    pair = authenticated_pair(AuthLevel.PKT_INTEGRITY)
    wire = pair.client.request(0, 5, STUB)
    at = {"stub": 30, "header": 20, "signature": len(wire) - 1}[where]
    (rejected,) = pair.to_server(flip(wire, at))
    assert isinstance(rejected, CallRejected) and rejected.close
    assert rejected.status == NCA_S_FAULT_ACCESS_DENIED and "signature" in rejected.reason
    assert pair.server.state == ServerState.CLOSED
    (fault,) = pair.to_client()
    assert isinstance(fault, CallFault) and fault.status == NCA_S_FAULT_ACCESS_DENIED


def test_tampered_response_raises_on_the_client() -> None:
    pair = authenticated_pair(AuthLevel.PKT_PRIVACY)
    (call,) = pair.to_server(pair.client.request(0, 5, STUB))
    answer = pair.server.respond(call.call_id, STUB)  # type: ignore[union-attr]
    with pytest.raises(AuthenticationFailed):
        pair.to_client(flip(answer, 40))


def forged_request(pair: Pair, level: AuthLevel | None, call_id: int = 99) -> bytes:
    pdu = Request(call_id=call_id, context_id=0, opnum=5, stub=STUB)
    if level is None:
        return encode_pdu(pdu)
    forger = FakeContext(server=False, auth_level=level)
    return b"".join(fragment_call(pdu, 5840, CallSecurity(forger, 0)))


@pytest.mark.parametrize("level", [None, AuthLevel.CONNECT, AuthLevel.PKT_INTEGRITY])
def test_downgraded_auth_level_is_refused(level: AuthLevel | None) -> None:
    pair = authenticated_pair(AuthLevel.PKT_PRIVACY)
    (rejected,) = pair.to_server(forged_request(pair, level))
    assert isinstance(rejected, CallRejected) and rejected.close
    assert rejected.status == NCA_S_FAULT_ACCESS_DENIED
    assert ("downgraded" in rejected.reason) or ("unsigned" in rejected.reason)
    assert pair.server.state == ServerState.CLOSED


def test_second_auth_context_through_alter_context() -> None:
    pair = authenticated_pair(AuthLevel.PKT_INTEGRITY, interfaces=(IFACE_A, IFACE_B))
    second = FakeContext(server=False, auth_level=AuthLevel.PKT_PRIVACY)
    from wua.rpc.presentation import NDR32, ContextElement

    pair.to_server(
        pair.client.alter_context(
            (ContextElement(3, IFACE_B, (NDR32,)),), security=second, auth_context_id=1
        )
    )
    c_events = pair.to_client()
    s_events, more = pair.settle()
    assert AuthComplete(1) in c_events + more and AuthComplete(1) in s_events
    for ctx_id, context_id in ((1, 3), (0, 0)):
        wire = pair.client.request(context_id, 4, STUB, auth_context_id=ctx_id)
        (call,) = pair.to_server(wire)
        assert isinstance(call, CallRequest) and call.auth_context_id == ctx_id
        answer = pair.server.respond(call.call_id, b"r")
        assert decode_pdu(answer).auth.auth_context_id == ctx_id  # type: ignore[union-attr]
        assert pair.to_client(answer) == [CallResponse(call.call_id, b"r")]


def test_wrong_password_fails_on_first_call_after_auth3() -> None:
    pair = make_pair(security_factory=server_factory(password=b"right"))
    client_ctx = FakeContext(server=False, password=b"wrong")
    pair.to_server(pair.client.bind(windows_offer(IFACE_A), security=client_ctx))
    pair.to_client()
    s_events, _ = pair.settle()
    assert not any(isinstance(e, AuthComplete) for e in s_events)
    (rejected,) = pair.to_server(pair.client.request(0, 1, b""))
    assert isinstance(rejected, CallRejected) and rejected.status == NCA_S_FAULT_ACCESS_DENIED


def test_bind_with_auth_to_endpoint_without_security_is_nakked() -> None:
    pair = make_pair()
    pair.to_server(pair.client.bind(windows_offer(IFACE_A), security=FakeContext(server=False)))
    (nak,) = pair.to_client()
    assert isinstance(nak, BindRejected)
    assert nak.reason == BindNakReason.AUTHENTICATION_TYPE_NOT_RECOGNIZED


def test_request_in_the_middle_of_a_handshake_is_a_protocol_error() -> None:
    from wua.rpc.faults import NCA_S_PROTO_ERROR

    pair = make_pair(security_factory=server_factory())
    pair.to_server(pair.client.bind(windows_offer(IFACE_A), security=FakeContext(server=False)))
    (rejected,) = pair.to_server(forged_request(pair, AuthLevel.PKT_INTEGRITY))
    assert isinstance(rejected, CallRejected) and rejected.close
    assert rejected.status == NCA_S_PROTO_ERROR and "handshake" in rejected.reason
