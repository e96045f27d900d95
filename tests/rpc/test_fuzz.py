"""Fuzzing: random, truncated and mutated PDUs into every decoder and both machines.

The only exception allowed out is ProtocolError (LocalProtocolError included). Set
WUA_RPC_FUZZ_EXAMPLES to run more inputs (default keeps the suite fast); the count used
for the report was run with WUA_RPC_FUZZ_EXAMPLES=100000.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.rpc.fake_security import FakeContext, server_factory
from tests.rpc.harness import IFACE_A, Pair, drain_client, drain_server, make_pair
from tests.rpc.vectors import all_vectors
from wua.errors import ProtocolError
from wua.rpc.connection.client import ClientConnection
from wua.rpc.connection.server import ServerConfig, ServerConnection
from wua.rpc.constants import BindNakReason, PfcFlags
from wua.rpc.negotiation import windows_offer
from wua.rpc.pdu import (
    Auth3,
    AuthVerifier,
    BindNak,
    CoCancel,
    Fault,
    Orphaned,
    Request,
    Response,
    Shutdown,
    decode_pdu,
    encode_pdu,
    peek_header,
)
from wua.rpc.presentation import decode_context_list, decode_result_list
from wua.rpc.security.base import AuthLevel

EXAMPLES = int(os.environ.get("WUA_RPC_FUZZ_EXAMPLES", "1500"))


def _corpus() -> list[bytes]:
    seeds = list(all_vectors().values())
    verifier = AuthVerifier(10, 5, 0, b"\x01" * 16, b"\x00" * 4)
    seeds += [
        encode_pdu(p)
        for p in (
            Request(call_id=2, context_id=0, opnum=3, stub=b"\x05" * 20),
            Request(
                call_id=2,
                context_id=0,
                opnum=3,
                stub=b"\x05" * 12,
                auth=verifier,
                object_uuid=UUID(int=7),
            ),
            Response(call_id=2, context_id=0, stub=b"\x06" * 33),
            Response(
                call_id=1, context_id=0, stub=b"\x06" * 12, auth=verifier, flags=PfcFlags.FIRST_FRAG
            ),
            Fault(call_id=1, context_id=0, status=5),
            BindNak(call_id=1, reject_reason=BindNakReason.TEMPORARY_CONGESTION),
            Auth3(call_id=1, auth=verifier),
            Shutdown(call_id=0),
            CoCancel(call_id=1),
            Orphaned(call_id=1),
        )
    ]
    return seeds


CORPUS = _corpus()


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(CORPUS)))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "byte", "truncate", "insert", "delete", "fixlen"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "byte" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "truncate":
            del data[at:]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=24))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 24))]
        elif op == "fixlen" and len(data) >= 16:
            # keep frag_length honest so the mutation reaches the body decoders
            data[8:10] = len(data).to_bytes(2, "little")
            if draw(st.booleans()):
                data[10:12] = draw(st.integers(0, len(data))).to_bytes(2, "little")
    if len(data) >= 10 and draw(st.booleans()):
        data[8:10] = len(data).to_bytes(2, "little")  # most inputs should pass the length check
    return bytes(data)


inputs = st.one_of(st.binary(max_size=400), mutated())
fuzz_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def only_protocol_errors(action: Callable[[], object]) -> None:
    """Runs `action`; a ProtocolError is the expected refusal, anything else fails the test."""
    with contextlib.suppress(ProtocolError):
        action()


def decode_twice(data: bytes) -> None:
    pdu = decode_pdu(data)
    # whatever decodes must re-encode to bytes that decode to the same value
    assert decode_pdu(encode_pdu(pdu)) == pdu


def fresh_server() -> ServerConnection:
    return ServerConnection(ServerConfig(interfaces=(IFACE_A,)))


def bound_server(authenticated: bool) -> Pair:
    pair = make_pair(security_factory=server_factory())
    security = (
        FakeContext(server=False, auth_level=AuthLevel.PKT_PRIVACY) if authenticated else None
    )
    pair.to_server(pair.client.bind(windows_offer(IFACE_A), security=security))
    pair.to_client()
    pair.settle()
    return pair


def feed_server(server: ServerConnection, data: bytes) -> None:
    half = len(data) // 2
    for part in (data[:half], data[half:]):
        server.receive_data(part)
        drain_server(server)


def feed_client(client: ClientConnection, data: bytes) -> None:
    client.receive_data(data)
    drain_client(client)


def binding_client() -> ClientConnection:
    client = ClientConnection()
    client.bind(windows_offer(IFACE_A))
    return client


@pytest.mark.slow
@fuzz_settings
@given(inputs)
def test_decoders_raise_only_protocol_errors(data: bytes) -> None:
    only_protocol_errors(lambda: decode_twice(data))
    only_protocol_errors(lambda: peek_header(data))
    only_protocol_errors(lambda: decode_context_list(data, 0))
    only_protocol_errors(lambda: decode_result_list(data, 0))


@pytest.mark.slow
@fuzz_settings
@given(inputs, st.booleans())
def test_server_machine_raises_only_protocol_errors(data: bytes, authenticated: bool) -> None:
    only_protocol_errors(lambda: feed_server(fresh_server(), data))
    pair = bound_server(authenticated)
    only_protocol_errors(lambda: feed_server(pair.server, data))


@pytest.mark.slow
@fuzz_settings
@given(inputs)
def test_client_machine_raises_only_protocol_errors(data: bytes) -> None:
    only_protocol_errors(lambda: feed_client(binding_client(), data))
    pair = bound_server(False)
    pair.client.request(0, 1, b"abc")
    only_protocol_errors(lambda: feed_client(pair.client, data))
