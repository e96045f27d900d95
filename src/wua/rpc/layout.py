"""Flat (non-NDR) wire structures, declared once as tables and coded by one engine.

Three families of structures in this stack are plain packed byte layouts with no NDR
alignment, pointers or conformance: the fixed parts of connection-oriented RPC PDUs
(C706 12.6), the packet forms of OBJREF and DUALSTRINGARRAY (MS-DCOM 2.2.18, 2.2.19.1)
and the NTLM message headers (MS-NLMP 2.2.1). Each is described by one `Layout` table
of (field name, wire kind), so the byte layout can be read off the table and the codec
cannot drift from it.

The module lives in `wua.rpc` because that is the lowest layer that needs it: NTLM is
`wua.rpc.security`, and `wua.dcom` already depends on `wua.rpc` (it reuses the NDR
codec), never the other way round. A separate top-level package would hold this module
alone.

- `Layout.unpack` / `Layout.pack` work on dicts at an offset, in either byte order: an
  RPC PDU's byte order comes from its data representation label (C706 14.2), which is
  why it is a parameter and not part of the table.
- `Record` binds a layout to the frozen dataclass that holds its values; `Reader` is a
  cursor for decoders that walk a buffer structure by structure and must end exactly
  at its end.
- `PAYLOAD` fields are NTLM's (Len, MaxLen, BufferOffset) references into a payload
  area after the header; `Layout.pack_with_payload` lays that area out.

Every shortfall, leftover or bad reference raises `ProtocolError` naming the structure
and the offset, so decoders never do offset arithmetic of their own.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Generic, NamedTuple, TypeVar
from uuid import UUID

from wua.errors import ProtocolError

T = TypeVar("T")

# Wire kinds: struct codes for integers and fixed byte strings ("4s", "8s"), plus two
# kinds that are more than one struct value.
U8: Final = "B"
U16: Final = "H"
U32: Final = "I"
I32: Final = "i"
U64: Final = "Q"
UUID16: Final = "uuid"
"""A 16-byte UUID, in the structure's byte order (little-endian: the Windows GUID layout)."""
PAYLOAD: Final = "payload"
"""A (Len, MaxLen, BufferOffset) reference to bytes after the header, decoded as PayloadRef."""

_CODES: Final = {UUID16: "16s", PAYLOAD: "HHI"}


def octets(count: int) -> str:
    """The kind of a fixed-length byte string (kept as `bytes`)."""
    return f"{count}s"


class PayloadRef(NamedTuple):
    """Where a variable field lives, as an offset from the start of its structure.

    A named tuple rather than a dataclass: NTLM builds and reads a handful per message,
    and a tuple is the cheapest immutable value Python has."""

    length: int
    offset: int


@dataclass(frozen=True)
class Layout:
    """One fixed-size structure: its name (for error messages) and its fields in order.

    `payload_order` is the order the variable fields are laid out in the payload area
    when it differs from header order: Windows' NTLM messages do so, and following it
    keeps our messages byte-identical to captured ones.
    """

    structure: str
    fields: tuple[tuple[str, str], ...]
    payload_order: tuple[str, ...] = ()
    size: int = field(init=False, compare=False)
    names: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _formats: dict[bool, struct.Struct] = field(init=False, repr=False, compare=False)
    _plain: bool = field(init=False, repr=False, compare=False)
    _offsets: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        codes = [_CODES.get(kind, kind) for _, kind in self.fields]
        offsets, at = [], 0
        for code in codes:
            offsets.append(at)
            at += struct.calcsize("<" + code)  # also rejects a kind that is no struct code
        formats = {
            True: struct.Struct("<" + "".join(codes)),
            False: struct.Struct(">" + "".join(codes)),
        }
        names = tuple(name for name, _ in self.fields)
        plain = all(kind not in _CODES for _, kind in self.fields)
        for attr, value in (
            ("_formats", formats),
            ("size", at),
            ("names", names),
            ("_plain", plain),
            ("_offsets", tuple(offsets)),
        ):
            object.__setattr__(self, attr, value)

    def unpack(self, data: bytes, offset: int = 0, little: bool = True) -> dict[str, Any]:
        """Read the structure at `offset`; ProtocolError if the bytes run out.

        Payload references are checked against `data`: they may point neither into the
        header nor past the end.
        """
        if offset < 0 or offset + self.size > len(data):
            raise ProtocolError(
                f"the fixed header needs {self.size} bytes, {max(len(data) - offset, 0)} left",
                structure=self.structure,
                offset=offset,
            )
        return self.unpack_unchecked(data, offset, little)

    def unpack_unchecked(self, data: bytes, offset: int, little: bool = True) -> dict[str, Any]:
        """`unpack` for a caller that has checked the size already (`Reader` has)."""
        raw = self._formats[little].unpack_from(data, offset)
        if self._plain:
            return dict(zip(self.names, raw, strict=True))
        return self._special(raw, len(data) - offset, offset, little)

    def _special(
        self, raw: tuple[Any, ...], available: int, offset: int, little: bool
    ) -> dict[str, Any]:
        values: dict[str, Any] = {}
        i = 0
        for (name, kind), at in zip(self.fields, self._offsets, strict=True):
            if kind == UUID16:
                values[name] = UUID(bytes_le=raw[i]) if little else UUID(bytes=raw[i])
            elif kind == PAYLOAD:
                values[name] = self._payload_ref(name, raw[i : i + 3], available, offset + at)
                i += 2
            else:
                values[name] = raw[i]
            i += 1
        return values

    def _payload_ref(self, name: str, raw: tuple[int, ...], available: int, at: int) -> PayloadRef:
        length, max_length, where = raw
        if length and (where < self.size or where + length > available):
            raise ProtocolError(
                f"{name} points at {where}+{length}, outside the {available}-byte message",
                structure=self.structure,
                offset=at,
            )
        if max_length < length:
            raise ProtocolError(
                f"{name} MaxLen {max_length} is below its Len {length}",
                structure=self.structure,
                offset=at + 2,
            )
        return PayloadRef(length, where)

    def pack(self, values: Mapping[str, Any], little: bool = True) -> bytes:
        """Write the structure; ProtocolError names the field that does not fit."""
        raw = (
            [values[name] for name in self.names] if self._plain else self._flatten(values, little)
        )
        try:
            return self._formats[little].pack(*raw)
        except struct.error as exc:
            raise self._misfit(values, exc) from exc

    def _flatten(self, values: Mapping[str, Any], little: bool) -> list[Any]:
        raw: list[Any] = []
        for name, kind in self.fields:
            value = values[name]
            if kind == PAYLOAD:
                raw += (value.length, value.length, value.offset)
            elif kind == UUID16:
                if not isinstance(value, UUID):
                    raise ProtocolError(f"{name} must be a UUID", structure=self.structure)
                raw.append(value.bytes_le if little else value.bytes)
            else:
                raw.append(value)
        return raw

    def _misfit(self, values: Mapping[str, Any], exc: struct.error) -> ProtocolError:
        """The error naming the first field whose value its wire type cannot hold."""
        culprit = "a field"
        for name, kind in self.fields:
            try:
                if kind not in _CODES:
                    struct.pack("<" + kind, values[name])
            except struct.error:
                culprit = f"field {name!r} ({values[name]!r})"
                break
        return ProtocolError(
            f"{culprit} does not fit its wire type: {exc}", structure=self.structure
        )

    def pack_with_payload(
        self, values: Mapping[str, Any], payloads: Mapping[str, bytes], between: bytes = b""
    ) -> bytes:
        """Header, `between` (NTLM's Version and MIC), then the payload area.

        PAYLOAD fields are filled in from `payloads` (a missing one is empty), laid out
        in `payload_order`, else in header order.
        """
        order = self.payload_order or tuple(n for n, kind in self.fields if kind == PAYLOAD)
        refs: dict[str, PayloadRef] = {}
        area = bytearray()
        for name in order:
            chunk = payloads.get(name, b"")
            refs[name] = PayloadRef(len(chunk), self.size + len(between) + len(area))
            area += chunk
        return self.pack({**values, **refs}) + between + bytes(area)


def payload(data: bytes, ref: PayloadRef) -> bytes:
    """The bytes a reference points at (already bounds-checked by `Layout.unpack`)."""
    return data[ref.offset : ref.offset + ref.length]


def payload_start(refs: Iterable[PayloadRef], end: int) -> int:
    """Where the payload area begins: optional fields fit between header and this."""
    return min((ref.offset for ref in refs if ref.length), default=end)


def payload_end(refs: Iterable[PayloadRef], header_end: int) -> int:
    """Where the last payload ends: the message must stop there (nothing left over)."""
    return max([header_end, *(ref.offset + ref.length for ref in refs)])


def align(offset: int, boundary: int) -> int:
    """Bytes of padding that bring `offset` to a multiple of `boundary`."""
    return -offset % boundary


_U16: Final = struct.Struct("<H")
_U32: Final = struct.Struct("<I")


class Reader:
    """A little-endian cursor; every read either succeeds or raises a located ProtocolError.

    Errors name the reader's structure (the outermost thing being decoded, which is what
    a person looks for in a hex dump) and the offset where the failed read began.
    """

    def __init__(self, data: bytes, structure: str) -> None:
        self._data = bytes(data)
        self._pos = 0
        self.structure = structure

    @property
    def offset(self) -> int:
        """Offset of the next byte."""
        return self._pos

    @property
    def remaining(self) -> int:
        return len(self._data) - self._pos

    def fail(self, message: str, *, structure: str | None = None) -> ProtocolError:
        return ProtocolError(message, structure=structure or self.structure, offset=self._pos)

    def _need(self, count: int, what: str) -> None:
        if count < 0 or count > len(self._data) - self._pos:
            raise self.fail(f"{what}: need {count} bytes, {self.remaining} left")

    def take(self, count: int, what: str = "bytes") -> bytes:
        self._need(count, what)
        chunk = self._data[self._pos : self._pos + count]
        self._pos += count
        return chunk

    def unpack(self, layout: Layout) -> dict[str, Any]:
        """The fields of `layout` at the cursor, which moves past them."""
        self._need(layout.size, layout.structure)
        values = layout.unpack_unchecked(self._data, self._pos)
        self._pos += layout.size
        return values

    def u16(self, what: str) -> int:
        self._need(2, what)
        (value,) = _U16.unpack_from(self._data, self._pos)
        self._pos += 2
        return int(value)

    def u32(self, what: str) -> int:
        self._need(4, what)
        (value,) = _U32.unpack_from(self._data, self._pos)
        self._pos += 4
        return int(value)

    def guid(self, what: str) -> UUID:
        return UUID(bytes_le=self.take(16, what))

    def rest(self) -> bytes:
        return self.take(self.remaining)

    def expect_end(self) -> None:
        """Decoders call this last: trailing bytes mean the peer and we disagree."""
        if self.remaining:
            raise self.fail(f"{self.remaining} unexpected trailing bytes")


class Record(Generic[T]):
    """A little-endian layout bound to the dataclass that holds its values.

    The table compiles to one `struct.Struct`, so a structure costs one unpack call.
    """

    def __init__(
        self, structure: str, build: Callable[..., T], fields: Iterable[tuple[str, str]]
    ) -> None:
        self.layout = Layout(structure, tuple(fields))
        self._build = build

    @property
    def structure(self) -> str:
        return self.layout.structure

    @property
    def size(self) -> int:
        return self.layout.size

    def read(self, reader: Reader) -> T:
        return self._build(**reader.unpack(self.layout))

    def decode(self, data: bytes) -> T:
        reader = Reader(data, self.layout.structure)
        value = self.read(reader)
        reader.expect_end()
        return value

    def encode(self, value: T) -> bytes:
        return self.layout.pack({name: getattr(value, name) for name in self.layout.names})
