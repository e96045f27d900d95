"""Stub payloads: vectors, round trips, derived counts, and impacket in both directions."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from impacket.dcerpc.v5 import dcomrt
from impacket.dcerpc.v5.dtypes import NULL

from tests.dcom import strategies as s
from tests.dcom.fuzz_targets import STUB_SAMPLES
from wua.dcom import interfaces as ids
from wua.dcom.objref import StdObjRef
from wua.dcom.orpc import OrpcThat, OrpcThis
from wua.dcom.stubs import exporter as ex
from wua.dcom.stubs import remunknown as ru
from wua.dcom.stubs.codec import Stub
from wua.dcom.stubs.registry import STUBS
from wua.errors import ProtocolError

CID = uuid.UUID("6059ec6a-ca55-4808-9a05-b1012b9c76cb")
CID_LE = "6aec5960 55ca 0848 9a05 b1012b9c76cb"
ORPCTHIS_HEX = "0500 0700 01000000 00000000" + CID_LE + "00000000"

VECTORS: list[tuple[Stub, str]] = [
    (ex.SimplePingRequest(0x0102030405060708), "0807060504030201"),
    (ex.StatusResponse(0x6BA), "ba060000"),
    # pOxid, cRequestedProtseqs, [ref] conformant array: max count then elements
    (ex.ResolveOxid2Request(0x11, [7]), "1100000000000000 0100 0000 01000000 0700"),
    # pSetId, SequenceNum, cAddToSet, cDelFromSet, AddToSet (unique: ID, then array), NULL
    (
        ex.ComplexPingRequest(0, 3, [0x99], None),
        # top-level unique pointers carry their referent at once, not deferred
        "0000000000000000 0300 0100 0000 0000 00000200 01000000 9900000000000000 00000000",
    ),
    (ex.ComplexPingResponse(0x55, 2, 0), "5500000000000000 0200 0000 00000000"),
    (
        ru.RemReleaseRequest(OrpcThis(flags=1, cid=CID), [ru.RemInterfaceRef(CID, 5, 0)]),
        ORPCTHIS_HEX + "0100 0000 01000000" + CID_LE + "05000000 00000000",
    ),
    (ru.OrpcStatusResponse(OrpcThat(flags=0), 0x80004002), "00000000 00000000 02400080"),
]


@pytest.mark.parametrize(("value", "hexdata"), VECTORS)
def test_stub_vectors(value: Stub, hexdata: str) -> None:
    data = bytes.fromhex(hexdata.replace(" ", ""))
    assert value.encode() == data
    assert type(value).decode(data) == value


@pytest.mark.parametrize("value", STUB_SAMPLES, ids=lambda v: type(v).__name__)
def test_stub_round_trip(value: Stub) -> None:
    data = value.encode()
    assert type(value).decode(data) == value
    assert type(value).decode(data).encode() == data


def test_derived_count_mismatch_is_located() -> None:
    data = bytearray(ex.ResolveOxid2Request(0x11, [7]).encode())
    data[8] = 2  # cRequestedProtseqs says 2, the array holds 1
    with pytest.raises(ProtocolError) as info:
        ex.ResolveOxid2Request.decode(bytes(data))
    assert info.value.structure == "ResolveOxid2.in.cRequestedProtseqs"
    assert info.value.offset == 8  # where cRequestedProtseqs stands


def test_interface_table() -> None:
    assert ids.IREMOTESCMACTIVATOR.opnum("RemoteCreateInstance") == 4
    assert ids.IOBJECTEXPORTER.method(5) == "ServerAlive2"
    assert not ids.IOBJECTEXPORTER.orpc and ids.IREMUNKNOWN.orpc
    assert ids.IREMUNKNOWN2.opnum("RemQueryInterface2") == 6
    assert ids.ICLASSFACTORY.method(9) is None
    assert ids.BY_IID[uuid.UUID("99fcfec4-5260-101b-bbcb-00aa0021347a")] is ids.IOBJECTEXPORTER
    assert len(ids.BY_IID) == len(ids.INTERFACES)


# -- impacket -> ours (requests its client sends) -----------------------------------------


def _ndrcall(cls: Any, **fields: Any) -> bytes:
    call = cls()
    for name, value in fields.items():
        call[name] = value
    data: bytes = call.getData()
    return data


@s.relaxed
@given(s.u64, st.lists(st.integers(1, 0xFFFF), min_size=1, max_size=4))
def test_we_read_impacket_resolve_oxid2(oxid: int, protseqs: list[int]) -> None:
    data = _ndrcall(
        dcomrt.ResolveOxid2,
        pOxid=oxid,
        cRequestedProtseqs=len(protseqs),
        arRequestedProtseqs=protseqs,
    )
    assert ex.ResolveOxid2Request.decode(data) == ex.ResolveOxid2Request(oxid, protseqs)


@s.relaxed
@given(s.u64, st.integers(0, 0xFFFF), st.lists(s.u64, max_size=3), st.lists(s.u64, max_size=3))
def test_we_read_impacket_complex_ping(
    set_id: int, seq: int, add: list[int], delete: list[int]
) -> None:
    call = dcomrt.ComplexPing()
    call["pSetId"] = set_id
    call["SequenceNum"] = seq
    call["cAddToSet"] = len(add)
    call["cDelFromSet"] = len(delete)
    for name, oids in (("AddToSet", add), ("DelFromSet", delete)):
        if oids:
            for oid in oids:
                item = dcomrt.OID()
                item["Data"] = oid
                call[name].append(item)
        else:
            call[name] = NULL
    expected = ex.ComplexPingRequest(set_id, seq, add or None, delete or None)
    assert ex.ComplexPingRequest.decode(call.getData()) == expected


def _impacket_orpcthis(cid: uuid.UUID) -> Any:
    this = dcomrt.ORPCTHIS()
    this["cid"] = cid.bytes_le
    this["extensions"] = NULL
    this["flags"] = 0
    return this


@s.relaxed
@given(s.guids, s.guids, st.integers(1, 10), st.lists(s.guids, min_size=1, max_size=3))
def test_we_read_impacket_rem_query_interface(
    cid: uuid.UUID, ipid: uuid.UUID, refs: int, iids: list[uuid.UUID]
) -> None:
    call = dcomrt.RemQueryInterface()
    call["ORPCthis"] = _impacket_orpcthis(cid)
    call["ripid"] = ipid.bytes_le
    call["cRefs"] = refs
    call["cIids"] = len(iids)
    for iid in iids:
        item = dcomrt.IID()
        item["Data"] = iid.bytes_le
        call["iids"].append(item)
    value = ru.RemQueryInterfaceRequest.decode(call.getData())
    assert value == ru.RemQueryInterfaceRequest(OrpcThis(cid=cid), ipid, refs, iids)


@s.relaxed
@given(
    s.guids,
    st.lists(st.tuples(s.guids, st.integers(1, 9), st.integers(0, 9)), min_size=1, max_size=3),
)
def test_we_read_impacket_rem_release(
    cid: uuid.UUID, refs: list[tuple[uuid.UUID, int, int]]
) -> None:
    call = dcomrt.RemRelease()
    call["ORPCthis"] = _impacket_orpcthis(cid)
    call["cInterfaceRefs"] = len(refs)
    for ipid, public, private in refs:
        item = dcomrt.REMINTERFACEREF()
        item["ipid"] = ipid.bytes_le
        item["cPublicRefs"] = public
        item["cPrivateRefs"] = private
        call["InterfaceRefs"].append(item)
    value = ru.RemReleaseRequest.decode(call.getData())
    expected = [ru.RemInterfaceRef(i, p, q) for i, p, q in refs]
    assert value == ru.RemReleaseRequest(OrpcThis(cid=cid), expected)


# -- ours -> impacket (replies the emulator sends) ---------------------------------------


@s.relaxed
@given(s.std_objrefs, s.u32)
def test_impacket_reads_our_rem_query_interface_reply(std: StdObjRef, hresult: int) -> None:
    reply = ru.RemQueryInterfaceResponse(OrpcThat(), [ru.RemQiResult(hresult, std)], 0)
    parsed = dcomrt.RemQueryInterfaceResponse(reply.encode())
    result = parsed["ppQIResults"]
    assert result["hResult"] % 2**32 == hresult
    theirs = result["std"]
    assert (
        StdObjRef(
            theirs["flags"],
            theirs["cPublicRefs"],
            theirs["oxid"],
            theirs["oid"],
            uuid.UUID(bytes_le=theirs["ipid"]),
        )
        == std
    )
    assert parsed["ErrorCode"] == 0


@s.relaxed
@given(s.u64, st.integers(0, 0xFFFF), s.u32)
def test_impacket_reads_our_complex_ping_reply(set_id: int, backoff: int, status: int) -> None:
    parsed = dcomrt.ComplexPingResponse(ex.ComplexPingResponse(set_id, backoff, status).encode())
    assert (parsed["pSetId"], parsed["pPingBackoffFactor"], parsed["ErrorCode"]) == (
        set_id,
        backoff,
        status,
    )


def test_every_table_method_has_stubs() -> None:
    table = {(i.iid, n) for i in ids.INTERFACES for n in i.opnums.values()}
    assert set(STUBS) == table
    request, reply = STUBS[(ids.IREMOTESCMACTIVATOR.iid, 4)]
    assert (request.CODEC.name, reply.CODEC.name) == (
        "RemoteCreateInstance.in",
        "RemoteCreateInstance.out",
    )
    assert STUBS[(ids.IOBJECTEXPORTER.iid, 5)][1] is ex.ServerAlive2Response


# (stub class, its bytes with one count patched, count, the count's offset)
COUNT_MISMATCHES = [
    (ex.ResolveOxidRequest, "050000000000000002000000010000000700", "cRequestedProtseqs", 8),
    (
        ex.ComplexPingRequest,
        "0100000000000000020002000100000000000200010000000300000000000000"
        "04000200010000000400000000000000",
        "cAddToSet",
        10,
    ),
    (
        ex.ComplexPingRequest,
        "0100000000000000020001000300000000000200010000000300000000000000"
        "04000200010000000400000000000000",
        "cDelFromSet",
        12,
    ),
]


@pytest.mark.parametrize(("stub", "hex_data", "count", "offset"), COUNT_MISMATCHES)
def test_a_count_that_disagrees_with_its_array_names_the_counts_offset(
    stub: type[Stub], hex_data: str, count: str, offset: int
) -> None:
    with pytest.raises(ProtocolError, match=count) as raised:
        stub.decode(bytes.fromhex(hex_data))
    assert raised.value.offset == offset
