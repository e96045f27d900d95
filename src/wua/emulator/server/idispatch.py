"""IDispatch on the emulated host's WUA objects (MS-OAUT 3.1.4), opnums 3-6.

Which errors go where follows Windows' type-library dispatch (DispInvoke): a call that
cannot be made — unknown DISPID, wrong argument count or type — fails Invoke itself
with that DISP_E_* code; a call the object refuses or fails — E_ACCESSDENIED for a
restricted member, 0x8024401C from a Search — is DISP_E_EXCEPTION with the real HRESULT
in EXCEPINFO.scode. Named arguments other than DISPID_PROPERTYPUT are refused
(DISP_E_NONAMEDARGS), as for any dual interface without [optional] parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wua.dcom import oaut
from wua.emulator.server.framing import read_params, reply
from wua.emulator.server.runtime import HostRuntime
from wua.emulator.server.typeinfo import TypeInfo
from wua.emulator.wua import (
    EmulatedObject,
    dispatch_interface,
    dispid_of_name,
    invoke,
    member_for_dispid,
)
from wua.errors import WuaError
from wua.reference.hresults import (
    DISP_E_BADINDEX,
    DISP_E_EXCEPTION,
    DISP_E_NONAMEDARGS,
    DISP_E_PARAMNOTFOUND,
    DISP_E_UNKNOWNNAME,
)
from wua.reference.interfaces import DISPID_UNKNOWN

_DISP_FACILITY = 0x80020000


@dataclass(frozen=True)
class Outcome:
    """What Invoke answers: a result, or an HRESULT with or without an EXCEPINFO."""

    result: oaut.Variant
    hresult: int = 0
    scode: int = 0
    description: str | None = None
    arg_err: int = 0


def get_type_info_count(stub: bytes, offset: int) -> bytes:
    """One type info (pctinfo 1), as wuapi's objects, whose IDispatch is the WUApiLib
    type library's: see `typeinfo`.

    The method has no [in] parameters, yet impacket sends a stray `LPWSTR` after the
    ORPCTHIS, and Windows answers it: what follows the ORPCTHIS is not read here, the
    one place where trailing stub bytes are accepted.
    """
    del stub, offset
    return reply(oaut.GET_TYPE_INFO_COUNT_RESPONSE, pctinfo=1, hresult=0)


def get_type_info(runtime: HostRuntime, obj: EmulatedObject, stub: bytes, offset: int) -> bytes:
    """Type info 0 is the dispatch view of the object's interface, exported as an
    ITypeInfo object of its own; any other index is DISP_E_BADINDEX."""
    request = read_params(oaut.GET_TYPE_INFO_REQUEST, stub, offset)
    if request.iTInfo != 0:
        return reply(oaut.GET_TYPE_INFO_RESPONSE, ppTInfo=None, hresult=DISP_E_BADINDEX)
    pointer = runtime.export_type_info(TypeInfo(dispatch_interface(obj).name))
    return reply(oaut.GET_TYPE_INFO_RESPONSE, ppTInfo=pointer, hresult=0)


def get_ids_of_names(obj: EmulatedObject, stub: bytes, offset: int) -> bytes:
    """The member's DISPID for the first name; parameter names (the rest) are unknown."""
    request = read_params(oaut.GET_IDS_OF_NAMES_REQUEST, stub, offset)
    names: list[str | None] = request.rgszNames or []
    ids: list[int] = []
    hresult = 0
    for index, name in enumerate(names):
        try:
            if index > 0 or name is None:
                raise WuaError(hresult=DISP_E_UNKNOWNNAME)
            ids.append(dispid_of_name(obj, name))
        except WuaError:
            ids.append(DISPID_UNKNOWN)
            hresult = DISP_E_UNKNOWNNAME
    return reply(oaut.GET_IDS_OF_NAMES_RESPONSE, rgDispId=ids, hresult=hresult)


async def invoke_call(runtime: HostRuntime, obj: EmulatedObject, stub: bytes, offset: int) -> bytes:
    request = read_params(oaut.INVOKE_REQUEST, stub, offset)
    outcome = await _invoke(runtime, obj, request)
    excepinfo = oaut.EXCEPINFO(
        wCode=0,
        wReserved=0,
        bstrSource=None if not outcome.scode else "WUAPI",
        bstrDescription=outcome.description,
        bstrHelpFile=None,
        dwHelpContext=0,
        pvReserved=0,
        pfnDeferredFillIn=0,
        scode=outcome.scode,
    )
    return reply(
        oaut.INVOKE_RESPONSE,
        pVarResult=outcome.result,
        pExcepInfo=excepinfo,
        pArgErr=outcome.arg_err,
        rgVarRef=list(request.rgVarRef or []),
        hresult=outcome.hresult,
    )


async def _invoke(runtime: HostRuntime, obj: EmulatedObject, request: Any) -> Outcome:
    empty = oaut.Variant(oaut.VarType.VT_EMPTY)
    flags = request.dwFlags & 0xF
    try:
        positional, named = oaut.call_arguments(request.pDispParams)
        put = flags & (oaut.DISPATCH_PROPERTYPUT | oaut.DISPATCH_PROPERTYPUTREF)
        value = named.pop(oaut.DISPID_PROPERTYPUT, None) if put else None
        if named:
            return Outcome(empty, DISP_E_NONAMEDARGS)
        if put and value is None:
            return Outcome(empty, DISP_E_PARAMNOTFOUND)
        variants = positional + ([value] if value is not None else [])
        args = [runtime.marshaler.argument(v) for v in variants]
        iface = dispatch_interface(obj)
        member = member_for_dispid(iface.name, request.dispIdMember, flags)
    except WuaError as exc:
        return Outcome(empty, exc.hresult)
    await runtime.hold(obj, member)
    try:
        result = invoke(obj, iface.name, member.name, member.kind, args)
    except WuaError as exc:
        if exc.hresult & 0xFFFF0000 == _DISP_FACILITY:
            return Outcome(empty, exc.hresult)
        return Outcome(empty, DISP_E_EXCEPTION, exc.hresult, exc.detail)
    return Outcome(runtime.marshaler.result_variant(member.returns, result, runtime.now()))
