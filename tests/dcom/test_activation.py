"""Activation blobs on our own: round trips of generated values and located errors."""

from __future__ import annotations

import struct
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.dcom import strategies as s
from wua.dcom import interfaces as ids
from wua.dcom.activation.blob import ActivationBlob, OpaqueProperty, unwrap_blob, wrap_blob
from wua.dcom.activation.builders import (
    ActivatedInterface,
    ActivationResult,
    create_instance_request,
    read_reply,
    read_request,
    reply_blob,
    request_blob,
)
from wua.dcom.activation.properties import InstantiationInfoData, PropsOutInfo, ScmReplyInfoData
from wua.dcom.bindings import DualStringArray
from wua.dcom.objref import ObjRefStandard, StdObjRef
from wua.dcom.orpc import ComVersion, MInterfacePointer
from wua.errors import ProtocolError

ID = uuid.UUID("11111111-2222-3333-4444-555555555555")

activated = st.builds(ActivatedInterface, s.guids, st.just(0), s.objrefs) | st.builds(
    ActivatedInterface, s.guids, st.sampled_from([0x80004002, 0x80070005]), st.none()
)
results = st.builds(
    ActivationResult,
    st.lists(activated, min_size=1, max_size=3),
    s.u64,
    s.any_dual_string_arrays,
    s.guids,
    st.integers(0, 6),
    st.builds(ComVersion, st.integers(0, 0xFFFF), st.integers(0, 0xFFFF)),
)


@s.relaxed
@given(results)
def test_reply_round_trip(result: ActivationResult) -> None:
    blob = reply_blob(result)
    assert [type(p) for p in blob.properties] == [PropsOutInfo, ScmReplyInfoData]
    data = blob.encode()
    assert ActivationBlob.decode(data) == blob
    assert read_reply(wrap_blob(blob, reply=True)) == result


@s.relaxed
@given(s.guids, st.lists(s.guids, min_size=1, max_size=5), s.names | st.none())
def test_request_round_trip(clsid: uuid.UUID, iids: list[uuid.UUID], server: str | None) -> None:
    request = create_instance_request(clsid, iids, cid=ID, server_name=server)
    asked = read_request(request.pActProperties)
    assert (asked.clsid, asked.iids, asked.server_name) == (clsid, iids, server)
    blob = request_blob(clsid, iids, server_name=server)
    assert ActivationBlob.decode(blob.encode()) == blob


def test_instantiation_this_size_is_its_serialized_size() -> None:
    blob = request_blob(ID, [ID, ID, ID])
    inst = blob.find(InstantiationInfoData)
    assert isinstance(inst, InstantiationInfoData)
    assert inst.cIID == 3
    data = blob.encode()
    # CustomHeader sizes: second entry is InstantiationInfoData's
    decoded = ActivationBlob.decode(data)
    assert decoded.find(InstantiationInfoData) == inst
    assert inst.thisSize == 16 + 8 * ((48 + 4 + 16 * 3 + 7) // 8)


def test_unknown_property_sets_are_kept_opaque() -> None:
    opaque = OpaqueProperty(
        ids.CLSID_INSTANCEINFO, bytes.fromhex("01100800cccccccc0800000000000000") + bytes(8)
    )
    blob = ActivationBlob([opaque, *request_blob(ID, [ID]).properties])
    assert ActivationBlob.decode(blob.encode()) == blob


def _blob_bytes() -> bytes:
    return request_blob(ID, [ID]).encode()


def _corrupt(offset: int, value: int) -> bytes:
    data = bytearray(_blob_bytes())
    struct.pack_into("<I", data, offset, value)
    return bytes(data)


@pytest.mark.parametrize(
    ("data", "structure", "offset"),
    [
        (_blob_bytes()[:5], "ActivationPropertiesBlob", 0),
        (_corrupt(0, 9999), "ActivationPropertiesBlob", 0),  # dwSize
        (_corrupt(8 + 16, 1), "ActivationPropertiesBlob.CustomHeader", 8),  # totalSize
        (_corrupt(8 + 16 + 4, 1), "ActivationPropertiesBlob.CustomHeader", 8),  # headerSize
        (_corrupt(8 + 16 + 16, 5), "ActivationPropertiesBlob.CustomHeader", 8),  # cIfs
    ],
)
def test_blob_errors_are_located(data: bytes, structure: str, offset: int) -> None:
    with pytest.raises(ProtocolError) as info:
        ActivationBlob.decode(data)
    assert (info.value.structure, info.value.offset) == (structure, offset)


def test_cIID_must_match_the_array() -> None:
    blob = request_blob(ID, [ID, ID])
    data = bytearray(blob.encode())
    inst_start = data.index(ID.bytes_le + struct.pack("<I", 0x14))  # classId, classCtx
    struct.pack_into("<I", data, inst_start + 28, 3)  # cIID
    with pytest.raises(ProtocolError) as info:
        ActivationBlob.decode(bytes(data))
    assert info.value.structure == "InstantiationInfoData.cIID"
    assert info.value.offset == inst_start - 16


def test_envelope_must_be_the_right_custom_objref() -> None:
    request = wrap_blob(request_blob(ID, [ID]), reply=False)
    with pytest.raises(ProtocolError, match="OBJREF_CUSTOM"):
        unwrap_blob(request, reply=True)
    standard = MInterfacePointer.of(
        ObjRefStandard(ID, StdObjRef(0, 1, 2, 3, ID), DualStringArray())
    )
    with pytest.raises(ProtocolError) as info:
        unwrap_blob(standard, reply=False)
    assert info.value.structure == "OBJREF"


def test_unpadded_object_buffer_length_is_accepted_like_windows_does() -> None:
    """impacket leaves the pad out of ObjectBufferLength; the property size still has it."""
    blob = request_blob(ID, [ID])
    data = bytearray(blob.encode())
    inst_start = data.index(ID.bytes_le + struct.pack("<I", 0x14)) - 16
    (length,) = struct.unpack_from("<I", data, inst_start + 8)
    assert length % 8 == 0
    struct.pack_into("<I", data, inst_start + 8, length - 4)
    assert ActivationBlob.decode(bytes(data)) == blob
