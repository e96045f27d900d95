"""Fixed-size NDR primitives: integers, floats, booleans, enums and GUIDs.

Each is aligned to its own size (GUIDs to 4, as the `{u32, u16, u16, u8[8]}` structure
they are). They all expose a `struct` format so that structures pack runs of them with one
precompiled `struct.Struct` call instead of one call per field.
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Callable
from enum import IntEnum
from typing import Any, TypeVar

from wua.errors import ProtocolError
from wua.rpc.ndr.base import NdrType
from wua.rpc.ndr.stream import Decoder, Encoder, fail, rewrap

__all__ = [
    "GUID",
    "Primitive",
    "boolean",
    "enum16",
    "enum32",
    "f32",
    "f64",
    "i8",
    "i16",
    "i32",
    "i64",
    "u8",
    "u16",
    "u32",
    "u64",
    "wchar",
]

E = TypeVar("E", bound=IntEnum)


class Primitive(NdrType[Any]):
    """A fixed-size value with a `struct` format and optional Python-side conversions."""

    def __init__(
        self,
        name: str,
        fmt: str,
        align: int,
        *,
        to_wire: Callable[[Any], Any] | None = None,
        from_wire: Callable[[Any], Any] | None = None,
    ) -> None:
        self.name = name
        self.fmt = fmt
        self.align = align
        self.codec = struct.Struct("<" + fmt)
        self.size = self.codec.size
        self.min_size = self.size
        self.to_wire = to_wire
        self.from_wire = from_wire

    def write(self, enc: Encoder, value: Any) -> None:
        buf = enc.buf
        pad = -len(buf) & (self.align - 1)
        if pad:
            buf += bytes(pad)
        if self.to_wire is not None:
            value = self.to_wire(value)
        buf += self.codec.pack(value)

    def read(self, dec: Decoder) -> Any:
        pos = (dec.pos + self.align - 1) & -self.align
        end = pos + self.size
        if end > dec.end:
            raise fail(f"needs {self.size} bytes, {max(dec.end - pos, 0)} left", self.name, pos)
        dec.pos = end
        (value,) = self.codec.unpack_from(dec.data, pos)
        if self.from_wire is not None:
            try:
                return self.from_wire(value)
            except ProtocolError as err:
                raise (
                    rewrap(err, self.name)
                    if err.offset is not None
                    else fail(getattr(err, "reason", str(err)), self.name, pos)
                ) from None
        return value


def _enum_reader(cls: type[E], name: str) -> Callable[[int], E]:
    def convert(raw: int) -> E:
        try:
            return cls(raw)
        except ValueError:
            raise fail(f"{raw:#x} is not a {cls.__name__}") from None

    return convert


def enum16(cls: type[E]) -> Primitive:
    """An IDL `enum` (NDR sends plain enums as 16-bit values, C706 14.2.7)."""
    return Primitive(cls.__name__, "H", 2, to_wire=int, from_wire=_enum_reader(cls, cls.__name__))


def enum32(cls: type[E]) -> Primitive:
    """A `[v1_enum]` enum, sent as 32 bits (the Windows default for most interfaces)."""
    return Primitive(cls.__name__, "I", 4, to_wire=int, from_wire=_enum_reader(cls, cls.__name__))


def _guid_to_wire(value: uuid.UUID) -> bytes:
    return value.bytes_le


def _guid_from_wire(raw: bytes) -> uuid.UUID:
    return uuid.UUID(bytes_le=raw)


u8 = Primitive("u8", "B", 1)
u16 = Primitive("u16", "H", 2)
u32 = Primitive("u32", "I", 4)
u64 = Primitive("u64", "Q", 8)
i8 = Primitive("i8", "b", 1)
i16 = Primitive("i16", "h", 2)
i32 = Primitive("i32", "i", 4)
i64 = Primitive("i64", "q", 8)
f32 = Primitive("f32", "f", 4)
f64 = Primitive("f64", "d", 8)
wchar = Primitive("wchar", "H", 2)
boolean = Primitive("boolean", "?", 1)
GUID = Primitive("GUID", "16s", 4, to_wire=_guid_to_wire, from_wire=_guid_from_wire)
