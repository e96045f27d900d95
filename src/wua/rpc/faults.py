"""Fault PDU status codes (C706 appendix E, MS-RPCE 2.2.2.13 / 3.3.3.5.1).

A fault's `status` is either a DCE `nca_s_*` code or a Windows status (Win32 error or
HRESULT); the table gives each code we produce or expect a symbol and a sentence so that
a fault can be reported by meaning, not by number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class FaultStatus:
    value: int
    symbol: str
    meaning: str


_TABLE: tuple[tuple[int, str, str], ...] = (
    (
        0x00000005,
        "nca_s_fault_access_denied",
        "access denied (also the answer to a PDU whose signature or auth level does not verify)",
    ),
    (0x000006BE, "rpc_s_call_failed", "the remote procedure call failed in the server"),
    (0x000006F7, "rpc_x_bad_stub_data", "the stub data could not be unmarshalled"),
    (0x000006D8, "rpc_s_cannot_support", "the requested operation is not supported"),
    (0x0000071A, "rpc_s_call_cancelled", "the call was cancelled"),
    (0x00000721, "rpc_s_sec_pkg_error", "a security package-specific error occurred"),
    (0x1C000001, "nca_s_fault_int_div_by_zero", "integer division by zero in the server"),
    (0x1C000002, "nca_s_fault_addr_error", "address error in the server"),
    (0x1C000003, "nca_s_fault_fp_div_zero", "floating-point division by zero in the server"),
    (0x1C000004, "nca_s_fault_fp_underflow", "floating-point underflow in the server"),
    (0x1C000005, "nca_s_fault_fp_overflow", "floating-point overflow in the server"),
    (0x1C000006, "nca_s_fault_invalid_tag", "invalid discriminant of a union"),
    (0x1C000007, "nca_s_fault_invalid_bound", "invalid array bound"),
    (0x1C000008, "nca_s_rpc_version_mismatch", "RPC protocol version mismatch"),
    (0x1C000009, "nca_s_unspec_reject", "the call was rejected for an unspecified reason"),
    (0x1C00000A, "nca_s_bad_actid", "bad activity ID"),
    (0x1C00000B, "nca_s_who_are_you_failed", "the callback to the client failed"),
    (0x1C00000C, "nca_s_manager_not_entered", "the server manager routine was not entered"),
    (0x1C00000D, "nca_s_fault_cancel", "the call was cancelled in the server"),
    (0x1C00000E, "nca_s_fault_ill_inst", "illegal instruction in the server"),
    (0x1C00000F, "nca_s_fault_fp_error", "floating-point error in the server"),
    (0x1C000010, "nca_s_fault_int_overflow", "integer overflow in the server"),
    (0x1C000012, "nca_s_fault_unspec", "unspecified fault in the server"),
    (0x1C000013, "nca_s_fault_remote_comm_failure", "the server's own remote call failed"),
    (0x1C000014, "nca_s_fault_pipe_empty", "pipe empty"),
    (0x1C000015, "nca_s_fault_pipe_closed", "pipe closed"),
    (0x1C000016, "nca_s_fault_pipe_order", "pipe order error"),
    (0x1C000017, "nca_s_fault_pipe_discipline", "pipe discipline error"),
    (0x1C000018, "nca_s_fault_pipe_comm_error", "pipe communication error"),
    (0x1C000019, "nca_s_fault_pipe_memory", "pipe memory error"),
    (0x1C00001A, "nca_s_fault_context_mismatch", "the context handle does not match"),
    (0x1C00001B, "nca_s_fault_remote_no_memory", "the server ran out of memory"),
    (0x1C00001C, "nca_s_invalid_pres_context_id", "the presentation context ID is not bound"),
    (0x1C00001D, "nca_s_unsupported_authn_level", "the authentication level is not supported"),
    (0x1C00001F, "nca_s_invalid_checksum", "invalid checksum"),
    (0x1C000020, "nca_s_invalid_crc", "invalid CRC"),
    (0x1C000021, "nca_s_fault_user_defined", "user-defined fault"),
    (0x1C000022, "nca_s_fault_tx_open_failed", "transaction open failed"),
    (0x1C000023, "nca_s_fault_codeset_conv_error", "code-set conversion error"),
    (0x1C000024, "nca_s_fault_object_not_found", "the object was not found"),
    (0x1C000025, "nca_s_fault_no_client_stub", "no client stub"),
    (0x1C010001, "nca_s_comm_failure", "communication failure"),
    (0x1C010002, "nca_s_op_rng_error", "the operation number is out of range for the interface"),
    (0x1C010003, "nca_s_unk_if", "the interface is unknown to the server"),
    (0x1C010006, "nca_s_wrong_boot_time", "wrong server boot time"),
    (0x1C010009, "nca_s_you_crashed", "the server believes the client crashed"),
    (0x1C01000B, "nca_s_proto_error", "RPC protocol error"),
    (0x1C010013, "nca_s_out_args_too_big", "the output arguments are too big"),
    (0x1C010014, "nca_s_server_too_busy", "the server is too busy"),
    (0x1C010015, "nca_s_fault_string_too_long", "a string is too long"),
    (0x1C010017, "nca_s_unsupported_type", "unsupported type"),
    (0x80010108, "RPC_E_DISCONNECTED", "the object invoked has disconnected from its clients"),
)

FAULT_STATUSES: Mapping[int, FaultStatus] = MappingProxyType(
    {v: FaultStatus(v, s, m) for v, s, m in _TABLE}
)

NCA_S_FAULT_ACCESS_DENIED = 0x00000005
NCA_S_OP_RNG_ERROR = 0x1C010002
NCA_S_UNK_IF = 0x1C010003
NCA_S_PROTO_ERROR = 0x1C01000B
NCA_S_INVALID_PRES_CONTEXT_ID = 0x1C00001C
RPC_S_CALL_FAILED = 0x000006BE
RPC_X_BAD_STUB_DATA = 0x000006F7
RPC_S_SEC_PKG_ERROR = 0x00000721


def describe_fault(status: int) -> FaultStatus:
    """The table entry for `status`, or a generic one naming the number."""
    known = FAULT_STATUSES.get(status)
    if known is not None:
        return known
    return FaultStatus(status, f"0x{status:08x}", "a status this toolkit does not know")
