"""Every member of every remote interface through IDispatch::Invoke, with arguments a
fuzzer picks: the answer always decodes to its end, a success carries the VARTYPE the
declared type calls for, and a failure is either IDispatch's own DISP_E_* code or
DISP_E_EXCEPTION with a specific failure HRESULT (never a bare E_FAIL) in its scode."""

from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.emulator.test_idispatch import THIS, runtime
from wua.dcom import oaut
from wua.emulator.server.idispatch import invoke_call
from wua.emulator.wua import EmulatedObject, activate, dispatch_interface, invoke
from wua.errors import WuaError
from wua.reference.hresults import DISP_E_EXCEPTION, table
from wua.reference.interfaces import Member, MemberKind, interface
from wua.rpc import ndr

ROOTS = ("UpdateSession", "UpdateServiceManager", "AutomaticUpdates", "WindowsUpdateAgentInfo")
VT_FOR = {
    "BSTR": {oaut.VarType.VT_BSTR},
    "LONG": {oaut.VarType.VT_I4},
    "LCID": {oaut.VarType.VT_UI4},  # typedef DWORD: the type library says VT_UI4
    "ULONG": {oaut.VarType.VT_UI4},
    "VARIANT_BOOL": {oaut.VarType.VT_BOOL},
    "DATE": {oaut.VarType.VT_DATE},
    "DECIMAL": {oaut.VarType.VT_DECIMAL},
    "IUnknown*": {oaut.VarType.VT_UNKNOWN},
}
FLAGS = {
    MemberKind.METHOD: oaut.DISPATCH_METHOD,
    MemberKind.PROPGET: 3,
    MemberKind.PROPPUT: oaut.DISPATCH_PROPERTYPUT,
}


def reachable() -> tuple[Any, list[EmulatedObject]]:
    """Objects one level or two below the creatable classes (getters, Item(0), Search)."""
    rt = runtime()
    found: list[EmulatedObject] = []
    frontier: list[EmulatedObject] = [activate(rt.state, name) for name in ROOTS]
    for _ in range(7):
        following: list[EmulatedObject] = []
        for obj in frontier:
            found.append(obj)
            for member in dispatch_interface(obj).all_members():
                args: list[Any] = []
                if member.name == "Search":
                    args = ["IsInstalled=0"]
                elif member.name == "QueryHistory":
                    args = [0, 3]
                elif member.name == "Item" and member.kind is MemberKind.PROPGET:
                    args = [0]
                elif (
                    member.params
                    or member.kind is MemberKind.PROPPUT
                    or member.name in ("Clear", "DetectNow")
                ):
                    continue
                try:
                    value = invoke(obj, member.interface, member.name, member.kind, args)
                except WuaError:
                    continue
                if isinstance(value, EmulatedObject):
                    following.append(value)
        frontier = following
    return rt, found


RUNTIME, OBJECTS = reachable()


def argument(type_name: str) -> st.SearchStrategy[Any]:
    if type_name == "BSTR":
        return st.sampled_from(["", "IsInstalled=0", "x", "Type='Driver'", "(("])
    if type_name in ("LONG", "LCID", "ULONG") or type_name.startswith("enum:"):
        return st.integers(-3, 5)
    if type_name == "VARIANT_BOOL":
        return st.booleans()
    if type_name.endswith("*"):
        return st.sampled_from(OBJECTS[:8]).map(
            lambda o: RUNTIME.marshaler.interface_pointer(o, 0.0)
        )
    return st.one_of(st.none(), st.text(max_size=5), st.integers(0, 3))


@st.composite
def calls(draw: st.DrawFn) -> tuple[EmulatedObject, Member, list[Any]]:
    obj = draw(st.sampled_from(OBJECTS))
    member = draw(st.sampled_from(dispatch_interface(obj).all_members()))
    args = [draw(argument(p.type)) for p in member.params if p.direction == "in"]
    if draw(st.integers(0, 9)) == 0:  # sometimes a wrong argument count
        args = args[:-1] if args else [1]
    return obj, member, args


def test_the_fuzzed_objects_cover_the_remote_interfaces() -> None:
    names = {name for obj in OBJECTS for name in obj.interfaces()}
    assert {
        "IUpdate",
        "ICategory",
        "IUpdateIdentity",
        "IUpdateService",
        "IUpdateHistoryEntry",
        "IWindowsUpdateAgentInfo",
        "IAutomaticUpdates",
    } <= names


@settings(max_examples=400, deadline=None)
@given(calls())
def test_any_member_any_arguments(call: tuple[EmulatedObject, Member, list[Any]]) -> None:
    obj, member, args = call
    named = (
        {oaut.DISPID_PROPERTYPUT: args.pop()}
        if (member.kind is MemberKind.PROPPUT and args)
        else None
    )
    variants = list(args)  # an InterfacePointer travels as VT_DISPATCH (Variant.of)
    request = oaut.INVOKE_REQUEST(
        dispIdMember=member.dispid,
        riid=oaut.IID_NULL,
        lcid=0x409,
        dwFlags=FLAGS[member.kind],
        pDispParams=oaut.dispparams(variants, named),
        cVarRef=0,
        rgVarRefIdx=[],
        rgVarRef=[],
    )
    stub = THIS + ndr.encode(oaut.INVOKE_REQUEST, request)
    answer = asyncio.run(invoke_call(RUNTIME, obj, stub, len(THIS)))
    record, end = ndr.decode_prefix(oaut.INVOKE_RESPONSE, answer, 8)
    assert end == len(answer)
    if record.hresult == 0:
        declared = interface(dispatch_interface(obj).name).by_dispid(member.dispid)
        returns = {m.returns for m in declared if m.kind is member.kind}
        wanted = set().union(*(VT_FOR.get(r or "", set()) for r in returns))
        if wanted:
            assert record.pVarResult.vt in wanted, (member, record.pVarResult)
    elif record.hresult == DISP_E_EXCEPTION:  # the object's own failure, as a real HRESULT
        assert record.pExcepInfo.scode & 0x80000000 and record.pExcepInfo.scode != 0x80004005
    else:  # the call could not be made: one of IDispatch's own codes
        assert record.hresult & 0xFFFF0000 == 0x80020000 or record.hresult in table()
