"""Discriminated unions (C706 14.3.8, MS-RPCE 2.2.4.5).

Both kinds put the discriminant on the wire right before the selected arm. They differ
in alignment: a non-encapsulated (`switch_is`) union aligns the discriminant and the arm
each to its own type (unless `ms_union`, which aligns the arm to the largest arm); an
encapsulated union is a structure `{discriminant; union}` so it aligns the whole thing to
the largest of all, and the arm to the largest arm.

Values are `UnionValue(tag, value)`; an arm declared with type None carries nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from wua.errors import ProtocolError
from wua.rpc.ndr.base import NdrType, resolve_type
from wua.rpc.ndr.primitives import Primitive, u32
from wua.rpc.ndr.stream import Decoder, Encoder, Pending, fail, rewrap

__all__ = ["Union", "UnionValue"]

ArmSpec = tuple[str, "NdrType[Any] | Callable[[], NdrType[Any]] | None"]


@dataclasses.dataclass(frozen=True, slots=True)
class UnionValue:
    """The discriminant and the selected arm's value."""

    tag: int
    value: Any = None


class Union(NdrType[UnionValue]):
    """A union declared as `{discriminant value: (arm name, arm type or None)}`."""

    def __init__(
        self,
        name: str,
        arms: Mapping[int, ArmSpec],
        *,
        discriminant: Primitive = u32,
        default: ArmSpec | None = None,
        encapsulated: bool = False,
        ms_union: bool = False,
        arm_align: int | None = None,
    ) -> None:
        """`arm_align` gives the largest arm alignment when arms are forward references."""
        self.name = name
        self._arm_specs = dict(arms)
        self._default_spec = default
        self._arms: dict[int, tuple[str, NdrType[Any] | None]] | None = None
        self._default: tuple[str, NdrType[Any] | None] | None = None
        self.discriminant = discriminant
        self.encapsulated = encapsulated
        self.ms_union = ms_union
        known = [t.align for _, t in self._arm_specs.values() if isinstance(t, NdrType)]
        self.arm_align = arm_align or max(known, default=1)
        self.align = max(discriminant.align, self.arm_align)
        self.min_size = discriminant.size

    def _resolve(self) -> dict[int, tuple[str, NdrType[Any] | None]]:
        if self._arms is None:
            self._arms = {
                tag: (arm, None if t is None else resolve_type(t))
                for tag, (arm, t) in self._arm_specs.items()
            }
            if self._default_spec is not None:
                arm, t = self._default_spec
                self._default = (arm, None if t is None else resolve_type(t))
        return self._arms

    def arm(self, tag: int) -> tuple[str, NdrType[Any] | None] | None:
        """The (name, type) selected by `tag`, or None if no arm (and no default) has it."""
        return self._resolve().get(tag, self._default)

    def write(self, enc: Encoder, value: UnionValue) -> None:
        selected = self.arm(value.tag)
        if selected is None:
            raise fail(f"no arm for discriminant {value.tag:#x}", self.name, len(enc.buf))
        if self.encapsulated:
            enc.align(self.align)
        self.discriminant.write(enc, value.tag)
        arm_type = selected[1]
        if arm_type is not None:
            if self.encapsulated or self.ms_union:
                enc.align(self.arm_align)
            arm_type.write(enc, value.value)

    def read(self, dec: Decoder) -> UnionValue:
        if self.encapsulated:
            dec.align(self.align)
        start = dec.pos
        tag = self.discriminant.read(dec)
        selected = self.arm(tag)
        if selected is None:
            raise fail(f"no arm for discriminant {tag:#x}", self.name, start)
        name, arm_type = selected
        if arm_type is None:
            return UnionValue(tag)
        if self.encapsulated or self.ms_union:
            dec.align(self.arm_align)
        try:
            inner = arm_type.read(dec)
        except ProtocolError as err:
            raise rewrap(err, f"{self.name}.{name}") from None
        result = UnionValue(tag, inner)
        if type(inner) is Pending:
            inner.bind(result, "value")
        return result
