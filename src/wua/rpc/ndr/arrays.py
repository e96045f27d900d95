"""Arrays and strings (C706 14.3.3-14.3.5, MS-RPCE 2.2.5.2).

- `FixedArray(elem, n)`: exactly n elements, no header.
- `ConformantArray(elem)`: `size_is`; a u32 max count, then the elements. Inside a
  structure (as the last member) the count is hoisted to the start of the structure.
- `VaryingArray(elem, n)`: `length_is` with a fixed bound; u32 offset and actual count.
- `ConformantVaryingArray(elem)`: both; max count (hoistable), offset, actual count.
- `WString`: a `[string] wchar_t` conformant-varying array with its NUL terminator, as `str`.

Python values are lists (arrays of `u8` are `bytes`). Arrays of plain integer or float
primitives are packed and unpacked with one `struct` call, not one per element.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from wua.rpc.ndr.base import NdrType, resolve_type
from wua.rpc.ndr.primitives import Primitive, u8
from wua.rpc.ndr.stream import Decoder, Encoder, Pending, fail

__all__ = [
    "ConformantArray",
    "ConformantVaryingArray",
    "FixedArray",
    "Varying",
    "VaryingArray",
    "WString",
]


@dataclass(frozen=True, slots=True)
class Varying:
    """Items for a conformant-varying array sent with a larger max count.

    E.g. IEnumVARIANT::Next answers `[size_is(celt), length_is(*pceltFetched)]`: max count
    celt, actual count the items fetched. Decoding gives back the plain list.
    """

    items: Sequence[Any]
    max_count: int


def _split(value: Any) -> tuple[Sequence[Any], int]:
    if isinstance(value, Varying):
        if len(value.items) > value.max_count:
            raise fail(f"{len(value.items)} items exceed max count {value.max_count}")
        return value.items, value.max_count
    return value, len(value)


_U32 = struct.Struct("<I")
_U32X2 = struct.Struct("<II")
_U32X3 = struct.Struct("<III")


class _Elements:
    """Writes and reads runs of one element type as fast as the type allows."""

    def __init__(self, elem: NdrType[Any] | Callable[[], NdrType[Any]]) -> None:
        self._spec = elem
        self._elem: NdrType[Any] | None = elem if isinstance(elem, NdrType) else None

    @property
    def elem(self) -> NdrType[Any]:
        if self._elem is None:
            self._elem = resolve_type(self._spec)
        return self._elem

    def write(self, enc: Encoder, items: Sequence[Any]) -> None:
        elem = self.elem
        if not items:
            return
        if elem is u8:
            enc.buf += bytes(items)
            return
        if isinstance(elem, Primitive) and elem.to_wire is None and len(elem.fmt or "") == 1:
            enc.align(elem.align)
            enc.buf += struct.pack(f"<{len(items)}{elem.fmt}", *items)
            return
        for item in items:
            elem.write(enc, item)

    def read(self, dec: Decoder, count: int, where: str) -> Any:
        elem = self.elem
        if count * elem.min_size > dec.end - dec.pos:
            raise fail(f"{count} elements cannot fit in {dec.end - dec.pos} bytes", where, dec.pos)
        if elem is u8:
            pos = dec.pos
            dec.pos = pos + count
            return bytes(dec.data[pos : pos + count])
        if not count:
            return []
        if isinstance(elem, Primitive) and elem.from_wire is None and len(elem.fmt or "") == 1:
            pos = (dec.pos + elem.align - 1) & -elem.align
            size = count * elem.size
            if pos + size > dec.end:
                raise fail(f"needs {size} bytes, {max(dec.end - pos, 0)} left", where, pos)
            dec.pos = pos + size
            return list(struct.unpack_from(f"<{count}{elem.fmt}", dec.data, pos))
        items = [elem.read(dec) for _ in range(count)]
        if elem.is_pointer:
            for i, item in enumerate(items):
                if type(item) is Pending:
                    item.bind(items, i)
        return items


def _read_u32s(dec: Decoder, codec: struct.Struct, where: str) -> tuple[int, ...]:
    pos = (dec.pos + 3) & -4
    if pos + codec.size > dec.end:
        raise fail(f"needs {codec.size} bytes, {max(dec.end - pos, 0)} left", where, pos)
    dec.pos = pos + codec.size
    return codec.unpack_from(dec.data, pos)


def _read_variance(dec: Decoder, max_count: int, name: str) -> int:
    """The actual count of a varying part, checked against its conformance (max count)."""
    start = dec.pos
    offset, actual = _read_u32s(dec, _U32X2, name)
    if offset + actual > max_count:
        raise fail(
            f"offset {offset} + count {actual} exceed the max count {max_count}", name, start
        )
    return actual


def _write_u32s(enc: Encoder, *values: int) -> None:
    enc.align(4)
    for v in values:
        enc.buf += _U32.pack(v)


class FixedArray(NdrType[Any]):
    """`T name[n]`: n elements, nothing else."""

    def __init__(self, elem: NdrType[Any], count: int, *, name: str | None = None) -> None:
        self.items = _Elements(elem)
        self.count = count
        self.align = elem.align
        self.min_size = max(1, elem.min_size * count)
        self.name = name or f"{elem.name}[{count}]"

    def write(self, enc: Encoder, value: Sequence[Any]) -> None:
        if len(value) != self.count:
            raise fail(f"needs {self.count} elements, got {len(value)}", self.name, len(enc.buf))
        enc.align(self.align)
        self.items.write(enc, value)

    def read(self, dec: Decoder) -> Any:
        dec.align(self.align)
        return self.items.read(dec, self.count, self.name)


class ConformantArray(NdrType[Any]):
    """`[size_is(n)] T name[]`: the max count is the length."""

    conformant = True
    min_size = 4

    def __init__(
        self, elem: NdrType[Any] | Callable[[], NdrType[Any]], *, name: str | None = None
    ) -> None:
        self.items = _Elements(elem)
        self._name = name
        self.align = elem.align if isinstance(elem, NdrType) else 4

    @property
    def name(self) -> str:  # type: ignore[override]
        if self._name is None:
            self._name = f"{self.items.elem.name}[]"
        return self._name

    def write(self, enc: Encoder, value: Sequence[Any]) -> None:
        self.write_conformance(enc, value)
        self.write_body(enc, value)

    def write_conformance(self, enc: Encoder, value: Sequence[Any]) -> None:
        _write_u32s(enc, len(value))

    def write_body(self, enc: Encoder, value: Sequence[Any]) -> None:
        self.items.write(enc, value)

    def read(self, dec: Decoder) -> Any:
        return self.read_body(dec, self.read_conformance(dec))

    def read_conformance(self, dec: Decoder) -> tuple[int, ...]:
        return _read_u32s(dec, _U32, self.name)

    def read_body(self, dec: Decoder, conformance: tuple[int, ...]) -> Any:
        return self.items.read(dec, conformance[0], self.name)


class VaryingArray(NdrType[Any]):
    """`[length_is(k)] T name[n]`: offset and actual count, then the transmitted part."""

    min_size = 8

    def __init__(self, elem: NdrType[Any], bound: int, *, name: str | None = None) -> None:
        self.items = _Elements(elem)
        self.bound = bound
        self.align = max(4, elem.align)
        self.name = name or f"{elem.name}[{bound}]"

    def write(self, enc: Encoder, value: Sequence[Any]) -> None:
        if len(value) > self.bound:
            raise fail(
                f"{len(value)} elements exceed the bound {self.bound}", self.name, len(enc.buf)
            )
        _write_u32s(enc, 0, len(value))
        self.items.write(enc, value)

    def read(self, dec: Decoder) -> Any:
        start = dec.pos
        offset, actual = _read_u32s(dec, _U32X2, self.name)
        if offset + actual > self.bound:
            raise fail(
                f"offset {offset} + count {actual} exceed the bound {self.bound}", self.name, start
            )
        return self.items.read(dec, actual, self.name)


class ConformantVaryingArray(NdrType[Any]):
    """`[size_is(m), length_is(k)] T name[]`: max count = actual count unless the value
    is a `Varying`."""

    conformant = True
    min_size = 12

    def __init__(self, elem: NdrType[Any], *, name: str | None = None) -> None:
        self.items = _Elements(elem)
        self.align = max(4, elem.align)
        self.name = name or f"{elem.name}<>"

    def write(self, enc: Encoder, value: Sequence[Any] | Varying) -> None:
        items, max_count = _split(value)
        _write_u32s(enc, max_count, 0, len(items))
        self.items.write(enc, items)

    def write_conformance(self, enc: Encoder, value: Sequence[Any] | Varying) -> None:
        _write_u32s(enc, _split(value)[1])

    def write_body(self, enc: Encoder, value: Sequence[Any] | Varying) -> None:
        items = _split(value)[0]
        _write_u32s(enc, 0, len(items))
        self.items.write(enc, items)

    def read(self, dec: Decoder) -> Any:
        return self.read_body(dec, self.read_conformance(dec))

    def read_conformance(self, dec: Decoder) -> tuple[int, ...]:
        return _read_u32s(dec, _U32, self.name)

    def read_body(self, dec: Decoder, conformance: tuple[int, ...]) -> Any:
        actual = _read_variance(dec, conformance[0], self.name)
        return self.items.read(dec, actual, self.name)


class WString(NdrType[str]):
    """`[string] wchar_t*` referent: UTF-16LE with a NUL terminator on the wire.

    Lone surrogates pass through (Windows strings are not always valid UTF-16).
    """

    conformant = True
    align = 4
    min_size = 14

    def __init__(self, name: str = "wstring") -> None:
        self.name = name

    def write(self, enc: Encoder, value: str) -> None:
        raw = value.encode("utf-16-le", "surrogatepass") + b"\x00\x00"
        units = len(raw) // 2
        enc.align(4)
        enc.buf += _U32X3.pack(units, 0, units)
        enc.buf += raw

    def write_conformance(self, enc: Encoder, value: str) -> None:
        _write_u32s(enc, len(value.encode("utf-16-le", "surrogatepass")) // 2 + 1)

    def write_body(self, enc: Encoder, value: str) -> None:
        raw = value.encode("utf-16-le", "surrogatepass") + b"\x00\x00"
        _write_u32s(enc, 0, len(raw) // 2)
        enc.buf += raw

    def read(self, dec: Decoder) -> str:
        return self.read_body(dec, self.read_conformance(dec))

    def read_conformance(self, dec: Decoder) -> tuple[int, ...]:
        return _read_u32s(dec, _U32, self.name)

    def read_body(self, dec: Decoder, conformance: tuple[int, ...]) -> str:
        start = dec.pos
        actual = _read_variance(dec, conformance[0], self.name)
        if actual == 0:
            raise fail("a [string] needs its NUL terminator", self.name, start)
        pos = dec.pos
        size = actual * 2
        if pos + size > dec.end:
            raise fail(f"needs {size} bytes, {max(dec.end - pos, 0)} left", self.name, pos)
        if dec.data[pos + size - 2 : pos + size] != b"\x00\x00":
            raise fail("a [string] does not end with NUL", self.name, pos + size - 2)
        dec.pos = pos + size
        return bytes(dec.data[pos : pos + size - 2]).decode("utf-16-le", "surrogatepass")
