"""The Python side of MS-OAUT values, and the conversions with their wire forms.

- `Variant(vt, value)` keeps the exact VARTYPE, so a round trip never turns a VT_UI2
  into a VT_I4; `Variant.of()` picks the natural vt for a plain Python value.
- DATE is a `datetime` without tzinfo: OLE dates carry no time zone (WUA reports UTC in
  them, but the wire does not say so). Decoding rounds to the millisecond: that is the
  resolution of the SYSTEMTIME values WUA converts from, and all a double still holds
  exactly near the year 9999.
- CY and DECIMAL are `decimal.Decimal`; BOOL is `bool`; BSTR is `str`, with None for
  the NULL BSTR (distinct from "").
- VT_DISPATCH / VT_UNKNOWN hold an `InterfacePointer` whose OBJREF stays opaque bytes
  (the DCOM layer parses it), or None for a NULL interface pointer.
"""

from __future__ import annotations

import datetime as _dt
import math
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from wua.dcom.oaut.vartype import VT_ARRAY, VT_BYREF, VarType
from wua.reference.wire_types import OLE_DATE_EPOCH
from wua.rpc.ndr import fail

__all__ = [
    "InterfacePointer",
    "SafeArray",
    "Variant",
    "cy_from_wire",
    "cy_to_wire",
    "date_from_wire",
    "date_to_wire",
    "decimal_from_wire",
    "decimal_to_wire",
]

_OLE_MIN = -657435.0  # (exclusive) -657434.x is 0100-01-01 at time .x
_OLE_MAX = 2958466.0  # 10000-01-01 (exclusive)
_US_PER_DAY = 86_400_000_000
_MS_PER_DAY = 86_400_000
_CY_SCALE = Decimal(10000)
_I64_MIN, _I64_MAX = -(1 << 63), (1 << 63) - 1


@dataclass(frozen=True, slots=True)
class InterfacePointer:
    """An MInterfacePointer: the marshaled OBJREF, left opaque for the DCOM layer."""

    objref: bytes


@dataclass(frozen=True, slots=True)
class SafeArray:
    """A SAFEARRAY: element type, elements in wire order, and the array descriptor.

    `bounds` are `(cElements, lLbound)` pairs as they travel (rgsabound order); by
    default one dimension holding all items from 0. `features` defaults to what
    SafeArrayCreate sets for `vt`; `iid` is only sent for interface arrays (SF_HAVEIID).
    """

    vt: int
    items: tuple[Any, ...] | list[Any]
    bounds: tuple[tuple[int, int], ...] | None = None
    features: int | None = None
    iid: uuid.UUID | None = None

    def dims(self) -> tuple[tuple[int, int], ...]:
        return self.bounds if self.bounds is not None else ((len(self.items), 0),)


@dataclass(frozen=True, slots=True)
class Variant:
    """A VARIANT with its exact vt (VarType, possibly | VT_BYREF or | VT_ARRAY)."""

    vt: int
    value: Any = None

    @staticmethod
    def of(value: Any) -> Variant:
        """The natural VARIANT for a Python value (int: VT_I4, or VT_I8 if it needs it)."""
        if value is None:
            return Variant(VarType.VT_EMPTY)
        if isinstance(value, Variant):
            return value
        if isinstance(value, bool):
            return Variant(VarType.VT_BOOL, value)
        if isinstance(value, int):
            if -(1 << 31) <= value < (1 << 31):
                return Variant(VarType.VT_I4, value)
            return Variant(VarType.VT_I8, value)
        if isinstance(value, float):
            return Variant(VarType.VT_R8, value)
        if isinstance(value, str):
            return Variant(VarType.VT_BSTR, value)
        if isinstance(value, _dt.datetime):
            return Variant(VarType.VT_DATE, value)
        if isinstance(value, Decimal):
            return Variant(VarType.VT_DECIMAL, value)
        if isinstance(value, InterfacePointer):
            return Variant(VarType.VT_DISPATCH, value)
        if isinstance(value, SafeArray):
            return Variant(VT_ARRAY | value.vt, value)
        raise TypeError(f"no VARIANT type for {type(value).__name__}")

    @property
    def byref(self) -> bool:
        return bool(self.vt & VT_BYREF)


def date_from_wire(days: float) -> _dt.datetime:
    """An OLE automation date (days since 1899-12-30; for negative dates the fraction
    is the time of day, counted forwards) as a naive datetime."""
    if math.isnan(days) or not _OLE_MIN < days < _OLE_MAX:
        raise fail(f"DATE {days!r} is outside 0100-01-01..9999-12-31")
    whole = math.trunc(days)
    frac = abs(days - whole)
    millis = round(frac * _MS_PER_DAY)
    try:
        return OLE_DATE_EPOCH + _dt.timedelta(days=whole, milliseconds=millis)
    except OverflowError:
        raise fail(f"DATE {days!r} rounds past 9999-12-31") from None


def date_to_wire(value: _dt.datetime) -> float:
    """The OLE automation date of a naive datetime (aware ones are sent as UTC)."""
    if value.tzinfo is not None:
        value = value.astimezone(_dt.UTC).replace(tzinfo=None)
    delta = value - OLE_DATE_EPOCH
    frac = (delta.seconds * 1_000_000 + delta.microseconds) / _US_PER_DAY
    if delta.days < 0:
        return delta.days - frac  # the day counts backwards, the time of day forwards
    return delta.days + frac


def cy_from_wire(raw: int) -> Decimal:
    """CURRENCY: a 64-bit integer count of 1/10000 units."""
    return Decimal(raw).scaleb(-4)


def cy_to_wire(value: Decimal | int) -> int:
    try:
        scaled = Decimal(value) * _CY_SCALE
        raw = int(scaled)
    except (InvalidOperation, ValueError, OverflowError):
        raise fail(f"CY {value!r} is not a finite number") from None
    if raw != scaled or not _I64_MIN <= raw <= _I64_MAX:
        raise fail(f"CY {value!r} does not fit 64 bits at 4 decimal places")
    return raw


def decimal_from_wire(scale: int, sign: int, hi32: int, lo64: int) -> Decimal:
    """DECIMAL: a 96-bit magnitude, a sign byte (0x80 = negative), 0..28 decimal places."""
    if scale > 28:
        raise fail(f"DECIMAL scale {scale} exceeds 28")
    if sign not in (0, 0x80):
        raise fail(f"DECIMAL sign byte {sign:#x} is neither 0 nor 0x80")
    magnitude = (hi32 << 64) | lo64
    return Decimal((1 if sign else 0, tuple(int(d) for d in str(magnitude)), -scale))


def decimal_to_wire(value: Decimal) -> tuple[int, int, int, int]:
    """(scale, sign, hi32, lo64) of a Decimal that fits a DECIMAL."""
    if not value.is_finite():
        raise fail(f"DECIMAL {value!r} is not finite")
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        raise fail(f"DECIMAL {value!r} is not finite")
    magnitude = int("".join(map(str, digits)) or "0")
    if exponent > 0:
        magnitude *= 10**exponent
        exponent = 0
    scale = -exponent
    if scale > 28 or magnitude >> 96:
        raise fail(f"DECIMAL {value!r} needs more than 96 bits or 28 places")
    return scale, 0x80 if sign else 0, magnitude >> 64, magnitude & 0xFFFFFFFFFFFFFFFF
