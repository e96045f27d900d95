"""NDR type serialization version 1 (MS-RPCE 2.2.6), as DCOM activation blobs use it.

A serialized value is a common type header (version 1, little-endian, length 8,
filler 0xCCCCCCCC), a private header (object buffer length, a multiple of 8, and four zero
bytes) and the object buffer: the value encoded as a top-level construct with alignment
counted from the buffer's start, zero-padded to a multiple of 8.
"""

from __future__ import annotations

import struct
from typing import Any

from wua.errors import ProtocolError
from wua.rpc.ndr.base import NdrType
from wua.rpc.ndr.codec import decode_prefix, encode
from wua.rpc.ndr.stream import fail

__all__ = ["COMMON_HEADER", "deserialize", "deserialize_prefix", "serialize"]

COMMON_HEADER = b"\x01\x10\x08\x00\xcc\xcc\xcc\xcc"
_PRIVATE = struct.Struct("<II")
HEADERS_SIZE = 16


def serialize(kind: NdrType[Any], value: Any) -> bytes:
    """Headers plus the padded object buffer for `value`."""
    body = encode(kind, value)
    body += bytes(-len(body) & 7)
    return COMMON_HEADER + _PRIVATE.pack(len(body), 0) + body


def deserialize_prefix(kind: NdrType[Any], data: bytes, offset: int = 0) -> tuple[Any, int]:
    """Decode one serialized value at `offset`; return it and the offset after its buffer.

    The object buffer must hold the value and at most 7 padding bytes; pad contents are
    not checked (NDR ignores pad bytes).
    """
    where = f"{kind.name} (serialized)"
    if len(data) - offset < HEADERS_SIZE:
        raise fail(
            f"needs {HEADERS_SIZE} header bytes, {max(len(data) - offset, 0)} left", where, offset
        )
    header = data[offset : offset + 4]
    if header != COMMON_HEADER[:4]:
        raise fail(
            f"common type header {bytes(header).hex()} is not version 1 little-endian",
            where,
            offset,
        )
    length, _filler = _PRIVATE.unpack_from(data, offset + 8)
    start = offset + HEADERS_SIZE
    if length & 7:
        raise fail(f"object buffer length {length} is not a multiple of 8", where, offset + 8)
    if start + length > len(data):
        raise fail(
            f"object buffer of {length} bytes overruns the {len(data) - start} left",
            where,
            offset + 8,
        )
    body = bytes(data[start : start + length])
    try:
        value, end = decode_prefix(kind, body)
    except ProtocolError as err:  # offsets in the body are relative to its start
        offset_in_data = None if err.offset is None else start + err.offset
        raise fail(getattr(err, "reason", str(err)), err.structure, offset_in_data) from None
    if length - end >= 8:
        raise fail(f"{length - end} bytes left over in the object buffer", where, start + end)
    return value, start + length


def deserialize(kind: NdrType[Any], data: bytes) -> Any:
    """Decode `data`, which must be exactly one serialized value of `kind`."""
    value, end = deserialize_prefix(kind, data)
    if end != len(data):
        raise fail(f"{len(data) - end} bytes left over", f"{kind.name} (serialized)", end)
    return value
