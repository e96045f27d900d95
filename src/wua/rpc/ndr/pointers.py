"""Reference, unique and full pointers (C706 14.3.10-12, MS-RPCE 2.2.5.3.3).

An embedded pointer writes a 4-byte referent ID inline (0 for NULL) and queues its
referent for the end of the enclosing top-level construct. A top-level pointer (a method
parameter) writes its referent at once; a top-level `Ref` has no representation at all.
Full pointers name the same referent with the same ID, once per message, so aliasing
survives the trip; on decoding, repeated IDs give back the very same object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wua.rpc.ndr.base import NdrType, resolve_type
from wua.rpc.ndr.stream import Decoder, Encoder, Pending, fail

__all__ = ["Full", "Pointer", "Ref", "Unique"]

_NULL = b"\x00\x00\x00\x00"


class Pointer(NdrType[Any]):
    """Common machinery; use `Ref`, `Unique` or `Full`."""

    align = 4
    min_size = 4
    is_pointer = True
    nullable = True
    full = False
    kind = "pointer"

    def __init__(
        self, target: NdrType[Any] | Callable[[], NdrType[Any]], *, name: str | None = None
    ) -> None:
        self._target_spec = target
        self._target: NdrType[Any] | None = target if isinstance(target, NdrType) else None
        self._name = name

    @property
    def target(self) -> NdrType[Any]:
        """The referent type (resolved on first use, so recursive types can be declared)."""
        if self._target is None:
            self._target = resolve_type(self._target_spec)
        return self._target

    @property
    def name(self) -> str:  # type: ignore[override]
        if self._name is None:
            self._name = f"{self.kind}[{self.target.name}]"
        return self._name

    # -- embedded ---------------------------------------------------------------------

    def _write_id(self, enc: Encoder, value: Any) -> bool:
        """Write the referent ID; True if the referent must still be written."""
        buf = enc.buf
        pad = -len(buf) & 3
        if pad:
            buf += bytes(pad)
        if value is None:
            if not self.nullable:
                raise fail("a [ref] pointer cannot be NULL", self.name, len(buf))
            buf += _NULL
            return False
        if self.full:
            seen = enc.full_ids.get(id(value))
            if seen is not None:
                buf += seen[0].to_bytes(4, "little")
                return False
            rid = enc.new_referent_id()
            enc.full_ids[id(value)] = (rid, value)
        else:
            rid = enc.new_referent_id()
        buf += rid.to_bytes(4, "little")
        return True

    def write(self, enc: Encoder, value: Any) -> None:
        if self._write_id(enc, value):
            enc.deferred.append((self.target, value))

    def _read_id(self, dec: Decoder) -> int:
        pos = (dec.pos + 3) & -4
        if pos + 4 > dec.end:
            raise fail(f"needs 4 bytes, {max(dec.end - pos, 0)} left", self.name, pos)
        dec.pos = pos + 4
        rid = int.from_bytes(dec.data[pos : pos + 4], "little")
        if rid == 0 and not self.nullable:
            raise fail("a [ref] pointer is NULL", self.name, pos)
        return rid

    def read(self, dec: Decoder) -> Any:
        rid = self._read_id(dec)
        if rid == 0:
            return None
        if self.full:
            known = dec.full_refs.get(rid)
            if known is not None:
                return known
        cell = Pending()
        if self.full:
            dec.full_refs[rid] = cell
        dec.deferred.append((self.target, cell))
        return cell

    # -- top level ----------------------------------------------------------------------

    def write_top(self, enc: Encoder, value: Any) -> None:
        if self.nullable and not self._write_id(enc, value):
            return
        if not self.nullable and value is None:
            raise fail("a [ref] pointer cannot be NULL", self.name, len(enc.buf))
        self.target.write(enc, value)
        enc.flush()

    def read_top(self, dec: Decoder) -> Any:
        if self.nullable:
            rid = self._read_id(dec)
            if rid == 0:
                return None
            if self.full and rid in dec.full_refs:
                return dec.settle(dec.full_refs[rid])
        value = self.target.read(dec)
        if self.nullable and self.full:
            dec.full_refs[rid] = value
        return dec.settle(value)


class Ref(Pointer):
    """`[ref]`: never NULL. The default for top-level pointer parameters."""

    nullable = False
    kind = "ref"


class Unique(Pointer):
    """`[unique]`: may be NULL (Python None); no aliasing."""

    kind = "unique"


class Full(Pointer):
    """`[ptr]`: may be NULL and may alias; equal IDs mean the same referent."""

    full = True
    kind = "full"
