"""A stock impacket DCOM client driven the way impacket's examples/dcomexec.py drives
IDispatch: CoCreateInstanceEx, GetIDsOfNames, Invoke, sub-objects from VT_DISPATCH.

impacket 0.13.1 misreads a failed Invoke (design §2), so `raw_invoke` sends impacket's
own request and reads the HRESULT and EXCEPINFO.scode from the raw answer bytes.
"""

from __future__ import annotations

import struct
import uuid
from dataclasses import dataclass
from threading import current_thread
from typing import Any

from impacket.dcerpc.v5.dcom.oaut import (
    DISPATCH_METHOD,
    DISPATCH_PROPERTYGET,
    DISPPARAMS,
    VARENUM,
    VARIANT,
    IDispatch,
    IDispatch_Invoke,
    IID_IDispatch,
    string_to_bin,
)
from impacket.dcerpc.v5.dcomrt import (
    FLAGS_OBJREF_STANDARD,
    INTERFACE,
    OBJREF,
    OBJREF_STANDARD,
    DCOMConnection,
)
from impacket.dcerpc.v5.dtypes import NULL
from impacket.dcerpc.v5.rpcrt import RPC_C_AUTHN_LEVEL_PKT_PRIVACY

from wua.dcom.orpc import ORPCTHIS, OrpcThis
from wua.rpc import ndr

CLSID_UPDATE_SESSION = "4cb43d7f-7eee-4906-8698-60da1c38f2fe"
LCID = 0x409


def connect(
    address: str, user: str, password: str, level: int = RPC_C_AUTHN_LEVEL_PKT_PRIVACY
) -> DCOMConnection:
    return DCOMConnection(address, user, password, "", authLevel=level, oxidResolver=False)


def disconnect(dcom: DCOMConnection, address: str) -> None:
    """DCOMConnection.disconnect, which raises KeyError (impacket issue 1039) when no
    object connection was ever made from this thread: give it the entry it deletes."""
    INTERFACE.CONNECTIONS.setdefault(address, {}).setdefault(current_thread().name, {})
    dcom.disconnect()


def create(dcom: DCOMConnection, clsid: str = CLSID_UPDATE_SESSION) -> IDispatch:
    return IDispatch(dcom.CoCreateInstanceEx(string_to_bin(clsid), IID_IDispatch))


def bstr(text: str) -> Any:
    arg = VARIANT(None, False)
    arg["clSize"] = 5
    arg["vt"] = VARENUM.VT_BSTR
    arg["_varUnion"]["tag"] = VARENUM.VT_BSTR
    arg["_varUnion"]["bstrVal"]["asData"] = text
    return arg


def long(value: int) -> Any:
    arg = VARIANT(None, False)
    arg["clSize"] = 5
    arg["vt"] = VARENUM.VT_I4
    arg["_varUnion"]["tag"] = VARENUM.VT_I4
    arg["_varUnion"]["lVal"] = value
    return arg


def boolean(value: bool) -> Any:
    arg = VARIANT(None, False)
    arg["clSize"] = 5
    arg["vt"] = VARENUM.VT_BOOL
    arg["_varUnion"]["tag"] = VARENUM.VT_BOOL
    arg["_varUnion"]["boolVal"] = -1 if value else 0
    return arg


def params(*args: Any, put: bool = False) -> Any:
    """DISPPARAMS with `args` in call order (rgvarg holds them reversed); `put` names
    the last one DISPID_PROPERTYPUT, as a property put must."""
    disp = DISPPARAMS(None, False)
    if put:
        disp["rgdispidNamedArgs"].append(0xFFFFFFFD)  # DISPID_PROPERTYPUT; impacket: unsigned
    else:
        disp["rgdispidNamedArgs"] = NULL
    disp["cArgs"] = len(args)
    disp["cNamedArgs"] = 1 if put else 0
    if args:
        for arg in reversed(args):
            disp["rgvarg"].append(arg)
    else:
        disp["rgvarg"] = NULL
    return disp


def sub_object(parent: IDispatch, abdata: Any) -> IDispatch:
    """The IDispatch of a VT_DISPATCH result (as dcomexec's getInterface does)."""
    data = b"".join(abdata)
    if OBJREF(data)["flags"] != FLAGS_OBJREF_STANDARD:
        raise ValueError("not an OBJREF_STANDARD")
    objref = OBJREF_STANDARD(data)
    return IDispatch(
        INTERFACE(
            parent.get_cinstance(),
            None,
            parent.get_ipidRemUnknown(),
            objref["std"]["ipid"],
            oxid=objref["std"]["oxid"],
            oid=objref["std"]["oid"],
            target=parent.get_target(),
        )
    )


def dispid_of(obj: IDispatch, name: str) -> int:
    """GetIDsOfNames; impacket reads DISPIDs unsigned (DISPID_NEWENUM as 0xFFFFFFFC) and
    then cannot send them back as the signed DISPID they are."""
    dispid: int = obj.GetIDsOfNames((name,))[0]
    return dispid - (1 << 32) if dispid >= 1 << 31 else dispid


def call(obj: IDispatch, name: str, *args: Any, flags: int = DISPATCH_PROPERTYGET) -> Any:
    """Invoke a member by name; returns the impacket pVarResult union."""
    dispid = dispid_of(obj, name)
    answer = obj.Invoke(dispid, LCID, flags, params(*args), 0, [], [])
    return answer["pVarResult"]


def get(obj: IDispatch, name: str) -> Any:
    """A property value: str / int / bool / float (DATE) / DECIMAL dict / IDispatch."""
    return value_of(obj, call(obj, name, flags=DISPATCH_PROPERTYGET | DISPATCH_METHOD))


def value_of(obj: IDispatch, variant: Any) -> Any:
    vt = variant["vt"]
    union = variant["_varUnion"]
    if vt == VARENUM.VT_BSTR:
        return union["bstrVal"]["asData"]
    if vt in (VARENUM.VT_I4, VARENUM.VT_UI4, VARENUM.VT_INT):
        return union["lVal"] if vt == VARENUM.VT_I4 else union[union.structure[1][0]]
    if vt == VARENUM.VT_BOOL:
        return union["boolVal"] != 0
    if vt == VARENUM.VT_DATE:
        return union["date"]
    if vt == VARENUM.VT_DECIMAL:
        dec = union["decVal"]
        return (dec["Hi32"] << 64 | dec["Lo64"], dec["scale"], dec["sign"])
    if vt == VARENUM.VT_DISPATCH:
        return sub_object(obj, union["pdispVal"]["abData"])
    if vt == VARENUM.VT_EMPTY:
        return None
    raise ValueError(f"unexpected VARTYPE {vt:#x}")


@dataclass(frozen=True)
class RawAnswer:
    hresult: int
    scode: int


def raw_invoke(
    obj: IDispatch,
    name: str,
    *args: Any,
    flags: int = DISPATCH_PROPERTYGET | DISPATCH_METHOD,
    put: bool = False,
) -> RawAnswer:
    """Invoke and read the HRESULT (last 4 bytes) and EXCEPINFO.scode from raw bytes."""
    dispid = dispid_of(obj, name)
    request = IDispatch_Invoke()
    request["ORPCthis"] = obj.get_cinstance().get_ORPCthis()
    request["ORPCthis"]["flags"] = 0
    request["dispIdMember"] = dispid
    request["riid"] = b"\x00" * 16
    request["lcid"] = LCID
    request["dwFlags"] = flags
    request["pDispParams"] = params(*args, put=put)
    request["cVarRef"] = 0
    request["rgVarRefIdx"] = []
    request["rgVarRef"] = []
    obj.connect(IID_IDispatch)
    dce = obj.get_dce_rpc()
    dce.call(request.opnum, request, uuid.UUID(bytes_le=obj.get_iPid()).bytes_le)
    raw = dce.recv()
    hresult = struct.unpack_from("<I", raw, len(raw) - 4)[0]
    return RawAnswer(hresult, _scode(raw))


def _scode(raw: bytes) -> int:
    """EXCEPINFO.scode of an Invoke answer whose pVarResult is VT_EMPTY: ORPCTHAT (8),
    VARIANT pointer + 24-byte VT_EMPTY wireVARIANT, then EXCEPINFO's fixed part (the
    three BSTR pointers come before scode; their referents follow the struct)."""
    start = 8 + 4 + 24  # ORPCTHAT, referent ID, wireVARIANT (VT_EMPTY)
    # EXCEPINFO: wCode, wReserved, 3 BSTR pointers, dwHelpContext, pvReserved,
    # pfnDeferredFillIn, scode
    scode: int = struct.unpack_from("<I", raw, start + 4 + 12 + 12)[0]
    return scode


def method(obj: IDispatch, name: str, *args: Any) -> Any:
    return value_of(obj, call(obj, name, *args, flags=DISPATCH_METHOD))


def item(collection: IDispatch, index: int) -> Any:
    return value_of(collection, call(collection, "Item", long(index)))


def items(collection: IDispatch) -> list[Any]:
    return [item(collection, i) for i in range(get(collection, "Count"))]


def walk_updates(session: IDispatch, criteria: str = "IsInstalled=0") -> list[dict[str, Any]]:
    """Done-when's walk: Search, then every update's Title, Identity.UpdateID,
    KBArticleIDs, MsrcSeverity, MaxDownloadSize, LastDeploymentChangeTime, Categories."""
    searcher = method(session, "CreateUpdateSearcher")
    result = method(searcher, "Search", bstr(criteria))
    walked = []
    for update in items(get(result, "Updates")):
        identity = get(update, "Identity")
        walked.append(
            {
                "Title": get(update, "Title"),
                "UpdateID": get(identity, "UpdateID"),
                "RevisionNumber": get(identity, "RevisionNumber"),
                "KBArticleIDs": items(get(update, "KBArticleIDs")),
                "MsrcSeverity": get(update, "MsrcSeverity"),
                "MaxDownloadSize": get(update, "MaxDownloadSize"),
                "LastDeploymentChangeTime": get(update, "LastDeploymentChangeTime"),
                "Categories": [get(c, "CategoryID") for c in items(get(update, "Categories"))],
            }
        )
    return walked


_THIS = ndr.Params("ORPCTHIS", [("orpcthis", ndr.Ref(ORPCTHIS))])


def raw_call(target: Any, iid: bytes, opnum: int, body: bytes) -> bytes:
    """Our ORPCTHIS + `body` on impacket's connection to `target`; the raw answer stub,
    for methods impacket does not have or cannot parse."""
    this = ndr.encode(_THIS, _THIS(orpcthis=OrpcThis(cid=uuid.uuid4())))
    return raw_call_bytes(target, iid, opnum, this + body)


def raw_call_bytes(target: Any, iid: bytes, opnum: int, stub: bytes) -> bytes:
    """`stub` as it is (ORPCTHIS included, or garbage) on impacket's connection."""
    target.connect(iid)
    dce = target.get_dce_rpc()
    dce.call(opnum, stub, target.get_iPid())
    answer: bytes = dce.recv()
    return answer
