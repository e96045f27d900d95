"""Hypothesis strategies for PDU values."""

from __future__ import annotations

from uuid import UUID

from hypothesis import strategies as st

from wua.rpc.constants import PfcFlags
from wua.rpc.pdu import AuthVerifier, Bind, BindAck, Fault, Request, Response
from wua.rpc.presentation import ContextElement, ContextResult, SyntaxId

u8 = st.integers(0, 0xFF)
u16 = st.integers(0, 0xFFFF)
u32 = st.integers(0, 0xFFFFFFFF)
uuids = st.builds(UUID, int=st.integers(0, 2**128 - 1))
syntaxes = st.builds(SyntaxId, uuids, u16, u16)
# Flags a data PDU may carry; OBJECT_UUID is driven by the object UUID itself.
call_flags = (
    st.sampled_from([int(f) for f in PfcFlags if f != PfcFlags.OBJECT_UUID])
    .map(PfcFlags)
    .flatmap(lambda f: st.just(f) | st.just(f | PfcFlags.SINGLE))
)


@st.composite
def verifiers(draw: st.DrawFn, stub_len: int | None = None) -> AuthVerifier:
    pad_len = draw(st.integers(0, 15)) if stub_len is None else -stub_len % 4
    return AuthVerifier(
        draw(u8),
        draw(u8),
        draw(u32),
        draw(st.binary(min_size=1, max_size=64)),
        draw(st.binary(min_size=pad_len, max_size=pad_len)),
        draw(u8),
    )


@st.composite
def requests(draw: st.DrawFn, with_auth: bool = True) -> Request:
    stub = draw(st.binary(max_size=200))
    auth = draw(st.none() | verifiers(len(stub))) if with_auth else None
    return Request(
        call_id=draw(u32),
        flags=draw(call_flags),
        auth=auth,
        context_id=draw(u16),
        opnum=draw(u16),
        stub=stub,
        object_uuid=draw(st.none() | uuids),
        alloc_hint=draw(u32),
    )


@st.composite
def responses(draw: st.DrawFn, with_auth: bool = True) -> Response:
    stub = draw(st.binary(max_size=200))
    auth = draw(st.none() | verifiers(len(stub))) if with_auth else None
    return Response(
        call_id=draw(u32),
        flags=draw(call_flags),
        auth=auth,
        context_id=draw(u16),
        stub=stub,
        alloc_hint=draw(u32),
        cancel_count=draw(u8),
    )


faults = st.builds(
    Fault,
    call_id=u32,
    context_id=u16,
    status=u32,
    alloc_hint=u32,
    cancel_count=u8,
    stub=st.binary(max_size=16).map(lambda b: b * 4),
)

single_syntax_contexts = st.builds(ContextElement, u16, syntaxes, st.tuples(syntaxes))
contexts = st.builds(
    ContextElement, u16, syntaxes, st.lists(syntaxes, min_size=1, max_size=3).map(tuple)
)


@st.composite
def binds(draw: st.DrawFn, single_syntax: bool = False) -> Bind:
    elements = st.lists(single_syntax_contexts if single_syntax else contexts, max_size=4)
    return Bind(
        call_id=draw(u32),
        flags=PfcFlags(draw(u8) & ~PfcFlags.OBJECT_UUID),
        auth=draw(st.none() | verifiers(0)),
        max_xmit_frag=draw(u16),
        max_recv_frag=draw(u16),
        assoc_group_id=draw(u32),
        contexts=tuple(draw(elements)),
    )


results = st.builds(ContextResult, st.integers(0, 3), u16, syntaxes)
ports = st.text(alphabet="0123456789", min_size=1, max_size=12)


@st.composite
def bind_acks(draw: st.DrawFn, empty_address: bool = True) -> BindAck:
    address = draw(ports | st.just("")) if empty_address else draw(ports)
    return BindAck(
        call_id=draw(u32),
        flags=PfcFlags(draw(u8) & ~PfcFlags.OBJECT_UUID),
        auth=draw(st.none() | verifiers(0)),
        max_xmit_frag=draw(u16),
        max_recv_frag=draw(u16),
        assoc_group_id=draw(u32),
        secondary_address=address,
        results=tuple(draw(st.lists(results, max_size=4))),
    )
