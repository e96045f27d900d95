"""Declarative fixed-size wire structures.

Every fixed part of a PDU is described once, as a table of (field name, wire type), so
that the byte layout can be read off the table and the codec cannot drift from it. The
byte order comes from the PDU's data representation label (C706 14.2), which is why it is
a parameter and not part of the table.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from wua.errors import ProtocolError

# Wire types: struct codes for integers, "uuid" for a 16-byte UUID in the PDU's byte order.
U8 = "B"
U16 = "H"
U32 = "I"
UUID16 = "uuid"


def _code(kind: str) -> str:
    return "16s" if kind == UUID16 else kind


@dataclass(frozen=True)
class Layout:
    """One fixed-size structure: its name (for error messages) and its fields in order."""

    structure: str
    fields: tuple[tuple[str, str], ...]
    _formats: dict[bool, struct.Struct] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        body = "".join(_code(kind) for _, kind in self.fields)
        formats = {True: struct.Struct("<" + body), False: struct.Struct(">" + body)}
        object.__setattr__(self, "_formats", formats)

    @property
    def size(self) -> int:
        return self._formats[True].size

    def unpack(self, data: bytes, offset: int, little: bool = True) -> dict[str, Any]:
        """Read the structure at `offset`; ProtocolError if the bytes run out."""
        if offset < 0 or offset + self.size > len(data):
            raise ProtocolError(
                f"needs {self.size} bytes, {max(len(data) - offset, 0)} left",
                structure=self.structure,
                offset=offset,
            )
        raw = self._formats[little].unpack_from(data, offset)
        values: dict[str, Any] = {}
        for (name, kind), value in zip(self.fields, raw, strict=True):
            if kind == UUID16:
                value = UUID(bytes_le=value) if little else UUID(bytes=value)
            values[name] = value
        return values

    def pack(self, values: Mapping[str, Any], little: bool = True) -> bytes:
        """Write the structure; ProtocolError names the field that does not fit."""
        raw: list[Any] = []
        for name, kind in self.fields:
            value = values[name]
            if kind == UUID16:
                value = value.bytes_le if little else value.bytes
            raw.append(value)
        try:
            return self._formats[little].pack(*raw)
        except struct.error as exc:
            raise ProtocolError(f"{self._misfit(raw)} does not fit its wire type: {exc}",
                                structure=self.structure) from exc

    def _misfit(self, raw: list[Any]) -> str:
        """The name of the first field whose value its wire type cannot hold."""
        for (name, kind), value in zip(self.fields, raw, strict=True):
            try:
                struct.pack("<" + _code(kind), value)
            except struct.error:
                return f"field {name!r} ({value!r})"
        return "a field"


def align(offset: int, boundary: int) -> int:
    """Bytes of padding that bring `offset` to a multiple of `boundary`."""
    return -offset % boundary
