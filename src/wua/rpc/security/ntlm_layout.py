"""A declarative description of NTLM's fixed headers and their payload references.

Every NTLM message is a fixed header followed by a payload area; variable fields are
(Len, MaxLen, BufferOffset) triples in the header that point into the payload. One
`Layout` per message lists the header fields once, and both directions are driven by it,
so no offset arithmetic is repeated by hand in the message codecs.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import cached_property
from typing import Final

from wua.errors import ProtocolError

#: Field kind naming a (Len, MaxLen, BufferOffset) payload reference.
PAYLOAD: Final = "payload"
_PAYLOAD_FORMAT = "HHI"


@dataclass(frozen=True)
class PayloadRef:
    """Where a variable field lives in the message."""

    length: int
    offset: int


@dataclass(frozen=True)
class Layout:
    """A structure's fixed header: (name, struct code or PAYLOAD) in wire order.

    `payload_order` is the order Windows lays the variable fields out in the payload
    area (not always header order); following it makes our messages byte-identical to
    captured Windows ones.
    """

    structure: str
    fields: tuple[tuple[str, str], ...]
    payload_order: tuple[str, ...] = ()

    @cached_property
    def _struct(self) -> struct.Struct:
        return struct.Struct(
            "<" + "".join(_PAYLOAD_FORMAT if kind == PAYLOAD else kind for _, kind in self.fields)
        )

    @property
    def size(self) -> int:
        return self._struct.size

    def unpack(self, data: bytes) -> dict[str, int | bytes | PayloadRef]:
        """The header's fields; payload references are bounds-checked against `data`."""
        layout = self._struct
        if len(data) < layout.size:
            raise ProtocolError(
                f"{len(data)} bytes, the fixed header needs {layout.size}",
                structure=self.structure, offset=len(data),
            )
        raw = list(layout.unpack_from(data))
        out: dict[str, int | bytes | PayloadRef] = {}
        at = 0
        for name, kind in self.fields:
            if kind == PAYLOAD:
                length, max_length, offset = raw[0], raw[1], raw[2]
                del raw[:3]
                if length and (offset < self.size or offset + length > len(data)):
                    raise ProtocolError(
                        f"{name} points at {offset}+{length}, outside the {len(data)}-byte message",
                        structure=self.structure, offset=at,
                    )
                if max_length < length:
                    raise ProtocolError(
                        f"{name} MaxLen {max_length} is below its Len {length}",
                        structure=self.structure, offset=at + 2,
                    )
                out[name] = PayloadRef(length, offset)
                at += 8
            else:
                out[name] = raw.pop(0)
                at += struct.calcsize("<" + kind)
        return out

    def pack(
        self,
        values: dict[str, int | bytes],
        payloads: dict[str, bytes],
        between: bytes = b"",
    ) -> bytes:
        """The message: header, `between` (Version, MIC), then payloads in field order."""
        order = self.payload_order or tuple(n for n, kind in self.fields if kind == PAYLOAD)
        where: dict[str, int] = {}
        area = bytearray()
        for name in order:
            where[name] = self.size + len(between) + len(area)
            area += payloads.get(name, b"")
        args: list[int | bytes] = []
        for name, kind in self.fields:
            if kind == PAYLOAD:
                size = len(payloads.get(name, b""))
                args += [size, size, where[name]]
            else:
                args.append(values[name])
        return self._struct.pack(*args) + between + bytes(area)


def payload(data: bytes, ref: PayloadRef) -> bytes:
    """The bytes a reference points at (already bounds-checked by `Layout.unpack`)."""
    return data[ref.offset : ref.offset + ref.length]


def payload_start(refs: list[PayloadRef], end: int) -> int:
    """Where the payload area begins: optional fields fit between header and this."""
    used = [ref.offset for ref in refs if ref.length]
    return min(used, default=end)


def payload_end(refs: list[PayloadRef], header_end: int) -> int:
    """Where the last payload ends: the message must stop there (nothing left over)."""
    return max([header_end, *(ref.offset + ref.length for ref in refs)])
