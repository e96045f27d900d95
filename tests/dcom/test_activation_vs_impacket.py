"""Differential tests: activation blobs, ORPCTHIS/ORPCTHAT and exporter replies against
impacket.dcerpc.v5.dcomrt, in both directions, on generated values.

impacket reads a reply's property sets by position (first PropsOutInfo, second
ScmReplyInfoData); these tests read them the same way, so they also pin our order.
"""

from __future__ import annotations

import uuid
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from impacket.dcerpc.v5 import dcomrt
from impacket.dcerpc.v5.dtypes import NULL

from tests.dcom import strategies as s
from wua.dcom import interfaces as ids
from wua.dcom.activation.blob import ActivationBlob
from wua.dcom.activation.builders import (
    ActivatedInterface,
    ActivationResult,
    reply_blob,
    request_blob,
)
from wua.dcom.activation.properties import (
    ActivationContextInfoData,
    InstantiationInfoData,
    LocationInfoData,
    ScmRequestInfoData,
    SecurityInfoData,
)
from wua.dcom.bindings import DualStringArray
from wua.dcom.objref import decode_objref
from wua.dcom.orpc import (
    ORPCTHAT,
    ORPCTHIS,
    ComVersion,
    OrpcExtent,
    OrpcExtentArray,
    OrpcThat,
    OrpcThis,
)
from wua.dcom.stubs.exporter import ResolveOxid2Response, ServerAlive2Response
from wua.rpc import ndr


def _guid(raw: bytes) -> uuid.UUID:
    return uuid.UUID(bytes_le=raw)


def _serialized(cls: Any, chunk: bytes) -> Any:
    """An impacket TypeSerialization1 value read from one property set's bytes."""
    value = cls()
    used = value.fromString(chunk)
    value.fromStringReferents(chunk[used:])
    return value


def _properties_by_impacket(data: bytes) -> tuple[list[uuid.UUID], list[bytes]]:
    blob = dcomrt.ACTIVATION_BLOB(data)
    sizes = [item["Data"] for item in blob["CustomHeader"]["pSizes"]]
    clsids = [_guid(item["Data"]) for item in blob["CustomHeader"]["pclsid"]]
    chunks, pos = [], 0
    for size in sizes:
        chunks.append(blob["Property"][pos : pos + size])
        pos += size
    assert pos == len(blob["Property"])
    return clsids, chunks


# -- requests -------------------------------------------------------------------------

requests = st.tuples(
    s.guids, st.lists(s.guids, min_size=1, max_size=4), s.names | st.none(), st.integers(1, 6)
)


@s.relaxed
@given(requests)
def test_impacket_reads_our_request_blob(
    case: tuple[uuid.UUID, list[uuid.UUID], str | None, int],
) -> None:
    clsid, iids, server, level = case
    clsids, chunks = _properties_by_impacket(
        request_blob(clsid, iids, server_name=server, authn_level=level).encode()
    )
    by_clsid = dict(zip(clsids, chunks, strict=True))
    special = _serialized(dcomrt.SpecialPropertiesData, by_clsid[ids.CLSID_SPECIALSYSTEMPROPERTIES])
    assert special["dwDefaultAuthnLvl"] == level
    inst = _serialized(dcomrt.InstantiationInfoData, by_clsid[ids.CLSID_INSTANTIATIONINFO])
    assert _guid(inst["classId"]) == clsid
    assert inst["cIID"] == len(iids)
    assert [_guid(i["Data"]) for i in inst["pIID"]] == iids
    assert inst["thisSize"] == len(by_clsid[ids.CLSID_INSTANTIATIONINFO])
    assert (inst["clientCOMVersion"]["MajorVersion"], inst["clientCOMVersion"]["MinorVersion"]) == (
        5,
        7,
    )
    security = _serialized(dcomrt.SecurityInfoData, by_clsid[ids.CLSID_SECURITYINFO])
    if server is None:
        assert security["pServerInfo"]["pwszName"] in (None, b"", NULL)
    else:
        assert security["pServerInfo"]["pwszName"] == server + "\x00"
    scm = _serialized(dcomrt.ScmRequestInfoData, by_clsid[ids.CLSID_SCMREQUESTINFO])
    assert list(scm["remoteRequest"]["pRequestedProtseqs"]) == [7]


def _impacket_request(clsid: uuid.UUID, iids: list[uuid.UUID]) -> bytes:
    """An activation blob built with impacket's classes and property sets, as its own
    client builds one: it pads each set after the NDR bytes but leaves the pad out of
    ObjectBufferLength, which our decoder must tolerate as Windows does."""
    blob = dcomrt.ACTIVATION_BLOB()
    blob["CustomHeader"]["destCtx"] = 2
    blob["CustomHeader"]["pdwReserved"] = NULL
    parts = b""

    def add(property_clsid: uuid.UUID, value: Any) -> int:
        nonlocal parts
        marshaled = value.getData() + value.getDataReferents()
        marshaled += b"\xfa" * (-len(marshaled) % 8)
        entry = dcomrt.CLSID()
        entry["Data"] = property_clsid.bytes_le
        blob["CustomHeader"]["pclsid"].append(entry)
        size = dcomrt.DWORD()
        size["Data"] = len(marshaled)
        blob["CustomHeader"]["pSizes"].append(size)
        parts += marshaled
        return len(marshaled)

    inst = dcomrt.InstantiationInfoData()
    inst["classId"] = clsid.bytes_le
    inst["cIID"] = len(iids)
    for iid in iids:
        item = dcomrt.IID()
        item["Data"] = iid.bytes_le
        inst["pIID"].append(item)
    probe = inst.getData() + inst.getDataReferents()
    inst["thisSize"] = len(probe) + (-len(probe) % 8)
    add(ids.CLSID_INSTANTIATIONINFO, inst)
    context = dcomrt.ActivationContextInfoData()
    context["pIFDClientCtx"] = NULL
    context["pIFDPrototypeCtx"] = NULL
    add(ids.CLSID_ACTIVATIONCONTEXTINFO, context)
    location = dcomrt.LocationInfoData()
    location["machineName"] = NULL
    add(ids.CLSID_SERVERLOCATIONINFO, location)
    scm = dcomrt.ScmRequestInfoData()
    scm["pdwReserved"] = NULL
    scm["remoteRequest"]["ClientImpLevel"] = 2
    scm["remoteRequest"]["cRequestedProtseqs"] = 1
    scm["remoteRequest"]["pRequestedProtseqs"].append(7)
    add(ids.CLSID_SCMREQUESTINFO, scm)
    blob["Property"] = parts
    data: bytes = blob.getData()
    return data


@s.relaxed
@given(s.guids, st.lists(s.guids, min_size=1, max_size=4))
def test_we_read_impacket_request_blob(clsid: uuid.UUID, iids: list[uuid.UUID]) -> None:
    blob = ActivationBlob.decode(_impacket_request(clsid, iids))
    inst, context, location, scm = blob.properties
    assert context == ActivationContextInfoData()
    assert isinstance(inst, InstantiationInfoData)
    assert (inst.classId, inst.pIID, inst.cIID) == (clsid, iids, len(iids))
    assert inst.clientCOMVersion == ComVersion(5, 7)
    assert location == LocationInfoData()
    assert isinstance(scm, ScmRequestInfoData) and scm.remoteRequest is not None
    assert scm.remoteRequest.pRequestedProtseqs == [7]
    assert not any(isinstance(p, SecurityInfoData) for p in blob.properties)


# -- replies --------------------------------------------------------------------------

activated = st.builds(
    ActivatedInterface, s.guids, st.just(0), s.objrefs_impacket_reads.map(lambda o: o)
) | st.builds(ActivatedInterface, s.guids, st.sampled_from([0x80004002, 0x80070005]), st.none())
results = st.builds(
    ActivationResult,
    st.lists(activated, min_size=1, max_size=3),
    s.u64,
    s.impacket_dual_string_arrays,
    s.guids,
    st.integers(1, 6),
    st.builds(ComVersion, st.integers(0, 0xFFFF), st.integers(0, 0xFFFF)),
)


@s.relaxed
@given(results)
def test_impacket_reads_our_reply_by_position(result: ActivationResult) -> None:
    _, chunks = _properties_by_impacket(reply_blob(result).encode())
    props = _serialized(dcomrt.PropsOutInfo, chunks[0])
    scm = _serialized(dcomrt.ScmReplyInfoData, chunks[1])
    assert props["cIfs"] == len(result.interfaces)
    assert [_guid(i["Data"]) for i in props["piid"]] == [i.iid for i in result.interfaces]
    assert [h["Data"] % 2**32 for h in props["phresults"]] == [i.hresult for i in result.interfaces]
    for pointer, item in zip(props["ppIntfData"], result.interfaces, strict=True):
        if item.objref is None:
            assert pointer["ReferentID"] == 0
        else:
            assert decode_objref(b"".join(pointer["abData"])) == item.objref
    reply = scm["remoteReply"]
    assert reply["Oxid"] == result.oxid
    assert _guid(reply["ipidRemUnknown"]) == result.ipid_rem_unknown
    assert reply["authnHint"] == result.authn_hint
    version = reply["serverVersion"]
    assert ComVersion(version["MajorVersion"], version["MinorVersion"]) == result.version
    bindings = reply["pdsaOxidBindings"]
    units, security_offset = result.bindings.units()
    assert (bindings["wNumEntries"], bindings["wSecurityOffset"]) == (len(units), security_offset)
    assert tuple(bindings["aStringArray"]) == units


# -- ORPCTHIS / ORPCTHAT ----------------------------------------------------------------

extents = st.builds(OrpcExtent.of, s.guids, st.binary(max_size=20))
extent_arrays = st.none() | st.lists(extents, min_size=1, max_size=3).map(OrpcExtentArray.of)
orpcthis = st.builds(
    OrpcThis,
    version=st.builds(ComVersion, st.integers(0, 0xFFFF), st.integers(0, 0xFFFF)),
    flags=s.u32,
    reserved1=s.u32,
    cid=s.guids,
    extensions=extent_arrays,
)


def _parse(cls: Any, data: bytes) -> Any:
    """An impacket NDR structure with its deferred referents read as well."""
    value = cls()
    used = value.fromString(data)
    value.fromStringReferents(data[used:])
    return value


def _extents_by_impacket(parsed: Any) -> OrpcExtentArray | None:
    array = parsed["extensions"]
    if array in (None, b"", NULL):
        return None
    slots: list[OrpcExtent | None] = []
    for pointer in array["extent"]:
        if pointer["Data"] in (None, b"", NULL):
            slots.append(None)
            continue
        data = b"".join(pointer["data"])
        slots.append(OrpcExtent(_guid(pointer["id"]), pointer["size"], data))
    return OrpcExtentArray(array["size"], array["reserved"], slots)


@s.relaxed
@given(orpcthis)
def test_impacket_reads_our_orpcthis(value: OrpcThis) -> None:
    parsed = _parse(dcomrt.ORPCTHIS, ndr.encode(ORPCTHIS, value))
    assert (
        ComVersion(parsed["version"]["MajorVersion"], parsed["version"]["MinorVersion"])
        == value.version
    )
    assert (parsed["flags"], parsed["reserved1"], _guid(parsed["cid"])) == (
        value.flags,
        value.reserved1,
        value.cid,
    )
    assert _extents_by_impacket(parsed) == value.extensions


@s.relaxed
@given(orpcthis.filter(lambda v: v.extensions is None))
def test_we_read_impacket_orpcthis(value: OrpcThis) -> None:
    theirs = dcomrt.ORPCTHIS()
    theirs["version"]["MajorVersion"] = value.version.major
    theirs["version"]["MinorVersion"] = value.version.minor
    theirs["flags"] = value.flags
    theirs["reserved1"] = value.reserved1
    theirs["cid"] = value.cid.bytes_le
    theirs["extensions"] = NULL
    data = theirs.getData() + theirs.getDataReferents()
    assert ndr.decode(ORPCTHIS, data) == value


@s.relaxed
@given(s.u32)
def test_orpcthat_both_ways(flags: int) -> None:
    ours = ndr.encode(ORPCTHAT, OrpcThat(flags=flags))
    assert dcomrt.ORPCTHAT(ours)["flags"] == flags
    theirs = dcomrt.ORPCTHAT()
    theirs["flags"] = flags
    theirs["extensions"] = NULL
    assert ndr.decode(ORPCTHAT, theirs.getData()) == OrpcThat(flags=flags)


# -- IObjectExporter replies -------------------------------------------------------------


@s.relaxed
@given(s.impacket_dual_string_arrays, s.u32)
def test_impacket_reads_our_server_alive2(bindings: DualStringArray, status: int) -> None:
    reply = ServerAlive2Response(ComVersion(5, 7), bindings, 0, status)
    parsed = dcomrt.ServerAlive2Response(reply.encode())
    assert (parsed["pComVersion"]["MajorVersion"], parsed["pComVersion"]["MinorVersion"]) == (5, 7)
    units, security_offset = bindings.units()
    assert tuple(parsed["ppdsaOrBindings"]["aStringArray"]) == units
    assert parsed["ppdsaOrBindings"]["wSecurityOffset"] == security_offset
    assert parsed["ErrorCode"] == status


def test_server_alive2_reply_has_no_extra_bytes() -> None:
    """MS-DCOM 3.1.2.5.1.6: COMVERSION, the bindings pointer and array, pReserved, status."""
    empty = DualStringArray()
    data = ServerAlive2Response(ComVersion(5, 7), empty).encode()
    expected = [
        "05000700",  # pComVersion
        "00000200",  # ppdsaOrBindings: referent ID
        "04000000",  # conformance: 4 units
        "0400 0200",  # wNumEntries, wSecurityOffset
        "0000 0000 0000 0000",  # two empty lists, each written as two zeros
        "00000000",  # pReserved
        "00000000",  # error_status_t
    ]
    assert data == bytes.fromhex("".join(expected).replace(" ", ""))


@s.relaxed
@given(s.impacket_dual_string_arrays, s.guids, st.integers(0, 6))
def test_impacket_reads_our_resolve_oxid2(
    bindings: DualStringArray, ipid: uuid.UUID, hint: int
) -> None:
    parsed = dcomrt.ResolveOxid2Response(ResolveOxid2Response(bindings, ipid, hint).encode())
    assert tuple(parsed["ppdsaOxidBindings"]["aStringArray"]) == bindings.units()[0]
    assert _guid(parsed["pipidRemUnknown"]) == ipid
    assert parsed["pAuthnHint"] == hint
    assert parsed["ErrorCode"] == 0
