"""`enums.of_type` resolves a reference type name to its IntEnum, and nothing else."""

from __future__ import annotations

from enum import IntEnum

import pytest

from wua.reference import enums

CASES: list[tuple[str, type[IntEnum] | None]] = [
    ("enum:UpdateType", enums.UpdateType),
    ("enum:ServerSelection", enums.ServerSelection),
    ("enum:OperationResultCode", enums.OperationResultCode),
    ("enum:AddServiceFlag", None),  # a flag set: a plain number on the wire
    ("enum:NoSuchEnum", None),
    ("enum:IntEnum", None),  # a name in the module that is not a WUA enumeration
    ("UpdateType", None),  # not an enum reference type
    ("BSTR", None),
]


@pytest.mark.parametrize(("type_name", "expected"), CASES)
def test_of_type(type_name: str, expected: type[IntEnum] | None) -> None:
    assert enums.of_type(type_name) is expected


def test_every_int_enum_is_reachable_by_its_type_name() -> None:
    reachable = [e for name, e in enums.ALL.items() if enums.of_type(f"enum:{name}") is e]
    assert len(reachable) == sum(1 for e in enums.ALL.values() if issubclass(e, IntEnum))
    assert len(reachable) > 15
