"""Writes a classic pcap of one TCP conversation so that tshark can dissect our PDUs."""

from __future__ import annotations

import struct
from pathlib import Path

CLIENT = (bytes([10, 0, 0, 1]), 49800, b"\x02\x00\x00\x00\x00\x01")
SERVER = (bytes([10, 0, 0, 2]), 135, b"\x02\x00\x00\x00\x00\x02")


def _frame(
    src: tuple[bytes, int, bytes], dst: tuple[bytes, int, bytes], seq: int, ack: int, payload: bytes
) -> bytes:
    tcp = struct.pack(">HHIIBBHHH", src[1], dst[1], seq, ack, 5 << 4, 0x18, 65535, 0, 0)
    total = 20 + len(tcp) + len(payload)
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, total, 0, 0x4000, 64, 6, 0, src[0], dst[0])
    return dst[2] + src[2] + b"\x08\x00" + ip + tcp + payload


def write_pcap(path: Path, segments: list[tuple[bool, bytes]]) -> None:
    """`segments`: (from_client, bytes) in order; each becomes one TCP segment."""
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)]
    seq = {True: 1000, False: 5000}
    for number, (from_client, payload) in enumerate(segments):
        src, dst = (CLIENT, SERVER) if from_client else (SERVER, CLIENT)
        frame = _frame(src, dst, seq[from_client], seq[not from_client], payload)
        seq[from_client] += len(payload)
        out.append(struct.pack("<IIII", 1_700_000_000 + number, 0, len(frame), len(frame)))
        out.append(frame)
    path.write_bytes(b"".join(out))
