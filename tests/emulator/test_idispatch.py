"""IDispatch on the exporter without a network: stubs in, stubs out, through the same
handlers the listener calls. Which failures are Invoke's own HRESULT and which travel
as DISP_E_EXCEPTION + EXCEPINFO.scode, flags 3 for getters, DISPID_PROPERTYPUT."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from wua.dcom import oaut
from wua.dcom.orpc import ORPCTHIS, OrpcThis
from wua.emulator.catalog import default_catalog
from wua.emulator.server import HostConfig
from wua.emulator.server.idispatch import get_ids_of_names, invoke_call
from wua.emulator.server.runtime import HostRuntime
from wua.emulator.wua import HostState, activate, dispid_of_name
from wua.reference.hresults import DISP_E_EXCEPTION, DISP_E_UNKNOWNNAME, E_ACCESSDENIED
from wua.rpc import ndr

_THIS = ndr.Params("ORPCTHIS", [("orpcthis", ndr.Ref(ORPCTHIS))])
THIS = ndr.encode(_THIS, _THIS(orpcthis=OrpcThis(cid=uuid.uuid4())))
DISP_E_MEMBERNOTFOUND = 0x80020003
DISP_E_BADPARAMCOUNT = 0x8002000E
DISP_E_TYPEMISMATCH = 0x80020005
DISP_E_NONAMEDARGS = 0x80020007
DISP_E_PARAMNOTFOUND = 0x80020004
METHOD, GET, PUT = oaut.DISPATCH_METHOD, oaut.DISPATCH_PROPERTYGET, oaut.DISPATCH_PROPERTYPUT


def runtime() -> HostRuntime:
    config = HostConfig("127.0.0.1", default_catalog())
    return HostRuntime(config, HostState(config.catalog), clock=lambda: 0.0)


def invoke(
    rt: HostRuntime,
    obj: Any,
    name: str,
    flags: int,
    args: list[Any],
    named: dict[int, Any] | None = None,
) -> Any:
    dispid = dispid_of_name(obj, name) if isinstance(name, str) else name
    request = oaut.INVOKE_REQUEST(
        dispIdMember=dispid,
        riid=oaut.IID_NULL,
        lcid=0x409,
        dwFlags=flags,
        pDispParams=oaut.dispparams(args, named),
        cVarRef=0,
        rgVarRefIdx=[],
        rgVarRef=[],
    )
    stub = THIS + ndr.encode(oaut.INVOKE_REQUEST, request)
    answer = asyncio.run(invoke_call(rt, obj, stub, len(THIS)))
    record, end = ndr.decode_prefix(oaut.INVOKE_RESPONSE, answer, 8)
    assert end == len(answer)
    return record


@pytest.fixture
def session() -> tuple[HostRuntime, Any]:
    rt = runtime()
    return rt, activate(rt.state, "Microsoft.Update.Session")


# (member, flags, args, named, HRESULT, EXCEPINFO.scode)
CASES: list[tuple[str, int, list[Any], dict[int, Any] | None, int, int]] = [
    ("ClientApplicationID", GET, [], None, 0, 0),
    ("ClientApplicationID", METHOD | GET, [], None, 0, 0),  # flags 3 for a getter
    ("ClientApplicationID", PUT, ["inventory"], None, DISP_E_PARAMNOTFOUND, 0),
    ("ClientApplicationID", PUT, [], {oaut.DISPID_PROPERTYPUT: "inventory"}, 0, 0),
    ("ClientApplicationID", GET, [], {7: "x"}, DISP_E_NONAMEDARGS, 0),
    ("ReadOnly", PUT, [], {oaut.DISPID_PROPERTYPUT: True}, DISP_E_MEMBERNOTFOUND, 0),
    ("CreateUpdateSearcher", METHOD, [1], None, DISP_E_BADPARAMCOUNT, 0),
    ("CreateUpdateInstaller", METHOD, [], None, DISP_E_EXCEPTION, E_ACCESSDENIED),
    ("CreateUpdateDownloader", METHOD, [], None, DISP_E_EXCEPTION, E_ACCESSDENIED),
    ("WebProxy", GET, [], None, DISP_E_EXCEPTION, E_ACCESSDENIED),
    (0x7FFF, GET, [], None, DISP_E_MEMBERNOTFOUND, 0),  # no such DISPID
]


@pytest.mark.parametrize(("name", "flags", "args", "named", "hresult", "scode"), CASES)
def test_invoke_outcomes(
    session: tuple[HostRuntime, Any],
    name: str,
    flags: int,
    args: list[Any],
    named: dict[int, Any] | None,
    hresult: int,
    scode: int,
) -> None:
    rt, obj = session
    answer = invoke(rt, obj, name, flags, args, named)
    assert (answer.hresult, answer.pExcepInfo.scode) == (hresult, scode)
    if hresult:
        assert answer.pVarResult.vt == oaut.VarType.VT_EMPTY


def test_a_put_is_seen_by_the_next_get(session: tuple[HostRuntime, Any]) -> None:
    rt, obj = session
    invoke(rt, obj, "ClientApplicationID", PUT, [], {oaut.DISPID_PROPERTYPUT: "inventory"})
    answer = invoke(rt, obj, "ClientApplicationID", GET, [], None)
    assert answer.pVarResult == oaut.Variant(oaut.VarType.VT_BSTR, "inventory")


def test_type_mismatch_is_invokes_own_hresult(session: tuple[HostRuntime, Any]) -> None:
    rt, obj = session
    searcher = invoke(rt, obj, "CreateUpdateSearcher", METHOD, [], None).pVarResult
    assert searcher.vt == oaut.VarType.VT_DISPATCH
    found = rt.marshaler.resolve(searcher.value)
    answer = invoke(rt, found, "QueryHistory", METHOD, ["zero", 5], None)
    assert answer.hresult == DISP_E_TYPEMISMATCH


def test_objects_come_back_as_the_same_oid(session: tuple[HostRuntime, Any]) -> None:
    rt, obj = session
    first = invoke(rt, obj, "CreateUpdateSearcher", METHOD, [], None).pVarResult
    searcher = rt.marshaler.resolve(first.value)
    assert searcher is not None and len(rt.table) == 1


def test_get_ids_of_names(session: tuple[HostRuntime, Any]) -> None:
    _, obj = session
    request = oaut.GET_IDS_OF_NAMES_REQUEST(
        riid=oaut.IID_NULL, rgszNames=["createupdatesearcher", "criteria"], cNames=2, lcid=0x409
    )
    stub = THIS + ndr.encode(oaut.GET_IDS_OF_NAMES_REQUEST, request)
    answer = ndr.decode_prefix(
        oaut.GET_IDS_OF_NAMES_RESPONSE, get_ids_of_names(obj, stub, len(THIS)), 8
    )[0]
    assert answer.rgDispId == [dispid_of_name(obj, "CreateUpdateSearcher"), -1]
    assert answer.hresult == DISP_E_UNKNOWNNAME
