"""Fault PDU status codes (C706 appendix E, MS-RPCE 2.2.2.13 / 3.3.3.5.1) by meaning.

The symbols and sentences are the HRESULT table's (`wua.reference.hresults`, which takes
the fault rows from `wua.reference.fault_statuses`), so a fault is reported with the same
words whether the protocol layer describes it or an error built from its status does.
The status constants are defined there and named here, beside the table, for the
protocol code that sends and checks them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from wua.reference.fault_statuses import (
    FAULT_ROWS,
    NCA_S_FAULT_ACCESS_DENIED,
    NCA_S_INVALID_PRES_CONTEXT_ID,
    NCA_S_OP_RNG_ERROR,
    NCA_S_PROTO_ERROR,
    NCA_S_UNK_IF,
    RPC_S_CALL_FAILED,
    RPC_S_SEC_PKG_ERROR,
    RPC_X_BAD_STUB_DATA,
)
from wua.reference.hresults import RPC_E_DISCONNECTED, lookup

__all__ = [
    "FAULT_STATUSES",
    "NCA_S_FAULT_ACCESS_DENIED",
    "NCA_S_INVALID_PRES_CONTEXT_ID",
    "NCA_S_OP_RNG_ERROR",
    "NCA_S_PROTO_ERROR",
    "NCA_S_UNK_IF",
    "RPC_S_CALL_FAILED",
    "RPC_S_SEC_PKG_ERROR",
    "RPC_X_BAD_STUB_DATA",
    "FaultStatus",
    "describe_fault",
]


@dataclass(frozen=True)
class FaultStatus:
    value: int
    symbol: str
    meaning: str


def _from_table(status: int) -> FaultStatus:
    row = lookup(status)
    return FaultStatus(row.value, row.symbol, row.meaning)


# Every status we produce or expect in a fault: the fault rows, and the codes the WUA
# reference already describes (an object gone: RPC_E_DISCONNECTED).
FAULT_STATUSES: Mapping[int, FaultStatus] = MappingProxyType(
    {v: _from_table(v) for v in (*(row[0] for row in FAULT_ROWS), RPC_E_DISCONNECTED)}
)


def describe_fault(status: int) -> FaultStatus:
    """The table entry for `status`, or the HRESULT table's 'unknown code' row for it."""
    known = FAULT_STATUSES.get(status)
    return known if known is not None else _from_table(status)
