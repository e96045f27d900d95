"""The fault status table names what our server sends and what Windows sends, with the
HRESULT table's symbol and sentence (one description whichever path reports a fault)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wua import errors
from wua.reference import hresults
from wua.reference.fault_statuses import FAULT_ROWS
from wua.rpc.faults import (
    FAULT_STATUSES,
    NCA_S_FAULT_ACCESS_DENIED,
    NCA_S_INVALID_PRES_CONTEXT_ID,
    NCA_S_OP_RNG_ERROR,
    NCA_S_PROTO_ERROR,
    NCA_S_UNK_IF,
    RPC_S_CALL_FAILED,
    RPC_S_SEC_PKG_ERROR,
    RPC_X_BAD_STUB_DATA,
    describe_fault,
)


@pytest.mark.parametrize(
    ("status", "symbol"),
    [
        (NCA_S_FAULT_ACCESS_DENIED, "ERROR_ACCESS_DENIED"),
        (NCA_S_OP_RNG_ERROR, "NCA_S_OP_RNG_ERROR"),
        (NCA_S_UNK_IF, "NCA_S_UNK_IF"),
        (NCA_S_PROTO_ERROR, "NCA_S_PROTO_ERROR"),
        (NCA_S_INVALID_PRES_CONTEXT_ID, "NCA_S_INVALID_PRES_CONTEXT_ID"),
        (RPC_S_SEC_PKG_ERROR, "RPC_S_SEC_PKG_ERROR"),
        (RPC_S_CALL_FAILED, "RPC_S_CALL_FAILED"),
        (RPC_X_BAD_STUB_DATA, "RPC_X_BAD_STUB_DATA"),
        (hresults.RPC_E_DISCONNECTED, "RPC_E_DISCONNECTED"),
    ],
)
def test_statuses_we_send_have_names(status: int, symbol: str) -> None:
    assert describe_fault(status).symbol == symbol


def test_unknown_status_is_named_by_number() -> None:
    unknown = describe_fault(0x1234ABCD)
    assert unknown.symbol == "0x1234ABCD"
    assert unknown.meaning == "A code that this version of wua does not know."


def test_table_has_no_duplicate_symbols() -> None:
    symbols = [s.symbol for s in FAULT_STATUSES.values()]
    assert len(symbols) == len(set(symbols))


@pytest.mark.parametrize("status", sorted(FAULT_STATUSES), ids=hex)
def test_fault_view_and_hresult_view_agree(status: int) -> None:
    fault, row = FAULT_STATUSES[status], hresults.lookup(status)
    assert (fault.value, fault.symbol, fault.meaning) == (row.value, row.symbol, row.meaning)
    assert row.symbol != f"0x{status:08X}", "a fault status the HRESULT table does not know"


@given(st.integers(0, 0xFFFFFFFF))
def test_describe_fault_agrees_with_lookup_on_any_status(status: int) -> None:
    fault, row = describe_fault(status), hresults.lookup(status)
    assert (fault.value, fault.symbol, fault.meaning) == (row.value, row.symbol, row.meaning)


@pytest.mark.parametrize(
    ("status", "symbol", "meaning"), FAULT_ROWS, ids=[r[1] for r in FAULT_ROWS]
)
def test_every_fault_row_is_the_hresult_tables_row(status: int, symbol: str, meaning: str) -> None:
    """No other source (errors.json, hresults' own extra rows) overrides a fault row."""
    row = hresults.table()[status]
    assert (row.symbol, row.meaning) == (symbol, meaning)
    assert symbol == symbol.upper() and meaning.endswith(".")


# The sentences users read before the two tables became one, and the exception class
# `errors.error_for` gives each: both unchanged.
KEPT = [
    (NCA_S_FAULT_ACCESS_DENIED, "Access denied (RPC fault status).", errors.WuaError),
    (RPC_X_BAD_STUB_DATA, "The stub received bad data.", errors.ProtocolError),
    (
        RPC_S_SEC_PKG_ERROR,
        "A security package-specific error occurred.",
        errors.AuthenticationFailed,
    ),
    (NCA_S_UNK_IF, "The server does not support the requested interface.", errors.ProtocolError),
    (
        NCA_S_OP_RNG_ERROR,
        "The operation number is out of range for the interface.",
        errors.ProtocolError,
    ),
    (
        hresults.RPC_E_DISCONNECTED,
        "Object disconnected from its clients (e.g. server process exited).",
        errors.ProtocolError,
    ),
    (RPC_S_CALL_FAILED, "The remote procedure call failed in the server.", errors.WuaError),
]


@pytest.mark.parametrize(
    ("status", "meaning", "kind"), KEPT, ids=[hresults.lookup(k[0]).symbol for k in KEPT]
)
def test_user_sentences_and_error_classes_kept(
    status: int, meaning: str, kind: type[errors.WuaError]
) -> None:
    assert describe_fault(status).meaning == meaning == hresults.lookup(status).meaning
    assert type(errors.error_for(status)) is kind
