"""(value, hex) tables for VARIANTs of each type, BSTRs and SAFEARRAYs: both directions.

Derived by hand from MS-OAUT 2.2.29 / 2.2.23 / 2.2.30 and the NDR rules: each VARIANT is
the wireVARIANT pointer (top-level unique: referent ID 0x00020000 then the referent),
4 pad bytes to reach 8-alignment, then clSize, rpcReserved, vt, wReserved1-3, the
union discriminant and the arm. clSize counts 8-byte units from the structure start to
the end of its referents, rounded up (e.g. a BSTR "": 24 + 12 bytes -> 5). The DECIMAL header copies scale/sign/Hi32 into
wReserved1-3 and VT_DECIMAL into DECIMAL.wReserved, as Windows does (they share memory).
"""

from __future__ import annotations

import datetime as dt
import struct
from decimal import Decimal
from typing import Any

import pytest

from wua.dcom import oaut
from wua.dcom.oaut import VT_ARRAY, VT_BYREF, InterfacePointer, SafeArray, Variant, VarType
from wua.rpc import ndr

V = VarType
PTR = "00000200"  # first referent ID
PAD4 = "00000000"


def var(
    cl_size: int, vt: int, arm: str, disc: int | None = None, reserved: str = "000000000000"
) -> str:
    """Top-level wireVARIANT: pointer, pad to 8, header, discriminant, arm hex."""
    head = struct.pack("<IIH", cl_size, 0, vt).hex() + reserved
    return PTR + PAD4 + head + struct.pack("<I", vt if disc is None else disc).hex() + arm


def le(fmt: str, *values: Any) -> str:
    return struct.pack("<" + fmt, *values).hex()


VARIANTS: list[tuple[str, Variant, str]] = [
    ("EMPTY", Variant(V.VT_EMPTY), var(3, 0, "")),
    ("NULL", Variant(V.VT_NULL), var(3, 1, "")),
    ("I1", Variant(V.VT_I1, -2), var(3, 0x10, "fe")),
    ("UI1", Variant(V.VT_UI1, 200), var(3, 0x11, "c8")),
    ("I2", Variant(V.VT_I2, -3), var(3, 2, "fdff")),
    ("UI2", Variant(V.VT_UI2, 0xBEEF), var(3, 0x12, "efbe")),
    ("I4", Variant(V.VT_I4, -4), var(3, 3, "fcffffff")),
    ("UI4", Variant(V.VT_UI4, 0xDEADBEEF), var(3, 0x13, "efbeadde")),
    ("INT", Variant(V.VT_INT, 7), var(3, 0x16, "07000000")),
    ("UINT", Variant(V.VT_UINT, 8), var(3, 0x17, "08000000")),
    # 8-byte arms are 8-aligned: 4 pad bytes after the discriminant.
    ("I8", Variant(V.VT_I8, -5), var(4, 0x14, PAD4 + "fbffffffffffffff")),
    ("UI8", Variant(V.VT_UI8, 1 << 63), var(4, 0x15, PAD4 + "0000000000000080")),
    ("R4", Variant(V.VT_R4, 1.5), var(3, 4, "0000c03f")),
    ("R8", Variant(V.VT_R8, -0.5), var(4, 5, PAD4 + "000000000000e0bf")),
    ("CY", Variant(V.VT_CY, Decimal("1.2345")), var(4, 6, PAD4 + le("q", 12345))),
    # 2000-01-01 12:00 is OLE date 36526.5.
    ("DATE", Variant(V.VT_DATE, dt.datetime(2000, 1, 1, 12)), var(4, 7, PAD4 + le("d", 36526.5))),
    (
        "DATE before 1899-12-30",
        Variant(V.VT_DATE, dt.datetime(1899, 12, 29, 6)),
        var(4, 7, PAD4 + le("d", -1.25)),
    ),
    ("BOOL true", Variant(V.VT_BOOL, True), var(3, 0xB, "ffff")),
    ("BOOL false", Variant(V.VT_BOOL, False), var(3, 0xB, "0000")),
    ("ERROR", Variant(V.VT_ERROR, 0x80020009), var(3, 0xA, "09000280")),
    (
        "DECIMAL",
        Variant(V.VT_DECIMAL, Decimal("-1.5")),
        var(
            5,
            0xE,
            PAD4 + "0e00" + "01" + "80" + "00000000" + le("Q", 15),
            reserved="0180" + "0000" + "0000",
        ),
    ),
    (
        "BSTR",
        Variant(V.VT_BSTR, "hi"),
        # arm: BSTR referent ID; referent: max count, cBytes, clSize, UTF-16LE.
        var(5, 8, "04000200" + "02000000" + "04000000" + "02000000" + "68006900"),
    ),
    ("empty BSTR", Variant(V.VT_BSTR, ""), var(5, 8, "04000200" + "00000000" * 3)),
    (
        "NULL BSTR",
        Variant(V.VT_BSTR, None),
        var(5, 8, "04000200" + "00000000" + "ffffffff" + "00000000"),
    ),
    (
        "DISPATCH",
        Variant(V.VT_DISPATCH, InterfacePointer(b"MEOW")),
        # MInterfacePointer: max count, ulCntData, OBJREF bytes.
        var(5, 9, "04000200" + "04000000" + "04000000" + b"MEOW".hex()),
    ),
    ("UNKNOWN, NULL", Variant(V.VT_UNKNOWN, None), var(3, 0xD, "00000000")),
    ("I4 by reference", Variant(V.VT_I4 | VT_BYREF, 9), var(4, 0x4003, "04000200" + "09000000")),
    (
        "BSTR by reference: two pointers",
        Variant(V.VT_BSTR | VT_BYREF, "a"),
        var(6, 0x4008, "04000200" + "08000200" + "01000000" + "02000000" + "01000000" + "6100"),
    ),
    (
        "VARIANT by reference: pointer to wireVARIANT pointer",
        Variant(V.VT_VARIANT | VT_BYREF, Variant(V.VT_I2, 1)),
        var(
            7, 0x400C, "04000200" + "08000200" + PAD4 + le("IIHHHHI", 3, 0, 2, 0, 0, 0, 2) + "0100"
        ),
    ),
    (
        "SAFEARRAY of I4: discriminant VT_ARRAY, not the vt",
        Variant(VT_ARRAY | V.VT_I4, SafeArray(V.VT_I4, [1, 2])),
        var(
            10,  # 24 + 4 + 48 = 76 bytes
            0x2003,
            "04000200"  # parray (PSAFEARRAY)
            + "08000200"  # the SAFEARRAY pointer it points to
            + "01000000"  # hoisted conformance of rgsabound (cDims)
            + "0100"
            + "8000"
            + "04000000"
            + "00000300"  # cDims, fFeatures HAVEVARTYPE, cbElements, cLocks (vt << 16)
            + "03000000"  # SF_I4
            + "02000000"
            + "0c000200"  # DWORD_SIZEDARR clSize, pData
            + "02000000"
            + "00000000"  # rgsabound: 2 elements from 0
            + "02000000"
            + "01000000"
            + "02000000",  # pData referent
            disc=VT_ARRAY,
        ),
    ),
    (
        "SAFEARRAY of BSTR",
        Variant(VT_ARRAY | V.VT_BSTR, SafeArray(V.VT_BSTR, ["x"])),
        var(
            11,  # 24 + 8 + 32 + 8 + 14 = 86 bytes
            0x2008,
            "04000200"
            + "08000200"
            + "01000000"
            + "0100"
            + "8001"
            + "04000000"
            + "00000800"  # FADF_HAVEVARTYPE|FADF_BSTR, marshaling size 4, VT_BSTR << 16
            + "08000000"
            + "01000000"
            + "0c000200"  # SF_BSTR, Size, aBstr
            + "01000000"
            + "00000000"
            + "01000000"
            + "10000200"  # aBstr referent: count, BSTR pointer
            + "01000000"
            + "02000000"
            + "01000000"
            + "7800",
            disc=VT_ARRAY,
        ),
    ),
]


@pytest.mark.parametrize(
    ("value", "hexdata"), [v[1:] for v in VARIANTS], ids=[v[0] for v in VARIANTS]
)
def test_variant_encodes_to_vector(value: Variant, hexdata: str) -> None:
    assert ndr.encode(oaut.VARIANT, value).hex() == hexdata


@pytest.mark.parametrize(
    ("value", "hexdata"), [v[1:] for v in VARIANTS], ids=[v[0] for v in VARIANTS]
)
def test_variant_decodes_from_vector(value: Variant, hexdata: str) -> None:
    decoded = ndr.decode(oaut.VARIANT, bytes.fromhex(hexdata))
    if isinstance(value.value, SafeArray):
        assert decoded == Variant(value.vt, oaut.normalized(value.value))
    else:
        assert decoded == value


BSTRS: list[tuple[str | None, str]] = [
    ("abc", PTR + "03000000" + "06000000" + "03000000" + "610062006300"),
    ("", PTR + "00000000" * 3),
    (None, PTR + "00000000" + "ffffffff" + "00000000"),
    ("\U0001f600", PTR + "02000000" + "04000000" + "02000000" + "3dd800de"),
]


@pytest.mark.parametrize(("value", "hexdata"), BSTRS)
def test_bstr_vectors(value: str | None, hexdata: str) -> None:
    assert ndr.encode(oaut.BSTR, value).hex() == hexdata
    assert ndr.decode(oaut.BSTR, bytes.fromhex(hexdata)) == value


def test_null_bstr_pointer_also_reads_as_none() -> None:
    assert ndr.decode(oaut.BSTR, bytes(4)) is None


def test_dispparams_reverse_order_and_named_arguments() -> None:
    params = oaut.dispparams([1, "two"], named={oaut.DISPID_PROPERTYPUT: True})
    assert [v.vt for v in params.rgvarg] == [V.VT_BOOL, V.VT_BSTR, V.VT_I4]
    assert params.rgdispidNamedArgs == [-3]
    assert (params.cArgs, params.cNamedArgs) == (3, 1)
    decoded = ndr.decode(oaut.DISPPARAMS, ndr.encode(oaut.DISPPARAMS, params))
    positional, named = oaut.call_arguments(decoded)
    assert positional == [Variant(V.VT_I4, 1), Variant(V.VT_BSTR, "two")]
    assert named == {-3: Variant(V.VT_BOOL, True)}


def test_empty_dispparams_travel_as_null_pointers() -> None:
    assert ndr.encode(oaut.DISPPARAMS, oaut.dispparams()).hex() == "00000000" * 4


def test_invoke_request_vector() -> None:
    request = oaut.INVOKE_REQUEST(
        dispIdMember=0x60020000,
        riid=oaut.IID_NULL,
        lcid=0x409,
        dwFlags=oaut.DISPATCH_METHOD | oaut.DISPATCH_PROPERTYGET,
        pDispParams=oaut.dispparams([5]),
        cVarRef=0,
        rgVarRefIdx=[],
        rgVarRef=[],
    )
    expected = (
        "00000260"
        + "00" * 16
        + "09040000"
        + "03000000"
        # DISPPARAMS (ref: no ID): rgvarg ID, NULL names, cArgs, cNamedArgs
        + PTR
        + "00000000"
        + "01000000"
        + "00000000"
        # rgvarg referent: count, VARIANT pointer; the VARIANT at 8-alignment
        + "01000000"
        + "04000200"
        + PAD4
        + le("IIHHHHI", 3, 0, 3, 0, 0, 0, 3)
        + "05000000"
        + "00000000"
        + "00000000"
        + "00000000"  # cVarRef, rgVarRefIdx[0], rgVarRef[0]
    )
    assert ndr.encode(oaut.INVOKE_REQUEST, request).hex() == expected
    assert ndr.decode(oaut.INVOKE_REQUEST, bytes.fromhex(expected)) == request


def test_invoke_response_reads_the_hresult_after_rgvarref() -> None:
    """The [out] rgVarRef precedes the HRESULT (impacket 0.13.1 leaves it out)."""
    response = oaut.INVOKE_RESPONSE(
        pVarResult=Variant(V.VT_EMPTY),
        pExcepInfo=oaut.EXCEPINFO(
            wCode=0,
            wReserved=0,
            bstrSource="WUA",
            bstrDescription=None,
            bstrHelpFile=None,
            dwHelpContext=0,
            pvReserved=0,
            pfnDeferredFillIn=0,
            scode=0x80240024,
        ),
        pArgErr=0,
        rgVarRef=[],
        hresult=0x80020009,
    )
    data = ndr.encode(oaut.INVOKE_RESPONSE, response)
    assert data[-8:].hex() == "00000000" + "09000280"
    assert ndr.decode(oaut.INVOKE_RESPONSE, data) == response


def test_enum_variant_next_sends_celt_as_max_count() -> None:
    response = oaut.NEXT_RESPONSE(
        rgVar=ndr.Varying([Variant(V.VT_I4, 1)], max_count=5), pCeltFetched=1, hresult=1
    )
    data = ndr.encode(oaut.NEXT_RESPONSE, response)
    assert data[:12].hex() == "05000000" + "00000000" + "01000000"
    decoded = ndr.decode(oaut.NEXT_RESPONSE, data)
    assert decoded.rgVar == [Variant(V.VT_I4, 1)]
    assert (decoded.pCeltFetched, decoded.hresult) == (1, 1)
