"""SAFEARRAY on the wire (MS-OAUT 2.2.30): the declaration tables, and the mapping
between the wire record and the `SafeArray` value.

The wire form says how elements travel (SF_TYPE), not what they are: SF_I4 carries
VT_I4, VT_UI4, VT_INT, VT_UINT, VT_R4 and VT_ERROR alike. Numeric arms are therefore
read as raw bytes and typed with the VARIANT's vt (or a default when a SAFEARRAY is read
on its own).
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from wua.dcom.interfaces import IID_IDISPATCH, IID_IUNKNOWN
from wua.dcom.oaut.scalars import BSTR, INTERFACE_POINTER
from wua.dcom.oaut.values import (
    SafeArray,
    cy_from_wire,
    cy_to_wire,
    date_from_wire,
    date_to_wire,
)
from wua.dcom.oaut.vartype import Fadf, SfType, VarType
from wua.errors import ProtocolError
from wua.rpc import ndr
from wua.rpc.ndr import Decoder, Encoder, fail

__all__ = [
    "SAFEARRAY",
    "WIRE_SAFEARRAY",
    "safearray_from_wire",
    "safearray_of",
    "safearray_to_wire",
]


_U32 = struct.Struct("<I")


class _RawArray(ndr.NdrType[bytes]):
    """A conformant array of `size`-byte integers kept as raw little-endian bytes."""

    conformant = False
    min_size = 4

    def __init__(self, size: int) -> None:
        self.size = size
        self.align = max(4, size)
        self.name = f"u{size * 8}[]"

    def write(self, enc: Encoder, value: bytes) -> None:
        enc.align(4)
        enc.buf += _U32.pack(len(value) // self.size)
        enc.align(self.size)
        enc.buf += value

    def read(self, dec: Decoder) -> bytes:
        dec.align(4)
        pos = dec.need(4, self.name)
        (count,) = _U32.unpack_from(dec.data, pos)
        dec.pos = pos + 4
        dec.align(self.size)
        start = dec.need(count * self.size, self.name)
        dec.pos = start + count * self.size
        return bytes(dec.data[start : dec.pos])


def _variant_type() -> ndr.NdrType[Any]:
    from wua.dcom.oaut.variant import VARIANT

    return VARIANT


SAFEARRAYBOUND = ndr.Struct("SAFEARRAYBOUND", [("cElements", ndr.u32), ("lLbound", ndr.i32)])
_INTERFACES = ndr.Ref(ndr.ConformantArray(INTERFACE_POINTER))
SAFEARR_BSTR = ndr.Struct(
    "SAFEARR_BSTR", [("Size", ndr.u32), ("aBstr", ndr.Ref(ndr.ConformantArray(BSTR)))]
)
SAFEARR_UNKNOWN = ndr.Struct("SAFEARR_UNKNOWN", [("Size", ndr.u32), ("apUnknown", _INTERFACES)])
SAFEARR_DISPATCH = ndr.Struct("SAFEARR_DISPATCH", [("Size", ndr.u32), ("apDispatch", _INTERFACES)])
SAFEARR_VARIANT = ndr.Struct(
    "SAFEARR_VARIANT",
    [("Size", ndr.u32), ("aVariant", ndr.Ref(ndr.ConformantArray(_variant_type)))],
)
SAFEARR_HAVEIID = ndr.Struct(
    "SAFEARR_HAVEIID", [("Size", ndr.u32), ("apUnknown", _INTERFACES), ("iid", ndr.GUID)]
)


def _sized(name: str, size: int) -> ndr.Struct:
    return ndr.Struct(name, [("clSize", ndr.u32), ("pData", ndr.Unique(_RawArray(size)))])


BYTE_SIZEDARR = _sized("BYTE_SIZEDARR", 1)
WORD_SIZEDARR = _sized("WORD_SIZEDARR", 2)
DWORD_SIZEDARR = _sized("DWORD_SIZEDARR", 4)
HYPER_SIZEDARR = _sized("HYPER_SIZEDARR", 8)

SAFEARRAYUNION = ndr.Union(
    "SAFEARRAYUNION",
    {
        SfType.SF_BSTR: ("BstrStr", SAFEARR_BSTR),
        SfType.SF_UNKNOWN: ("UnknownStr", SAFEARR_UNKNOWN),
        SfType.SF_DISPATCH: ("DispatchStr", SAFEARR_DISPATCH),
        SfType.SF_VARIANT: ("VariantStr", SAFEARR_VARIANT),
        SfType.SF_HAVEIID: ("HaveIidStr", SAFEARR_HAVEIID),
        SfType.SF_I1: ("ByteStr", BYTE_SIZEDARR),
        SfType.SF_I2: ("WordStr", WORD_SIZEDARR),
        SfType.SF_I4: ("LongStr", DWORD_SIZEDARR),
        SfType.SF_I8: ("HyperStr", HYPER_SIZEDARR),
    },
    encapsulated=True,
)

#: _wireSAFEARRAY; SAFEARR_BRECORD (user-defined records) is not supported.
WIRE_SAFEARRAY = ndr.Struct(
    "SAFEARRAY",
    [
        ("cDims", ndr.u16),
        ("fFeatures", ndr.u16),
        ("cbElements", ndr.u32),
        ("cLocks", ndr.u32),
        ("uArrayStructs", SAFEARRAYUNION),
        ("rgsabound", ndr.ConformantArray(SAFEARRAYBOUND)),
    ],
)

# vt -> (SF_TYPE, struct format of one element, to wire, from wire)
_Conv = Callable[[Any], Any] | None
_NUMERIC: Mapping[int, tuple[SfType, str, _Conv, _Conv]] = MappingProxyType(
    {
        VarType.VT_I1: (SfType.SF_I1, "b", None, None),
        VarType.VT_UI1: (SfType.SF_I1, "B", None, None),
        VarType.VT_I2: (SfType.SF_I2, "h", None, None),
        VarType.VT_UI2: (SfType.SF_I2, "H", None, None),
        VarType.VT_BOOL: (SfType.SF_I2, "H", lambda b: 0xFFFF if b else 0, lambda v: v != 0),
        VarType.VT_I4: (SfType.SF_I4, "i", None, None),
        VarType.VT_UI4: (SfType.SF_I4, "I", None, None),
        VarType.VT_INT: (SfType.SF_I4, "i", None, None),
        VarType.VT_UINT: (SfType.SF_I4, "I", None, None),
        VarType.VT_ERROR: (SfType.SF_I4, "I", None, None),
        VarType.VT_R4: (SfType.SF_I4, "f", None, None),
        VarType.VT_I8: (SfType.SF_I8, "q", None, None),
        VarType.VT_UI8: (SfType.SF_I8, "Q", None, None),
        VarType.VT_R8: (SfType.SF_I8, "d", None, None),
        VarType.VT_CY: (SfType.SF_I8, "q", cy_to_wire, cy_from_wire),
        VarType.VT_DATE: (SfType.SF_I8, "d", date_to_wire, date_from_wire),
    }
)
_ELEMENT_SIZE = MappingProxyType(
    {SfType.SF_I1: 1, SfType.SF_I2: 2, SfType.SF_I4: 4, SfType.SF_I8: 8}
)
# cbElements for pointer-like elements: the "element marshaling size" of MS-OAUT 2.2.8
# (32-bit pointers, a 16-byte VARIANT), whatever the sender's own pointer size.
_MEMORY_SIZE = MappingProxyType(
    {
        VarType.VT_BSTR: 4,
        VarType.VT_UNKNOWN: 4,
        VarType.VT_DISPATCH: 4,
        VarType.VT_VARIANT: 16,
    }
)
_TYPE_FEATURE: Mapping[int, int] = MappingProxyType(
    {
        VarType.VT_BSTR: Fadf.FADF_BSTR,
        VarType.VT_UNKNOWN: Fadf.FADF_UNKNOWN,
        VarType.VT_DISPATCH: Fadf.FADF_DISPATCH,
        VarType.VT_VARIANT: Fadf.FADF_VARIANT,
    }
)
_DEFAULT_VT = MappingProxyType(
    {
        SfType.SF_I1: VarType.VT_UI1,
        SfType.SF_I2: VarType.VT_I2,
        SfType.SF_I4: VarType.VT_I4,
        SfType.SF_I8: VarType.VT_I8,
        SfType.SF_BSTR: VarType.VT_BSTR,
        SfType.SF_VARIANT: VarType.VT_VARIANT,
        SfType.SF_UNKNOWN: VarType.VT_UNKNOWN,
        SfType.SF_DISPATCH: VarType.VT_DISPATCH,
    }
)


def default_features(vt: int) -> int:
    """fFeatures as SafeArrayCreate sets them for element type `vt`."""
    if vt in (VarType.VT_UNKNOWN, VarType.VT_DISPATCH):
        return int(Fadf.FADF_HAVEIID | _TYPE_FEATURE[VarType(vt)])
    return int(Fadf.FADF_HAVEVARTYPE | _TYPE_FEATURE.get(vt, 0))


def normalized(array: SafeArray) -> SafeArray:
    """`array` with every default spelled out, as decoding returns it."""
    vt = array.vt
    features = default_features(vt) if array.features is None else array.features
    iid = array.iid
    if iid is None and features & Fadf.FADF_HAVEIID:
        iid = IID_IDISPATCH if vt == VarType.VT_DISPATCH else IID_IUNKNOWN
    return SafeArray(vt, list(array.items), array.dims(), features, iid)


def safearray_to_wire(array: SafeArray) -> Any:
    """The WIRE_SAFEARRAY record for `array`."""
    full = normalized(array)
    vt = full.vt
    items = full.items
    bounds = full.dims()
    cells = math.prod(count for count, _ in bounds)
    if cells != len(items):
        raise fail(f"bounds hold {cells} elements, items has {len(items)}", "SAFEARRAY")
    features = full.features or 0
    if vt in _NUMERIC:
        sf, fmt, to_wire, _ = _NUMERIC[vt]
        values = [to_wire(v) for v in items] if to_wire else items
        try:
            raw = struct.pack(f"<{len(values)}{fmt}", *values)
        except struct.error as err:
            raise fail(f"cannot pack {VarType(vt).name} elements: {err}", "SAFEARRAY") from None
        size = _ELEMENT_SIZE[sf]
        arm = ndr.UnionValue(sf, _sized_value(sf, len(items), raw))
        cb_elements = size
    elif vt == VarType.VT_BSTR:
        sf = SfType.SF_BSTR
        arm = ndr.UnionValue(sf, SAFEARR_BSTR(Size=len(items), aBstr=items))
        cb_elements = _MEMORY_SIZE[VarType.VT_BSTR]
    elif vt == VarType.VT_VARIANT:
        sf = SfType.SF_VARIANT
        arm = ndr.UnionValue(sf, SAFEARR_VARIANT(Size=len(items), aVariant=items))
        cb_elements = _MEMORY_SIZE[VarType.VT_VARIANT]
    elif vt in (VarType.VT_UNKNOWN, VarType.VT_DISPATCH):
        cb_elements = _MEMORY_SIZE[VarType(vt)]
        if features & Fadf.FADF_HAVEIID:
            sf = SfType.SF_HAVEIID
            arm = ndr.UnionValue(
                sf, SAFEARR_HAVEIID(Size=len(items), apUnknown=items, iid=full.iid)
            )
        elif vt == VarType.VT_UNKNOWN:
            sf = SfType.SF_UNKNOWN
            arm = ndr.UnionValue(sf, SAFEARR_UNKNOWN(Size=len(items), apUnknown=items))
        else:
            sf = SfType.SF_DISPATCH
            arm = ndr.UnionValue(sf, SAFEARR_DISPATCH(Size=len(items), apDispatch=items))
    else:
        raise fail(f"SAFEARRAY of vt {vt:#x} is not supported", "SAFEARRAY")
    return WIRE_SAFEARRAY(
        cDims=len(bounds),
        fFeatures=features,
        cbElements=cb_elements,
        # With FADF_HAVEVARTYPE the high word of cLocks carries the element vt.
        cLocks=(vt << 16) if features & Fadf.FADF_HAVEVARTYPE else 0,
        uArrayStructs=arm,
        rgsabound=[SAFEARRAYBOUND(cElements=c, lLbound=lb) for c, lb in bounds],
    )


_SIZED = {
    SfType.SF_I1: BYTE_SIZEDARR,
    SfType.SF_I2: WORD_SIZEDARR,
    SfType.SF_I4: DWORD_SIZEDARR,
    SfType.SF_I8: HYPER_SIZEDARR,
}


def _sized_value(sf: SfType, count: int, raw: bytes) -> Any:
    return _SIZED[sf](clSize=count, pData=raw)


def safearray_from_wire(wire: Any, vt: int | None = None) -> SafeArray:
    """The `SafeArray` of a decoded WIRE_SAFEARRAY record; `vt` types numeric elements."""
    arm = wire.uArrayStructs
    sf = arm.tag
    body = arm.value
    if wire.cDims != len(wire.rgsabound):
        raise fail(f"cDims {wire.cDims} but {len(wire.rgsabound)} bounds", "SAFEARRAY")
    bounds = tuple((b.cElements, b.lLbound) for b in wire.rgsabound)
    iid = None
    if vt is None and wire.fFeatures & Fadf.FADF_HAVEVARTYPE and wire.cLocks >> 16:
        vt = wire.cLocks >> 16  # the sender said what the elements are
    if sf in _SIZED:
        raw = body.pData if body.pData is not None else b""
        size = _ELEMENT_SIZE[SfType(sf)]
        if len(raw) != body.clSize * size:
            raise fail(f"clSize {body.clSize} but {len(raw) // size} elements", "SAFEARRAY")
        element_vt = _DEFAULT_VT[SfType(sf)] if vt is None else vt
        spec = _NUMERIC.get(element_vt)
        if spec is None or spec[0] != sf:
            raise fail(f"vt {element_vt:#x} cannot travel as {SfType(sf).name}", "SAFEARRAY")
        _, fmt, _, from_wire = spec
        items: list[Any] = list(struct.unpack(f"<{body.clSize}{fmt}", raw))
        if from_wire is not None:
            try:
                items = [from_wire(v) for v in items]
            except ProtocolError as err:
                raise fail(getattr(err, "reason", str(err)), "SAFEARRAY") from None
    else:
        items = list(getattr(body, _ITEMS_FIELD[SfType(sf)]))
        if body.Size != len(items):
            raise fail(f"Size {body.Size} but {len(items)} elements", "SAFEARRAY")
        if sf == SfType.SF_HAVEIID:
            iid = body.iid
            guess = (
                VarType.VT_DISPATCH if wire.fFeatures & Fadf.FADF_DISPATCH else VarType.VT_UNKNOWN
            )
        else:
            guess = _DEFAULT_VT[SfType(sf)]
        element_vt = guess if vt is None else vt
        if element_vt != guess and not (
            sf == SfType.SF_HAVEIID and element_vt in (VarType.VT_UNKNOWN, VarType.VT_DISPATCH)
        ):
            raise fail(f"vt {element_vt:#x} cannot travel as {SfType(sf).name}", "SAFEARRAY")
    cells = math.prod(count for count, _ in bounds)
    if cells != len(items):
        raise fail(f"bounds hold {cells} elements, the array has {len(items)}", "SAFEARRAY")
    return SafeArray(element_vt, items, bounds, wire.fFeatures, iid)


_ITEMS_FIELD = {
    SfType.SF_BSTR: "aBstr",
    SfType.SF_VARIANT: "aVariant",
    SfType.SF_UNKNOWN: "apUnknown",
    SfType.SF_DISPATCH: "apDispatch",
    SfType.SF_HAVEIID: "apUnknown",
}


class _SafeArray(ndr.NdrType[SafeArray]):
    """_wireSAFEARRAY as a `SafeArray` value; only ever a pointer referent.

    It reads its own referents at once (they follow it directly) so that it can hand
    back finished elements.
    """

    name = "SAFEARRAY"
    align = 4
    min_size = 24

    def __init__(self, vt: int | None = None) -> None:
        self.vt = vt

    def write(self, enc: Encoder, value: SafeArray) -> None:
        WIRE_SAFEARRAY.write(enc, safearray_to_wire(value))

    def read(self, dec: Decoder) -> SafeArray:
        start = dec.pos
        wire = dec.settle(WIRE_SAFEARRAY.read(dec))
        try:
            return safearray_from_wire(wire, self.vt)
        except ProtocolError as err:
            raise fail(getattr(err, "reason", str(err)), "SAFEARRAY", start) from None


#: SAFEARRAY as MS-OAUT types it: a unique pointer to _wireSAFEARRAY. Numeric elements
#: read on their own get a default type per SF_TYPE (SF_I4: VT_I4...); use
#: `safearray_of(vt)` where the IDL or the VARIANT says what they are.
SAFEARRAY = ndr.Unique(_SafeArray(), name="SAFEARRAY")


def safearray_of(vt: int) -> ndr.NdrType[Any]:
    """SAFEARRAY whose elements are known to be of type `vt`."""
    return ndr.Unique(_SafeArray(vt), name=f"SAFEARRAY({vt:#x})")
