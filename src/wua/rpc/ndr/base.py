"""What every NDR type object offers, so structures can be declared as tables of them.

A type object knows its NDR32 alignment and how to write a Python value to an `Encoder`
and read one from a `Decoder`. Types that a structure can pack into one precompiled
`struct.Struct` run (fixed-size primitives) also expose their format character(s) in
`fmt`; types whose representation has conformance to hoist to the start of an enclosing
structure (conformant arrays and structures ending in one) set `conformant`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from wua.rpc.ndr.stream import Decoder, Encoder

__all__ = ["NdrType", "T", "resolve_type"]

T = TypeVar("T")


class NdrType(Generic[T]):
    """Base of all NDR type objects. Subclasses override `write` and `read`."""

    #: Name used in error paths (`ProtocolError.structure`).
    name: str = "?"
    #: NDR32 alignment in bytes (1, 2, 4 or 8).
    align: int = 1
    #: `struct` format (without byte-order prefix) if the type is a flat, fixed-size
    #: run of primitives whose decoded tuple maps to one value via `from_wire`.
    fmt: str | None = None
    #: Smallest number of bytes a representation can take (used to reject absurd
    #: element counts before allocating).
    min_size: int = 1
    #: True if the type's conformance (max counts) hoists to the enclosing structure.
    conformant: bool = False
    #: True for pointers: their `read` may return a `Pending` the container must bind.
    is_pointer: bool = False

    def write(self, enc: Encoder, value: T) -> None:
        raise NotImplementedError

    def read(self, dec: Decoder) -> T:
        raise NotImplementedError

    # Conformant types only: write/read the hoisted conformance and the rest separately.
    def write_conformance(self, enc: Encoder, value: T) -> None:
        raise NotImplementedError

    def write_body(self, enc: Encoder, value: T) -> None:
        raise NotImplementedError

    def read_conformance(self, dec: Decoder) -> tuple[int, ...]:
        raise NotImplementedError

    def read_body(self, dec: Decoder, conformance: tuple[int, ...]) -> T:
        raise NotImplementedError

    # Top-level parameter rules (MS-RPCE 2.2.5.3.3 / C706 14.3.12): only pointers differ.
    def write_top(self, enc: Encoder, value: T) -> None:
        self.write(enc, value)
        enc.flush()

    def read_top(self, dec: Decoder) -> T:
        value = self.read(dec)
        dec.flush()
        return value

    def __repr__(self) -> str:
        return f"<ndr {self.name}>"


def resolve_type(target: NdrType[Any] | Callable[[], NdrType[Any]]) -> NdrType[Any]:
    """A type given directly or through a zero-argument callable (forward reference)."""
    if isinstance(target, NdrType):
        return target
    resolved = target()
    if not isinstance(resolved, NdrType):
        raise TypeError(f"{target!r} did not return an NDR type")
    return resolved
