"""NDR codecs of every MS-UAMG method's [in] and [out] parameters, built from the reference.

A direct vtable call (opnum >= 7) carries the method's parameters after the ORPCTHIS and
answers with its [out, retval] value and HRESULT after the ORPCTHAT. Rather than write
some hundred stub tables by hand, each is derived from the member's signature in
`wua.reference` (parameter types and return type), so the client and the emulator
cannot disagree with each other or with the reference.

Wire forms (MS-UAMG 2.2, MS-OAUT 2.2): BSTR, VARIANT and interface pointers as MS-OAUT
marshals them; LONG/ULONG/LCID 32-bit; VARIANT_BOOL 16-bit; DATE a double; DECIMAL 16
bytes; enumerations `[v1_enum]`, so 32-bit. A property put has one [in] parameter and no
[out]; a getter or method with a return type has one `[out, retval]` parameter named
`retval`, followed by the HRESULT.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from types import MappingProxyType
from typing import Any

from wua.dcom.oaut.scalars import BSTR, DATE, DECIMAL, HRESULT, INTERFACE_POINTER, VARIANT_BOOL
from wua.dcom.oaut.variant import VARIANT
from wua.reference.interfaces import Member, interface
from wua.reference.wire_types import OLE_DATE_EPOCH
from wua.rpc import ndr

__all__ = ["MethodCodec", "codec_for", "codec_for_slot", "wire_type"]

_SCALARS: Mapping[str, ndr.NdrType[Any]] = MappingProxyType(
    {
        "BSTR": BSTR,
        "LONG": ndr.i32,
        "ULONG": ndr.u32,
        "LCID": ndr.u32,
        "HWND": ndr.u32,
        "VARIANT_BOOL": VARIANT_BOOL,
        "DATE": DATE,
        "DECIMAL": DECIMAL,
        "VARIANT": VARIANT,
    }
)


def wire_type(type_name: str) -> ndr.NdrType[Any]:
    """The NDR type of one parameter type of the reference ('BSTR', 'enum:X', 'IFoo*')."""
    if type_name in _SCALARS:
        return _SCALARS[type_name]
    if type_name.startswith("enum:"):
        return ndr.i32
    if type_name.endswith("*"):
        return INTERFACE_POINTER
    raise KeyError(f"no NDR form for parameter type {type_name!r}")


def _out_type(type_name: str) -> ndr.NdrType[Any]:
    """`[out, retval] T*` is a top-level [ref] pointer, which has no wire form of its own:
    the parameter is T itself (for BSTR, VARIANT and `IFoo**`, the inner unique pointer,
    which a failed call sends as NULL)."""
    return wire_type(type_name)


def _empty(type_name: str) -> Any:
    """What a failed call leaves in its [out, retval] parameter (zeroed memory)."""
    if type_name in ("DATE",):
        return OLE_DATE_EPOCH
    if type_name == "DECIMAL":
        return Decimal(0)
    if type_name == "VARIANT_BOOL":
        return False
    if type_name in ("BSTR", "VARIANT") or type_name.endswith("*"):
        return None
    return 0


@dataclass(frozen=True)
class MethodCodec:
    """The [in] and [out] parameter streams of one member (without ORPCTHIS/ORPCTHAT)."""

    member: Member
    request: ndr.Params
    response: ndr.Params

    @property
    def in_names(self) -> tuple[str, ...]:
        return tuple(self.request.names)

    def encode_request(self, args: list[Any] | tuple[Any, ...]) -> bytes:
        return ndr.encode(self.request, self.request(**dict(zip(self.in_names, args, strict=True))))

    def decode_request(self, data: bytes, offset: int = 0) -> list[Any]:
        """The [in] arguments in declaration order, from `data[offset:]` to its end."""
        record, end = ndr.decode_prefix(self.request, data, offset)
        if end != len(data):
            raise ndr.fail(f"{len(data) - end} bytes left after the parameters", self.request.name)
        return [getattr(record, name) for name in self.in_names]

    def encode_response(self, retval: Any, hresult: int) -> bytes:
        values: dict[str, Any] = {"hresult": hresult}
        if self.member.returns is not None:
            values["retval"] = _empty(self.member.returns) if retval is None else retval
        return ndr.encode(self.response, self.response(**values))

    def decode_response(self, data: bytes, offset: int = 0) -> tuple[Any, int]:
        """(retval or None, HRESULT) from `data[offset:]` to its end."""
        record, end = ndr.decode_prefix(self.response, data, offset)
        if end != len(data):
            raise ndr.fail(f"{len(data) - end} bytes left after the results", self.response.name)
        return getattr(record, "retval", None), record.hresult


@cache
def _codec(interface_name: str, member_name: str, kind_value: str, slot: int) -> MethodCodec:
    member = interface(interface_name).by_slot(slot)
    if member is None or member.name != member_name or member.kind.value != kind_value:
        raise KeyError(f"{interface_name} slot {slot} is not {member_name}")
    label = f"{member.interface}.{member.name}"
    inputs = [(p.name, wire_type(p.type)) for p in member.params if p.direction == "in"]
    outputs: list[tuple[str, ndr.NdrType[Any]]] = []
    if member.returns is not None:
        outputs.append(("retval", _out_type(member.returns)))
    outputs.append(("hresult", HRESULT))
    return MethodCodec(
        member, ndr.Params(f"{label}.in", inputs), ndr.Params(f"{label}.out", outputs)
    )


def codec_for(member: Member) -> MethodCodec:
    """The codec of a reference member (cached: one table per member)."""
    return _codec(member.interface, member.name, member.kind.value, member.slot)


def codec_for_slot(interface_name: str, slot: int) -> MethodCodec:
    """The codec of the method at vtable slot `slot` (the opnum) of an interface, where
    inherited members keep their own slot numbers; KeyError when there is none."""
    member = interface(interface_name).by_slot(slot)
    if member is None:
        raise KeyError(f"{interface_name} has no vtable slot {slot}")
    return codec_for(member)
