"""Moving values between our `Variant` and impacket's `oaut.VARIANT` (test only).

The bridge only fills and reads impacket's fields; all the wire work is impacket's own,
so the differential tests compare two independent encoders and decoders.

impacket 0.13.1 gaps, which the tests skip rather than match:
- VT_ARRAY in a VARIANT: its union arm is a SAFEARRAY structure, not the pointer to a
  pointer to one (PSAFEARRAY) that Windows, Wine and Wireshark expect,
  and the SAFEARR_UNKNOWN / _DISPATCH / _VARIANT / sized arms lack their pointer level;
  only SF_BSTR arrays are laid out right (tested on their own).
- VT_VARIANT | VT_BYREF: PVARIANT cannot be built or parsed (constructor TypeError).
- VT_UI1 | VT_BYREF is declared as a BYTE instead of a BYTE*.
- BSTRs: each Python character is packed into one UTF-16 unit, so characters beyond
  the BMP (surrogate pairs) cannot be encoded.
- DISPID arrays are unsigned ('<L') although DISPID is a LONG; HRESULT is signed.
- IDispatch_GetTypeInfoCount sends a spurious [in] LPWSTR (the method has no [in]
  parameters).
- The NULL BSTR (cBytes 0xFFFFFFFF) reads as "" in impacket.
- IDispatch::Invoke's response lacks the [out] rgVarRef, so the HRESULT it reports is
  rgVarRef's max count (0): the "0x0 for failed Invoke" of design.md.
"""

from __future__ import annotations

from typing import Any

from impacket.dcerpc.v5.dcom import oaut as io
from impacket.dcerpc.v5.dtypes import NULL
from impacket.dcerpc.v5.ndr import NDRCALL

from wua.dcom.oaut import VT_BYREF, InterfacePointer, Variant, VarType
from wua.dcom.oaut.values import (
    cy_from_wire,
    cy_to_wire,
    date_from_wire,
    date_to_wire,
    decimal_from_wire,
    decimal_to_wire,
)

V = VarType
ARMS: dict[int, str] = {int(tag): name for tag, (name, _) in io.varUnion.union.items()}


class OneVariant(NDRCALL):  # type: ignore[misc]
    structure = (("v", io.VARIANT),)


class OneDispParams(NDRCALL):  # type: ignore[misc]
    structure = (("p", io.DISPPARAMS),)


class OneBstr(NDRCALL):  # type: ignore[misc]
    structure = (("b", io.BSTR),)


def _raw(vt: int, value: Any) -> Any:
    base = vt & 0x0FFF
    if base == V.VT_BOOL:
        return 0xFFFF if value else 0
    if base == V.VT_DATE:
        return date_to_wire(value)
    if base == V.VT_CY:
        return cy_to_wire(value)
    if base == V.VT_ERROR:  # impacket's HRESULT is signed, ours unsigned (0x8...)
        return value - (1 << 32) if value >= 1 << 31 else value
    return value


def _cooked(vt: int, raw: Any) -> Any:
    base = vt & 0x0FFF
    if base == V.VT_BOOL:
        return raw != 0
    if base == V.VT_DATE:
        return date_from_wire(raw)
    if base == V.VT_CY:
        return cy_from_wire(raw)
    if base == V.VT_ERROR:
        return raw & 0xFFFFFFFF
    return raw


def fill(target: Any, variant: Variant) -> None:
    """Set impacket VARIANT `target`'s fields from `variant`."""
    vt = variant.vt
    target["clSize"] = 0
    target["rpcReserved"] = 0
    target["vt"] = vt
    target["wReserved1"] = 0
    target["wReserved2"] = 0
    target["wReserved3"] = 0
    union = target["_varUnion"]
    union["tag"] = vt
    if vt in (V.VT_EMPTY, V.VT_NULL):
        return
    name = ARMS[vt]
    base = vt & 0x0FFF
    value = variant.value
    if base == V.VT_BSTR:
        union[name]["asData"] = value
    elif base in (V.VT_DISPATCH, V.VT_UNKNOWN):
        union[name]["ulCntData"] = len(value.objref)
        union[name]["abData"] = list(value.objref)
    elif base == V.VT_DECIMAL:
        scale, sign, hi32, lo64 = decimal_to_wire(value)
        dec = union[name]
        dec["wReserved"] = 0 if vt & VT_BYREF else int(V.VT_DECIMAL)
        dec["scale"], dec["sign"], dec["Hi32"], dec["Lo64"] = scale, sign, hi32, lo64
    elif base == V.VT_CY:
        union[name]["int64"] = _raw(vt, value)
    else:
        union[name] = _raw(vt, value)


def read(source: Any) -> Variant:
    """Our `Variant` for the fields of impacket VARIANT `source`."""
    vt = source["vt"]
    if vt in (V.VT_EMPTY, V.VT_NULL):
        return Variant(vt)
    union = source["_varUnion"]
    name = ARMS[vt]
    base = vt & 0x0FFF
    if base == V.VT_BSTR:
        return Variant(vt, union[name]["asData"])
    if base in (V.VT_DISPATCH, V.VT_UNKNOWN):
        return Variant(vt, InterfacePointer(b"".join(union[name]["abData"])))
    if base == V.VT_DECIMAL:
        dec = union[name]
        return Variant(vt, decimal_from_wire(dec["scale"], dec["sign"], dec["Hi32"], dec["Lo64"]))
    if base == V.VT_CY:
        return Variant(vt, _cooked(vt, union[name]["int64"]))
    return Variant(vt, _cooked(vt, union[name]))


def impacket_encode_variant(variant: Variant) -> bytes:
    call = OneVariant()
    fill(call["v"], variant)
    return bytes(call.getData())


def impacket_decode_variant(data: bytes) -> Variant:
    return read(OneVariant(data)["v"])


def impacket_encode_dispparams(variants: list[Variant], names: list[int]) -> bytes:
    call = OneDispParams()
    params = call["p"]
    if variants:
        for variant in variants:
            item = io.VARIANT(None, False)
            fill(item, variant)
            params["rgvarg"].append(item)
    else:
        params["rgvarg"] = NULL
    if names:
        for name in names:
            params["rgdispidNamedArgs"].append(name & 0xFFFFFFFF)  # its array is unsigned
    else:
        params["rgdispidNamedArgs"] = NULL
    params["cArgs"] = len(variants)
    params["cNamedArgs"] = len(names)
    return bytes(call.getData())


def impacket_decode_dispparams(data: bytes) -> tuple[list[Variant], list[int], int, int]:
    params = OneDispParams(data)["p"]
    variants = [read(v) for v in params["rgvarg"]] if params["rgvarg"] else []
    # impacket declares DISPID arrays unsigned ('<L'); DISPID is a LONG.
    names = [n - (1 << 32) if n >= 1 << 31 else n for n in (params["rgdispidNamedArgs"] or [])]
    return variants, names, params["cArgs"], params["cNamedArgs"]


class OneSafeArray(NDRCALL):  # type: ignore[misc]
    structure = (("a", io.PSAFEARRAY),)


def impacket_encode_bstr_safearray(items: list[str], lower_bound: int) -> bytes:
    call = OneSafeArray()
    array = call["a"]
    array["cDims"] = 1
    array["fFeatures"] = 0x180
    array["cbElements"] = 4
    array["cLocks"] = 8 << 16
    array["uArrayStructs"]["tag"] = 8
    array["uArrayStructs"]["BstrStr"]["Size"] = len(items)
    for item in items:
        bstr = io.BSTR()
        bstr["asData"] = item
        array["uArrayStructs"]["BstrStr"]["aBstr"].append(bstr)
    bound = io.SAFEARRAYBOUND()
    bound["cElements"] = len(items)
    bound["lLbound"] = lower_bound
    array["rgsabound"].append(bound)
    return bytes(call.getData())


def impacket_decode_bstr_safearray(data: bytes) -> tuple[int, list[str], list[tuple[int, int]]]:
    array = OneSafeArray(data)["a"]
    items = [b["asData"] for b in array["uArrayStructs"]["BstrStr"]["aBstr"]]
    bounds = [(b["cElements"], b["lLbound"]) for b in array["rgsabound"]]
    return array["uArrayStructs"]["tag"], items, bounds


class GetIDsOfNamesIn(NDRCALL):  # type: ignore[misc]
    """impacket's request body without the ORPCTHIS (its DCOMCALL header)."""

    structure = io.IDispatch_GetIDsOfNames.structure


class GetIDsOfNamesOut(NDRCALL):  # type: ignore[misc]
    structure = io.IDispatch_GetIDsOfNamesResponse.structure


class InvokeIn(NDRCALL):  # type: ignore[misc]
    structure = io.IDispatch_Invoke.structure
