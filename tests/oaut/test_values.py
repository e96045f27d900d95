"""Conversions between Python values and OLE DATE / CY / DECIMAL wire forms."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest

from wua.dcom.oaut import InterfacePointer, SafeArray, Variant, VarType
from wua.dcom.oaut.values import (
    cy_from_wire,
    cy_to_wire,
    date_from_wire,
    date_to_wire,
    decimal_from_wire,
    decimal_to_wire,
)
from wua.errors import ProtocolError

DATES = [
    (dt.datetime(1899, 12, 30), 0.0),
    (dt.datetime(1900, 1, 1), 2.0),
    (dt.datetime(1899, 12, 30, 18), 0.75),
    # Before the epoch the day counts back but the time of day forward.
    (dt.datetime(1899, 12, 29, 6), -1.25),
    (dt.datetime(1899, 12, 28, 18), -2.75),
    (dt.datetime(100, 1, 1), -657434.0),
    (dt.datetime(9999, 12, 31), 2958465.0),
]


@pytest.mark.parametrize(("value", "wire"), DATES)
def test_ole_dates(value: dt.datetime, wire: float) -> None:
    assert date_to_wire(value) == wire
    assert date_from_wire(wire) == value


def test_aware_datetimes_are_sent_as_utc() -> None:
    tz = dt.timezone(dt.timedelta(hours=2))
    assert date_to_wire(dt.datetime(2000, 1, 1, 14, tzinfo=tz)) == 36526.5


@pytest.mark.parametrize("wire", [math.nan, math.inf, -math.inf, -657435.0, 2958466.0, 1e300])
def test_dates_outside_the_ole_range_are_refused(wire: float) -> None:
    with pytest.raises(ProtocolError):
        date_from_wire(wire)


CURRENCIES = [(Decimal("1.2345"), 12345), (Decimal("-0.0001"), -1), (Decimal(7), 70000)]


@pytest.mark.parametrize(("value", "wire"), CURRENCIES)
def test_currency(value: Decimal, wire: int) -> None:
    assert cy_to_wire(value) == wire
    assert cy_from_wire(wire) == value


@pytest.mark.parametrize("value", [Decimal("0.00001"), Decimal(1 << 62), Decimal("NaN")])
def test_currency_refuses_what_does_not_fit(value: Decimal) -> None:
    with pytest.raises(ProtocolError):
        cy_to_wire(value)


DECIMALS = [
    (Decimal("-1.5"), (1, 0x80, 0, 15)),
    (Decimal("1E+3"), (0, 0, 0, 1000)),
    (Decimal((1 << 96) - 1), (0, 0, 0xFFFFFFFF, (1 << 64) - 1)),
    (Decimal("0." + "0" * 27 + "1"), (28, 0, 0, 1)),
]


@pytest.mark.parametrize(("value", "wire"), DECIMALS)
def test_decimal(value: Decimal, wire: tuple[int, int, int, int]) -> None:
    assert decimal_to_wire(value) == wire
    assert decimal_from_wire(*wire) == value


@pytest.mark.parametrize("value", [Decimal(1 << 96), Decimal("1E-29"), Decimal("Infinity")])
def test_decimal_refuses_what_does_not_fit(value: Decimal) -> None:
    with pytest.raises(ProtocolError):
        decimal_to_wire(value)


@pytest.mark.parametrize(("wire"), [(29, 0, 0, 1), (0, 1, 0, 1)])
def test_decimal_refuses_bad_wire_forms(wire: tuple[int, int, int, int]) -> None:
    with pytest.raises(ProtocolError):
        decimal_from_wire(*wire)


OF = [
    (None, Variant(VarType.VT_EMPTY)),
    (True, Variant(VarType.VT_BOOL, True)),
    (5, Variant(VarType.VT_I4, 5)),
    (1 << 40, Variant(VarType.VT_I8, 1 << 40)),
    (0.5, Variant(VarType.VT_R8, 0.5)),
    ("s", Variant(VarType.VT_BSTR, "s")),
    (Decimal(1), Variant(VarType.VT_DECIMAL, Decimal(1))),
    (dt.datetime(2000, 1, 1), Variant(VarType.VT_DATE, dt.datetime(2000, 1, 1))),
    (InterfacePointer(b"x"), Variant(VarType.VT_DISPATCH, InterfacePointer(b"x"))),
    (SafeArray(VarType.VT_I2, [1]), Variant(0x2002, SafeArray(VarType.VT_I2, [1]))),
]


@pytest.mark.parametrize(("value", "variant"), OF)
def test_variant_of_picks_the_natural_vt(value: object, variant: Variant) -> None:
    assert Variant.of(value) == variant
