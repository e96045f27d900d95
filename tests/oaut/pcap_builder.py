"""A minimal pcap writer for feeding our stubs to tshark (test only).

One TCP stream (raw IPv4, LINKTYPE_RAW) carrying DCE/RPC PDUs: a bind to IDispatch with
NDR32, its bind_ack, then requests and responses whose stubs are what we give it. Only
enough of DCE/RPC (C706 ch. 12) to let Wireshark pick the IDispatch dissector.
"""

from __future__ import annotations

import struct
import uuid
from pathlib import Path

IID_IDISPATCH = uuid.UUID("00020400-0000-0000-c000-000000000046")
NDR32 = uuid.UUID("8a885d04-1ceb-11c9-9fe8-08002b104860")
CLIENT, SERVER = ("127.0.0.1", 50000), ("127.0.0.2", 135)


def _header(ptype: int, flags: int, body_len: int, call_id: int) -> bytes:
    return struct.pack(
        "<BBBB4sHHI", 5, 0, ptype, flags, b"\x10\x00\x00\x00", 16 + body_len, 0, call_id
    )


def bind(call_id: int = 1) -> bytes:
    body = struct.pack("<HHI", 5840, 5840, 0) + struct.pack("<BBH", 1, 0, 0)
    body += struct.pack("<HBB", 0, 1, 0) + IID_IDISPATCH.bytes_le + struct.pack("<HH", 0, 0)
    body += NDR32.bytes_le + struct.pack("<I", 2)
    return _header(11, 3, len(body), call_id) + body


def bind_ack(call_id: int = 1) -> bytes:
    body = struct.pack("<HHI", 5840, 5840, 0x1234) + struct.pack("<H", 4) + b"135\x00"
    body += bytes(-(len(body) + 16) & 3)
    body += (
        struct.pack("<BBH", 1, 0, 0)
        + struct.pack("<HH", 0, 0)
        + NDR32.bytes_le
        + struct.pack("<I", 2)
    )
    return _header(12, 3, len(body), call_id) + body


def request(call_id: int, opnum: int, ipid: uuid.UUID, stub: bytes) -> bytes:
    body = struct.pack("<IHH", len(stub), 0, opnum) + ipid.bytes_le + stub
    return _header(0, 0x83, len(body), call_id) + body


def response(call_id: int, stub: bytes) -> bytes:
    body = struct.pack("<IHBB", len(stub), 0, 0, 0) + stub
    return _header(2, 3, len(body), call_id) + body


def _ip(src: str, dst: str, payload: bytes) -> bytes:
    def addr(a: str) -> bytes:
        return bytes(int(x) for x in a.split("."))

    return (
        struct.pack(
            "!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0x4000, 64, 6, 0, addr(src), addr(dst)
        )
        + payload
    )


def write_stream(path: Path, pdus: list[tuple[bool, bytes]]) -> None:
    """pdus: (from_client, bytes). Sequence numbers run on per direction."""
    seq = {True: 1000, False: 5000}
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101)
    for when, (from_client, pdu) in enumerate(pdus):
        src, dst = (CLIENT, SERVER) if from_client else (SERVER, CLIENT)
        tcp = struct.pack(
            "!HHIIBBHHH",
            src[1],
            dst[1],
            seq[from_client],
            seq[not from_client],
            0x50,
            0x18,
            65535,
            0,
            0,
        )
        seq[from_client] += len(pdu)
        packet = _ip(src[0], dst[0], tcp + pdu)
        out += struct.pack("<IIII", when + 1, 0, len(packet), len(packet)) + packet
    path.write_bytes(out)
