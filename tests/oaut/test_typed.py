"""One VARTYPE per reference type: the client's arguments, the emulated host's results
and the emulated ITypeInfo all read `wua.dcom.oaut.typed`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wua.client.values import to_variant
from wua.dcom.bindings import DualStringArray
from wua.dcom.oaut import VARIANT, Variant
from wua.dcom.oaut import VarType as V
from wua.dcom.oaut.typed import REFERENCE_VARTYPES, typed_variant, vartype_for
from wua.emulator.server.marshal import Marshaler
from wua.emulator.server.objects import ObjectTable
from wua.emulator.server.typeinfo import type_desc
from wua.errors import ProtocolError
from wua.reference.enums import ServerSelection
from wua.reference.interfaces import interfaces_by_name
from wua.reference.wire_types import LONG_MIN, ULONG_MAX
from wua.rpc import ndr

_HEAD = "0000020000000000"  # the unique pointer's referent, padded to 8

# (reference type, value, wireVARIANT): drives both typed_variant + encode and decode.
VECTORS: list[tuple[str, Any, str]] = [
    ("LONG", -7, "0300000000000000030000000000000003000000f9ffffff"),
    ("LONG", 0x80070643, "030000000000000003000000000000000300000043060780"),
    ("ULONG", 0xFFFFFFFF, "0300000000000000130000000000000013000000ffffffff"),
    ("LCID", 1033, "030000000000000013000000000000001300000009040000"),
    ("enum:ServerSelection", 2, "030000000000000003000000000000000300000002000000"),
    ("VARIANT_BOOL", True, "03000000000000000b000000000000000b000000ffff"),
    ("HWND", 0, "0400000000000000140000000000000014000000000000000000000000000000"),
    (
        "BSTR",
        "KB1",
        "0600000000000000080000000000000008000000040002000300000006000000030000004b0042003100",
    ),
]


def _wire(type_name: str, value: Any) -> str:
    return ndr.encode(VARIANT, typed_variant(type_name, value)).hex()


@pytest.mark.parametrize(("type_name", "value", "hex_body"), VECTORS)
def test_vectors_encode(type_name: str, value: Any, hex_body: str) -> None:
    assert _wire(type_name, value) == _HEAD + hex_body


@pytest.mark.parametrize(("type_name", "value", "hex_body"), VECTORS)
def test_vectors_decode(type_name: str, value: Any, hex_body: str) -> None:
    decoded = ndr.decode(VARIANT, bytes.fromhex(_HEAD + hex_body))
    assert decoded == typed_variant(type_name, value)
    assert decoded.vt == vartype_for(type_name)


def _reference_types() -> list[str]:
    names: set[str] = set()
    for interface in interfaces_by_name().values():
        for member in interface.members:
            names.update(p.type for p in member.params)
            if member.returns is not None:
                names.add(member.returns)
    return sorted(names)


REFERENCE_TYPES = _reference_types()

# A value of each scalar kind, as the model holds it and as a caller passes it.
SAMPLES: dict[V, Any] = {
    V.VT_BSTR: "KB5060526",
    V.VT_BOOL: True,
    V.VT_I4: -2147023293,
    V.VT_UI4: 0xFFFFFFFF,
    V.VT_I8: 0x1234,
    V.VT_DATE: dt.datetime(2025, 6, 10, 17),  # the wire DATE has no zone
    V.VT_DECIMAL: Decimal(454785928),
}


def _marshaler() -> Marshaler:
    return Marshaler(ObjectTable(120.0), 0x1122334455667788, DualStringArray())


def test_the_reference_uses_every_table_row() -> None:
    assert set(REFERENCE_VARTYPES) <= set(REFERENCE_TYPES)


@pytest.mark.parametrize("type_name", REFERENCE_TYPES)
def test_client_and_emulator_agree_for_every_reference_type(type_name: str) -> None:
    vt = vartype_for(type_name)
    if vt in (V.VT_DISPATCH, V.VT_UNKNOWN):
        # An absent object: the pointer arm of the declared VARTYPE on the host's side.
        assert _marshaler().result_variant(type_name, None, 0.0) == Variant(vt, None)
        return
    value = SAMPLES.get(vt, 5)  # VARIANT: any value; 5 is a VT_I4
    sent = to_variant(value, type_name)
    answered = _marshaler().result_variant(type_name, value, 0.0)
    assert sent == answered
    assert sent.vt == (V.VT_I4 if vt == V.VT_VARIANT else vt)
    assert ndr.decode(VARIANT, ndr.encode(VARIANT, sent)) == sent


@pytest.mark.parametrize("type_name", sorted(REFERENCE_VARTYPES))
def test_the_emulated_type_info_declares_the_same_vartype(type_name: str) -> None:
    assert type_desc(type_name).vt == REFERENCE_VARTYPES[type_name]


def test_an_enum_is_a_long_and_an_interface_pointer_a_dispatch() -> None:
    assert vartype_for("enum:ServerSelection") == V.VT_I4
    assert vartype_for("IUpdate*") == V.VT_DISPATCH
    assert vartype_for("IUnknown*") == V.VT_UNKNOWN
    assert typed_variant("enum:ServerSelection", ServerSelection.ssWindowsUpdate) == Variant(
        V.VT_I4, 2
    )


@given(st.integers(LONG_MIN, ULONG_MAX), st.sampled_from(["LONG", "ULONG", "LCID"]))
def test_32_bit_integers_agree_and_reach_the_host_as_declared(value: int, type_name: str) -> None:
    sent = to_variant(value, type_name)
    assert sent == _marshaler().result_variant(type_name, value, 0.0)
    received = _marshaler().argument(ndr.decode(VARIANT, ndr.encode(VARIANT, sent)))
    assert received % 2**32 == value % 2**32
    assert (received < 0) == (sent.vt == V.VT_I4 and value % 2**32 >= 2**31)


@pytest.mark.parametrize(
    ("type_name", "value"),
    [("LONG", 2**32), ("LONG", LONG_MIN - 1), ("ULONG", -(2**31) - 1), ("HWND", 2**63)],
)
def test_out_of_range_integers_are_refused(type_name: str, value: int) -> None:
    with pytest.raises(ProtocolError, match=type_name):
        typed_variant(type_name, value)


def test_a_non_scalar_type_has_no_typed_variant() -> None:
    with pytest.raises(ValueError, match="not a scalar"):
        typed_variant("IUpdate*", None)
    with pytest.raises(ValueError, match="no VARTYPE"):
        vartype_for("FLOAT")
