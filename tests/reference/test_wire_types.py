"""The LONG form of 32-bit values, as (unsigned, LONG) pairs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wua.reference.wire_types import GUID_TEXT, LONG_MAX, LONG_MIN, ULONG_MAX, as_long

VECTORS = [
    (0, 0),
    (1, 1),
    (0x7FFFFFFF, 0x7FFFFFFF),
    (0x80000000, -(2**31)),
    (0x80070643, -2147023293),
    (0xFFFFFFFF, -1),
    (-5, -5),  # an already signed value keeps its meaning
]


@pytest.mark.parametrize(("unsigned", "long"), VECTORS)
def test_as_long(unsigned: int, long: int) -> None:
    assert as_long(unsigned) == long
    assert long & ULONG_MAX == unsigned & ULONG_MAX


@given(st.integers(0, ULONG_MAX))
def test_as_long_is_in_range_and_reversible(value: int) -> None:
    signed = as_long(value)
    assert LONG_MIN <= signed <= LONG_MAX
    assert signed & ULONG_MAX == value


GUID_TEXTS = [
    ("7971f918-a847-4430-9279-4a52d1efe18d", True),
    ("7971F918-A847-4430-9279-4A52D1EFE18D", True),
    ("{7971f918-a847-4430-9279-4a52d1efe18d}", False),  # braces are not WUA's form
    ("7971f918a847443092794a52d1efe18d", False),
    ("7971f918-a847-4430-9279-4a52d1efe18", False),
    ("7971f918-a847-4430-9279-4a52d1efe18g", False),
]


@pytest.mark.parametrize(("text", "is_guid"), GUID_TEXTS)
def test_guid_text(text: str, is_guid: bool) -> None:
    assert (GUID_TEXT.fullmatch(text) is not None) is is_guid
