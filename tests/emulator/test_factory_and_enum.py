"""The other ways in and through: RemoteGetClassObject + IClassFactory (how PowerShell
and .NET activate), IEnumVARIANT over `_NewEnum`, IRemUnknown QueryInterface probes,
GetTypeInfoCount. impacket makes the connections; stubs are our encoders."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from impacket.dcerpc.v5.dcom.oaut import IID_IDispatch, string_to_bin
from impacket.dcerpc.v5.dcomrt import (
    INTERFACE,
    IID_IClassFactory,
    IRemoteSCMActivator,
    IRemUnknown2,
)
from impacket.uuid import uuidtup_to_bin

from tests.emulator import impacket_client as ic
from wua.dcom import oaut
from wua.dcom.objref import decode_objref
from wua.dcom.orpc import ORPCTHAT, OrpcThis
from wua.dcom.stubs.classfactory import CreateInstanceRequest, CreateInstanceResponse
from wua.emulator.catalog import default_catalog
from wua.emulator.server import FleetThread, HostConfig
from wua.reference.hresults import E_NOINTERFACE
from wua.rpc import ndr

ADDRESS = "127.0.7.1"
IUPDATE_SESSION = "918efd1e-b5d8-4c90-8540-aeb9bdc56f9d"
_THAT = ndr.Params("ORPCTHAT", [("orpcthat", ndr.Ref(ORPCTHAT))])
S_FALSE = 1


@pytest.fixture(scope="module")
def fleet() -> Iterator[FleetThread]:
    with FleetThread([HostConfig(ADDRESS, default_catalog())]) as running:
        yield running


@pytest.fixture
def dcom(fleet: FleetThread) -> Iterator[Any]:
    """One connection per activation: impacket binds again on its TCP 135 connection for
    every activation, and our RPC layer refuses a second bind on a bound connection."""
    connection = ic.connect(ADDRESS, "Administrator", "Passw0rd!")
    try:
        yield connection
    finally:
        ic.disconnect(connection, ADDRESS)


def proxy(anchor: Any, ipid: uuid.UUID) -> Any:
    return INTERFACE(
        anchor.get_cinstance(),
        None,
        anchor.get_ipidRemUnknown(),
        ipid.bytes_le,
        oxid=anchor.get_oxid(),
        oid=0,
        target=anchor.get_target(),
    )


def test_class_factory_creates_the_session(dcom: Any) -> None:
    scm = IRemoteSCMActivator(dcom.get_dce_rpc())
    factory = scm.RemoteGetClassObject(string_to_bin(ic.CLSID_UPDATE_SESSION), IID_IClassFactory)
    for iid, expected in ((uuid.UUID(IUPDATE_SESSION), 0), (uuid.uuid4(), E_NOINTERFACE)):
        this = OrpcThis(cid=uuid.uuid4())
        request = CreateInstanceRequest(orpcthis=this, riid=iid).encode()
        factory.connect(IID_IClassFactory)
        dce = factory.get_dce_rpc()
        dce.call(3, request, factory.get_iPid())
        answer = CreateInstanceResponse.decode(dce.recv())
        assert answer.hresult == expected
        assert (answer.ppvObject is None) == bool(expected)
    assert answer.ppvObject is None
    first = CreateInstanceResponse.decode(_create(factory, uuid.UUID(oaut.IID_IDISPATCH.hex)))
    assert first.ppvObject is not None
    session = ic.sub_object(factory, [bytes([b]) for b in first.ppvObject.abData])
    assert ic.get(session, "ReadOnly") is False


def _create(factory: Any, iid: uuid.UUID) -> bytes:
    factory.connect(IID_IClassFactory)
    dce = factory.get_dce_rpc()
    dce.call(
        3,
        CreateInstanceRequest(orpcthis=OrpcThis(cid=uuid.uuid4()), riid=iid).encode(),
        factory.get_iPid(),
    )
    answer: bytes = dce.recv()
    return answer


def test_new_enum_walks_the_collection(dcom: Any) -> None:
    session = ic.create(dcom)
    result = ic.method(
        ic.method(session, "CreateUpdateSearcher"), "Search", ic.bstr("IsInstalled=0")
    )
    updates = ic.get(result, "Updates")
    count = ic.get(updates, "Count")
    titles = [ic.get(ic.item(updates, i), "Title") for i in range(count)]
    unknown = ic.call(updates, "_NewEnum")
    assert unknown["vt"] == oaut.VarType.VT_UNKNOWN
    objref = decode_objref(b"".join(unknown["_varUnion"]["punkVal"]["abData"]))
    probe = IRemUnknown2(proxy(updates, objref.std.ipid))  # type: ignore[union-attr]
    cursor = probe.RemQueryInterface(1, [string_to_bin(str(oaut.IID_IENUMVARIANT))])
    iid = uuidtup_to_bin((str(oaut.IID_IENUMVARIANT), "0.0"))

    def next_items(celt: int) -> tuple[list[Any], int]:
        raw = ic.raw_call(
            cursor, iid, 3, ndr.encode(oaut.NEXT_REQUEST, oaut.NEXT_REQUEST(celt=celt))
        )
        record, end = ndr.decode_prefix(oaut.NEXT_RESPONSE, raw, 8)
        assert end == len(raw) and record.pCeltFetched == len(record.rgVar)
        return list(record.rgVar), record.hresult

    head, status = next_items(3)
    assert status == 0 and len(head) == 3
    rest, status = next_items(count)
    assert status == S_FALSE and len(rest) == count - 3
    seen = []
    for variant in head + rest:
        assert variant.vt == oaut.VarType.VT_DISPATCH
        seen.append(
            ic.get(ic.sub_object(updates, [bytes([b]) for b in variant.value.objref]), "Title")
        )
    assert seen == titles
    reset = ic.raw_call(cursor, iid, 5, b"")
    assert ndr.decode_prefix(oaut.RESET_RESPONSE, reset, 8)[0].hresult == 0
    skip = ic.raw_call(cursor, iid, 4, ndr.encode(oaut.SKIP_REQUEST, oaut.SKIP_REQUEST(celt=count)))
    assert ndr.decode_prefix(oaut.SKIP_RESPONSE, skip, 8)[0].hresult == 0
    assert next_items(1) == ([], S_FALSE)


def test_query_interface_probes(dcom: Any) -> None:
    """PowerShell probes several IIDs and expects E_NOINTERFACE for the ones it lacks."""
    session = ic.create(dcom)
    with pytest.raises(Exception) as caught:
        session.RemQueryInterface(1, [string_to_bin(str(uuid.uuid4()))])
    assert getattr(caught.value, "get_error_code", lambda: None)() == E_NOINTERFACE
    typed = session.RemQueryInterface(1, [string_to_bin(IUPDATE_SESSION)])
    assert typed.get_iPid() != session.get_iPid()


def test_get_type_info_count(dcom: Any) -> None:
    session = ic.create(dcom)
    answer = session.GetTypeInfoCount()
    assert (answer["pctinfo"], answer["ErrorCode"]) == (1, 0)  # wuapi: WUApiLib type info
    assert IID_IDispatch
