"""The one flat-structure codec (`wua.rpc.layout`) that RPC PDUs, OBJREF and NTLM share.

Vectors are (layout, values, hex) rows that drive both directions; properties check
round trips in both byte orders and that hostile bytes only ever raise a located
ProtocolError.
"""

from __future__ import annotations

import struct
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wua.errors import ProtocolError
from wua.rpc.layout import (
    I32,
    PAYLOAD,
    U8,
    U16,
    U32,
    U64,
    UUID16,
    Layout,
    PayloadRef,
    Reader,
    Record,
    align,
    octets,
    payload,
    payload_end,
    payload_start,
)

GUID = uuid.UUID("00020400-0000-0000-c000-000000000046")  # IID_IDispatch
SCALARS = Layout(
    "scalars", (("a", U8), ("b", U16), ("c", U32), ("d", I32), ("e", U64), ("f", octets(3)))
)
SCALAR_VALUES = {
    "a": 1,
    "b": 0x0203,
    "c": 0x04050607,
    "d": -2,
    "e": 0x08090A0B0C0D0E0F,
    "f": b"xyz",
}
WITH_UUID = Layout("with uuid", (("id", UUID16), ("n", U16)))
MESSAGE = Layout(
    "message",
    (("kind", U32), ("first", PAYLOAD), ("second", PAYLOAD)),
    payload_order=("second", "first"),
)

VECTORS: list[tuple[str, Layout, dict[str, Any], bool, str]] = [
    (
        "scalars, little-endian",
        SCALARS,
        SCALAR_VALUES,
        True,
        "01030207060504feffffff0f0e0d0c0b0a090878797a",
    ),
    (
        "scalars, big-endian",
        SCALARS,
        SCALAR_VALUES,
        False,
        "01020304050607fffffffe08090a0b0c0d0e0f78797a",
    ),
    (
        "GUID in the Windows layout",
        WITH_UUID,
        {"id": GUID, "n": 7},
        True,
        "0004020000000000c0000000000000460700",
    ),
    (
        "UUID in network order",
        WITH_UUID,
        {"id": GUID, "n": 7},
        False,
        "0002040000000000c0000000000000460007",
    ),
    (
        "payload references",
        MESSAGE,
        {"kind": 2, "first": PayloadRef(2, 24), "second": PayloadRef(4, 20)},
        True,
        "0200000002000200180000000400040014000000aaaaaaaabbbb",
    ),
]


@pytest.mark.parametrize(
    ("name", "layout", "values", "little", "hex_"), VECTORS, ids=[v[0] for v in VECTORS]
)
def test_vectors_pack(
    name: str, layout: Layout, values: dict[str, Any], little: bool, hex_: str
) -> None:
    assert layout.pack(values, little).hex() == hex_[: 2 * layout.size]


@pytest.mark.parametrize(
    ("name", "layout", "values", "little", "hex_"), VECTORS, ids=[v[0] for v in VECTORS]
)
def test_vectors_unpack(
    name: str, layout: Layout, values: dict[str, Any], little: bool, hex_: str
) -> None:
    assert layout.unpack(bytes.fromhex(hex_), 0, little) == values


def test_pack_with_payload_follows_payload_order() -> None:
    wire = MESSAGE.pack_with_payload({"kind": 2}, {"first": b"\xbb\xbb", "second": b"\xaa" * 4})
    assert wire.hex() == VECTORS[-1][4]
    values = MESSAGE.unpack(wire)
    assert payload(wire, values["first"]) == b"\xbb\xbb"
    assert payload(wire, values["second"]) == b"\xaa" * 4
    refs = [values["first"], values["second"]]
    assert (payload_start(refs, len(wire)), payload_end(refs, MESSAGE.size)) == (20, 26)


def test_between_bytes_precede_the_payload_area() -> None:
    wire = MESSAGE.pack_with_payload({"kind": 1}, {"first": b"F"}, between=b"VV")
    assert MESSAGE.unpack(wire)["first"] == PayloadRef(1, MESSAGE.size + 2)
    assert wire[MESSAGE.size :] == b"VVF"


def test_empty_payloads_point_at_the_area_and_the_area_bounds_default() -> None:
    values = MESSAGE.unpack(MESSAGE.pack_with_payload({"kind": 0}, {}))
    assert values["first"] == values["second"] == PayloadRef(0, MESSAGE.size)
    refs = [values["first"], values["second"]]
    assert payload_start(refs, 99) == 99  # nothing used: optional fields may run to the end
    assert payload_end(refs, MESSAGE.size) == MESSAGE.size


# --- errors name the structure and the offset ---------------------------------------------


@pytest.mark.parametrize(
    ("data", "offset", "message"),
    [
        ("", 0, "needs 22 bytes, 0 left"),
        ("00" * 30, 10, "needs 22 bytes, 20 left"),
        ("00" * 30, 40, "needs 22 bytes, 0 left"),
    ],
)
def test_shortfall_is_located_at_the_structure(data: str, offset: int, message: str) -> None:
    with pytest.raises(ProtocolError, match=message) as caught:
        SCALARS.unpack(bytes.fromhex(data), offset)
    assert (caught.value.structure, caught.value.offset) == ("scalars", offset)


@pytest.mark.parametrize(
    ("hex_", "offset", "message"),
    [
        ("0200000002000200180000000400040014000000aaaaaaaabb", 4, "first points"),
        ("0200000002000200020000000000000000000000", 4, "first points at 2"),
        ("0200000002000100140000000000000014000000aaaa", 6, "MaxLen 1 is below"),
    ],
)
def test_bad_payload_references_name_the_field(hex_: str, offset: int, message: str) -> None:
    with pytest.raises(ProtocolError, match=message) as caught:
        MESSAGE.unpack(bytes.fromhex(hex_))
    assert (caught.value.structure, caught.value.offset) == ("message", offset)


def test_references_are_relative_to_the_structure_start() -> None:
    wire = MESSAGE.pack_with_payload({"kind": 2}, {"first": b"x"})
    values = MESSAGE.unpack(b"\xff" * 5 + wire, 5)
    assert values["first"] == PayloadRef(1, MESSAGE.size)
    with pytest.raises(ProtocolError) as caught:
        MESSAGE.unpack(b"\xff" * 5 + wire[:-1], 5)
    assert caught.value.offset == 5 + 4


@pytest.mark.parametrize(
    ("values", "complaint"),
    [
        ({**SCALAR_VALUES, "b": 0x10000}, "field 'b' \\(65536\\) does not fit"),
        ({**SCALAR_VALUES, "d": 2**31}, "field 'd'"),
        ({**SCALAR_VALUES, "c": "x"}, "field 'c'"),
    ],
)
def test_pack_names_the_misfit(values: dict[str, Any], complaint: str) -> None:
    with pytest.raises(ProtocolError, match=complaint) as caught:
        SCALARS.pack(values)
    assert caught.value.structure == "scalars"


def test_pack_refuses_a_non_uuid() -> None:
    with pytest.raises(ProtocolError, match="id must be a UUID"):
        WITH_UUID.pack({"id": str(GUID), "n": 1})


def test_a_kind_that_is_no_wire_type_is_a_programming_error() -> None:
    with pytest.raises(struct.error, match="bad char"):
        Layout("broken", (("x", "uint32"),))


# --- Reader and Record ----------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    tag: int
    id: uuid.UUID


PAIR = Record("PAIR", Pair, [("tag", U32), ("id", UUID16)])
PAIR_HEX = "2a0000000004020000000000c000000000000046"


def test_record_vector_both_ways() -> None:
    assert PAIR.encode(Pair(42, GUID)).hex() == PAIR_HEX
    assert PAIR.decode(bytes.fromhex(PAIR_HEX)) == Pair(42, GUID)
    assert (PAIR.size, PAIR.structure) == (20, "PAIR")


def test_record_refuses_leftovers_and_shortfalls_at_their_offset() -> None:
    with pytest.raises(ProtocolError, match="1 unexpected trailing") as caught:
        PAIR.decode(bytes.fromhex(PAIR_HEX + "00"))
    assert (caught.value.structure, caught.value.offset) == ("PAIR", 20)
    with pytest.raises(ProtocolError, match="PAIR: need 20 bytes, 19 left") as caught:
        PAIR.decode(bytes.fromhex(PAIR_HEX[:-2]))
    assert caught.value.offset == 0


def test_reader_errors_name_the_outer_structure_where_the_read_began() -> None:
    reader = Reader(bytes.fromhex("010002000000" + PAIR_HEX[:-2]), "OUTER")
    assert (reader.u16("w"), reader.u32("dw")) == (1, 2)
    with pytest.raises(ProtocolError) as caught:
        PAIR.read(reader)
    assert (caught.value.structure, caught.value.offset) == ("OUTER", 6)
    assert reader.take(4) == bytes.fromhex("2a000000")
    with pytest.raises(ProtocolError, match="guid: need 16 bytes, 15 left"):
        reader.guid("guid")
    assert len(reader.rest()) == 15 and reader.remaining == 0
    reader.expect_end()
    with pytest.raises(ProtocolError, match="need -1 bytes"):
        reader.take(-1)


@pytest.mark.parametrize(
    ("offset", "boundary", "pad"), [(0, 4, 0), (1, 4, 3), (6, 4, 2), (17, 16, 15), (32, 16, 0)]
)
def test_align(offset: int, boundary: int, pad: int) -> None:
    assert align(offset, boundary) == pad


# --- properties --------------------------------------------------------------------------------

_KINDS = {
    U8: st.integers(0, 2**8 - 1),
    U16: st.integers(0, 2**16 - 1),
    U32: st.integers(0, 2**32 - 1),
    I32: st.integers(-(2**31), 2**31 - 1),
    U64: st.integers(0, 2**64 - 1),
    UUID16: st.uuids(),
    octets(5): st.binary(min_size=5, max_size=5),
}


@st.composite
def tables_and_values(draw: st.DrawFn) -> tuple[Layout, dict[str, Any]]:
    kinds = draw(st.lists(st.sampled_from(sorted(_KINDS)), min_size=1, max_size=8))
    fields = tuple((f"f{i}", kind) for i, kind in enumerate(kinds))
    values = {name: draw(_KINDS[kind]) for name, kind in fields}
    return Layout("random", fields), values


@given(tables_and_values(), st.booleans(), st.binary(max_size=8))
def test_round_trip_in_both_byte_orders(
    case: tuple[Layout, dict[str, Any]], little: bool, prefix: bytes
) -> None:
    layout, values = case
    wire = layout.pack(values, little)
    assert len(wire) == layout.size
    assert layout.unpack(prefix + wire, len(prefix), little) == values


@given(
    st.dictionaries(st.sampled_from(["first", "second"]), st.binary(max_size=40)),
    st.binary(max_size=12),
    st.integers(0, 2**32 - 1),
)
def test_payload_round_trip(payloads: dict[str, bytes], between: bytes, kind: int) -> None:
    wire = MESSAGE.pack_with_payload({"kind": kind}, payloads, between)
    values = MESSAGE.unpack(wire)
    assert values["kind"] == kind
    for name in ("first", "second"):
        assert payload(wire, values[name]) == payloads.get(name, b"")
    refs = [values["first"], values["second"]]
    assert payload_end(refs, MESSAGE.size) == len(wire)


@given(st.binary(max_size=40), st.integers(0, 40))
def test_hostile_bytes_raise_only_located_protocol_errors(data: bytes, offset: int) -> None:
    for layout in (SCALARS, WITH_UUID, MESSAGE):
        try:
            layout.unpack(data, offset)
        except ProtocolError as err:
            assert err.structure == layout.structure
            assert err.offset is not None and offset <= err.offset <= offset + 16
