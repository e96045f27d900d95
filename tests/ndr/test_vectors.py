"""(value, hex) tables that drive both encode and decode.

The vectors are derived by hand from C706 ch. 14 / MS-RPCE 2.2.5 (alignment, deferral,
hoisting, union layout); golden vectors from real Windows traffic are in
test_golden_activation.py.
"""

from __future__ import annotations

import uuid
from enum import IntEnum
from typing import Any

import pytest

from wua.errors import ProtocolError
from wua.rpc import ndr


class Color(IntEnum):
    RED = 1
    BLUE = 0x102


Inner = ndr.Struct("Inner", [("p", ndr.Unique(ndr.u16))])
Nested = ndr.Struct("Nested", [("a", ndr.Unique(Inner)), ("b", ndr.Unique(ndr.u32))])
TwoPtrs = ndr.Struct("TwoPtrs", [("p", ndr.Unique(ndr.u32)), ("q", ndr.Unique(ndr.u32))])
Aligned = ndr.Struct("Aligned", [("a", ndr.u8), ("b", ndr.u32), ("c", ndr.u16), ("d", ndr.u64)])
Hoisted = ndr.Struct("Hoisted", [("n", ndr.u16), ("arr", ndr.ConformantArray(ndr.u16))])
HoistedCV = ndr.Struct("HoistedCV", [("n", ndr.u8), ("s", ndr.WString())])
WithHyperArr = ndr.Struct("WithHyperArr", [("n", ndr.u16), ("arr", ndr.ConformantArray(ndr.u64))])
PtrArray = ndr.ConformantArray(ndr.Unique(ndr.u16))
NonEnc = ndr.Union("NonEnc", {1: ("big", ndr.u64), 2: ("small", ndr.u8), 3: ("none", None)})
Enc = ndr.Union(
    "Enc", {1: ("big", ndr.u64), 2: ("small", ndr.u8)}, discriminant=ndr.u16, encapsulated=True
)
MsUnion = ndr.Union("MsUnion", {1: ("big", ndr.u64), 2: ("small", ndr.u8)}, ms_union=True)
PtrUnion = ndr.Union("PtrUnion", {8: ("s", ndr.Unique(ndr.WString()))})
InUnion = ndr.Struct("InUnion", [("vt", ndr.u16), ("u", PtrUnion), ("tail", ndr.u16)])
TopParams = ndr.Params(
    "TopParams",
    [
        ("a", ndr.u16),
        ("r", ndr.Ref(ndr.u32)),
        ("u", ndr.Unique(ndr.u32)),
        ("n", ndr.Unique(ndr.u32)),
        ("s", ndr.Ref(Nested)),
        ("x", ndr.u8),
    ],
)
G = uuid.UUID("00020400-0000-0000-c000-000000000046")

VECTORS: list[tuple[str, ndr.NdrType[Any], Any, str]] = [
    ("u8", ndr.u8, 0xAB, "ab"),
    ("u16", ndr.u16, 0x1234, "3412"),
    ("u32", ndr.u32, 0x12345678, "78563412"),
    ("u64", ndr.u64, 0x0102030405060708, "0807060504030201"),
    ("i8", ndr.i8, -1, "ff"),
    ("i16", ndr.i16, -2, "feff"),
    ("i32", ndr.i32, -3, "fdffffff"),
    ("i64", ndr.i64, -4, "fcffffffffffffff"),
    ("f32", ndr.f32, 1.0, "0000803f"),
    ("f64", ndr.f64, -2.5, "00000000000004c0"),
    ("boolean", ndr.boolean, True, "01"),
    ("enum16", ndr.enum16(Color), Color.BLUE, "0201"),
    ("enum32", ndr.enum32(Color), Color.RED, "01000000"),
    # IID_IDispatch as Windows sends it (first three groups little-endian).
    ("GUID", ndr.GUID, G, "0004020000000000c000000000000046"),
    (
        "struct alignment",
        Aligned,
        Aligned(a=1, b=2, c=3, d=4),
        "01000000" + "02000000" + "0300" + "000000000000" + "0400000000000000",
    ),
    (
        "embedded unique pointers, one NULL",
        TwoPtrs,
        TwoPtrs(p=5, q=None),
        "00000200" + "00000000" + "05000000",
    ),
    (
        "deferred referents depth first",
        Nested,
        Nested(a=Inner(p=7), b=9),
        # a's id, b's id | *a = Inner{p id} | *a.p | *b
        "00000200" + "04000200" + "08000200" + "0700" + "0000" + "09000000",
    ),
    (
        "conformance hoisted to the structure start",
        Hoisted,
        Hoisted(n=2, arr=[0x11, 0x22]),
        "02000000" + "0200" + "1100" + "2200",
    ),
    (
        "hoisted conformance then 8-byte structure alignment",
        WithHyperArr,
        WithHyperArr(n=1, arr=[5]),
        "01000000" + "00000000" + "0100" + "000000000000" + "0500000000000000",
    ),
    (
        "hoisted conformant-varying string",
        HoistedCV,
        HoistedCV(n=9, s="ab"),
        "03000000" + "09000000" + "00000000" + "03000000" + "610062000000",
    ),
    (
        "conformant array of pointers: ids inline, referents after",
        PtrArray,
        [1, None, 3],
        "03000000" + "00000200" + "00000000" + "04000200" + "0100" + "0300",
    ),
    ("conformant array of u8 as bytes", ndr.ConformantArray(ndr.u8), b"\x01\x02", "020000000102"),
    ("fixed array", ndr.FixedArray(ndr.u16, 3), [1, 2, 3], "010002000300"),
    ("varying array", ndr.VaryingArray(ndr.u16, 8), [7], "00000000010000000700"),
    (
        "conformant varying array",
        ndr.ConformantVaryingArray(ndr.u32),
        [1, 2],
        "02000000" + "00000000" + "02000000" + "01000000" + "02000000",
    ),
    ("wide string", ndr.WString(), "hé", "03000000000000000300000068" + "00e9000000"),
    ("empty wide string", ndr.WString(), "", "0100000000000000010000000000"),
    (
        "non-encapsulated union: arm aligned to itself",
        NonEnc,
        ndr.UnionValue(1, 5),
        "01000000" + "00000000" + "0500000000000000",
    ),
    ("non-encapsulated union, small arm", NonEnc, ndr.UnionValue(2, 5), "0200000005"),
    ("non-encapsulated union, empty arm", NonEnc, ndr.UnionValue(3), "03000000"),
    (
        "encapsulated union: discriminant then arm at largest arm alignment",
        Enc,
        ndr.UnionValue(2, 5),
        "0200" + "000000000000" + "05",
    ),
    (
        "ms_union: small arm at the largest alignment",
        MsUnion,
        ndr.UnionValue(2, 5),
        "02000000" + "00000000" + "05",
    ),
    (
        "union with a pointer arm inside a structure",
        InUnion,
        InUnion(vt=8, u=ndr.UnionValue(8, "A"), tail=1),
        "0800"
        + "0000"
        + "08000000"
        + "00000200"
        + "0100"
        + "0000"
        + "02000000"
        + "00000000"
        + "02000000"
        + "41000000",
    ),
    (
        "parameter list: top-level ref has no id, referents follow each parameter",
        TopParams,
        TopParams(a=1, r=2, u=3, n=None, s=Nested(a=None, b=4), x=5),
        "0100"
        + "0000"
        + "02000000"
        + "00000200"
        + "03000000"
        + "00000000"
        + "00000000"
        + "04000200"
        + "04000000"
        + "05",
    ),
    ("top-level ref pointer", ndr.Ref(ndr.u32), 6, "06000000"),
    ("top-level unique pointer", ndr.Unique(ndr.u32), 6, "0000020006000000"),
    ("top-level NULL unique pointer", ndr.Unique(ndr.u32), None, "00000000"),
    (
        "top-level ref to unique to u16 (pointer to pointer)",
        ndr.Ref(ndr.Unique(ndr.u16)),
        7,
        "000002000700",
    ),
]


@pytest.mark.parametrize(
    ("kind", "value", "hexdata"), [v[1:] for v in VECTORS], ids=[v[0] for v in VECTORS]
)
def test_encode_matches_vector(kind: ndr.NdrType[Any], value: Any, hexdata: str) -> None:
    assert ndr.encode(kind, value).hex() == hexdata


@pytest.mark.parametrize(
    ("kind", "value", "hexdata"), [v[1:] for v in VECTORS], ids=[v[0] for v in VECTORS]
)
def test_decode_matches_vector(kind: ndr.NdrType[Any], value: Any, hexdata: str) -> None:
    assert ndr.decode(kind, bytes.fromhex(hexdata)) == value


def test_decoding_ignores_pad_byte_contents() -> None:
    data = bytearray.fromhex("01000000" + "02000000" + "0300" + "000000000000" + "0400000000000000")
    data[1:4] = b"\xaa\xbb\xcc"
    data[10:16] = b"\xff" * 6
    assert ndr.decode(Aligned, bytes(data)) == Aligned(a=1, b=2, c=3, d=4)


def test_any_nonzero_referent_id_is_accepted() -> None:
    data = bytes.fromhex("efbeadde" + "00000000" + "05000000")
    assert ndr.decode(TwoPtrs, data) == TwoPtrs(p=5, q=None)


def test_full_pointers_share_one_referent() -> None:
    Pair = ndr.Struct("Pair", [("a", ndr.Full(Inner)), ("b", ndr.Full(Inner))])
    shared = Inner(p=3)
    data = ndr.encode(Pair, Pair(a=shared, b=shared))
    # Same referent ID twice, the referent (and its own referent) once.
    assert data.hex() == "00000200" + "00000200" + "04000200" + "0300"
    decoded = ndr.decode(Pair, data)
    assert decoded.a is decoded.b
    assert decoded.a == shared


def test_full_pointers_distinct_values_get_distinct_ids() -> None:
    Pair = ndr.Struct("Pair2", [("a", ndr.Full(ndr.u32)), ("b", ndr.Full(ndr.u32))])
    data = ndr.encode(Pair, Pair(a=1000, b=2000))
    assert data.hex() == "00000200" + "04000200" + "e8030000" + "d0070000"


def test_decode_prefix_returns_the_next_offset() -> None:
    data = bytes.fromhex("0000020006000000" + "ffff")
    value, end = ndr.decode_prefix(ndr.Unique(ndr.u32), data)
    assert (value, end) == (6, 8)
    value, end = ndr.decode_prefix(ndr.u16, data, end)
    assert (value, end) == (0xFFFF, 10)


def test_serialization_v1_headers_and_padding() -> None:
    data = ndr.serialize(Hoisted, Hoisted(n=1, arr=[2]))
    assert data.hex() == (
        "01100800cccccccc" + "08000000" + "00000000" + "01000000" + "0100" + "0200"
    )
    assert ndr.deserialize(Hoisted, data) == Hoisted(n=1, arr=[2])


def test_serialization_pads_object_buffer_to_eight() -> None:
    data = ndr.serialize(ndr.u16, 0x0102)
    assert data.hex() == "01100800cccccccc" + "08000000" + "00000000" + "0201000000000000"
    assert ndr.deserialize(ndr.u16, data) == 0x0102


ERRORS: list[tuple[str, ndr.NdrType[Any], str, str, int]] = [
    ("truncated primitive", ndr.u32, "0102", "u32", 0),
    ("truncated run names the member", Aligned, "01000000" + "0200", "Aligned.b", 4),
    ("bad enum value", ndr.enum16(Color), "0300", "Color", 0),
    ("missing referent", TwoPtrs, "00000200" + "00000000", "TwoPtrs.p->u32", 8),
    (
        "nested referent path",
        Nested,
        "00000200" + "04000200" + "08000200" + "07",
        "Nested.a->Inner.p->u16",
        12,
    ),
    ("bytes left over", Nested, "00000000" + "00000000" + "0000", "Nested", 8),
    ("NULL ref pointer", ndr.Struct("R", [("r", ndr.Ref(ndr.u8))]), "00000000", "R.r.ref[u8]", 0),
    ("unknown union arm", NonEnc, "09000000", "NonEnc", 0),
    (
        "string without NUL",
        ndr.WString(),
        "01000000" + "00000000" + "01000000" + "4100",
        "wstring",
        12,
    ),
    (
        "varying count past max",
        ndr.ConformantVaryingArray(ndr.u8),
        "01000000" + "00000000" + "02000000" + "0102",
        "u8<>",
        4,
    ),
    ("absurd conformance", ndr.ConformantArray(ndr.u32), "ffffffff", "u32[]", 4),
]


@pytest.mark.parametrize(
    ("kind", "hexdata", "structure", "offset"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS]
)
def test_errors_name_structure_and_offset(
    kind: ndr.NdrType[Any], hexdata: str, structure: str, offset: int
) -> None:
    with pytest.raises(ProtocolError) as info:
        ndr.decode(kind, bytes.fromhex(hexdata))
    assert (info.value.structure, info.value.offset) == (structure, offset)


def test_encoding_errors_are_protocol_errors() -> None:
    with pytest.raises(ProtocolError) as info:
        ndr.encode(Aligned, Aligned(a=256, b=0, c=0, d=0))
    assert info.value.structure == "Aligned"
