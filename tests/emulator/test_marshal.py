"""Model values <-> VARIANTs: one table drives results, one drives arguments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from wua.dcom.bindings import DualStringArray
from wua.dcom.interfaces import IID_IDISPATCH, IID_IUNKNOWN
from wua.dcom.oaut import VT_ARRAY, InterfacePointer, SafeArray, Variant, VarType
from wua.dcom.objref import ObjRefStandard, decode_objref
from wua.emulator.server.marshal import Marshaler
from wua.emulator.server.objects import ObjectTable
from wua.emulator.wua import Enumerator
from wua.errors import WuaError
from wua.reference.enums import ServerSelection

OXID = 0x1122334455667788
V = VarType


def marshaler() -> Marshaler:
    return Marshaler(ObjectTable(120.0), OXID, DualStringArray())


# (declared type, model value, expected VARIANT)
RESULTS: list[tuple[str | None, Any, Variant]] = [
    ("BSTR", "KB5060526", Variant(V.VT_BSTR, "KB5060526")),
    ("BSTR", None, Variant(V.VT_BSTR, None)),
    ("LONG", -7, Variant(V.VT_I4, -7)),
    # LCID is a DWORD: the type library declares it VT_UI4 (wua.dcom.oaut.typed).
    ("LCID", 0xFFFFFFFF, Variant(V.VT_UI4, 0xFFFFFFFF)),
    ("LONG", 0x80070643, Variant(V.VT_I4, -2147023293)),
    ("ULONG", 0xFFFFFFFF, Variant(V.VT_UI4, 0xFFFFFFFF)),
    ("enum:ServerSelection", ServerSelection.ssWindowsUpdate, Variant(V.VT_I4, 2)),
    ("VARIANT_BOOL", True, Variant(V.VT_BOOL, True)),
    (
        "DATE",
        dt.datetime(2025, 6, 10, 17, tzinfo=dt.UTC),
        Variant(V.VT_DATE, dt.datetime(2025, 6, 10, 17, tzinfo=dt.UTC)),
    ),
    ("DECIMAL", Decimal(454785928), Variant(V.VT_DECIMAL, Decimal(454785928))),
    ("VARIANT", None, Variant(V.VT_EMPTY)),
    ("VARIANT", 5, Variant(V.VT_I4, 5)),
    ("VARIANT", b"\x01\x02", Variant(VT_ARRAY | V.VT_UI1, SafeArray(V.VT_UI1, (1, 2)))),
    ("IUpdate*", None, Variant(V.VT_DISPATCH, None)),
    (None, None, Variant(V.VT_EMPTY)),
]


@pytest.mark.parametrize(("wire_type", "value", "expected"), RESULTS)
def test_results(wire_type: str | None, value: Any, expected: Variant) -> None:
    assert marshaler().result_variant(wire_type, value, 0.0) == expected


def test_object_results_are_exported_with_the_right_iid() -> None:
    m = marshaler()
    cursor = Enumerator(("a",))
    for wire_type, target, vt, iid in (
        ("IUpdate*", object(), V.VT_DISPATCH, IID_IDISPATCH),
        ("IUnknown*", cursor, V.VT_UNKNOWN, IID_IUNKNOWN),
    ):
        variant = m.result_variant(wire_type, target, 0.0)
        assert variant.vt == vt
        objref = decode_objref(variant.value.objref)
        assert isinstance(objref, ObjRefStandard)
        assert (objref.iid, objref.std.oxid, objref.std.public_refs) == (iid, OXID, 5)
        assert m.resolve(variant.value) is target


# (VARIANT argument, model value)
ARGUMENTS: list[tuple[Variant, Any]] = [
    (Variant(V.VT_EMPTY), None),
    (Variant(V.VT_NULL), None),
    (Variant(V.VT_BSTR, "IsInstalled=0"), "IsInstalled=0"),
    (Variant(V.VT_I2, 3), 3),
    (Variant(V.VT_UI1, 200), 200),
    (Variant(V.VT_BOOL, False), False),
    (Variant(VT_ARRAY | V.VT_UI1, SafeArray(V.VT_UI1, (7, 8))), b"\x07\x08"),
    (Variant(V.VT_DISPATCH, None), None),
]


@pytest.mark.parametrize(("variant", "expected"), ARGUMENTS)
def test_arguments(variant: Variant, expected: Any) -> None:
    assert marshaler().argument(variant) == expected


@pytest.mark.parametrize(
    "pointer",
    [
        InterfacePointer(b"not an objref"),
        InterfacePointer(
            ObjRefStandard(
                IID_IDISPATCH, decode_objref(marshaler().objref(object(), IID_IDISPATCH, 0.0)).std
            ).encode()
        ),  # other table
    ],
)
def test_foreign_interface_pointers_are_refused(pointer: InterfacePointer) -> None:
    with pytest.raises(WuaError) as caught:
        marshaler().resolve(pointer)
    assert caught.value.hresult == 0x80070057


def test_an_array_of_strings_is_refused() -> None:
    variant = Variant(VT_ARRAY | V.VT_BSTR, SafeArray(V.VT_BSTR, ("a",)))
    with pytest.raises(WuaError):
        marshaler().argument(variant)
