"""Whole-message entry points: encode a value, decode one and check nothing is left.

A value passed here is one top-level construct (an RPC parameter): its deferred referents
follow it, and a pointer type given here follows the top-level pointer rules. To encode a
method's parameter list, declare it as `Params` and pass that.
"""

from __future__ import annotations

import struct
from typing import Any

from wua.errors import ProtocolError
from wua.rpc.ndr.base import NdrType
from wua.rpc.ndr.stream import DEFAULT_MAX_DEPTH, Decoder, Encoder, fail, rewrap

__all__ = ["decode", "decode_prefix", "encode", "encode_into"]


def encode_into(enc: Encoder, kind: NdrType[Any], value: Any) -> None:
    """Append `value` as a top-level construct to an existing encoder."""
    start = len(enc.buf)
    try:
        kind.write_top(enc, value)
    except (struct.error, OverflowError) as err:
        raise fail(f"cannot encode {value!r}: {err}", kind.name, start) from None
    except ProtocolError as err:
        if err.structure:
            raise
        raise rewrap(err, kind.name) from None


def encode(kind: NdrType[Any], value: Any) -> bytes:
    """The NDR32 representation of `value` as one top-level construct."""
    enc = Encoder()
    encode_into(enc, kind, value)
    return bytes(enc.buf)


def decode_prefix(
    kind: NdrType[Any],
    data: bytes | bytearray | memoryview,
    offset: int = 0,
    *,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> tuple[Any, int]:
    """Decode one top-level construct at `offset`; return it and the offset after it.

    `data` must start where the NDR stream starts (alignment is relative to it).
    """
    dec = Decoder(data if isinstance(data, bytes) else bytes(data), offset, max_depth=max_depth)
    try:
        value = kind.read_top(dec)
    except ProtocolError as err:
        if err.structure:
            raise
        raise rewrap(err, kind.name) from None
    except struct.error as err:  # a bounds check we missed: still the caller's bad bytes
        raise fail(f"truncated: {err}", kind.name, dec.pos) from None
    return value, dec.pos


def decode(
    kind: NdrType[Any],
    data: bytes | bytearray | memoryview,
    *,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> Any:
    """Decode `data`, which must hold exactly one top-level construct of `kind`."""
    value, end = decode_prefix(kind, data, 0, max_depth=max_depth)
    if end != len(data):
        raise fail(f"{len(data) - end} bytes left over", kind.name, end)
    return value
