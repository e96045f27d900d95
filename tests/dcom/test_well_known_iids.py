"""The well-known COM IIDs that `wua.dcom.interfaces` defines once, as (value, wire hex)
vectors, and against impacket's constants where it has them."""

from __future__ import annotations

import uuid

import pytest
from impacket.dcerpc.v5 import dcomrt
from impacket.dcerpc.v5.dcom import oaut as impacket_oaut

from wua.dcom import interfaces, oaut

# (our constant, its NDR form: a GUID is little-endian in its first three fields)
VECTORS = [
    (interfaces.IID_NULL, "00000000000000000000000000000000"),
    (interfaces.IID_IUNKNOWN, "0000000000000000c000000000000046"),
    (interfaces.IID_IDISPATCH, "0004020000000000c000000000000046"),
    (interfaces.IID_IENUMVARIANT, "0404020000000000c000000000000046"),
    (interfaces.IID_ITYPEINFO, "0104020000000000c000000000000046"),
]


@pytest.mark.parametrize(("iid", "wire"), VECTORS)
def test_wire_form(iid: uuid.UUID, wire: str) -> None:
    assert iid.bytes_le.hex() == wire
    assert uuid.UUID(bytes_le=bytes.fromhex(wire)) == iid


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (interfaces.IID_IUNKNOWN, dcomrt.IID_IUnknown),
        (interfaces.IID_IDISPATCH, impacket_oaut.IID_IDispatch),
        (interfaces.IID_ITYPEINFO, impacket_oaut.IID_ITypeInfo),
        (interfaces.IID_NULL, impacket_oaut.IID_NULL),
    ],
)
def test_agrees_with_impacket(ours: uuid.UUID, theirs: bytes) -> None:
    assert ours.bytes_le == theirs[:16]


def test_oaut_re_exports_are_the_same_objects() -> None:
    assert oaut.IID_IDISPATCH is interfaces.IID_IDISPATCH
    assert oaut.IID_IENUMVARIANT is interfaces.IID_IENUMVARIANT
    assert oaut.IID_NULL is interfaces.IID_NULL
