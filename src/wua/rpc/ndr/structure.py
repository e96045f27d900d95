"""Structures and parameter lists: one declaration table per structure.

`Struct` lays its fields out the NDR way: the structure is aligned to its most aligned
member; a trailing conformant member's conformance is hoisted to the very start
(C706 14.3.7.1); embedded pointers write only a referent ID inline and queue their
referents. Consecutive fixed-size primitives are compiled into a single `struct.Struct`
run, so a typical header costs one `pack`/`unpack_from` call rather than one per field.

`Params` is a method's [in] or [out] parameter list: the same table, but there is no
structure alignment and every parameter is a top-level construct, so its deferred
referents follow it immediately and pointer parameters use the top-level pointer rules.
"""

from __future__ import annotations

import dataclasses
import struct
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any

from wua.errors import ProtocolError
from wua.rpc.ndr.base import NdrType
from wua.rpc.ndr.primitives import Primitive
from wua.rpc.ndr.stream import Decoder, Encoder, Pending, fail, rewrap

__all__ = ["Params", "Struct"]

_RUN = 0
_FIELD = 1
_BODY = 2  # the trailing conformant member, whose conformance was hoisted


class _Run:
    """Consecutive primitives packed by one precompiled struct format."""

    __slots__ = ("align", "codec", "ends", "first", "last", "readers", "size", "starts", "writers")

    def __init__(self, first: int, members: Sequence[Primitive]) -> None:
        self.first = first
        self.last = first + len(members)
        self.align = members[0].align
        fmt = "<"
        offset = 0
        ends = []
        starts = []
        for member in members:
            pad = -offset & (member.align - 1)
            fmt += "x" * pad + (member.fmt or "")
            starts.append(offset + pad)
            offset += pad + member.size
            ends.append(offset)
        self.starts = tuple(starts)
        self.codec = struct.Struct(fmt)
        self.size = self.codec.size
        self.ends = tuple(ends)
        self.writers = tuple((i, m.to_wire) for i, m in enumerate(members) if m.to_wire is not None)
        self.readers = tuple(
            (first + i, m.from_wire) for i, m in enumerate(members) if m.from_wire is not None
        )

    def failing_member(self, pos: int, end: int) -> int:
        for i, stop in enumerate(self.ends):
            if pos + stop > end:
                return self.first + i
        return self.first


def _no_values(value: Any) -> Sequence[Any]:
    return ()


def _compile(fields: Sequence[tuple[str, NdrType[Any]]], conformant: bool) -> list[Any]:
    plan: list[Any] = []
    i = 0
    count = len(fields)
    while i < count:
        kind = fields[i][1]
        if isinstance(kind, Primitive) and not (conformant and i == count - 1):
            members = [kind]
            j = i + 1
            while j < count:
                nxt = fields[j][1]
                if not isinstance(nxt, Primitive) or nxt.align > members[0].align:
                    break
                members.append(nxt)
                j += 1
            plan.append((_RUN, _Run(i, members)))
            i = j
        else:
            plan.append((_BODY if conformant and i == count - 1 else _FIELD, (i, kind)))
            i += 1
    return plan


class Struct(NdrType[Any]):
    """An NDR structure declared as a table of `(field name, NDR type)` pairs.

    Values are instances of `record` (a frozen, slotted dataclass generated from the
    table unless you pass your own class taking the fields positionally). Calling the
    Struct builds a record: `Point(x=1, y=2)`.
    """

    def __init__(
        self,
        name: str,
        fields: Sequence[tuple[str, NdrType[Any]]],
        *,
        record: type | None = None,
        align: int | None = None,
    ) -> None:
        self.name = name
        self.fields = tuple(fields)
        self.names = tuple(f for f, _ in self.fields)
        self.types = tuple(t for _, t in self.fields)
        if len(set(self.names)) != len(self.names):
            raise ValueError(f"{name}: duplicate field names")
        self.conformant = bool(self.types) and self.types[-1].conformant
        natural = max((t.align for t in self.types), default=1)
        if self.conformant:
            natural = max(natural, 4)
        self.align = align if align is not None else natural
        self.min_size = max(1, sum(t.min_size for t in self.types))
        self.record: type = record or dataclasses.make_dataclass(
            name, [(f, Any) for f in self.names], frozen=True, slots=True
        )
        self._values: Callable[[Any], Sequence[Any]]
        if len(self.names) == 1:
            one = attrgetter(self.names[0])
            self._values = lambda v: (one(v),)
        elif self.names:
            self._values = attrgetter(*self.names)
        else:
            self._values = _no_values
        self._pointer_fields = tuple((i, n) for i, (n, t) in enumerate(self.fields) if t.is_pointer)
        self._plan = _compile(self.fields, self.conformant)
        self._paths = tuple(f"{name}.{field}" for field in self.names)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.record(*args, **kwargs)

    # -- encoding -------------------------------------------------------------------

    def write(self, enc: Encoder, value: Any) -> None:
        if self.conformant:
            enc.align(4)
            self.types[-1].write_conformance(enc, self._values(value)[-1])
        self.write_body(enc, value)

    def write_conformance(self, enc: Encoder, value: Any) -> None:
        self.types[-1].write_conformance(enc, self._values(value)[-1])

    def write_body(self, enc: Encoder, value: Any) -> None:
        buf = enc.buf
        pad = -len(buf) & (self.align - 1)
        if pad:
            buf += bytes(pad)
        self._write_fields(enc, self._values(value), top=False)

    def _write_fields(self, enc: Encoder, values: Sequence[Any], top: bool) -> None:
        buf = enc.buf
        for kind, step in self._plan:
            if kind == _RUN:
                pad = -len(buf) & (step.align - 1)
                if pad:
                    buf += bytes(pad)
                items = values[step.first : step.last]
                if step.writers:
                    items = list(items)
                    for i, convert in step.writers:
                        items[i] = convert(items[i])
                buf += step.codec.pack(*items)
            elif kind == _FIELD:
                index, kind_type = step
                if top:
                    kind_type.write_top(enc, values[index])
                else:
                    kind_type.write(enc, values[index])
            else:
                index, kind_type = step
                kind_type.write_body(enc, values[index])

    # -- decoding -------------------------------------------------------------------

    def read(self, dec: Decoder) -> Any:
        conformance: tuple[int, ...] = ()
        if self.conformant:
            try:
                conformance = self.types[-1].read_conformance(dec)
            except ProtocolError as err:
                raise rewrap(err, f"{self.name}.{self.names[-1]}") from None
        return self.read_body(dec, conformance)

    def read_conformance(self, dec: Decoder) -> tuple[int, ...]:
        return self.types[-1].read_conformance(dec)

    def read_body(self, dec: Decoder, conformance: tuple[int, ...]) -> Any:
        dec.pos = (dec.pos + self.align - 1) & -self.align
        values = self._read_fields(dec, conformance, top=False)
        record = self.record(*values)
        for index, name in self._pointer_fields:
            value = values[index]
            if type(value) is Pending:
                value.bind(record, name)
                value.where = self._paths[index]
        return record

    def _read_fields(self, dec: Decoder, conformance: tuple[int, ...], top: bool) -> list[Any]:
        values: list[Any] = []
        data = dec.data
        index = 0
        try:
            for kind, step in self._plan:
                if kind == _RUN:
                    pos = (dec.pos + step.align - 1) & -step.align
                    index = step.first
                    if pos + step.size > dec.end:
                        index = step.failing_member(pos, dec.end)
                        raise fail(
                            f"needs {step.size} bytes, {max(dec.end - pos, 0)} left", "", pos
                        )
                    values.extend(step.codec.unpack_from(data, pos))
                    dec.pos = pos + step.size
                    for i, convert in step.readers:
                        try:
                            values[i] = convert(values[i])
                        except ProtocolError as err:
                            index = i
                            start = step.starts[i - step.first]
                            raise fail(getattr(err, "reason", str(err)), "", pos + start) from None
                elif kind == _FIELD:
                    index, kind_type = step
                    values.append(kind_type.read_top(dec) if top else kind_type.read(dec))
                else:
                    index, kind_type = step
                    values.append(kind_type.read_body(dec, conformance))
        except ProtocolError as err:
            raise rewrap(err, f"{self.name}.{self.names[index]}") from None
        return values


class Params(Struct):
    """A method's [in] or [out] parameters, in order, as one NDR stream.

    Each parameter is a top-level construct: no alignment is shared between them beyond
    each parameter's own, and a pointer parameter is a top-level pointer (a `Ref` has no
    wire representation of its own; its referent and the referent's deferred pointers
    follow at once).
    """

    def __init__(self, name: str, fields: Sequence[tuple[str, NdrType[Any]]]) -> None:
        super().__init__(name, fields, align=1)
        self.conformant = False
        self._plan = _compile(self.fields, False)

    def write(self, enc: Encoder, value: Any) -> None:
        self._write_fields(enc, self._values(value), top=True)

    def read(self, dec: Decoder) -> Any:
        values = self._read_fields(dec, (), top=True)
        return self.record(*values)

    def write_top(self, enc: Encoder, value: Any) -> None:
        self.write(enc, value)

    def read_top(self, dec: Decoder) -> Any:
        return self.read(dec)
