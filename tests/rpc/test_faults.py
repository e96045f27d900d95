"""The fault status table names what our server sends and what Windows sends."""

from __future__ import annotations

import pytest

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
        (NCA_S_FAULT_ACCESS_DENIED, "nca_s_fault_access_denied"),
        (NCA_S_OP_RNG_ERROR, "nca_s_op_rng_error"),
        (NCA_S_UNK_IF, "nca_s_unk_if"),
        (NCA_S_PROTO_ERROR, "nca_s_proto_error"),
        (NCA_S_INVALID_PRES_CONTEXT_ID, "nca_s_invalid_pres_context_id"),
        (RPC_S_SEC_PKG_ERROR, "rpc_s_sec_pkg_error"),
        (RPC_S_CALL_FAILED, "rpc_s_call_failed"),
        (RPC_X_BAD_STUB_DATA, "rpc_x_bad_stub_data"),
        (0x80010108, "RPC_E_DISCONNECTED"),
    ],
)
def test_statuses_we_send_have_names(status: int, symbol: str) -> None:
    assert describe_fault(status).symbol == symbol


def test_unknown_status_is_named_by_number() -> None:
    assert describe_fault(0x12345678).symbol == "0x12345678"


def test_table_has_no_duplicate_symbols() -> None:
    symbols = [s.symbol for s in FAULT_STATUSES.values()]
    assert len(symbols) == len(set(symbols))
