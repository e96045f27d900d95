"""ITypeInfo's remote methods (MS-OAUT 3.7.4) on the emulated host's type infos: the
dispatch view of a WUA interface (`typeinfo`) and a WUApiLib enumeration
(`typeinfo_enum`).

Answered: GetTypeAttr (3), GetFuncDesc (5), GetVarDesc (6), GetNames (7),
GetDocumentation (12), GetRefTypeInfo (14). Not answered, faulting with
nca_s_op_rng_error: GetTypeComp (4), GetRefTypeOfImplType (8), GetImplTypeFlags (9),
GetDllEntry (13), CreateInstance (16), GetMops (17), GetContainingTypeLib (18); the
other opnums are local-only (OpnumNNNotUsedOnWire).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wua.dcom.oaut.values import InterfacePointer
from wua.emulator.server import typeinfo_wire as wire
from wua.emulator.server.framing import read_params, reply
from wua.emulator.server.typeinfo import (
    WUAPILIB_VERSION,
    TypeInfo,
    func_desc,
    names_of,
    type_attr,
    user_type,
)
from wua.emulator.server.typeinfo_enum import (
    EnumTypeInfo,
    enum_class,
    enum_names,
    enum_type_attr,
    var_desc,
)
from wua.reference.hresults import TYPE_E_ELEMENTNOTFOUND
from wua.reference.interfaces import interfaces_by_name
from wua.rpc import ndr
from wua.rpc.channel import RpcFault
from wua.rpc.faults import NCA_S_OP_RNG_ERROR

AnyTypeInfo = TypeInfo | EnumTypeInfo
#: Exports a type info found by GetRefTypeInfo as an ITypeInfo interface pointer.
Export = Callable[[AnyTypeInfo], InterfacePointer | None]


def call_type_info(
    info: AnyTypeInfo, opnum: int, stub: bytes, offset: int, export: Export
) -> bytes:
    """One ITypeInfo call (after its ORPCTHIS) answered from the reference."""
    if opnum == 3:
        read_params(wire.GET_TYPE_ATTR_REQUEST, stub, offset)
        attr = (
            type_attr(info)
            if isinstance(info, TypeInfo)
            else enum_type_attr(info, WUAPILIB_VERSION)
        )
        return reply(wire.GET_TYPE_ATTR_RESPONSE, ppTypeAttr=attr, pReserved=0, hresult=0)
    if opnum == 5:
        index = read_params(wire.GET_FUNC_DESC_REQUEST, stub, offset).index
        functions = info.functions if isinstance(info, TypeInfo) else ()
        found = func_desc(functions[index]) if index < len(functions) else None
        return reply(
            wire.GET_FUNC_DESC_RESPONSE,
            ppFuncDesc=found,
            pReserved=0,
            hresult=0 if found is not None else TYPE_E_ELEMENTNOTFOUND,
        )
    if opnum == 6:
        index = read_params(wire.GET_VAR_DESC_REQUEST, stub, offset).index
        variable = var_desc(info, index) if isinstance(info, EnumTypeInfo) else None
        return reply(
            wire.GET_VAR_DESC_RESPONSE,
            ppVarDesc=variable,
            pReserved=0,
            hresult=0 if variable is not None else TYPE_E_ELEMENTNOTFOUND,
        )
    if opnum == 7:
        request = read_params(wire.GET_NAMES_REQUEST, stub, offset)
        names = _names(info, request.memid)
        if names is None:
            return _names_reply(request.cMaxNames, [], TYPE_E_ELEMENTNOTFOUND)
        return _names_reply(request.cMaxNames, names[: request.cMaxNames], 0)
    if opnum == 12:
        return _documentation(info, read_params(wire.GET_DOCUMENTATION_REQUEST, stub, offset))
    if opnum == 14:
        href = read_params(wire.GET_REF_TYPE_INFO_REQUEST, stub, offset).hRefType
        target = referenced(href)
        pointer = export(target) if target is not None else None
        return reply(
            wire.GET_REF_TYPE_INFO_RESPONSE,
            ppTInfo=pointer,
            hresult=0 if pointer is not None else TYPE_E_ELEMENTNOTFOUND,
        )
    raise RpcFault(NCA_S_OP_RNG_ERROR)


def referenced(href: int) -> AnyTypeInfo | None:
    """The type info an HREFTYPE names: a WUA interface the reference describes, or an
    enumeration; None for a name the reference has no members or values for."""
    name = user_type(href)
    if name is None:
        return None
    known = interfaces_by_name().get(name)
    if known is not None and known.is_dispatch:
        return TypeInfo(name)
    if enum_class(name) is not None:
        return EnumTypeInfo(name)
    return None


def _names(info: AnyTypeInfo, memid: int) -> list[str] | None:
    if isinstance(info, TypeInfo):
        return names_of(info, memid)
    return enum_names(info, memid)


def _names_reply(max_names: int, names: list[str], hresult: int) -> bytes:
    """rgBstrNames is [size_is(cMaxNames), length_is(*pcNames)]: max count cMaxNames."""
    return reply(
        wire.GET_NAMES_RESPONSE,
        rgBstrNames=ndr.Varying(names, max_names),
        pcNames=len(names),
        hresult=hresult,
    )


def _documentation(info: AnyTypeInfo, request: Any) -> bytes:
    """The type's name for MEMBERID_NIL, else the member's; WUApiLib's help strings are
    not in the reference, so the doc string and help file stay NULL."""
    if request.memid == wire.MEMBERID_NIL:
        name: str | None = info.interface if isinstance(info, TypeInfo) else info.name
        hresult = 0
    else:
        found = _names(info, request.memid)
        name = found[0] if found else None
        hresult = 0 if found else TYPE_E_ELEMENTNOTFOUND
    return reply(
        wire.GET_DOCUMENTATION_RESPONSE,
        pBstrName=name if request.refPtrFlags & 1 and hresult == 0 else None,
        pBstrDocString=None,
        pdwHelpContext=0,
        pBstrHelpFile=None,
        hresult=hresult,
    )
