"""The ITypeInfo that IDispatch::GetTypeInfo hands out for a WUA interface, answered from
`wua.reference` (MS-OAUT 3.7.4).

wuapi.dll's objects take their IDispatch from the WUApiLib type library, so a real host
answers GetTypeInfoCount with 1 and GetTypeInfo with the interface's type info;
PowerShell/.NET read it to learn members and types. For a dual interface that type info
is the dispatch view (TKIND_DISPATCH, TYPEFLAG_FDUAL): each member is a FUNC_DISPATCH
with its DISPID, a property get/put pair is two functions, and a method's [out, retval]
is its return type (VT_VOID when it has none). Pointers are 8 bytes (an x64 host):
oVft is the vtable slot times 8, cbSizeVft the 7 IUnknown/IDispatch slots.

Interfaces and enumerations a member refers to are VT_USERDEFINED with an HREFTYPE
that numbers the names the reference knows; GetRefTypeInfo turns it into that type's
ITypeInfo (`typeinfo_calls`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from wua.dcom.oaut.typed import REFERENCE_VARTYPES
from wua.emulator.server import typeinfo_wire as wire
from wua.emulator.server.typeinfo_base import BASE_FUNCTIONS
from wua.reference.interfaces import (
    DISPID_NEWENUM,
    Interface,
    Member,
    MemberKind,
    interfaces_by_name,
)
from wua.rpc import ndr

POINTER_SIZE = 8
DISPATCH_SLOTS = 7  # IUnknown 0-2, IDispatch 3-6
WUAPILIB_VERSION = (2, 0)

# The reference's own types as the client and the host send them, plus the C types of
# IUnknown's and IDispatch's own members (typeinfo_base).
_SCALARS: Mapping[str, int] = MappingProxyType(
    {
        **REFERENCE_VARTYPES,
        "UINT": wire.VT_UINT,
        "USHORT": wire.VT_UI2,
        "char": wire.VT_I1,
        "void": wire.VT_VOID,
    }
)
_PARAM_FLAGS = {"in": wire.PARAMFLAG_FIN, "out": wire.PARAMFLAG_FOUT}
_INVOKE_KINDS = {
    MemberKind.PROPGET: wire.INVOKE_PROPERTYGET,
    MemberKind.PROPPUT: wire.INVOKE_PROPERTYPUT,
    MemberKind.METHOD: wire.INVOKE_FUNC,
}


@dataclass(frozen=True)
class TypeInfo:
    """The dispatch-view type info of one WUA interface (an exported object of its own)."""

    interface: str

    @property
    def functions(self) -> tuple[Member, ...]:
        """IUnknown's and IDispatch's (restricted), then the interface's, vtable order."""
        return BASE_FUNCTIONS + interfaces_by_name()[self.interface].all_members()

    @property
    def definition(self) -> Interface:
        return interfaces_by_name()[self.interface]


@cache
def _user_types() -> dict[str, int]:
    """HREFTYPE of every interface or enumeration a member mentions, numbered by name."""
    names: set[str] = set()
    members = [m for i in interfaces_by_name().values() for m in i.members] + list(BASE_FUNCTIONS)
    for member in members:
        for type_name in [p.type for p in member.params] + [member.returns or "void"]:
            user = _user_type_name(type_name)
            if user is not None:
                names.add(user)
    return {name: index for index, name in enumerate(sorted(names), start=1)}


def user_type(href: int) -> str | None:
    """The interface or enumeration an HREFTYPE numbers (GetRefTypeInfo's lookup)."""
    return next((name for name, number in _user_types().items() if number == href), None)


def _user_type_name(type_name: str) -> str | None:
    """The named type (interface, enum, stdole record) under any pointers, if any."""
    base = type_name.rstrip("*")
    if base.startswith("enum:"):
        return base[5:]
    if type_name in _SCALARS or base in _SCALARS:
        return None
    return base


def type_desc(type_name: str | None) -> Any:
    """The TYPEDESC of a reference type name ('BSTR', 'IUpdate*', 'enum:UpdateType',
    'void**'): each '*' a VT_PTR, a named type VT_USERDEFINED with its HREFTYPE."""
    if type_name is None:
        return _plain(wire.VT_VOID)
    scalar = _SCALARS.get(type_name)
    if scalar is not None:
        return _plain(scalar)
    if type_name.endswith("*"):
        return wire.TYPEDESC(
            _tdUnion=ndr.UnionValue(wire.VT_PTR, type_desc(type_name[:-1])), vt=wire.VT_PTR
        )
    user = _user_type_name(type_name)
    if user is None or user not in _user_types():
        raise ValueError(f"no TYPEDESC for reference type {type_name!r}")
    return wire.TYPEDESC(
        _tdUnion=ndr.UnionValue(wire.VT_USERDEFINED, _user_types()[user]),
        vt=wire.VT_USERDEFINED,
    )


def _plain(vt: int) -> Any:
    return wire.TYPEDESC(_tdUnion=ndr.UnionValue(vt), vt=vt)


def _elem(type_name: str | None, flags: int = 0) -> Any:
    return wire.ELEMDESC(
        tdesc=type_desc(type_name),
        paramdesc=wire.PARAMDESC(pparamdescex=None, wParamFlags=flags),
    )


def type_attr(info: TypeInfo) -> Any:
    major, minor = WUAPILIB_VERSION
    return wire.TYPEATTR(
        guid=uuid.UUID(info.definition.iid),
        lcid=0,
        dwReserved1=0,
        dwReserved2=0,
        dwReserved3=0,
        lpstrReserved4=None,
        cbSizeInstance=POINTER_SIZE,
        typekind=wire.TKIND_DISPATCH,
        cFuncs=len(info.functions),
        cVars=0,
        cImplTypes=1,
        cbSizeVft=DISPATCH_SLOTS * POINTER_SIZE,
        cbAlignment=POINTER_SIZE,
        wTypeFlags=wire.TYPEFLAG_FDUAL | wire.TYPEFLAG_FDISPATCHABLE,
        wMajorVerNum=major,
        wMinorVerNum=minor,
        tdescAlias=_plain(0),
        idldescType_dwReserved=0,
        idldescType_wIDLFlags=0,
    )


def func_desc(member: Member) -> Any:
    params = [_elem(p.type, _PARAM_FLAGS[p.direction]) for p in member.params]
    if member in BASE_FUNCTIONS:
        flags = wire.FUNCFLAG_FRESTRICTED
    elif member.dispid == DISPID_NEWENUM:
        flags = wire.FUNCFLAG_FRESTRICTED | wire.FUNCFLAG_FHIDDEN
    else:
        flags = 0
    return wire.FUNCDESC(
        memid=member.dispid,
        lReserved1=None,
        lprgelemdescParam=params or None,
        funckind=wire.FUNC_DISPATCH,
        invkind=_INVOKE_KINDS[member.kind],
        callconv=wire.CC_STDCALL,
        cParams=len(params),
        cParamsOpt=0,
        oVft=member.slot * POINTER_SIZE,
        cReserved2=0,
        elemdescFunc=_elem(member.returns),
        wFuncFlags=flags,
    )


def names_of(info: TypeInfo, memid: int) -> list[str] | None:
    """GetNames: the member's name, then its parameters' (a property put: the name only)."""
    for member in info.functions:
        if member.dispid == memid:
            if member.kind is MemberKind.PROPPUT:
                return [member.name]
            return [member.name] + [p.name for p in member.params]
    return None
