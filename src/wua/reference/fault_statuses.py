"""The status codes of RPC fault PDUs (C706 appendix E, MS-RPCE 2.2.2.13 / 3.3.3.5.1).

A fault's `status` is either a DCE `nca_s_*` code or a Windows status (Win32 error or
HRESULT). This is the one statement of their symbols and sentences: `hresults` lists
them among the codes a remote caller meets, and `wua.rpc.faults` describes a fault PDU
by reading `hresults`, so a fault reads the same whichever path reports it. It lives
here, not in `wua.rpc`, because facts live in `wua.reference` and the HRESULT table
must not depend on the protocol stack.

Symbols are upper case like every symbol of the HRESULT table (C706 writes `nca_s_*`
in lower case); the sentences are for the person reading an error. Status 5 is the
Win32 ERROR_ACCESS_DENIED that Windows puts in a fault; MS-RPCE calls it
nca_s_fault_access_denied.
"""

from __future__ import annotations

NCA_S_FAULT_ACCESS_DENIED = 0x00000005
NCA_S_OP_RNG_ERROR = 0x1C010002
NCA_S_UNK_IF = 0x1C010003
NCA_S_PROTO_ERROR = 0x1C01000B
NCA_S_INVALID_PRES_CONTEXT_ID = 0x1C00001C
RPC_S_CALL_FAILED = 0x000006BE
RPC_X_BAD_STUB_DATA = 0x000006F7
RPC_S_SEC_PKG_ERROR = 0x00000721

# (status, symbol, sentence) for every fault status we produce or expect, except those
# the WUA reference (errors.json) already describes, such as RPC_E_DISCONNECTED.
FAULT_ROWS: tuple[tuple[int, str, str], ...] = (
    (NCA_S_FAULT_ACCESS_DENIED, "ERROR_ACCESS_DENIED", "Access denied (RPC fault status)."),
    (RPC_S_CALL_FAILED, "RPC_S_CALL_FAILED", "The remote procedure call failed in the server."),
    (RPC_X_BAD_STUB_DATA, "RPC_X_BAD_STUB_DATA", "The stub received bad data."),
    (0x000006D8, "RPC_S_CANNOT_SUPPORT", "The requested operation is not supported."),
    (0x0000071A, "RPC_S_CALL_CANCELLED", "The call was cancelled."),
    (RPC_S_SEC_PKG_ERROR, "RPC_S_SEC_PKG_ERROR", "A security package-specific error occurred."),
    (0x1C000001, "NCA_S_FAULT_INT_DIV_BY_ZERO", "Integer division by zero in the server."),
    (0x1C000002, "NCA_S_FAULT_ADDR_ERROR", "Address error in the server."),
    (0x1C000003, "NCA_S_FAULT_FP_DIV_ZERO", "Floating-point division by zero in the server."),
    (0x1C000004, "NCA_S_FAULT_FP_UNDERFLOW", "Floating-point underflow in the server."),
    (0x1C000005, "NCA_S_FAULT_FP_OVERFLOW", "Floating-point overflow in the server."),
    (0x1C000006, "NCA_S_FAULT_INVALID_TAG", "Invalid discriminant of a union."),
    (0x1C000007, "NCA_S_FAULT_INVALID_BOUND", "Invalid array bound."),
    (0x1C000008, "NCA_S_RPC_VERSION_MISMATCH", "RPC protocol version mismatch."),
    (0x1C000009, "NCA_S_UNSPEC_REJECT", "The call was rejected for an unspecified reason."),
    (0x1C00000A, "NCA_S_BAD_ACTID", "Bad activity ID."),
    (0x1C00000B, "NCA_S_WHO_ARE_YOU_FAILED", "The callback to the client failed."),
    (0x1C00000C, "NCA_S_MANAGER_NOT_ENTERED", "The server manager routine was not entered."),
    (0x1C00000D, "NCA_S_FAULT_CANCEL", "The call was cancelled in the server."),
    (0x1C00000E, "NCA_S_FAULT_ILL_INST", "Illegal instruction in the server."),
    (0x1C00000F, "NCA_S_FAULT_FP_ERROR", "Floating-point error in the server."),
    (0x1C000010, "NCA_S_FAULT_INT_OVERFLOW", "Integer overflow in the server."),
    (0x1C000012, "NCA_S_FAULT_UNSPEC", "Unspecified fault in the server."),
    (0x1C000013, "NCA_S_FAULT_REMOTE_COMM_FAILURE", "The server's own remote call failed."),
    (0x1C000014, "NCA_S_FAULT_PIPE_EMPTY", "Pipe empty."),
    (0x1C000015, "NCA_S_FAULT_PIPE_CLOSED", "Pipe closed."),
    (0x1C000016, "NCA_S_FAULT_PIPE_ORDER", "Pipe order error."),
    (0x1C000017, "NCA_S_FAULT_PIPE_DISCIPLINE", "Pipe discipline error."),
    (0x1C000018, "NCA_S_FAULT_PIPE_COMM_ERROR", "Pipe communication error."),
    (0x1C000019, "NCA_S_FAULT_PIPE_MEMORY", "Pipe memory error."),
    (0x1C00001A, "NCA_S_FAULT_CONTEXT_MISMATCH", "The context handle does not match."),
    (0x1C00001B, "NCA_S_FAULT_REMOTE_NO_MEMORY", "The server ran out of memory."),
    (
        NCA_S_INVALID_PRES_CONTEXT_ID,
        "NCA_S_INVALID_PRES_CONTEXT_ID",
        "The presentation context ID is not bound.",
    ),
    (0x1C00001D, "NCA_S_UNSUPPORTED_AUTHN_LEVEL", "The authentication level is not supported."),
    (0x1C00001F, "NCA_S_INVALID_CHECKSUM", "Invalid checksum."),
    (0x1C000020, "NCA_S_INVALID_CRC", "Invalid CRC."),
    (0x1C000021, "NCA_S_FAULT_USER_DEFINED", "User-defined fault."),
    (0x1C000022, "NCA_S_FAULT_TX_OPEN_FAILED", "Transaction open failed."),
    (0x1C000023, "NCA_S_FAULT_CODESET_CONV_ERROR", "Code-set conversion error."),
    (0x1C000024, "NCA_S_FAULT_OBJECT_NOT_FOUND", "The object was not found."),
    (0x1C000025, "NCA_S_FAULT_NO_CLIENT_STUB", "No client stub."),
    (0x1C010001, "NCA_S_COMM_FAILURE", "Communication failure."),
    (
        NCA_S_OP_RNG_ERROR,
        "NCA_S_OP_RNG_ERROR",
        "The operation number is out of range for the interface.",
    ),
    (NCA_S_UNK_IF, "NCA_S_UNK_IF", "The server does not support the requested interface."),
    (0x1C010006, "NCA_S_WRONG_BOOT_TIME", "Wrong server boot time."),
    (0x1C010009, "NCA_S_YOU_CRASHED", "The server believes the client crashed."),
    (NCA_S_PROTO_ERROR, "NCA_S_PROTO_ERROR", "RPC protocol error."),
    (0x1C010013, "NCA_S_OUT_ARGS_TOO_BIG", "The output arguments are too big."),
    (0x1C010014, "NCA_S_SERVER_TOO_BUSY", "The server is too busy."),
    (0x1C010015, "NCA_S_FAULT_STRING_TOO_LONG", "A string is too long."),
    (0x1C010017, "NCA_S_UNSUPPORTED_TYPE", "Unsupported type."),
)
