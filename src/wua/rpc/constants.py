"""Numbers of the connection-oriented RPC protocol (C706 12.6, MS-RPCE 2.2.2).

They are IntEnums so that decoded PDUs print by name; values the peer may send that we
do not know (reject reasons, results) stay plain ints rather than failing the decode.
"""

from __future__ import annotations

from enum import IntEnum, IntFlag
from typing import TypeVar

E = TypeVar("E", bound=IntEnum)

RPC_VERS = 5
RPC_VERS_MINORS = (0, 1)

# Data representation label (C706 14.1): integer byte order in the high nibble of byte 0.
DREP_LITTLE_ENDIAN = b"\x10\x00\x00\x00"
DREP_BIG_ENDIAN = b"\x00\x00\x00\x00"

# C706 12.6.4.1 / MS-RPCE 3.3.1.5.4: the smallest fragment both sides must accept.
MUST_RECV_FRAG_SIZE = 1432
# Windows' default maximum fragment, as seen in every captured bind.
WINDOWS_MAX_FRAG = 5840


class PType(IntEnum):
    """common header `ptype`: the connection-oriented PDU types."""

    REQUEST = 0
    RESPONSE = 2
    FAULT = 3
    BIND = 11
    BIND_ACK = 12
    BIND_NAK = 13
    ALTER_CONTEXT = 14
    ALTER_CONTEXT_RESP = 15
    AUTH3 = 16
    SHUTDOWN = 17
    CO_CANCEL = 18
    ORPHANED = 19


class PfcFlags(IntFlag):
    """common header `pfc_flags` (C706 12.6.3.1, MS-RPCE 2.2.2.3).

    0x04 means PENDING_CANCEL on calls but SUPPORT_HEADER_SIGN on bind, bind_ack and
    alter_context (MS-RPCE 2.2.2.3): Windows sets it in every bind (Wireshark still labels
    it "Cancel Pending").
    """

    NONE = 0
    FIRST_FRAG = 0x01
    LAST_FRAG = 0x02
    PENDING_CANCEL = 0x04
    SUPPORT_HEADER_SIGN = 0x04
    RESERVED_1 = 0x08
    CONC_MPX = 0x10
    DID_NOT_EXECUTE = 0x20
    MAYBE = 0x40
    OBJECT_UUID = 0x80

    SINGLE = FIRST_FRAG | LAST_FRAG


class ResultCode(IntEnum):
    """p_cont_def_result_t plus MS-RPCE's negotiate_ack for bind-time feature negotiation."""

    ACCEPTANCE = 0
    USER_REJECTION = 1
    PROVIDER_REJECTION = 2
    NEGOTIATE_ACK = 3


class ProviderReason(IntEnum):
    """p_provider_reason_t: why a presentation context was rejected."""

    REASON_NOT_SPECIFIED = 0
    ABSTRACT_SYNTAX_NOT_SUPPORTED = 1
    PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED = 2
    LOCAL_LIMIT_EXCEEDED = 3


class BindNakReason(IntEnum):
    """p_reject_reason_t of bind_nak (C706 12.6.3.4 and MS-RPCE 2.2.2.5)."""

    REASON_NOT_SPECIFIED = 0
    TEMPORARY_CONGESTION = 1
    LOCAL_LIMIT_EXCEEDED = 2
    CALLED_PADDR_UNKNOWN = 3
    PROTOCOL_VERSION_NOT_SUPPORTED = 4
    DEFAULT_CONTEXT_NOT_SUPPORTED = 5
    USER_DATA_NOT_READABLE = 6
    NO_PSAP_AVAILABLE = 7
    AUTHENTICATION_TYPE_NOT_RECOGNIZED = 8
    INVALID_CHECKSUM = 9


class BindTimeFeatures(IntFlag):
    """Bind-time feature negotiation bitmask (MS-RPCE 2.2.2.14 and 3.3.1.5.3)."""

    NONE = 0
    SECURITY_CONTEXT_MULTIPLEXING = 0x01
    KEEP_CONNECTION_ON_ORPHAN = 0x02


def as_enum(cls: type[E], value: int) -> E | int:
    """The enum member for `value`, or the plain int when the peer sent one we do not know."""
    try:
        return cls(value)
    except ValueError:
        return value
