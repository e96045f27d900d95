"""VARIANTs to Python values and back, driven by the member's type in the reference.

The reference knows what a member returns (`BSTR`, `DATE`, `enum:UpdateType`,
`IUpdateCollection*`), so a value is converted by what it *means*, not only by its vt:
an enum becomes its IntEnum, a DATE an aware UTC datetime (WUA's dates are UTC; the
wire form has no zone), an empty BSTR or an absent object None. Interface pointers are
left to the session (they become typed objects), through `ObjectMaker`.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any, Protocol

from wua.dcom.oaut import InterfacePointer, SafeArray, Variant, VarType
from wua.dcom.oaut.typed import typed_variant, vartype_for
from wua.dcom.oaut.vartype import VT_ARRAY, VT_BYREF
from wua.errors import ProtocolError
from wua.reference import enums

_EMPTY = (VarType.VT_EMPTY, VarType.VT_NULL)


class ObjectMaker(Protocol):
    """Turns a marshaled interface pointer into a typed remote object."""

    def make(self, pointer: InterfacePointer, interface: str | None) -> object: ...


def utc(value: _dt.datetime) -> _dt.datetime:
    """WUA reports times in UTC; the OLE DATE carries no zone, so add it here."""
    return value.replace(tzinfo=_dt.UTC) if value.tzinfo is None else value


def from_variant(variant: Variant, type_name: str | None, maker: ObjectMaker) -> Any:
    """The Python value of a result whose reference type is `type_name`."""
    vt = variant.vt & ~VT_BYREF
    value = variant.value
    if vt in _EMPTY:
        return None
    if type_name is not None and type_name.endswith("*"):
        if value is None:
            return None
        if not isinstance(value, InterfacePointer):
            raise ProtocolError(
                f"expected an interface pointer for {type_name}, got vt {vt}", structure="VARIANT"
            )
        return maker.make(value, type_name[:-1])
    if type_name == "DECIMAL" and isinstance(value, int | Decimal):
        return Decimal(value)
    if type_name is not None:
        kind = enums.of_type(type_name)
        if kind is not None and isinstance(value, int):
            try:
                return kind(value)
            except ValueError:
                return value  # a value newer than the reference: keep the number
    return plain(vt, value, maker)


def plain(vt: int, value: Any, maker: ObjectMaker) -> Any:
    """A VARIANT value by its vt alone (VARIANT-typed members, enumerator items)."""
    if vt in _EMPTY:
        return None
    if vt == VarType.VT_BSTR:
        return value or None
    if vt == VarType.VT_DATE:
        return utc(value)
    if vt in (VarType.VT_DISPATCH, VarType.VT_UNKNOWN):
        return None if value is None else maker.make(value, None)
    if vt & VT_ARRAY and isinstance(value, SafeArray):
        if (vt & ~VT_ARRAY) == VarType.VT_UI1:
            return bytes(value.items)
        return [plain(value.vt, item, maker) for item in value.items]
    if vt == VarType.VT_VARIANT and isinstance(value, Variant):
        return plain(value.vt, value.value, maker)
    return value


def to_variant(value: Any, type_name: str) -> Variant:
    """The VARIANT for an argument of reference type `type_name` (its declared VARTYPE,
    from the table the emulated host answers with too)."""
    if isinstance(value, Variant):
        return value
    if type_name.endswith("*"):
        pointer = getattr(value, "interface_pointer", None)
        if isinstance(pointer, InterfacePointer):
            return Variant(vartype_for(type_name), pointer)
        return Variant.of(value)
    if type_name == "VARIANT":
        return Variant.of(value)
    if type_name == "BSTR" and value is None:
        value = ""  # an omitted string argument is the empty string
    return typed_variant(type_name, value)
