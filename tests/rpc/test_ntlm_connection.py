"""Bind with NTLM (the security engineer's provider) through our client and server
machines: PKT_INTEGRITY and PKT_PRIVACY, tampering and downgrades refused."""

from __future__ import annotations

import pytest

from tests.rpc.harness import IFACE_A, Pair, make_pair
from wua.errors import AuthenticationFailed
from wua.rpc.connection.events import (
    AuthComplete,
    CallFault,
    CallRejected,
    CallRequest,
    CallResponse,
)
from wua.rpc.connection.state import ServerState
from wua.rpc.constants import PType
from wua.rpc.faults import NCA_S_FAULT_ACCESS_DENIED
from wua.rpc.negotiation import windows_offer
from wua.rpc.pdu import TRAILER_SIZE, Request, decode_pdu, encode_pdu, peek_header
from wua.rpc.security.accounts import Account, LocalAccounts
from wua.rpc.security.base import AuthLevel, AuthType
from wua.rpc.security.credentials import Credentials
from wua.rpc.security.ntlm_acceptor import NtlmAcceptor
from wua.rpc.security.spnego_client import ntlm_client

PASSWORD = "Wu@-s3cret!"
ACCOUNTS = LocalAccounts([Account.with_password("Administrator", PASSWORD)])
STUB = bytes(range(200))


def acceptor(auth_type: AuthType | int, auth_level: AuthLevel | int) -> NtlmAcceptor:
    if auth_type != AuthType.WINNT:
        raise AuthenticationFailed(f"auth type {int(auth_type)} is not offered")
    return NtlmAcceptor(ACCOUNTS, AuthLevel(auth_level))


def ntlm_pair(level: AuthLevel, password: str = PASSWORD, auth_context_id: int = 0) -> Pair:
    pair = make_pair(security_factory=acceptor)
    client = ntlm_client(Credentials("Administrator", "WUAHOST", password=password), level)
    pair.to_server(
        pair.client.bind(windows_offer(IFACE_A), security=client, auth_context_id=auth_context_id)
    )
    pair.to_client()
    pair.settle()
    return pair


@pytest.mark.parametrize("level", [AuthLevel.PKT_INTEGRITY, AuthLevel.PKT_PRIVACY])
def test_ntlm_bind_auth3_and_protected_calls(level: AuthLevel) -> None:
    pair = ntlm_pair(level, auth_context_id=79231)
    assert [peek_header(w).ptype for w in pair.wire_to_server] == [PType.BIND, PType.AUTH3]
    for size in (0, 1, 15, 16, 17, 200, 5000):
        wire = pair.client.request(0, 6, STUB[:size] * (1 + size // 200))
        stub = STUB[:size] * (1 + size // 200)
        first = decode_pdu(wire[: peek_header(wire).frag_length])
        assert first.auth is not None and first.auth.auth_level == level
        assert first.auth.auth_context_id == 79231
        (call,) = pair.to_server(wire)
        assert isinstance(call, CallRequest) and call.stub == stub
        answer = pair.server.respond(call.call_id, stub[::-1])
        response = decode_pdu(answer[: peek_header(answer).frag_length])
        assert response.auth is not None and response.auth.auth_context_id == 79231
        assert pair.to_client(answer) == [CallResponse(call.call_id, stub[::-1])]
    if level == AuthLevel.PKT_PRIVACY:
        assert STUB[:32] not in b"".join(pair.wire_to_server[2:])


def test_wrong_password_is_refused_at_the_first_call() -> None:
    pair = ntlm_pair(AuthLevel.PKT_PRIVACY, password="wrong")
    (rejected,) = pair.to_server(pair.client.request(0, 6, STUB))
    assert isinstance(rejected, CallRejected) and rejected.status == NCA_S_FAULT_ACCESS_DENIED
    assert rejected.close


@pytest.mark.parametrize("offset", [18, 30, -20, -1])
def test_tampered_request_is_refused(offset: int) -> None:
    pair = ntlm_pair(AuthLevel.PKT_INTEGRITY)
    wire = bytearray(pair.client.request(0, 6, STUB))
    wire[offset] ^= 0x40
    (rejected,) = pair.to_server(bytes(wire))
    assert isinstance(rejected, CallRejected) and rejected.status == NCA_S_FAULT_ACCESS_DENIED
    assert rejected.close and pair.server.state == ServerState.CLOSED
    (fault,) = pair.to_client()
    assert isinstance(fault, CallFault) and fault.status == NCA_S_FAULT_ACCESS_DENIED


def test_tampered_response_is_refused_by_the_client() -> None:
    pair = ntlm_pair(AuthLevel.PKT_PRIVACY)
    (call,) = pair.to_server(pair.client.request(0, 6, STUB))
    answer = bytearray(pair.server.respond(call.call_id, STUB))  # type: ignore[union-attr]
    answer[40] ^= 0x01
    with pytest.raises(AuthenticationFailed):
        pair.to_client(bytes(answer))


@pytest.mark.parametrize("lower", [AuthLevel.CONNECT, AuthLevel.PKT_INTEGRITY])
def test_downgraded_auth_level_is_refused(lower: AuthLevel) -> None:
    pair = ntlm_pair(AuthLevel.PKT_PRIVACY)
    wire = bytearray(pair.client.request(0, 6, STUB))
    trailer = len(wire) - 16 - TRAILER_SIZE
    assert wire[trailer + 1] == AuthLevel.PKT_PRIVACY
    wire[trailer + 1] = lower
    (rejected,) = pair.to_server(bytes(wire))
    assert isinstance(rejected, CallRejected) and "downgraded" in rejected.reason
    assert rejected.status == NCA_S_FAULT_ACCESS_DENIED and rejected.close


def test_unsigned_request_on_a_signed_connection_is_refused() -> None:
    pair = ntlm_pair(AuthLevel.PKT_INTEGRITY)
    (rejected,) = pair.to_server(encode_pdu(Request(call_id=9, context_id=0, opnum=6, stub=STUB)))
    assert isinstance(rejected, CallRejected) and "unsigned" in rejected.reason
    assert rejected.status == NCA_S_FAULT_ACCESS_DENIED


def test_second_ntlm_context_by_alter_context_as_impacket_does() -> None:
    pair = ntlm_pair(AuthLevel.PKT_INTEGRITY)
    second = ntlm_client(
        Credentials("Administrator", "WUAHOST", password=PASSWORD), AuthLevel.PKT_PRIVACY
    )
    pair.to_server(
        pair.client.alter_context(
            windows_offer(IFACE_A, 4, ndr64=False, features=None),
            security=second,
            auth_context_id=79232,
        )
    )
    c_events = pair.to_client()
    s_events, more = pair.settle()
    assert AuthComplete(79232) in s_events and AuthComplete(79232) in c_events + more
    (call,) = pair.to_server(pair.client.request(4, 6, STUB, auth_context_id=79232))
    assert isinstance(call, CallRequest) and call.auth_context_id == 79232
    assert pair.to_client(pair.server.respond(call.call_id, b"ok")) == [
        CallResponse(call.call_id, b"ok")
    ]
