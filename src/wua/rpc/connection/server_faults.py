"""The refusals a server connection sends by itself: faults and bind_naks.

Faults carry no verifier: a call refused for its security cannot be answered under that
security, and Windows does not try.
"""

from __future__ import annotations

from dataclasses import dataclass

from wua.rpc.constants import BindNakReason, PfcFlags
from wua.rpc.pdu import BindNak, Fault, encode_pdu

#: Windows ends a bind_nak with 3 zero bytes after its one version (16 + 2 + 1 + 2 + 3 =
#: 24 bytes, 8-aligned); Samba's raw_protocol tests assert exactly this against Windows.
BIND_NAK_PAD = bytes(3)


@dataclass(frozen=True)
class Rejection:
    """A call the machine faults by itself; `close` also ends the connection."""

    call_id: int
    status: int
    reason: str
    close: bool
    context_id: int = 0
    did_not_execute: bool = False


def fault_pdu(call_id: int, context_id: int, status: int, did_not_execute: bool) -> bytes:
    flags = PfcFlags.SINGLE | (PfcFlags.DID_NOT_EXECUTE if did_not_execute else PfcFlags.NONE)
    return encode_pdu(
        Fault(call_id=call_id, flags=flags, context_id=context_id, status=status, alloc_hint=0)
    )


def bind_nak_pdu(call_id: int, reason: BindNakReason) -> bytes:
    return encode_pdu(BindNak(call_id=call_id, reject_reason=reason, tail=BIND_NAK_PAD))
