"""OBJREF and DUALSTRINGARRAY: vector tables, error locations, round trips."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given

from tests.dcom import strategies as s
from wua.dcom.bindings import DualStringArray, SecurityBinding, StringBinding
from wua.dcom.objref import (
    STDOBJREF,
    DataElement,
    ObjRef,
    ObjRefCustom,
    ObjRefExtended,
    ObjRefHandler,
    ObjRefStandard,
    StdObjRef,
    decode_objref,
)
from wua.errors import ProtocolError

IUNKNOWN = uuid.UUID("00000000-0000-0000-c000-000000000046")
IUNKNOWN_LE = "00000000 0000 0000 c000 000000000046"
CLSID = uuid.UUID("00000339-0000-0000-c000-000000000046")
CLSID_LE = "39030000 0000 0000 c000 000000000046"
IPID = uuid.UUID("00006c19-079c-0000-6cd2-8202759eb415")
IPID_LE = "196c0000 9c07 0000 6cd2 8202759eb415"
STD = StdObjRef(
    flags=0x1000, public_refs=5, oxid=0x1189F948559B4A41, oid=0x0102030405060708, ipid=IPID
)
STD_HEX = "00100000 05000000 414a9b5548f98911 0807060504030201" + IPID_LE
EMPTY_DSA_HEX = "0400 0200 0000 0000 0000 0000"


def h(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


DSA_VECTORS: list[tuple[DualStringArray, str]] = [
    (DualStringArray(), EMPTY_DSA_HEX),
    (DualStringArray((StringBinding(7, "a"),)), "0600 0400 0700 6100 0000 0000 0000 0000"),
    (DualStringArray((), (SecurityBinding(10, ""),)), "0600 0200 0000 0000 0a00 ffff 0000 0000"),
    (
        DualStringArray((StringBinding.tcp("h", 135),), (SecurityBinding(9, "x", 0xFFFF),)),
        "0e00 0900 0700 6800 5b00 3100 3300 3500 5d00 0000 0000 0900 ffff 7800 0000 0000",
    ),
]

OBJREF_VECTORS: list[tuple[ObjRef, str]] = [
    (
        ObjRefStandard(IUNKNOWN, STD),
        "4d454f57 01000000" + IUNKNOWN_LE + STD_HEX + EMPTY_DSA_HEX,
    ),
    (
        ObjRefHandler(IUNKNOWN, STD, CLSID),
        "4d454f57 02000000" + IUNKNOWN_LE + STD_HEX + CLSID_LE + EMPTY_DSA_HEX,
    ),
    (
        ObjRefCustom(IUNKNOWN, CLSID, b"\x01\x02", reserved=10),
        "4d454f57 04000000" + IUNKNOWN_LE + CLSID_LE + "00000000 0a000000 0102",
    ),
    (
        ObjRefExtended(IUNKNOWN, STD, DataElement(CLSID, b"\xaa")),
        "4d454f57 08000000"
        + IUNKNOWN_LE
        + STD_HEX
        + "5659534e"
        + EMPTY_DSA_HEX
        + "01000000 5659534e"
        + CLSID_LE
        + "01000000 08000000 aa00000000000000",
    ),
]


@pytest.mark.parametrize(("value", "hexdata"), DSA_VECTORS)
def test_dualstringarray_vectors(value: DualStringArray, hexdata: str) -> None:
    assert value.encode() == h(hexdata)
    assert DualStringArray.decode(h(hexdata)) == value


@pytest.mark.parametrize(("value", "hexdata"), OBJREF_VECTORS)
def test_objref_vectors(value: ObjRef, hexdata: str) -> None:
    assert value.encode() == h(hexdata)
    assert decode_objref(h(hexdata)) == value


def test_stdobjref_vector() -> None:
    assert STDOBJREF.encode(STD) == h(STD_HEX)
    assert STDOBJREF.decode(h(STD_HEX)) == STD
    assert STDOBJREF.size == 40


def test_custom_like_windows_sizes_reserved_as_data_plus_8() -> None:
    assert ObjRefCustom.like_windows(IUNKNOWN, CLSID, b"x" * 704).reserved == 712


@pytest.mark.parametrize(
    ("address", "host", "port"),
    [("10.10.10.100[49718]", "10.10.10.100", 49718), ("BLACKCLOVER-DC", "BLACKCLOVER-DC", None)],
)
def test_string_binding_host_and_port(address: str, host: str, port: int | None) -> None:
    binding = StringBinding(7, address)
    assert (binding.host, binding.port) == (host, port)


@pytest.mark.parametrize(
    ("hexdata", "structure", "offset"),
    [
        ("4d454f58 01000000" + IUNKNOWN_LE, "OBJREF", 0),  # bad signature
        ("4d454f57 03000000" + IUNKNOWN_LE, "OBJREF", 0),  # unknown flavour
        ("4d454f57 01000000" + IUNKNOWN_LE + "0000", "OBJREF", 24),  # truncated STDOBJREF
        ("4d454f57 01000000" + IUNKNOWN_LE + STD_HEX + EMPTY_DSA_HEX + "00", "OBJREF", 76),
        ("4d454f57 04000000" + IUNKNOWN_LE + CLSID_LE + "01000000 00000000", "OBJREF_CUSTOM", 48),
        ("0600 0800 0700 6100 0000 0000 0000 0000", "DUALSTRINGARRAY", 4),  # offset > count
        ("0400 0200 0700 0000 0000 0000", "DUALSTRINGARRAY", 8),  # string unterminated
        ("0400 0200 0000 0100 0000 0000", "DUALSTRINGARRAY", 6),  # junk after terminator
    ],
)
def test_bad_bytes_name_structure_and_offset(hexdata: str, structure: str, offset: int) -> None:
    data = h(hexdata)
    decoder = DualStringArray.decode if structure == "DUALSTRINGARRAY" else decode_objref
    with pytest.raises(ProtocolError) as info:
        decoder(data)
    assert (info.value.structure, info.value.offset) == (structure, offset)


def test_encode_refuses_zero_tower_id() -> None:
    with pytest.raises(ProtocolError, match="wTowerId"):
        DualStringArray((StringBinding(0, "x"),)).encode()


@s.relaxed
@given(s.objrefs)
def test_objref_round_trip(value: ObjRef) -> None:
    assert decode_objref(value.encode()) == value


@s.relaxed
@given(s.any_text, s.any_text)
def test_any_unicode_names_round_trip(address: str, principal: str) -> None:
    value = DualStringArray((StringBinding(7, address),), (SecurityBinding(16, principal),))
    assert DualStringArray.decode(value.encode()) == value
