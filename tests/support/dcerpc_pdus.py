"""Hand-made connection-oriented DCE/RPC PDUs (C706 ch. 12) to frame stubs for tshark.

Independent of `wua.rpc` on purpose: a test that wraps our stubs in these and lets
Wireshark dissect them judges the stubs alone, not our PDU layer too. Only what Wireshark
needs to pick a stub dissector: a bind to one interface over NDR32, its bind_ack, and
single-fragment requests and responses.
"""

from __future__ import annotations

import struct
import uuid

IID_IDISPATCH = uuid.UUID("00020400-0000-0000-c000-000000000046")
NDR32 = uuid.UUID("8a885d04-1ceb-11c9-9fe8-08002b104860")
NDR32_VERSION = 2
MAX_FRAG = 5840

COMMON_HEADER = struct.Struct("<BBBB4sHHI")  # version, minor, type, flags, drep, lengths, call
LITTLE_ENDIAN_ASCII_IEEE = b"\x10\x00\x00\x00"
PTYPE_REQUEST, PTYPE_RESPONSE, PTYPE_BIND, PTYPE_BIND_ACK = 0, 2, 11, 12
PFC_FIRST_LAST, PFC_OBJECT_UUID = 0x03, 0x80


def _pdu(ptype: int, flags: int, call_id: int, body: bytes) -> bytes:
    length = COMMON_HEADER.size + len(body)
    return (
        COMMON_HEADER.pack(5, 0, ptype, flags, LITTLE_ENDIAN_ASCII_IEEE, length, 0, call_id) + body
    )


def bind(call_id: int = 1, interface: uuid.UUID = IID_IDISPATCH) -> bytes:
    """One presentation context (0) for `interface` version 0.0 over NDR32."""
    body = struct.pack("<HHI", MAX_FRAG, MAX_FRAG, 0) + struct.pack("<BBH", 1, 0, 0)
    body += struct.pack("<HBB", 0, 1, 0) + interface.bytes_le + struct.pack("<HH", 0, 0)
    body += NDR32.bytes_le + struct.pack("<I", NDR32_VERSION)
    return _pdu(PTYPE_BIND, PFC_FIRST_LAST, call_id, body)


def bind_ack(call_id: int = 1) -> bytes:
    """Accepts context 0 with NDR32; secondary address "135"."""
    body = struct.pack("<HHI", MAX_FRAG, MAX_FRAG, 0x1234) + struct.pack("<H", 4) + b"135\x00"
    body += bytes(-(len(body) + COMMON_HEADER.size) & 3)
    body += struct.pack("<BBH", 1, 0, 0) + struct.pack("<HH", 0, 0)
    body += NDR32.bytes_le + struct.pack("<I", NDR32_VERSION)
    return _pdu(PTYPE_BIND_ACK, PFC_FIRST_LAST, call_id, body)


def request(call_id: int, opnum: int, stub: bytes, obj: uuid.UUID | None = None) -> bytes:
    """On context 0; with `obj` (DCOM's IPID) the object UUID flag is set."""
    body = struct.pack("<IHH", len(stub), 0, opnum)
    if obj is None:
        return _pdu(PTYPE_REQUEST, PFC_FIRST_LAST, call_id, body + stub)
    return _pdu(
        PTYPE_REQUEST, PFC_FIRST_LAST | PFC_OBJECT_UUID, call_id, body + obj.bytes_le + stub
    )


def response(call_id: int, stub: bytes) -> bytes:
    body = struct.pack("<IHBB", len(stub), 0, 0, 0) + stub
    return _pdu(PTYPE_RESPONSE, PFC_FIRST_LAST, call_id, body)
