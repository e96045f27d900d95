"""Hypothesis strategies for MS-OAUT values (shared by the property and fuzz tests)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from wua.dcom.oaut import VT_ARRAY, VT_BYREF, InterfacePointer, SafeArray, Variant, VarType

V = VarType

# Dates a SYSTEMTIME can hold, at the millisecond resolution the codec keeps.
dates = st.datetimes(
    min_value=dt.datetime(100, 1, 1), max_value=dt.datetime(9999, 12, 31, 23, 59, 59)
).map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000))
currencies = st.integers(-(1 << 63), (1 << 63) - 1).map(lambda raw: Decimal(raw).scaleb(-4))
decimals = st.builds(
    lambda mag, scale, neg: Decimal((1 if neg else 0, tuple(int(c) for c in str(mag)), -scale)),
    st.integers(0, (1 << 96) - 1),
    st.integers(0, 28),
    st.booleans(),
)
texts = st.text(max_size=40)
objrefs = st.binary(min_size=1, max_size=64).map(InterfacePointer)

#: vt -> strategy for the Python value, for every scalar vt wua carries.
SCALARS: dict[int, st.SearchStrategy[Any]] = {
    V.VT_I1: st.integers(-128, 127),
    V.VT_UI1: st.integers(0, 255),
    V.VT_I2: st.integers(-(1 << 15), (1 << 15) - 1),
    V.VT_UI2: st.integers(0, (1 << 16) - 1),
    V.VT_I4: st.integers(-(1 << 31), (1 << 31) - 1),
    V.VT_UI4: st.integers(0, (1 << 32) - 1),
    V.VT_INT: st.integers(-(1 << 31), (1 << 31) - 1),
    V.VT_UINT: st.integers(0, (1 << 32) - 1),
    V.VT_I8: st.integers(-(1 << 63), (1 << 63) - 1),
    V.VT_UI8: st.integers(0, (1 << 64) - 1),
    V.VT_R4: st.floats(width=32, allow_nan=False),
    V.VT_R8: st.floats(allow_nan=False),
    V.VT_CY: currencies,
    V.VT_DATE: dates,
    V.VT_BOOL: st.booleans(),
    V.VT_ERROR: st.integers(0, (1 << 32) - 1),
    V.VT_DECIMAL: decimals,
    V.VT_BSTR: texts,
    V.VT_DISPATCH: objrefs,
    V.VT_UNKNOWN: objrefs,
}
# Element types a SAFEARRAY can carry here (DECIMAL arrays are not supported).
ARRAY_ELEMENTS = {vt: s for vt, s in SCALARS.items() if vt != V.VT_DECIMAL}


def scalar_variants(
    vts: list[int] | None = None,
    null_bstr: bool = True,
    texts: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Variant]:
    chosen = list(SCALARS) if vts is None else vts

    def one(vt: int) -> st.SearchStrategy[Variant]:
        values = SCALARS[vt]
        if vt == V.VT_BSTR and texts is not None:
            values = texts
        if vt == V.VT_BSTR and null_bstr:
            values = st.none() | values
        return values.map(lambda v: Variant(vt, v))

    empty = st.sampled_from([V.VT_EMPTY, V.VT_NULL]).map(Variant)
    return st.sampled_from(chosen).flatmap(one) | empty


def byref_variants(
    null_bstr: bool = True, texts: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[Variant]:
    scalars = scalar_variants(null_bstr=null_bstr, texts=texts)
    return scalars.filter(lambda v: v.vt > V.VT_NULL).map(
        lambda v: Variant(v.vt | VT_BYREF, v.value)
    )


def safearrays(element_vts: list[int] | None = None) -> st.SearchStrategy[SafeArray]:
    chosen = list(ARRAY_ELEMENTS) if element_vts is None else element_vts

    def of(vt: int) -> st.SearchStrategy[SafeArray]:
        items = ARRAY_ELEMENTS[vt]
        if vt in (V.VT_BSTR, V.VT_DISPATCH, V.VT_UNKNOWN):
            items = st.none() | items
        return st.lists(items, max_size=6).map(lambda xs: SafeArray(vt, xs))

    return st.sampled_from(chosen).flatmap(of)


def variant_arrays() -> st.SearchStrategy[SafeArray]:
    return st.lists(scalar_variants(), max_size=4).map(lambda xs: SafeArray(V.VT_VARIANT, xs))


def any_variant() -> st.SearchStrategy[Variant]:
    """Every kind: scalars, by-reference, arrays, VARIANT by reference."""
    arrays = (safearrays() | variant_arrays()).map(lambda sa: Variant(VT_ARRAY | sa.vt, sa))
    base = scalar_variants() | byref_variants() | arrays
    nested = base.map(lambda v: Variant(V.VT_VARIANT | VT_BYREF, v))
    return base | nested
