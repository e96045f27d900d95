"""The parts the connection machines were split into, tested at their own seams.

The machines' behaviour is tested end to end elsewhere; these pin the rules each part
owns, and that the names callers import still come from where they always did.
"""

from __future__ import annotations

import pytest

from tests.rpc.fake_security import FakeContext
from wua.errors import ProtocolError
from wua.rpc.connection import server, server_auth, server_faults
from wua.rpc.connection.client_auth import InitiatorContexts
from wua.rpc.connection.server_auth import AcceptorContexts, HandshakeLeg, Refusal
from wua.rpc.connection.server_calls import IncomingCalls
from wua.rpc.connection.state import LocalProtocolError
from wua.rpc.constants import BindNakReason
from wua.rpc.faults import NCA_S_FAULT_ACCESS_DENIED, NCA_S_PROTO_ERROR
from wua.rpc.pdu import AuthVerifier, BindNak, Fault, decode_pdu
from wua.rpc.security.base import AuthLevel, AuthType


def acceptor(auth_type: AuthType | int, auth_level: AuthLevel | int) -> FakeContext:
    return FakeContext(server=True, auth_type=AuthType(auth_type), auth_level=AuthLevel(auth_level))


def test_names_stay_importable_from_the_server_module() -> None:
    assert server.SecurityFactory is server_auth.SecurityFactory
    assert server.BIND_NAK_PAD is server_faults.BIND_NAK_PAD


def test_a_bind_token_without_an_acceptor_is_not_recognized() -> None:
    contexts = AcceptorContexts(None)
    verifier = AuthVerifier(AuthType.WINNT, AuthLevel.PKT_INTEGRITY, 0, b"token")
    assert contexts.on_bind(verifier) == BindNakReason.AUTHENTICATION_TYPE_NOT_RECOGNIZED
    assert contexts.established(0) is None


def test_auth_level_below_connect_is_not_recognized() -> None:
    contexts = AcceptorContexts(acceptor)
    verifier = AuthVerifier(AuthType.WINNT, AuthLevel.NONE, 0, b"token")
    assert contexts.on_bind(verifier) == BindNakReason.AUTHENTICATION_TYPE_NOT_RECOGNIZED


def test_requests_under_no_context_are_refused_once_one_signs() -> None:
    contexts = AcceptorContexts(acceptor)
    assert contexts.security_for(None) is None
    unknown = AuthVerifier(AuthType.WINNT, AuthLevel.PKT_INTEGRITY, 7, b"")
    refusal = contexts.security_for(unknown)
    assert isinstance(refusal, Refusal) and refusal.status == NCA_S_FAULT_ACCESS_DENIED


def test_a_request_in_the_middle_of_a_handshake_is_a_protocol_error() -> None:
    contexts = AcceptorContexts(acceptor)
    verifier = AuthVerifier(AuthType.WINNT, AuthLevel.PKT_INTEGRITY, 0, b"NEGOTIATE")
    assert isinstance(contexts.on_bind(verifier), HandshakeLeg)
    refusal = contexts.security_for(verifier)
    assert isinstance(refusal, Refusal) and refusal.status == NCA_S_PROTO_ERROR
    refusal = contexts.security_for(None)
    assert isinstance(refusal, Refusal) and refusal.status == NCA_S_FAULT_ACCESS_DENIED


def test_auth3_for_an_unknown_context_names_auth3() -> None:
    contexts = AcceptorContexts(None)
    with pytest.raises(ProtocolError) as caught:
        contexts.on_auth3(AuthVerifier(AuthType.WINNT, AuthLevel.PKT_INTEGRITY, 3, b""))
    assert caught.value.structure == "auth3"


def test_answering_a_call_that_is_not_pending_is_our_error() -> None:
    calls = IncomingCalls(AcceptorContexts(None), 1024)
    with pytest.raises(LocalProtocolError):
        calls.take(5)
    assert calls.pending == frozenset()


def test_refusal_pdus_decode_as_what_they_are() -> None:
    fault = decode_pdu(server_faults.fault_pdu(9, 2, NCA_S_PROTO_ERROR, True))
    assert isinstance(fault, Fault) and (fault.call_id, fault.context_id) == (9, 2)
    assert fault.status == NCA_S_PROTO_ERROR and fault.auth is None
    nak = decode_pdu(server_faults.bind_nak_pdu(4, BindNakReason.REASON_NOT_SPECIFIED))
    assert isinstance(nak, BindNak) and nak.call_id == 4


def test_client_calls_name_an_established_context() -> None:
    contexts = InitiatorContexts()
    assert contexts.security_for(None) is None
    with pytest.raises(LocalProtocolError):
        contexts.security_for(0)
    assert contexts.next_id() == 0
    contexts.start(FakeContext(server=False), 0, 1, ())
    assert contexts.next_id() == 1 and not contexts.ready(0)
    with pytest.raises(LocalProtocolError):
        contexts.start(FakeContext(server=False), 0, 2, ())


def test_a_refused_handshake_forgets_its_context() -> None:
    contexts = InitiatorContexts()
    contexts.start(FakeContext(server=False), 0, 1, ())
    contexts.drop_handshake()
    assert contexts.next_id() == 0
