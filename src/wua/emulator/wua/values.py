"""Python values for WUA's wire types: checking arguments, normalising results.

The wire layer turns VARIANTs (IDispatch) or NDR parameters (vtable calls) into Python
values; this module decides whether such a value fits the parameter type the reference
declares, with the answers Windows' IDispatch gives when it does not:

- a value that cannot become the type (a string for a LONG, an object for a BSTR)
  -> DISP_E_TYPEMISMATCH;
- a LONG or LCID outside its 32 bits -> DISP_E_OVERFLOW;
- a number that is not a value of the parameter's enumeration -> E_INVALIDARG (WUA
  checks its enums itself);
- a NULL interface pointer where an object is needed -> E_POINTER.

Python types per wire type: BSTR str (None, a NULL BSTR, reads as ""), LONG/LCID int,
VARIANT_BOOL bool (an int is accepted as VariantChangeType would coerce it), enum:X
the IntEnum X, DATE datetime, DECIMAL Decimal, VARIANT any of these or None (VT_EMPTY)
or bytes (a byte array), `IFoo*` an emulated object implementing IFoo.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from enum import IntEnum
from types import MappingProxyType

from wua.emulator.wua.base import EmulatedObject
from wua.emulator.wua.enumerator import Enumerator
from wua.errors import WuaError, error_for
from wua.reference import enums
from wua.reference.hresults import (
    DISP_E_OVERFLOW,
    DISP_E_TYPEMISMATCH,
    E_INVALIDARG,
    E_POINTER,
)
from wua.reference.wire_types import LONG_MAX, LONG_MIN, OLE_DATE_EPOCH, ULONG_MAX

# What a DATE reads as when the catalog has no date: OLE automation's day zero.
OLE_ZERO_DATE = OLE_DATE_EPOCH.replace(tzinfo=UTC)

_RANGES: Mapping[str, tuple[int, int]] = MappingProxyType(
    {
        "LONG": (LONG_MIN, LONG_MAX),
        "LCID": (0, ULONG_MAX),
    }
)
_VARIANT_SCALARS = (bool, int, float, str, datetime, Decimal, bytes, EmulatedObject)


def enum_type(wire_type: str) -> type[IntEnum]:
    """The IntEnum of `enum:ServerSelection`."""
    found = enums.of_type(wire_type)
    if found is None:
        raise KeyError(f"no enumeration for {wire_type!r}")
    return found


def _mismatch(what: str, wire_type: str, value: object) -> WuaError:
    return error_for(
        DISP_E_TYPEMISMATCH, f"{what}: {type(value).__name__} cannot be passed as {wire_type}"
    )


def convert_argument(wire_type: str, value: object, what: str) -> object:
    """`value` as the parameter of `wire_type` receives it, or the error Windows answers.

    `what` names the parameter in the error ("IUpdateSearcher.QueryHistory(count)").
    """
    if wire_type == "VARIANT":
        if value is None or isinstance(value, _VARIANT_SCALARS):
            return value
        raise _mismatch(what, wire_type, value)
    if wire_type == "BSTR":
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        raise _mismatch(what, wire_type, value)
    if wire_type == "VARIANT_BOOL":
        if isinstance(value, int):
            return bool(value)
        raise _mismatch(what, wire_type, value)
    if wire_type in _RANGES:
        if not isinstance(value, int) or isinstance(value, bool):
            raise _mismatch(what, wire_type, value)
        low, high = _RANGES[wire_type]
        if not low <= value <= high:
            raise error_for(DISP_E_OVERFLOW, f"{what}: {value} does not fit in a {wire_type}")
        return value
    if wire_type.startswith("enum:"):
        if not isinstance(value, int) or isinstance(value, bool):
            raise _mismatch(what, wire_type, value)
        enum = enum_type(wire_type)
        try:
            return enum(value)
        except ValueError:
            raise error_for(
                E_INVALIDARG, f"{what}: {value} is not a {enum.__name__} value"
            ) from None
    if wire_type.endswith("*"):
        if value is None:
            raise error_for(E_POINTER, f"{what}: a NULL {wire_type} pointer")
        if isinstance(value, EmulatedObject) and value.implements(wire_type[:-1]):
            return value
        raise _mismatch(what, wire_type, value)
    raise _mismatch(what, wire_type, value)


def normalise_result(wire_type: str | None, value: object) -> object:
    """What the handler returned, in the form the wire layer encodes.

    Two rewrites: a DATE the catalog leaves empty (a service without an expiration
    date) reads as OLE day zero, since a DATE cannot be VT_EMPTY; a BSTR held as a str
    subclass (ICategory.Type is a StrEnum) is handed out as a plain str, so that no
    encoder has to know the catalog's types.
    """
    if wire_type == "DATE" and value is None:
        return OLE_ZERO_DATE
    if wire_type == "BSTR" and isinstance(value, str) and type(value) is not str:
        return str(value)
    return value


def conforms(wire_type: str | None, value: object) -> bool:
    """Is `value` a valid result of `wire_type`? (The contract with the wire layer.)"""
    if wire_type is None:
        return value is None
    if wire_type == "VARIANT":
        return value is None or isinstance(value, _VARIANT_SCALARS)
    if wire_type == "BSTR":
        return value is None or isinstance(value, str)
    if wire_type == "VARIANT_BOOL":
        return isinstance(value, bool)
    if wire_type == "DATE":
        return isinstance(value, datetime)
    if wire_type == "DECIMAL":
        return isinstance(value, Decimal)
    if wire_type in _RANGES:
        low, high = _RANGES[wire_type]
        return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
    if wire_type.startswith("enum:"):
        return isinstance(value, enum_type(wire_type))
    if wire_type == "IUnknown*":
        return value is None or isinstance(value, Enumerator)
    if wire_type.endswith("*"):
        return value is None or (
            isinstance(value, EmulatedObject) and value.implements(wire_type[:-1])
        )
    return False
