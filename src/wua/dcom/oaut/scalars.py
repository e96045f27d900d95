"""NDR types for the MS-OAUT scalars: VARIANT_BOOL, CURRENCY, DATE, DECIMAL, BSTR and
MInterfacePointer, each decoding straight to its Python value (see `values`)."""

from __future__ import annotations

import struct
from decimal import Decimal
from typing import Any

from wua.dcom.oaut.values import (
    InterfacePointer,
    cy_from_wire,
    cy_to_wire,
    date_from_wire,
    date_to_wire,
    decimal_from_wire,
    decimal_to_wire,
)
from wua.dcom.oaut.vartype import VarType
from wua.errors import ProtocolError
from wua.rpc import ndr
from wua.rpc.ndr import Decoder, Encoder, fail

__all__ = [
    "BSTR",
    "CURRENCY",
    "DATE",
    "DECIMAL",
    "DECIMAL_IN_VARIANT",
    "FLAGGED_WORD_BLOB",
    "HRESULT",
    "INTERFACE_POINTER",
    "MINTERFACE_POINTER",
    "VARIANT_BOOL",
]


def _bool_to_wire(value: bool) -> int:
    return 0xFFFF if value else 0


def _bool_from_wire(raw: int) -> bool:
    return raw != 0


#: VARIANT_TRUE is 0xFFFF (-1), VARIANT_FALSE 0; any other non-zero value reads as True.
VARIANT_BOOL = ndr.Primitive(
    "VARIANT_BOOL", "H", 2, to_wire=_bool_to_wire, from_wire=_bool_from_wire
)
CURRENCY = ndr.Primitive("CURRENCY", "q", 8, to_wire=cy_to_wire, from_wire=cy_from_wire)
DATE = ndr.Primitive("DATE", "d", 8, to_wire=date_to_wire, from_wire=date_from_wire)
HRESULT = ndr.Primitive("HRESULT", "I", 4)

_DECIMAL = struct.Struct("<HBBIQ")


class _Decimal(ndr.NdrType[Decimal]):
    """DECIMAL {wReserved, scale, sign, Hi32, Lo64} as `decimal.Decimal`.

    Inside a VARIANT the DECIMAL overlays the whole VARIANT in memory, so Windows sends
    VT_DECIMAL in wReserved (`reserved`); pointed to on its own, wReserved is 0.
    """

    align = 8
    min_size = 16

    def __init__(self, name: str, reserved: int) -> None:
        self.name = name
        self.reserved = reserved

    def write(self, enc: Encoder, value: Decimal) -> None:
        scale, sign, hi32, lo64 = decimal_to_wire(value)
        enc.align(8)
        enc.buf += _DECIMAL.pack(self.reserved, scale, sign, hi32, lo64)

    def read(self, dec: Decoder) -> Decimal:
        dec.align(8)
        pos = dec.need(16, self.name)
        _reserved, scale, sign, hi32, lo64 = _DECIMAL.unpack_from(dec.data, pos)
        dec.pos = pos + 16
        try:
            return decimal_from_wire(scale, sign, hi32, lo64)
        except ProtocolError as err:
            raise fail(getattr(err, "reason", str(err)), self.name, pos) from None


DECIMAL = _Decimal("DECIMAL", 0)
DECIMAL_IN_VARIANT = _Decimal("DECIMAL", int(VarType.VT_DECIMAL))

_BLOB_HEADER = struct.Struct("<III")
_NULL_BSTR_BYTES = 0xFFFFFFFF


class _NullBstr:
    """Marks the NULL BSTR on its way to the blob writer."""


_NULL_BSTR = _NullBstr()


class _FlaggedWordBlob(ndr.NdrType[Any]):
    """FLAGGED_WORD_BLOB (MS-OAUT 2.2.23.1): the referent of a BSTR.

    cBytes 0xFFFFFFFF with clSize 0 is the NULL BSTR (Windows sends that rather than a
    NULL pointer). An odd cBytes (a byte string stuffed into a BSTR) cannot be a `str`:
    it is refused.
    """

    name = "FLAGGED_WORD_BLOB"
    align = 4
    min_size = 12

    def write(self, enc: Encoder, value: Any) -> None:
        enc.align(4)
        if value is _NULL_BSTR:
            enc.buf += _BLOB_HEADER.pack(0, _NULL_BSTR_BYTES, 0)
            return
        raw = value.encode("utf-16-le", "surrogatepass")
        units = len(raw) // 2
        enc.buf += _BLOB_HEADER.pack(units, len(raw), units)
        enc.buf += raw

    def read(self, dec: Decoder) -> str | None:
        dec.align(4)
        pos = dec.need(12, self.name)
        max_count, cbytes, clsize = _BLOB_HEADER.unpack_from(dec.data, pos)
        dec.pos = pos + 12
        if max_count != clsize:
            raise fail(f"max count {max_count} differs from clSize {clsize}", self.name, pos)
        if cbytes == _NULL_BSTR_BYTES:
            if clsize:
                raise fail("a NULL BSTR must have clSize 0", self.name, pos + 8)
            return None
        if cbytes != 2 * clsize:
            raise fail(f"cBytes {cbytes} is not 2 x clSize {clsize}", self.name, pos + 4)
        start = dec.need(cbytes, self.name)
        dec.pos = start + cbytes
        return bytes(dec.data[start : start + cbytes]).decode("utf-16-le", "surrogatepass")


FLAGGED_WORD_BLOB = _FlaggedWordBlob()


class _Bstr(ndr.Unique):
    """BSTR: a unique pointer to a FLAGGED_WORD_BLOB; Python `str`, None for NULL.

    None is sent as Windows does, as a blob with cBytes 0xFFFFFFFF; a NULL pointer is
    also read as None.
    """

    def write(self, enc: Encoder, value: Any) -> None:
        super().write(enc, _NULL_BSTR if value is None else value)

    def write_top(self, enc: Encoder, value: Any) -> None:
        super().write_top(enc, _NULL_BSTR if value is None else value)


BSTR = _Bstr(FLAGGED_WORD_BLOB, name="BSTR")

_U32X2 = struct.Struct("<II")


class _MInterfacePointer(ndr.NdrType[InterfacePointer]):
    """MInterfacePointer {ulCntData; [size_is(ulCntData)] byte abData[]}: the OBJREF.

    It is a conformant structure, so the array's max count comes first.
    """

    name = "MInterfacePointer"
    align = 4
    min_size = 8

    def write(self, enc: Encoder, value: InterfacePointer) -> None:
        data = value.objref
        enc.align(4)
        enc.buf += _U32X2.pack(len(data), len(data))
        enc.buf += data

    def read(self, dec: Decoder) -> InterfacePointer:
        dec.align(4)
        pos = dec.need(8, self.name)
        max_count, count = _U32X2.unpack_from(dec.data, pos)
        if max_count != count:
            raise fail(f"max count {max_count} differs from ulCntData {count}", self.name, pos)
        dec.pos = pos + 8
        start = dec.need(count, self.name)
        dec.pos = start + count
        return InterfacePointer(bytes(dec.data[start : start + count]))


MINTERFACE_POINTER = _MInterfacePointer()
#: IUnknown* / IDispatch* on the wire: a unique pointer to an MInterfacePointer.
INTERFACE_POINTER = ndr.Unique(MINTERFACE_POINTER, name="PMInterfacePointer")
