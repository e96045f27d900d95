"""ITypeInfo from IDispatch::GetTypeInfo, read by stock impacket and checked against the
reference; the wire structures as (value, hex) vectors and hypothesis round trips."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from impacket.dcerpc.v5 import rpcrt
from impacket.dcerpc.v5.dcom.oaut import DISPATCH_METHOD, IID_ITypeInfo, ITypeInfo
from impacket.dcerpc.v5.dcomrt import INTERFACE

from tests.emulator import impacket_client as ic
from wua.emulator.catalog import default_catalog
from wua.emulator.server import FleetThread, HostConfig
from wua.emulator.server import typeinfo_wire as wire
from wua.emulator.server.typeinfo import (
    TypeInfo,
    func_desc,
    names_of,
    type_desc,
)
from wua.emulator.server.typeinfo_base import BASE_FUNCTIONS
from wua.emulator.server.typeinfo_calls import AnyTypeInfo
from wua.emulator.server.typeinfo_calls import call_type_info as call_with_export
from wua.reference.enums import UpdateType
from wua.reference.hresults import TYPE_E_ELEMENTNOTFOUND
from wua.reference.interfaces import Member, MemberKind, interfaces_by_name
from wua.rpc import ndr
from wua.rpc.channel import RpcFault

ADDRESS = "127.0.54.1"
ADMIN, PASSWORD = "Administrator", "Passw0rd!"
VT_OF_KIND = {
    MemberKind.PROPGET: wire.INVOKE_PROPERTYGET,
    MemberKind.PROPPUT: wire.INVOKE_PROPERTYPUT,
    MemberKind.METHOD: wire.INVOKE_FUNC,
}

# (TYPEDESC value, NDR32 hex): the union's USHORT discriminant, the arm, then vt again.
TYPEDESC_VECTORS = [
    (type_desc("BSTR"), "08000800"),
    (type_desc(None), "18001800"),
    (
        wire.TYPEDESC(_tdUnion=ndr.UnionValue(wire.VT_USERDEFINED, 7), vt=wire.VT_USERDEFINED),
        "1d000000070000001d00",
    ),
    (
        wire.TYPEDESC(
            _tdUnion=ndr.UnionValue(
                wire.VT_PTR,
                wire.TYPEDESC(
                    _tdUnion=ndr.UnionValue(wire.VT_USERDEFINED, 5), vt=wire.VT_USERDEFINED
                ),
            ),
            vt=wire.VT_PTR,
        ),
        "1a000000000002001a0000001d000000050000001d00",
    ),
]


@pytest.mark.parametrize(("value", "hex_"), TYPEDESC_VECTORS)
def test_typedesc_vectors(value: Any, hex_: str) -> None:
    assert ndr.encode(wire.TYPEDESC, value).hex() == hex_
    assert ndr.decode(wire.TYPEDESC, bytes.fromhex(hex_)) == value


def test_typedesc_of_reference_types() -> None:
    pointer = type_desc("IUpdateCollection*")
    assert pointer.vt == wire.VT_PTR and pointer._tdUnion.value.vt == wire.VT_USERDEFINED
    enum = type_desc("enum:UpdateType")
    assert enum.vt == wire.VT_USERDEFINED and enum._tdUnion.value > 0
    assert enum._tdUnion.value != pointer._tdUnion.value.vt
    with pytest.raises(ValueError, match="no TYPEDESC"):
        type_desc("SAFEARRAY(BSTR)")


# Type info describes the dispatch view, so only IDispatch-derived interfaces have one.
ALL_MEMBERS = [
    (i.name, m) for i in interfaces_by_name().values() if i.is_dispatch for m in i.all_members()
]
ALL_MEMBERS += [("IUpdate", m) for m in BASE_FUNCTIONS]


@given(st.sampled_from(ALL_MEMBERS))
def test_every_funcdesc_round_trips_and_matches_the_reference(pair: tuple[str, Member]) -> None:
    _, member = pair
    value = func_desc(member)
    assert ndr.decode(wire.FUNCDESC, ndr.encode(wire.FUNCDESC, value)) == value
    assert value.memid == member.dispid and value.invkind == VT_OF_KIND[member.kind]
    assert value.cParams == len(member.params) and value.oVft == member.slot * 8


@given(st.sampled_from(ALL_MEMBERS))
def test_names_are_the_member_then_its_parameters(pair: tuple[str, Member]) -> None:
    interface, member = pair
    names = names_of(TypeInfo(interface), member.dispid)
    assert names is not None and names[0] == member.name
    if member.kind is MemberKind.METHOD:
        assert names[1:] == [p.name for p in member.params]


def call_type_info(info: AnyTypeInfo, opnum: int, stub: bytes, offset: int) -> bytes:
    """The call without a marshaler: GetRefTypeInfo's targets are handed back by name."""
    return call_with_export(info, opnum, stub, offset, lambda _: None)


def documentation(info: TypeInfo, memid: int, flags: int) -> Any:
    stub = ndr.encode(
        wire.GET_DOCUMENTATION_REQUEST,
        wire.GET_DOCUMENTATION_REQUEST(memid=memid, refPtrFlags=flags),
    )
    answer = call_type_info(info, 12, stub, 0)
    return ndr.decode(wire.GET_DOCUMENTATION_RESPONSE, answer[8:])  # after the ORPCTHAT


def test_get_documentation_names_the_interface_and_members() -> None:
    info = TypeInfo("IUpdateSearcher")
    assert documentation(info, wire.MEMBERID_NIL, 1).pBstrName == "IUpdateSearcher"
    search = next(m for m in info.functions if m.name == "Search")
    assert documentation(info, search.dispid, 1).pBstrName == "Search"
    assert documentation(info, search.dispid, 0).pBstrName is None  # not asked for
    assert documentation(info, 12345, 1).hresult == TYPE_E_ELEMENTNOTFOUND


def test_func_desc_past_the_end_is_element_not_found() -> None:
    info = TypeInfo("IUpdate")
    for index, expected in ((len(info.functions) - 1, 0), (len(info.functions), None)):
        stub = ndr.encode(wire.GET_FUNC_DESC_REQUEST, wire.GET_FUNC_DESC_REQUEST(index=index))
        answer = ndr.decode(wire.GET_FUNC_DESC_RESPONSE, call_type_info(info, 5, stub, 0)[8:])
        if expected is None:
            assert (answer.ppFuncDesc, answer.hresult) == (None, TYPE_E_ELEMENTNOTFOUND)
        else:
            assert answer.hresult == 0 and answer.ppFuncDesc == func_desc(info.functions[-1])


def test_unanswered_methods_fault() -> None:
    with pytest.raises(RpcFault):
        call_type_info(TypeInfo("IUpdate"), 4, b"", 0)  # GetTypeComp


@pytest.fixture(scope="module")
def session() -> Iterator[Any]:
    with FleetThread([HostConfig(ADDRESS, default_catalog())]):
        dcom = ic.connect(ADDRESS, ADMIN, PASSWORD)
        try:
            yield ic.create(dcom)
        finally:
            ic.disconnect(dcom, ADDRESS)


def check_type_info(dispatch: Any, interface: str) -> None:
    """Everything impacket reads from the object's type info equals the reference: the
    seven IUnknown/IDispatch functions first and restricted (PowerShell skips them by
    that flag), then every member of the interface."""
    assert dispatch.GetTypeInfoCount()["pctinfo"] == 1
    info = dispatch.GetTypeInfo()
    attr = info.GetTypeAttr()["ppTypeAttr"]
    members = BASE_FUNCTIONS + interfaces_by_name()[interface].all_members()
    expected_iid = uuid.UUID(interfaces_by_name()[interface].iid)
    assert uuid.UUID(bytes_le=bytes(attr["guid"])) == expected_iid
    assert attr["typeKind"] == wire.TKIND_DISPATCH and attr["cFuncs"] == len(members)
    assert attr["wTypeFlags"] & wire.TYPEFLAG_FDUAL
    for index, member in enumerate(members):
        desc = info.GetFuncDesc(index)["ppFuncDesc"]
        assert (desc["memid"], desc["invkind"]) == (member.dispid, VT_OF_KIND[member.kind])
        assert desc["cParams"] == len(member.params)
        assert desc["elemdescFunc"]["tdesc"]["vt"] == type_desc(member.returns).vt
        restricted = desc["wFuncFlags"] & wire.FUNCFLAG_FRESTRICTED
        assert bool(restricted) == (index < len(BASE_FUNCTIONS) or member.dispid == -4)
        names = [n["asData"] for n in info.GetNames(member.dispid)["rgBstrNames"]]
        assert names[0] == member.name
    # impacket 0.13.1 cannot parse a failed answer (design §2): it raises, nothing more
    with pytest.raises(rpcrt.DCERPCException):
        info.GetFuncDesc(len(members))


def test_impacket_reads_the_session_type_info(session: Any) -> None:
    check_type_info(session, "IUpdateSession3")


def test_impacket_reads_a_returned_object_type_info(session: Any) -> None:
    searcher = ic.value_of(session, ic.call(session, "CreateUpdateSearcher", flags=DISPATCH_METHOD))
    check_type_info(searcher, "IUpdateSearcher3")


def ref_type_info(info: Any, href: int) -> Any:
    """GetRefTypeInfo (impacket lacks it) on impacket's connection; the answer as
    decoded by our codec, its ITypeInfo wrapped for impacket."""
    body = ndr.encode(wire.GET_REF_TYPE_INFO_REQUEST, wire.GET_REF_TYPE_INFO_REQUEST(hRefType=href))
    raw = ic.raw_call(info, IID_ITypeInfo, 14, body)
    answer, _ = ndr.decode_prefix(wire.GET_REF_TYPE_INFO_RESPONSE, raw, 8)
    assert answer.ppTInfo is not None, hex(answer.hresult)
    return ITypeInfo(
        INTERFACE(
            info.get_cinstance(),
            answer.ppTInfo.objref,
            info.get_ipidRemUnknown(),
            target=info.get_target(),
        )
    )


def test_impacket_follows_an_enum_and_an_interface_reference(session: Any) -> None:
    """IUpdate.Type is VT_USERDEFINED -> a TKIND_ENUM naming UpdateType's values;
    IUpdate.Identity is VT_PTR -> VT_USERDEFINED -> IUpdateIdentity's dispatch view."""
    searcher = ic.value_of(session, ic.call(session, "CreateUpdateSearcher", flags=DISPATCH_METHOD))
    result = ic.value_of(
        searcher, ic.call(searcher, "Search", ic.bstr("IsInstalled=0"), flags=DISPATCH_METHOD)
    )
    updates = ic.get(result, "Updates")
    update = ic.value_of(updates, ic.call(updates, "Item", ic.long(0)))
    info = update.GetTypeInfo()
    members = {m.name: i for i, m in enumerate(TypeInfo(dispatch_name(update)).functions)}
    kind = info.GetFuncDesc(members["Type"])["ppFuncDesc"]["elemdescFunc"]["tdesc"]
    enum_info = ref_type_info(info, kind["vtType"]["hreftype"])
    attr = enum_info.GetTypeAttr()["ppTypeAttr"]
    assert (attr["typeKind"], attr["cVars"]) == (wire.TKIND_ENUM, len(UpdateType))
    for index, value in enumerate(UpdateType):
        raw = ic.raw_call(
            enum_info,
            IID_ITypeInfo,
            6,
            ndr.encode(wire.GET_VAR_DESC_REQUEST, wire.GET_VAR_DESC_REQUEST(index=index)),
        )
        var = ndr.decode_prefix(wire.GET_VAR_DESC_RESPONSE, raw, 8)[0].ppVarDesc
        assert var._vdUnion.value.value == int(value)
        names = enum_info.GetNames(var.memid)["rgBstrNames"]
        assert [n["asData"] for n in names] == [value.name]
    identity = info.GetFuncDesc(members["Identity"])["ppFuncDesc"]["elemdescFunc"]["tdesc"]
    assert identity["vt"] == wire.VT_PTR
    href = identity["vtType"]["lptdesc"]["vtType"]["hreftype"]
    identity_attr = ref_type_info(info, href).GetTypeAttr()["ppTypeAttr"]
    expected = uuid.UUID(interfaces_by_name()["IUpdateIdentity"].iid)
    assert uuid.UUID(bytes_le=bytes(identity_attr["guid"])) == expected


def dispatch_name(dispatch: Any) -> str:
    """The interface whose dispatch view the object's type info describes."""
    attr = dispatch.GetTypeInfo().GetTypeAttr()["ppTypeAttr"]
    guid = str(uuid.UUID(bytes_le=bytes(attr["guid"])))
    return next(i.name for i in interfaces_by_name().values() if i.iid == guid)


def test_one_type_info_object_per_type(session: Any) -> None:
    """Asked twice, the host hands out the same ITypeInfo (same IPID), as a type library
    does; another interface's is another object."""
    first, again = session.GetTypeInfo(), session.GetTypeInfo()
    assert first.get_iPid() == again.get_iPid()
    searcher = ic.value_of(session, ic.call(session, "CreateUpdateSearcher", flags=DISPATCH_METHOD))
    assert searcher.GetTypeInfo().get_iPid() != first.get_iPid()
