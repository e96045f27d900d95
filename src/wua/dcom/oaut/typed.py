"""The VARTYPE each WUA reference type travels as in a VARIANT, for the client and the
emulated host alike.

wuapi.dll's IDispatch is the type library's (ITypeInfo::Invoke, MS-OAUT 3.7.4): it
coerces each argument to the member's declared VARTYPE and hands back the [out, retval]
in it. MIDL flattens a typedef into its base type when it writes the library, so LCID
(a DWORD) and ULONG are VT_UI4, and HWND (a pointer-sized handle) is VT_I8 on an x64
host; an enumeration is a 32-bit VT_I4. Sending what the library declares is what a
native automation client does, and answering with it is what a real host does, so both
sides, and the emulated ITypeInfo, read this one table.
"""

from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType
from typing import Final

from wua.dcom.oaut.values import Variant
from wua.dcom.oaut.vartype import VarType
from wua.errors import ProtocolError
from wua.reference.wire_types import LONG_MIN, ULONG_MAX, as_long

#: Reference type names with a VARTYPE of their own. "VARIANT" is any VARIANT (the value
#: chooses); "IFoo*" interface pointers other than IUnknown* are VT_DISPATCH, and
#: "enum:Name" VT_I4, by `vartype_for`.
REFERENCE_VARTYPES: Final = MappingProxyType(
    {
        "BSTR": VarType.VT_BSTR,
        "VARIANT_BOOL": VarType.VT_BOOL,
        "LONG": VarType.VT_I4,
        "ULONG": VarType.VT_UI4,
        "LCID": VarType.VT_UI4,
        "DATE": VarType.VT_DATE,
        "DECIMAL": VarType.VT_DECIMAL,
        "HWND": VarType.VT_I8,
        "VARIANT": VarType.VT_VARIANT,
        "IUnknown*": VarType.VT_UNKNOWN,
    }
)

_INTEGER_BOUNDS: Final = MappingProxyType(
    {
        VarType.VT_I4: (LONG_MIN, ULONG_MAX),
        VarType.VT_UI4: (LONG_MIN, ULONG_MAX),
        VarType.VT_I8: (-(2**63), 2**63 - 1),
    }
)


def vartype_for(type_name: str) -> VarType:
    """The VARTYPE of a reference type name ('BSTR', 'enum:UpdateType', 'IUpdate*')."""
    if type_name.startswith("enum:"):
        return VarType.VT_I4
    known = REFERENCE_VARTYPES.get(type_name)
    if known is not None:
        return known
    if type_name.endswith("*"):
        return VarType.VT_DISPATCH
    raise ValueError(f"no VARTYPE for reference type {type_name!r}")


def typed_variant(type_name: str, value: object) -> Variant:
    """The VARIANT of a scalar `value` of reference type `type_name`.

    A 32-bit integer type takes either signedness (WUA's HResult properties are LONGs
    that callers hold as unsigned HRESULTs) and is sent in the declared one. Interface
    pointers and "VARIANT" are the caller's: only it knows how to export an object.
    """
    vt = vartype_for(type_name)
    bounds = _INTEGER_BOUNDS.get(vt)
    if bounds is not None:
        number = _integer(type_name, value, bounds)
        if vt == VarType.VT_I4:
            number = as_long(number)
        elif vt == VarType.VT_UI4:
            number &= ULONG_MAX
        return Variant(vt, number)
    if vt == VarType.VT_BOOL:
        return Variant(vt, bool(value))
    if vt == VarType.VT_DECIMAL and isinstance(value, int | float | str | Decimal):
        return Variant(vt, Decimal(value))
    if vt == VarType.VT_BSTR:
        return Variant(vt, None if value is None else str(value))  # None: a NULL BSTR
    if vt == VarType.VT_DATE:
        return Variant(vt, value)
    raise ValueError(f"{type_name} is not a scalar reference type")


def _integer(type_name: str, value: object, bounds: tuple[int, int]) -> int:
    if type_name == "HWND" and value is None:
        return 0  # no owner window
    if not isinstance(value, int):
        raise ProtocolError(f"{value!r} is not an integer", structure=f"VARIANT {type_name}")
    low, high = bounds
    if not low <= value <= high:
        raise ProtocolError(f"{value} is outside {low}..{high}", structure=f"VARIANT {type_name}")
    return value
