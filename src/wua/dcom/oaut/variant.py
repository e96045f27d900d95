"""VARIANT on the wire (MS-OAUT 2.2.29): `_wireVARIANT` and its union, by vt.

Facts the IDL does not show, as Windows (and Wine, which matches it) marshal it:
- the structure is 8-aligned and `clSize` is the size in 8-byte units of everything the
  VARIANT puts on the wire, its referents (BSTR, OBJREF, SAFEARRAY...) included;
- the union discriminant is the vt, except that for arrays it is vt with the element
  type masked out (VT_ARRAY, or VT_ARRAY | VT_BYREF);
- the VT_ARRAY arm is a PSAFEARRAY, a pointer to a pointer: two referent IDs precede
  the array (three for VT_ARRAY | VT_BYREF);
- a DECIMAL overlays the whole VARIANT in memory, so Windows sends VT_DECIMAL in the
  DECIMAL's wReserved and scale/sign/Hi32 again in wReserved1-3.
A VARIANT is only ever a pointer referent (`wireVARIANT` is a unique pointer), so its
referents follow it directly: it writes and reads them itself to fill in `clSize` and to
return finished values.
"""

from __future__ import annotations

import struct
from typing import Any

from wua.dcom.oaut.safearray import WIRE_SAFEARRAY, safearray_from_wire, safearray_to_wire
from wua.dcom.oaut.scalars import (
    BSTR,
    CURRENCY,
    DATE,
    DECIMAL,
    DECIMAL_IN_VARIANT,
    HRESULT,
    INTERFACE_POINTER,
    VARIANT_BOOL,
)
from wua.dcom.oaut.values import SafeArray, Variant, decimal_to_wire
from wua.dcom.oaut.vartype import VT_ARRAY, VT_BYREF, VT_TYPEMASK, VarType
from wua.errors import ProtocolError
from wua.rpc import ndr
from wua.rpc.ndr import Decoder, Encoder, fail, rewrap

__all__ = ["VARIANT", "WIRE_VARIANT", "supported_vts"]

V = VarType

#: The scalar arms: vt -> NDR type of the value (None: nothing on the wire).
_SCALAR_ARMS: dict[int, ndr.NdrType[Any] | None] = {
    V.VT_EMPTY: None,
    V.VT_NULL: None,
    V.VT_I1: ndr.i8,
    V.VT_UI1: ndr.u8,
    V.VT_I2: ndr.i16,
    V.VT_UI2: ndr.u16,
    V.VT_I4: ndr.i32,
    V.VT_UI4: ndr.u32,
    V.VT_INT: ndr.i32,
    V.VT_UINT: ndr.u32,
    V.VT_I8: ndr.i64,
    V.VT_UI8: ndr.u64,
    V.VT_R4: ndr.f32,
    V.VT_R8: ndr.f64,
    V.VT_CY: CURRENCY,
    V.VT_DATE: DATE,
    V.VT_BOOL: VARIANT_BOOL,
    V.VT_ERROR: HRESULT,
    V.VT_BSTR: BSTR,
    V.VT_DISPATCH: INTERFACE_POINTER,
    V.VT_UNKNOWN: INTERFACE_POINTER,
}


def _variant() -> ndr.NdrType[Any]:
    return VARIANT


def _build_arms() -> dict[int, ndr.NdrType[Any] | None]:
    arms: dict[int, ndr.NdrType[Any] | None] = dict(_SCALAR_ARMS)
    arms[V.VT_DECIMAL] = DECIMAL_IN_VARIANT
    # PSAFEARRAY is a pointer to SAFEARRAY, itself a pointer to _wireSAFEARRAY: two
    # referent IDs before the array (MS-OAUT 2.2.30.10; Wine and Wireshark agree).
    arms[VT_ARRAY] = ndr.Unique(ndr.Unique(WIRE_SAFEARRAY, name="SAFEARRAY"), name="PSAFEARRAY")
    for vt, kind in _SCALAR_ARMS.items():
        if kind is not None:
            arms[vt | VT_BYREF] = ndr.Unique(kind, name=f"byref[{kind.name}]")
    arms[V.VT_DECIMAL | VT_BYREF] = ndr.Unique(DECIMAL, name="byref[DECIMAL]")
    arms[V.VT_VARIANT | VT_BYREF] = ndr.Unique(_variant, name="byref[VARIANT]")
    arms[VT_ARRAY | VT_BYREF] = ndr.Unique(arms[VT_ARRAY], name="byref[PSAFEARRAY]")  # type: ignore[arg-type]
    return arms


_ARMS = _build_arms()
_HEADER = struct.Struct("<IIHHHHI")
_HEADER_SIZE = _HEADER.size  # 20


def _discriminant(vt: int) -> int:
    return vt & ~VT_TYPEMASK if vt & VT_ARRAY else vt


def supported_vts() -> list[int]:
    """Every vt this codec carries (arrays: with any supported element type)."""
    return sorted(_ARMS)


class _WireVariant(ndr.NdrType[Variant]):
    """_wireVARIANT as a `Variant`; only ever a pointer referent (see module docs)."""

    name = "VARIANT"
    align = 8
    min_size = _HEADER_SIZE

    def write(self, enc: Encoder, value: Variant) -> None:
        vt = value.vt
        disc = _discriminant(vt)
        if disc not in _ARMS:
            raise fail(f"vt {vt:#x} is not supported", self.name, len(enc.buf))
        arm = _ARMS[disc]
        payload = value.value
        reserved = (0, 0, 0)
        if vt == V.VT_DECIMAL:
            scale, sign, hi32, _ = decimal_to_wire(payload)
            reserved = (scale | sign << 8, hi32 & 0xFFFF, hi32 >> 16)
        elif vt & VT_ARRAY and payload is not None:
            array = payload
            if not isinstance(array, SafeArray):
                raise fail(f"vt {vt:#x} needs a SafeArray", self.name, len(enc.buf))
            if array.vt != vt & VT_TYPEMASK:
                raise fail(
                    f"array of vt {array.vt:#x} in a VARIANT of vt {vt:#x}", self.name, len(enc.buf)
                )
            payload = safearray_to_wire(array)
        buf = enc.buf
        pad = -len(buf) & 7
        if pad:
            buf += bytes(pad)
        start = len(buf)
        buf += _HEADER.pack(0, 0, vt, *reserved, disc)
        if arm is not None:
            arm.write(enc, payload)
            enc.flush()
        struct.pack_into("<I", buf, start, (len(buf) - start + 7) >> 3)

    def read(self, dec: Decoder) -> Variant:
        pos = (dec.pos + 7) & -8
        if pos + _HEADER_SIZE > dec.end:
            raise fail(f"needs {_HEADER_SIZE} bytes, {max(dec.end - pos, 0)} left", self.name, pos)
        _size, _reserved, vt, _w1, _w2, _w3, disc = _HEADER.unpack_from(dec.data, pos)
        dec.pos = pos + _HEADER_SIZE
        if disc != _discriminant(vt):
            raise fail(
                f"union discriminant {disc:#x} does not match vt {vt:#x}", self.name, pos + 16
            )
        if disc not in _ARMS:
            raise fail(f"vt {vt:#x} is not supported", self.name, pos + 8)
        arm = _ARMS[disc]
        if arm is None:
            return Variant(vt)
        try:
            value = dec.settle(arm.read(dec))
            if vt & VT_ARRAY and value is not None:
                value = safearray_from_wire(value, vt & VT_TYPEMASK)
        except ProtocolError as err:
            raise rewrap(err, f"{self.name}[vt={vt:#x}]", pos) from None
        return Variant(vt, value)


WIRE_VARIANT = _WireVariant()
#: VARIANT / wireVARIANT: a unique pointer to _wireVARIANT (None for a NULL pointer).
VARIANT = ndr.Unique(WIRE_VARIANT, name="wireVARIANT")
