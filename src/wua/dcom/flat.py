"""Flat little-endian structures that are *not* NDR: OBJREF and its packet-version parts.

MS-DCOM marshals an OBJREF as a plain packed byte layout (2.2.18) that travels inside
an NDR byte array (MInterfacePointer.abData). There are no alignment gaps, pointers or
conformance counts, so NDR rules do not apply and a tiny table-driven codec suffices.

A `Layout` is one declaration per structure: an ordered table of (field, scalar kind)
bound to a frozen dataclass. The `Reader` is a cursor that turns every shortfall or
leftover into a `ProtocolError` naming the structure and the absolute offset, so
decoders never do offset arithmetic of their own.
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from wua.errors import ProtocolError

T = TypeVar("T")


@dataclass(frozen=True)
class Scalar:
    """A fixed-size little-endian field kind; GUIDs use the Windows mixed-endian layout."""

    name: str
    size: int
    fmt: str | None  # struct format; None for GUID

    def unpack(self, raw: bytes) -> int | uuid.UUID:
        if self.fmt is None:
            return uuid.UUID(bytes_le=raw)
        value: int = struct.unpack(self.fmt, raw)[0]
        return value

    def pack(self, value: object, structure: str, field: str) -> bytes:
        if self.fmt is None:
            if not isinstance(value, uuid.UUID):
                raise ProtocolError(f"{field} must be a UUID", structure=structure)
            return value.bytes_le
        if not isinstance(value, int) or isinstance(value, bool):
            raise ProtocolError(f"{field} must be an integer", structure=structure)
        try:
            return struct.pack(self.fmt, value)
        except struct.error as exc:
            raise ProtocolError(
                f"{field}={value} does not fit a {self.name}", structure=structure
            ) from exc


U16 = Scalar("uint16", 2, "<H")
U32 = Scalar("uint32", 4, "<I")
I32 = Scalar("int32", 4, "<i")
U64 = Scalar("uint64", 8, "<Q")
GUID = Scalar("GUID", 16, None)


class Reader:
    """A cursor over a buffer; every read either succeeds or raises a located ProtocolError.

    `base` is the offset of `data[0]` within the outermost buffer, so nested decoders
    report offsets a person can find in a hex dump of the whole PDU.
    """

    def __init__(self, data: bytes, structure: str, *, base: int = 0) -> None:
        self._data = bytes(data)
        self._pos = 0
        self._base = base
        self.structure = structure

    @property
    def offset(self) -> int:
        """Absolute offset of the next byte."""
        return self._base + self._pos

    @property
    def remaining(self) -> int:
        return len(self._data) - self._pos

    def fail(self, message: str, *, structure: str | None = None) -> ProtocolError:
        return ProtocolError(message, structure=structure or self.structure, offset=self.offset)

    def take(self, count: int, what: str = "bytes") -> bytes:
        if count < 0 or count > self.remaining:
            raise self.fail(f"{what}: need {count} bytes, {self.remaining} left")
        chunk = self._data[self._pos : self._pos + count]
        self._pos += count
        return chunk

    def scalar(self, kind: Scalar, what: str) -> int | uuid.UUID:
        return kind.unpack(self.take(kind.size, what))

    def u16(self, what: str) -> int:
        value: int = struct.unpack("<H", self.take(2, what))[0]
        return value

    def u32(self, what: str) -> int:
        value: int = struct.unpack("<I", self.take(4, what))[0]
        return value

    def guid(self, what: str) -> uuid.UUID:
        return uuid.UUID(bytes_le=self.take(16, what))

    def rest(self) -> bytes:
        return self.take(self.remaining)

    def expect_end(self) -> None:
        """Decoders call this last: trailing bytes mean the peer and we disagree."""
        if self.remaining:
            raise self.fail(f"{self.remaining} unexpected trailing bytes")


class Layout(Generic[T]):
    """One packed structure: a table of fields bound to the dataclass that holds them.

    The table compiles to one `struct.Struct`, so a structure costs one unpack call.
    """

    def __init__(
        self, structure: str, build: Callable[..., T], fields: Sequence[tuple[str, Scalar]]
    ) -> None:
        self.structure = structure
        self._build = build
        self.fields = tuple(fields)
        self._codec = struct.Struct(
            "<" + "".join((kind.fmt or "16s").lstrip("<") for _, kind in self.fields)
        )
        self.size = self._codec.size
        self._names = tuple(name for name, _ in self.fields)
        self._guids = tuple(i for i, (_, kind) in enumerate(self.fields) if kind.fmt is None)

    def read(self, reader: Reader) -> T:
        raw = list(self._codec.unpack(reader.take(self.size, self.structure)))
        for i in self._guids:
            raw[i] = uuid.UUID(bytes_le=raw[i])
        return self._build(**dict(zip(self._names, raw, strict=True)))

    def decode(self, data: bytes) -> T:
        reader = Reader(data, self.structure)
        value = self.read(reader)
        reader.expect_end()
        return value

    def encode(self, value: T) -> bytes:
        return b"".join(
            kind.pack(getattr(value, name), self.structure, name) for name, kind in self.fields
        )
