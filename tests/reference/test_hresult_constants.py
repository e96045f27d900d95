"""The named HRESULT constants agree with the table they abbreviate.

A constant is a second statement of a fact the table already holds; this keeps the two
from drifting apart (a typo in a hex digit would otherwise name another error).
"""

from __future__ import annotations

import pytest

from wua.reference import hresults

# (constant name, symbol in the table) for every constant whose code has a table row.
NAMED_ROWS = [
    ("E_ACCESSDENIED", "E_ACCESSDENIED"),
    ("WU_E_INVALID_CRITERIA", "WU_E_INVALID_CRITERIA"),
    ("DISP_E_EXCEPTION", "DISP_E_EXCEPTION"),
    ("DISP_E_UNKNOWNNAME", "DISP_E_UNKNOWNNAME"),
    ("DISP_E_MEMBERNOTFOUND", "DISP_E_MEMBERNOTFOUND"),
    ("E_NOINTERFACE", "E_NOINTERFACE"),
    ("SEC_E_LOGON_DENIED", "SEC_E_LOGON_DENIED"),
    ("SEC_E_MESSAGE_ALTERED", "SEC_E_MESSAGE_ALTERED"),
    ("SEC_E_INVALID_TOKEN", "SEC_E_INVALID_TOKEN"),
    ("RPC_S_PROTOCOL_ERROR", "RPC_S_PROTOCOL_ERROR"),
    ("E_NOTIMPL", "E_NOTIMPL"),
    ("E_POINTER", "E_POINTER"),
    ("E_INVALIDARG", "E_INVALIDARG"),
    ("DISP_E_TYPEMISMATCH", "DISP_E_TYPEMISMATCH"),
    ("DISP_E_BADPARAMCOUNT", "DISP_E_BADPARAMCOUNT"),
    ("REGDB_E_CLASSNOTREG", "REGDB_E_CLASSNOTREG"),
    ("WU_E_NO_SERVICE", "WU_E_NO_SERVICE"),
    ("WU_E_INVALIDINDEX", "WU_E_INVALIDINDEX"),
    ("WU_E_NOT_SUPPORTED", "WU_E_NOT_SUPPORTED"),
    ("WU_E_DS_UNKNOWNSERVICE", "WU_E_DS_UNKNOWNSERVICE"),
    ("WU_E_AU_NOSERVICE", "WU_E_AU_NOSERVICE"),
    ("HRESULT_FROM_WIN32_SERVICE_DISABLED", "HRESULT_FROM_WIN32(ERROR_SERVICE_DISABLED)"),
]

# Constants for well-known COM codes the WUA reference does not list: (name, value).
UNLISTED = [
    ("DISP_E_PARAMNOTFOUND", 0x80020004),
    ("DISP_E_NONAMEDARGS", 0x80020007),
    ("DISP_E_OVERFLOW", 0x8002000A),
    ("DISP_E_BADINDEX", 0x8002000B),
    ("TYPE_E_ELEMENTNOTFOUND", 0x8002802B),
    ("HRESULT_FROM_WIN32_FILE_NOT_FOUND", 0x80070002),
]


@pytest.mark.parametrize(("name", "symbol"), NAMED_ROWS)
def test_constant_names_its_table_row(name: str, symbol: str) -> None:
    assert hresults.lookup(getattr(hresults, name)).symbol == symbol


@pytest.mark.parametrize(("name", "value"), UNLISTED)
def test_unlisted_constant_has_its_com_value(name: str, value: int) -> None:
    assert getattr(hresults, name) == value
    assert value not in hresults.table(), f"{name} now has a row: move it to NAMED_ROWS"
