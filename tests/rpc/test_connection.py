"""Client machine ↔ server machine in memory, without authentication."""

from __future__ import annotations

from uuid import UUID

import pytest

from tests.rpc.harness import IFACE_A, IFACE_B, IFACE_C, Pair, make_pair
from wua.errors import ProtocolError
from wua.rpc.connection.client import ClientConfig
from wua.rpc.connection.events import (
    AlterContextAccepted,
    BindAccepted,
    BindReceived,
    CallFault,
    CallRejected,
    CallRequest,
    CallResponse,
)
from wua.rpc.connection.state import ClientState, LocalProtocolError, ServerState
from wua.rpc.constants import BindTimeFeatures, PfcFlags, ProviderReason, ResultCode
from wua.rpc.faults import NCA_S_PROTO_ERROR, NCA_S_UNK_IF
from wua.rpc.negotiation import windows_offer
from wua.rpc.pdu import Request, Response, decode_pdu, encode_pdu, peek_header
from wua.rpc.presentation import NDR32, ContextElement


def bound_pair(client_config: ClientConfig | None = None, **server: object) -> Pair:
    pair = make_pair(client_config, **server)
    pair.to_server(pair.client.bind(windows_offer(IFACE_A)))
    pair.to_client()
    assert pair.client.state == ClientState.BOUND
    return pair


def test_bind_as_windows_negotiates_it() -> None:
    pair = make_pair(secondary_address="49667", assoc_group_id=0x77)
    s_events = pair.to_server(pair.client.bind(windows_offer(IFACE_A)))
    (received,) = s_events
    assert isinstance(received, BindReceived) and not received.alter
    assert [a.context_id for a in received.accepted] == [0]
    (accepted,) = pair.to_client()
    assert isinstance(accepted, BindAccepted)
    assert [r.result for r in accepted.results] == [
        ResultCode.ACCEPTANCE,
        ResultCode.PROVIDER_REJECTION,
        ResultCode.NEGOTIATE_ACK,
    ]
    assert accepted.results[1].reason == ProviderReason.PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED
    assert accepted.features == (
        BindTimeFeatures.SECURITY_CONTEXT_MULTIPLEXING | BindTimeFeatures.KEEP_CONNECTION_ON_ORPHAN
    )
    assert (accepted.accepted, accepted.secondary_address, accepted.assoc_group_id) == (
        (0,),
        "49667",
        0x77,
    )
    assert pair.server.state == ServerState.BOUND and pair.client.contexts == {0}


def test_unknown_interface_is_refused_with_reason_1() -> None:
    pair = make_pair()
    pair.to_server(pair.client.bind((ContextElement(0, IFACE_C, (NDR32,)),)))
    (accepted,) = pair.to_client()
    assert isinstance(accepted, BindAccepted) and accepted.accepted == ()
    assert (accepted.results[0].result, accepted.results[0].reason) == (
        ResultCode.PROVIDER_REJECTION,
        ProviderReason.ABSTRACT_SYNTAX_NOT_SUPPORTED,
    )
    with pytest.raises(LocalProtocolError):
        pair.client.request(0, 3, b"")


def test_request_response_and_fault() -> None:
    pair = bound_pair()
    obj = UUID("11111111-2222-3333-4444-555555555555")
    (call,) = pair.to_server(pair.client.request(0, 7, b"\x01\x02\x03\x04", obj))
    assert call == CallRequest(call.call_id, 0, 7, obj, b"\x01\x02\x03\x04", None)
    (reply,) = pair.to_client(pair.server.respond(call.call_id, b"\xaa" * 8))
    assert reply == CallResponse(call.call_id, b"\xaa" * 8)
    (call2,) = pair.to_server(pair.client.request(0, 8, b""))
    (fault,) = pair.to_client(pair.server.fault(call2.call_id, 0x80010108))
    assert fault == CallFault(call2.call_id, 0x80010108, False)
    assert pair.client.outstanding == frozenset() and pair.server.pending_calls == frozenset()


def test_request_on_unbound_context_faults_unk_if_did_not_execute() -> None:
    pair = bound_pair()
    forged = encode_pdu(Request(call_id=99, context_id=5, opnum=3, stub=b""))
    (rejected,) = pair.to_server(forged)
    assert isinstance(rejected, CallRejected) and not rejected.close
    assert rejected.status == NCA_S_UNK_IF
    fault = decode_pdu(pair.server.data_to_send())
    assert fault.flags & PfcFlags.DID_NOT_EXECUTE and pair.server.state == ServerState.BOUND


@pytest.mark.parametrize("max_frag", [64, 100, 160, 1432])
def test_fragmentation_both_ways(max_frag: int) -> None:
    config = ClientConfig(max_xmit_frag=max_frag, max_recv_frag=max_frag)
    pair = bound_pair(config, max_xmit_frag=max_frag, max_recv_frag=max_frag)
    stub = bytes(range(256)) * 20
    wire = pair.client.request(0, 9, stub)
    fragments = split(wire)
    assert len(fragments) > 1 and all(len(f) <= max_frag for f in fragments)
    hints = [decode_pdu(f).alloc_hint for f in fragments]  # type: ignore[union-attr]
    assert hints[0] == len(stub) and hints == sorted(hints, reverse=True)
    flags = [decode_pdu(f).flags & PfcFlags.SINGLE for f in fragments]
    assert flags[0] == PfcFlags.FIRST_FRAG and flags[-1] == PfcFlags.LAST_FRAG
    assert all(f == PfcFlags.NONE for f in flags[1:-1])
    # delivered one byte at a time, the server still sees exactly one call
    events = []
    for i in range(len(wire)):
        events += pair.to_server(wire[i : i + 1])
    (call,) = events
    assert isinstance(call, CallRequest) and call.stub == stub
    answer = pair.server.respond(call.call_id, stub[::-1])
    assert all(len(f) <= max_frag for f in split(answer))
    (reply,) = pair.to_client(answer)
    assert reply == CallResponse(call.call_id, stub[::-1])


def split(wire: bytes) -> list[bytes]:
    out = []
    while wire:
        n = peek_header(wire).frag_length
        out.append(wire[:n])
        wire = wire[n:]
    return out


def test_several_contexts_and_alter_context() -> None:
    pair = make_pair(interfaces=(IFACE_A, IFACE_B, IFACE_C))
    pair.to_server(
        pair.client.bind(
            (ContextElement(0, IFACE_A, (NDR32,)), ContextElement(1, IFACE_B, (NDR32,)))
        )
    )
    pair.to_client()
    (altered,) = pair.to_server(pair.client.alter_context((ContextElement(2, IFACE_C, (NDR32,)),)))
    assert isinstance(altered, BindReceived) and altered.alter
    (accepted,) = pair.to_client()
    assert isinstance(accepted, AlterContextAccepted) and accepted.accepted == (2,)
    for context_id in (2, 0, 1):
        (call,) = pair.to_server(pair.client.request(context_id, 3, bytes([context_id])))
        assert isinstance(call, CallRequest) and call.context_id == context_id
        rsp = decode_pdu(pair.server.respond(call.call_id, b"ok"))
        assert isinstance(rsp, Response) and rsp.context_id == context_id
        pair.to_client(encode_pdu(rsp))


def test_concurrent_calls_when_multiplexing_is_negotiated() -> None:
    pair = bound_pair(ClientConfig(multiplex=True), multiplex=True)
    assert pair.client.multiplexed and pair.server.multiplexed
    wires = [pair.client.request(0, 10 + i, bytes([i]) * (i + 1) * 300) for i in range(3)]
    calls = [e for w in wires for e in pair.to_server(w)]
    assert [c.opnum for c in calls] == [10, 11, 12]  # type: ignore[union-attr]
    replies = [
        e
        for c in reversed(calls)
        for e in pair.to_client(pair.server.respond(c.call_id, c.stub[:5]))
    ]  # type: ignore[union-attr]
    assert [r.call_id for r in replies] == [c.call_id for c in reversed(calls)]  # type: ignore[union-attr]


def test_interleaved_fragments_of_concurrent_calls() -> None:
    config = ClientConfig(multiplex=True, max_xmit_frag=96)
    pair = bound_pair(config, multiplex=True)
    a = split(pair.client.request(0, 1, b"A" * 300))
    b = split(pair.client.request(0, 2, b"B" * 300))
    events = []
    for fa, fb in zip(a, b, strict=False):
        events += pair.to_server(fa) + pair.to_server(fb)
    for rest in a[len(b) :] + b[len(a) :]:
        events += pair.to_server(rest)
    assert sorted((e.opnum, e.stub) for e in events) == [(1, b"A" * 300), (2, b"B" * 300)]  # type: ignore[union-attr]


def test_without_multiplexing_one_call_at_a_time() -> None:
    pair = bound_pair(ClientConfig(multiplex=True), multiplex=False)
    assert not pair.client.multiplexed
    pair.to_server(pair.client.request(0, 1, b""))
    with pytest.raises(LocalProtocolError):
        pair.client.request(0, 2, b"")
    forged = encode_pdu(Request(call_id=50, context_id=0, opnum=2, stub=b""))
    (rejected,) = pair.to_server(forged)
    assert isinstance(rejected, CallRejected) and rejected.status == NCA_S_PROTO_ERROR
    assert rejected.close and pair.server.state == ServerState.CLOSED


def test_out_of_order_pdus_are_protocol_errors() -> None:
    pair = make_pair()
    with pytest.raises(ProtocolError, match="cannot receive request in state await bind"):
        pair.to_server(encode_pdu(Request(call_id=1, context_id=0, opnum=0, stub=b"")))
    client = make_pair().client
    with pytest.raises(LocalProtocolError):
        client.request(0, 0, b"")
    pair = bound_pair()
    with pytest.raises(ProtocolError, match="not outstanding"):
        pair.to_client(encode_pdu(Response(call_id=77, context_id=0, stub=b"")))


def test_oversized_fragment_is_refused_before_it_arrives() -> None:
    pair = bound_pair(ClientConfig(max_recv_frag=2000))
    huge = encode_pdu(Response(call_id=2, context_id=0, stub=b"x" * 3000))
    with pytest.raises(ProtocolError, match="exceeds the negotiated 2000"):
        pair.to_client(huge[:16])


def test_response_naming_another_context_is_refused() -> None:
    pair = bound_pair()
    (call,) = pair.to_server(pair.client.request(0, 1, b""))
    forged = encode_pdu(Response(call_id=call.call_id, context_id=4, stub=b""))  # type: ignore[union-attr]
    with pytest.raises(ProtocolError, match="names context 4"):
        pair.to_client(forged)


def test_a_broken_pdu_closes_the_machine() -> None:
    pair = bound_pair()
    with pytest.raises(ProtocolError):
        pair.to_server(b"\x05\x00\x00\x03\x10\x00\x00\x00\x10\x00\x00\x00\x01\x00\x00\x00")
    assert pair.server.state == ServerState.CLOSED
    with pytest.raises(ProtocolError, match="state closed"):
        pair.to_server(pair.client.request(0, 1, b""))


def test_cancel_and_orphan() -> None:
    from wua.rpc.connection.events import CallCancelled, CallOrphaned

    pair = bound_pair(ClientConfig(multiplex=True), multiplex=True)
    (first,) = pair.to_server(pair.client.request(0, 1, b"a"))
    assert pair.to_server(pair.client.cancel(first.call_id)) == [  # type: ignore[union-attr]
        CallCancelled(first.call_id)
    ]  # type: ignore[union-attr]
    (second,) = pair.to_server(pair.client.request(0, 2, b"b"))
    assert pair.to_server(pair.client.orphan(second.call_id)) == [  # type: ignore[union-attr]
        CallOrphaned(second.call_id)
    ]  # type: ignore[union-attr]
    assert pair.client.outstanding == {first.call_id}  # type: ignore[union-attr]
    with pytest.raises(LocalProtocolError):
        pair.server.respond(second.call_id, b"")  # type: ignore[union-attr]
    assert pair.to_client(pair.server.fault(first.call_id, 0x1C00000D)) == [  # type: ignore[union-attr]
        CallFault(first.call_id, 0x1C00000D)
    ]  # type: ignore[union-attr]


def test_shutdown_reaches_the_client() -> None:
    from wua.rpc.connection.events import ShutdownRequested

    pair = bound_pair()
    assert pair.to_client(pair.server.shutdown()) == [ShutdownRequested()]
