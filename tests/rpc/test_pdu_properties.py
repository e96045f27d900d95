"""Property tests of the PDU codec: every PDU value survives encode → decode."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.rpc.strategies import bind_acks, binds, faults, requests, responses
from wua.rpc.pdu import Pdu, decode_pdu, encode_pdu, peek_header


def normalised(pdu: Pdu) -> Pdu:
    """The value decode_pdu gives back (flags gain OBJECT_UUID when an object is set)."""
    return decode_pdu(encode_pdu(pdu))


@given(st.one_of(requests(), responses(), faults, binds(), bind_acks()))
def test_round_trip(pdu: Pdu) -> None:
    data = encode_pdu(pdu)
    decoded = decode_pdu(data)
    assert encode_pdu(decoded) == data
    for name in vars(pdu):
        if name not in ("flags", "alloc_hint", "auth"):
            assert getattr(decoded, name) == getattr(pdu, name), name
    header = peek_header(data)
    assert header.frag_length == len(data)
    assert header.auth_length == (len(pdu.auth.auth_value) if pdu.auth else 0)
    if pdu.auth is not None:
        assert decoded.auth is not None
        assert (decoded.auth.auth_value, decoded.auth.pad, decoded.auth.auth_context_id) == (
            pdu.auth.auth_value,
            pdu.auth.pad,
            pdu.auth.auth_context_id,
        )
