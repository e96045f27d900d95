"""Annotations that tell the catalog codec what a plain Python type cannot.

A model field is written as `Annotated[str, Guid(), Key("update")]`: the base type says
how the value looks in Python, the markers say which extra rule the file must obey.
Keeping the rules next to the fields is what lets one generic codec validate every
structure of the catalog, instead of one hand-written check per field.
"""

from __future__ import annotations

from dataclasses import dataclass

from wua.reference.wire_types import LONG_MAX, LONG_MIN, ULONG_MAX


@dataclass(frozen=True)
class Guid:
    """A GUID in its 36-character text form; stored lower-case as WUA reports it."""


@dataclass(frozen=True)
class Pattern:
    """The text must match `regex` (full match); `meaning` is what the error says."""

    regex: str
    meaning: str


@dataclass(frozen=True)
class Choice:
    """The text must be one of `values` (WUA BSTRs with a closed set of values)."""

    values: tuple[str, ...]


@dataclass(frozen=True)
class Range:
    """A number within [low, high]: WUA's LONGs are 32-bit on the wire."""

    low: int
    high: int


LONG = Range(LONG_MIN, LONG_MAX)
ULONG = Range(0, ULONG_MAX)
NON_NEGATIVE_LONG = Range(0, LONG_MAX)


@dataclass(frozen=True)
class HexNumber:
    """An unsigned 32-bit number that a file may give as `0x8024200B` (as HRESULTs are read)."""


@dataclass(frozen=True)
class Key:
    """The value identifies its record within `space`: duplicates are an error.

    With `attribute`, the key is that attribute of a nested record (the update's
    `identity.update_id`), so a shared type such as UpdateIdentity is a key only where
    it is used as one.
    """

    space: str
    attribute: str | None = None


@dataclass(frozen=True)
class Ref:
    """The value (or each item of a tuple) must be a `Key` of `space` in the same catalog."""

    space: str


@dataclass(frozen=True)
class Derived:
    """Computed by the loader from other fields; never read from or written to a file."""

    why: str
