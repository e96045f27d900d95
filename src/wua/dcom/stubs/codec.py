"""Stub payloads as frozen dataclasses, declared as NDR parameter tables.

A stub class lists its parameters once (`ndr.Params` table). Count parameters that IDL
ties to an array with `size_is` are *derived*: the dataclass leaves them out, encoding
computes them from the array and decoding checks them, so a value can never disagree
with itself. Decoding also runs `check_counts` for the size rules inside OBJREF
wrappers and ORPC extents.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Self

from wua.dcom.orpc import check_counts
from wua.errors import ProtocolError
from wua.rpc import ndr


class StubCodec:
    """Encodes and decodes one direction of one method."""

    def __init__(
        self,
        name: str,
        fields: Sequence[tuple[str, ndr.NdrType[Any]]],
        *,
        counts: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.name = name
        self.params = ndr.Params(name, fields)
        self.counts = tuple(counts)  # (count parameter, array parameter)
        derived = {count for count, _ in self.counts}
        self.value_fields = tuple(n for n in self.params.names if n not in derived)
        # Each count parameter with the parameters before it: decoding those finds where
        # the count starts, so a count/array mismatch names the count's own offset.
        names = [n for n, _ in fields]
        self._before = {
            count: (ndr.Params(f"{name} before {count}", fields[: names.index(count)]), kind)
            for count, kind in ((c, dict(fields)[c]) for c in derived)
        }

    def encode(self, value: object) -> bytes:
        values = {n: getattr(value, n) for n in self.value_fields}
        for count, items in self.counts:
            values[count] = len(values[items] or ())
        return ndr.encode(self.params, self.params(**values))

    def decode_fields(self, data: bytes) -> dict[str, Any]:
        record = ndr.decode(self.params, data)
        for count, items in self.counts:
            expected, got = getattr(record, count), len(getattr(record, items) or ())
            if expected != got:
                raise ProtocolError(
                    f"{count} is {expected} but {items} has {got}",
                    structure=f"{self.name}.{count}",
                    offset=self._offset_of(count, data),
                )
        values = {n: getattr(record, n) for n in self.value_fields}
        for name, item in values.items():
            check_counts(item, f"{self.name}.{name}")
        return values

    def _offset_of(self, count: str, data: bytes) -> int:
        before, kind = self._before[count]
        _, end = ndr.decode_prefix(before, data)
        return (end + kind.align - 1) & -kind.align


class Stub:
    """Base of stub dataclasses: `CODEC` says how the parameters go on the wire."""

    CODEC: ClassVar[StubCodec]

    def encode(self) -> bytes:
        return self.CODEC.encode(self)

    @classmethod
    def decode(cls, data: bytes) -> Self:
        return cls(**cls.CODEC.decode_fields(data))
