"""Argument conversion and result conformance per wire type, and property-name mapping."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wua.emulator.wua import EmulatedObject, Enumerator, conforms
from wua.emulator.wua.base import GET
from wua.emulator.wua.collections import StringCollectionObject, UpdateCollectionObject
from wua.emulator.wua.names import field_name
from wua.emulator.wua.values import convert_argument
from wua.errors import WuaError
from wua.reference.enums import SearchScope, ServerSelection

MISMATCH = 0x80020005
OVERFLOW = 0x8002000A
INVALIDARG = 0x80070057
POINTER = 0x80004003
STRINGS = StringCollectionObject(["a"], read_only=False)

# (wire type, argument) -> converted value, or the HRESULT in a 1-tuple
ARGUMENTS: list[tuple[str, object, object]] = [
    ("BSTR", "text", "text"),
    ("BSTR", None, ""),
    ("BSTR", 5, (MISMATCH,)),
    ("LONG", 7, 7),
    ("LONG", -(2**31), -(2**31)),
    ("LONG", 2**31, (OVERFLOW,)),
    ("LONG", True, (MISMATCH,)),
    ("LONG", "7", (MISMATCH,)),
    ("LONG", 7.0, (MISMATCH,)),
    ("LCID", 2**32 - 1, 2**32 - 1),
    ("LCID", -1, (OVERFLOW,)),
    ("VARIANT_BOOL", True, True),
    ("VARIANT_BOOL", 0, False),
    ("VARIANT_BOOL", -1, True),
    ("VARIANT_BOOL", "true", (MISMATCH,)),
    ("enum:ServerSelection", 3, ServerSelection.ssOthers),
    ("enum:ServerSelection", 4, (INVALIDARG,)),
    ("enum:ServerSelection", False, (MISMATCH,)),
    ("enum:SearchScope", 5, SearchScope.searchScopeAllUsers),
    ("VARIANT", None, None),
    ("VARIANT", "AllowWarningUI", "AllowWarningUI"),
    ("VARIANT", [1], (MISMATCH,)),
    ("IStringCollection*", STRINGS, STRINGS),
    ("IStringCollection*", None, (POINTER,)),
    ("IUpdate*", STRINGS, (MISMATCH,)),
    ("IUpdate*", "an update", (MISMATCH,)),
]


@pytest.mark.parametrize(("wire_type", "value", "expected"), ARGUMENTS)
def test_convert_argument(wire_type: str, value: object, expected: object) -> None:
    if isinstance(expected, tuple):
        with pytest.raises(WuaError) as caught:
            convert_argument(wire_type, value, "IX.Y(z)")
        assert caught.value.hresult == expected[0]
        assert "IX.Y(z)" in str(caught.value)
        return
    converted = convert_argument(wire_type, value, "IX.Y(z)")
    assert converted == expected
    assert type(converted) is type(expected)


@given(st.integers(-(2**40), 2**40))
def test_long_accepts_exactly_32_bit_values(value: int) -> None:
    fits = -(2**31) <= value < 2**31
    try:
        assert convert_argument("LONG", value, "x") == value
        assert fits
    except WuaError as exc:
        assert not fits
        assert exc.hresult == OVERFLOW


WHEN = datetime(2026, 1, 1, tzinfo=UTC)

# (declared result type, value, conforms?)
RESULTS: list[tuple[str | None, object, bool]] = [
    ("BSTR", "x", True),
    ("BSTR", None, True),
    ("BSTR", 1, False),
    ("LONG", 1, True),
    ("LONG", True, False),
    ("LONG", 2**31, False),
    ("VARIANT_BOOL", False, True),
    ("VARIANT_BOOL", 0, False),
    ("DATE", WHEN, True),
    ("DATE", None, False),
    ("DECIMAL", Decimal(5), True),
    ("DECIMAL", 5, False),
    ("enum:ServerSelection", ServerSelection.ssDefault, True),
    ("enum:ServerSelection", 0, False),
    ("enum:ServerSelection", SearchScope.searchScopeDefault, False),
    ("VARIANT", None, True),
    ("VARIANT", b"", True),
    ("VARIANT", WHEN, True),
    ("VARIANT", [], False),
    ("IStringCollection*", STRINGS, True),
    ("IStringCollection*", None, True),
    ("IUpdateCollection*", STRINGS, False),
    ("IUpdateCollection*", UpdateCollectionObject(), True),
    ("IUnknown*", Enumerator(()), True),
    ("IUnknown*", STRINGS, False),
    (None, None, True),
    (None, 0, False),
]


@pytest.mark.parametrize(("wire_type", "value", "ok"), RESULTS)
def test_conforms(wire_type: str | None, value: object, ok: bool) -> None:
    assert conforms(wire_type, value) is ok


NAMES = [
    ("KBArticleIDs", "kb_article_ids"),
    ("CveIDs", "cve_ids"),
    ("UpdateID", "update_id"),
    ("HandlerID", "handler_id"),
    ("IsDefaultAUService", "is_default_au_service"),
    ("CanRegisterWithAU", "can_register_with_au"),
    ("AutoSelectOnWebSites", "auto_select_on_web_sites"),
    ("RecommendedCpuSpeed", "recommended_cpu_speed"),
    ("DriverVerDate", "driver_ver_date"),
    ("MsrcSeverity", "msrc_severity"),
    ("Title", "title"),
]


@pytest.mark.parametrize(("prop", "field"), NAMES)
def test_field_name(prop: str, field: str) -> None:
    assert field_name(prop) == field


def test_a_handler_table_naming_a_missing_method_is_refused_at_class_creation() -> None:
    with pytest.raises(TypeError, match="no_such_method"):

        class Broken(EmulatedObject):
            INTERFACES = ("IUpdateIdentity",)
            HANDLERS = {("UpdateID", GET): "no_such_method"}  # noqa: RUF012
