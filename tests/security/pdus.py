"""Minimal DCE/RPC request PDUs with a sec_trailer, for exercising protect/unprotect.

Only the layout matters to the security layer (header, stub, pad, trailer); the RPC
engine's own encoders are tested elsewhere.
"""

from __future__ import annotations

import struct

from wua.rpc.security.base import AuthLevel, AuthType

HEADER = struct.Struct("<BBBBIHHI")  # version, minor, ptype, flags, drep, frag, auth, call
REQUEST = struct.Struct("<IHH")  # alloc_hint, context id, opnum
TRAILER = struct.Struct("<BBBBI")
STUB_START = HEADER.size + REQUEST.size


def request_pdu(
    stub: bytes,
    call_id: int,
    level: AuthLevel = AuthLevel.PKT_PRIVACY,
    auth_type: AuthType = AuthType.WINNT,
) -> tuple[bytes, int, int]:
    """(PDU without auth_value, stub_start, stub_end) with the stub padded to 16 like Windows."""
    pad = -len(stub) % 16
    body = stub + b"\x00" * pad
    frag = STUB_START + len(body) + TRAILER.size + 16
    pdu = (
        HEADER.pack(5, 0, 0, 3, 0x10, frag, 16, call_id)
        + REQUEST.pack(len(stub), 0, 6)
        + body
        + TRAILER.pack(auth_type, level, pad, 0, 0)
    )
    return pdu, STUB_START, STUB_START + len(body)
