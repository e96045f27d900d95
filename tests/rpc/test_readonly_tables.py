"""The protocol's constant tables cannot be changed at run time (no global mutable state)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from wua import errors
from wua.dcom import uamg
from wua.dcom.oaut import safearray
from wua.dcom.oaut.typed import REFERENCE_VARTYPES
from wua.dcom.stubs.registry import STUBS
from wua.rpc.connection.state import CLIENT_TRANSITIONS, SERVER_TRANSITIONS
from wua.rpc.faults import FAULT_STATUSES
from wua.rpc.pdu import PDU_CLASSES

TABLES: dict[str, Mapping[Any, Any]] = {
    "PDU_CLASSES": PDU_CLASSES,
    "FAULT_STATUSES": FAULT_STATUSES,
    "CLIENT_TRANSITIONS": CLIENT_TRANSITIONS,
    "SERVER_TRANSITIONS": SERVER_TRANSITIONS,
    "STUBS": STUBS,
    "uamg._SCALARS": uamg._SCALARS,
    "safearray._NUMERIC": safearray._NUMERIC,
    "safearray._ELEMENT_SIZE": safearray._ELEMENT_SIZE,
    "safearray._MEMORY_SIZE": safearray._MEMORY_SIZE,
    "safearray._TYPE_FEATURE": safearray._TYPE_FEATURE,
    "safearray._DEFAULT_VT": safearray._DEFAULT_VT,
    "REFERENCE_VARTYPES": REFERENCE_VARTYPES,
    "errors._CLASS_BY_KIND": errors._CLASS_BY_KIND,
}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_table_refuses_assignment(name: str) -> None:
    table: Any = TABLES[name]
    key = next(iter(table))
    before = table[key]
    with pytest.raises(TypeError):
        table[key] = None
    with pytest.raises(TypeError):
        table["a key no table has"] = before
    assert table[key] is before
