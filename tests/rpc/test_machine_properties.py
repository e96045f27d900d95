"""Property: whatever the fragment size, chunking of the byte stream, number of concurrent
calls, order of answers and protection level, every call arrives whole and every answer
reaches the call it belongs to."""

from __future__ import annotations

import random
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.rpc.fake_security import FakeContext, server_factory
from tests.rpc.harness import IFACE_A, drain_client, drain_server, make_pair
from wua.rpc.connection.client import ClientConfig
from wua.rpc.connection.events import CallRequest, CallResponse
from wua.rpc.negotiation import windows_offer
from wua.rpc.security.base import AuthLevel


def deliver(data: bytes, chunk: int, feed: Callable[[bytes], list[object]]) -> list[object]:
    events: list[object] = []
    for at in range(0, len(data), chunk):
        events += feed(data[at : at + chunk])
    return events


@settings(max_examples=150, deadline=None)
@given(
    max_frag=st.integers(96, 2048),
    stubs=st.lists(st.binary(max_size=3000), min_size=1, max_size=5),
    order=st.randoms(use_true_random=False),
    chunk=st.integers(1, 4096),
    level=st.sampled_from([None, AuthLevel.PKT_INTEGRITY, AuthLevel.PKT_PRIVACY]),
)
def test_calls_arrive_whole_and_answers_find_their_call(
    max_frag: int,
    stubs: list[bytes],
    order: random.Random,
    chunk: int,
    level: AuthLevel | None,
) -> None:
    config = ClientConfig(max_xmit_frag=max_frag, max_recv_frag=max_frag, multiplex=True)
    pair = make_pair(
        config, max_xmit_frag=max_frag, max_recv_frag=max_frag, security_factory=server_factory()
    )
    security = None if level is None else FakeContext(server=False, auth_level=level)
    pair.to_server(pair.client.bind(windows_offer(IFACE_A), security=security))
    pair.to_client()
    pair.settle()

    def to_server(data: bytes) -> list[object]:
        pair.server.receive_data(data)
        return list(drain_server(pair.server))

    def to_client(data: bytes) -> list[object]:
        pair.client.receive_data(data)
        return list(drain_client(pair.client))

    wire = b"".join(pair.client.request(0, i, stub) for i, stub in enumerate(stubs))
    calls = deliver(wire, chunk, to_server)
    requests = [c for c in calls if isinstance(c, CallRequest)]
    assert len(requests) == len(calls)
    assert [(c.opnum, c.stub) for c in requests] == list(enumerate(stubs))
    order.shuffle(requests)
    answers = b"".join(pair.server.respond(c.call_id, c.stub[::-1]) for c in requests)
    replies = deliver(answers, chunk, to_client)
    assert replies == [CallResponse(c.call_id, c.stub[::-1]) for c in requests]
    assert pair.client.outstanding == frozenset() and pair.server.pending_calls == frozenset()
