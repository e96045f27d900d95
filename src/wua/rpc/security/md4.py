"""MD4 (RFC 1320), needed only for the NT hash.

OpenSSL 3 moved MD4 to its legacy provider, so `hashlib.new("md4")` fails on most current
systems; a password credential must still work there.
"""

from __future__ import annotations

import struct

_MASK = 0xFFFFFFFF
_ROUND2 = 0x5A827999
_ROUND3 = 0x6ED9EBA1
#: (word order, shift amounts) for each of the three rounds.
_ORDER = (
    (tuple(range(16)), (3, 7, 11, 19)),
    ((0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15), (3, 5, 9, 13)),
    ((0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15), (3, 9, 11, 15)),
)


def _rotl(value: int, shift: int) -> int:
    value &= _MASK
    return ((value << shift) | (value >> (32 - shift))) & _MASK


def _round_function(round_no: int, b: int, c: int, d: int) -> int:
    if round_no == 0:
        return (b & c) | (~b & d)
    if round_no == 1:
        return (b & c) | (b & d) | (c & d)
    return b ^ c ^ d


def md4(data: bytes) -> bytes:
    """The 16-byte MD4 digest of `data`."""
    length_bits = (len(data) * 8) & 0xFFFFFFFFFFFFFFFF
    padded = data + b"\x80" + b"\x00" * ((55 - len(data)) % 64) + struct.pack("<Q", length_bits)
    state = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476]
    for block in range(0, len(padded), 64):
        words = struct.unpack("<16I", padded[block : block + 64])
        a, b, c, d = state
        for round_no, (order, shifts) in enumerate(_ORDER):
            constant = (0, _ROUND2, _ROUND3)[round_no]
            for step, index in enumerate(order):
                a = _rotl(
                    a + _round_function(round_no, b, c, d) + words[index] + constant,
                    shifts[step % 4],
                )
                a, b, c, d = d, a, b, c
        state = [(s + v) & _MASK for s, v in zip(state, (a, b, c, d), strict=True)]
    return struct.pack("<4I", *state)
