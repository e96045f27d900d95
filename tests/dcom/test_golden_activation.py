"""RemoteCreateInstance from real Windows traffic (Zeek kerberos135_auth.pcapng, frames
10 and 11; see tests/data/vectors/README.md), decoded field by field and re-encoded."""

from __future__ import annotations

import uuid

import pytest

from tests.dcom.fuzz_targets import REQUEST, RESPONSE
from wua.dcom import interfaces as ids
from wua.dcom.activation.blob import ActivationBlob, unwrap_blob, wrap_blob
from wua.dcom.activation.builders import create_instance_response, read_reply, read_request
from wua.dcom.activation.properties import (
    ActivationContextInfoData,
    InstantiationInfoData,
    LocationInfoData,
    PropsOutInfo,
    ScmReplyInfoData,
    ScmRequestInfoData,
    SecurityInfoData,
    SpecialPropertiesData,
)
from wua.dcom.bindings import SecurityBinding, StringBinding
from wua.dcom.objref import ObjRefCustom, ObjRefStandard, StdObjRef, decode_objref
from wua.dcom.orpc import ComVersion, OrpcThat, OrpcThis
from wua.dcom.stubs.scm import RemoteCreateInstanceRequest, RemoteCreateInstanceResponse

CLSID_WBEMLEVEL1LOGIN = uuid.UUID("8bc3f05e-d86b-11d0-a075-00c04fb68820")
IID_IWBEMLEVEL1LOGIN = uuid.UUID("f309ad18-d86a-11d0-a075-00c04fb68820")
OXID = 0x1189F948559B4A41
IPID_REMUNKNOWN = uuid.UUID("0000ec00-079c-0000-a0ec-6c1835106534")
SYSTEM = "NT AUTHORITY\\SYSTEM"
SPN = "host/BLACKCLOVER-DC.SRT-AD.local"


@pytest.fixture(scope="module")
def request_stub() -> RemoteCreateInstanceRequest:
    return RemoteCreateInstanceRequest.decode(REQUEST)


@pytest.fixture(scope="module")
def response_stub() -> RemoteCreateInstanceResponse:
    return RemoteCreateInstanceResponse.decode(RESPONSE)


def test_request_orpcthis(request_stub: RemoteCreateInstanceRequest) -> None:
    assert request_stub.orpcthis == OrpcThis(
        version=ComVersion(5, 7),
        flags=1,
        reserved1=0,
        cid=uuid.UUID("6059ec6a-ca55-4808-9a05-b1012b9c76cb"),
        extensions=None,
    )
    assert request_stub.pUnkOuter is None


def test_request_envelope_is_custom_objref(request_stub: RemoteCreateInstanceRequest) -> None:
    pointer = request_stub.pActProperties
    assert pointer is not None and pointer.ulCntData == 752
    objref = decode_objref(pointer.abData)
    assert isinstance(objref, ObjRefCustom)
    assert objref.iid == ids.IID_IACTIVATIONPROPERTIESIN
    assert objref.clsid == ids.CLSID_ACTIVATIONPROPERTIESIN
    assert (objref.cb_extension, objref.reserved, len(objref.object_data)) == (0, 712, 704)


def test_request_property_sets(request_stub: RemoteCreateInstanceRequest) -> None:
    assert request_stub.pActProperties is not None
    blob = unwrap_blob(request_stub.pActProperties, reply=False)
    assert blob.destCtx == 2
    special, inst, context, security, location, scm = blob.properties
    assert special == SpecialPropertiesData(
        dwSessionId=0xFFFFFFFF, dwDefaultAuthnLvl=2, dwOrigClsctx=0x14, dwFlags=2
    )
    assert inst == InstantiationInfoData(
        classId=CLSID_WBEMLEVEL1LOGIN,
        classCtx=0x14,
        cIID=1,
        pIID=[IID_IWBEMLEVEL1LOGIN],
        thisSize=88,
        clientCOMVersion=ComVersion(5, 7),
    )
    assert isinstance(context, ActivationContextInfoData)
    assert context.pIFDPrototypeCtx is None and context.pIFDClientCtx is not None
    client_ctx = decode_objref(context.pIFDClientCtx.abData)
    assert isinstance(client_ctx, ObjRefCustom)
    assert (client_ctx.iid, client_ctx.clsid) == (ids.IID_ICONTEXT, ids.CLSID_CONTEXTMARSHALER)
    assert isinstance(security, SecurityInfoData)
    assert security.dwAuthnFlags == 0 and security.pdwReserved is None
    assert security.pServerInfo is not None
    assert security.pServerInfo.pwszName == "BLACKCLOVER-DC"
    assert security.pServerInfo.pdwReserved is None
    assert location == LocationInfoData(machineName=None)
    assert isinstance(scm, ScmRequestInfoData) and scm.pdwReserved is None
    assert scm.remoteRequest is not None
    assert (scm.remoteRequest.ClientImpLevel, scm.remoteRequest.pRequestedProtseqs) == (2, [7])


def test_read_request(request_stub: RemoteCreateInstanceRequest) -> None:
    asked = read_request(request_stub.pActProperties)
    assert (asked.clsid, asked.iids, asked.server_name) == (
        CLSID_WBEMLEVEL1LOGIN,
        [IID_IWBEMLEVEL1LOGIN],
        "BLACKCLOVER-DC",
    )


def test_response_fields(response_stub: RemoteCreateInstanceResponse) -> None:
    assert response_stub.orpcthat == OrpcThat(flags=1, extensions=None)
    assert response_stub.hresult == 0
    assert response_stub.ppActProperties is not None
    envelope = decode_objref(response_stub.ppActProperties.abData)
    assert isinstance(envelope, ObjRefCustom)
    assert (envelope.iid, envelope.clsid) == (
        ids.IID_IACTIVATIONPROPERTIESOUT,
        ids.CLSID_ACTIVATIONPROPERTIESOUT,
    )
    blob = unwrap_blob(response_stub.ppActProperties, reply=True)
    props, scm = blob.properties  # PropsOutInfo first, ScmReplyInfoData second
    assert isinstance(props, PropsOutInfo) and isinstance(scm, ScmReplyInfoData)
    assert (props.cIfs, props.piid, props.phresults) == (1, [IID_IWBEMLEVEL1LOGIN], [0])
    assert scm.pdwReserved is None and scm.remoteReply is not None
    reply = scm.remoteReply
    assert reply.Oxid == OXID
    assert reply.ipidRemUnknown == IPID_REMUNKNOWN
    assert reply.authnHint == 4  # RPC_C_AUTHN_LEVEL_PKT
    assert reply.serverVersion == ComVersion(5, 7)
    assert reply.pdsaOxidBindings is not None
    assert reply.pdsaOxidBindings.string_bindings == (
        StringBinding(7, "BLACKCLOVER-DC[49718]"),
        StringBinding(7, "10.10.10.100[49718]"),
    )
    assert [b.port for b in reply.pdsaOxidBindings.string_bindings] == [49718, 49718]
    assert reply.pdsaOxidBindings.security_bindings == (
        SecurityBinding(10, SYSTEM),
        SecurityBinding(30, SYSTEM),
        SecurityBinding(16, SPN),
        SecurityBinding(9, SPN),
        SecurityBinding(22, SYSTEM),
        SecurityBinding(31, SYSTEM),
    )


def test_response_interface_objref(response_stub: RemoteCreateInstanceResponse) -> None:
    result = read_reply(response_stub.ppActProperties)
    (item,) = result.interfaces
    assert (item.iid, item.hresult) == (IID_IWBEMLEVEL1LOGIN, 0)
    objref = item.objref
    assert isinstance(objref, ObjRefStandard)
    assert objref.iid == IID_IWBEMLEVEL1LOGIN
    assert objref.std == StdObjRef(
        flags=0,
        public_refs=5,
        oxid=OXID,
        oid=0x277FC1C2CC061724,
        ipid=uuid.UUID("00006c19-079c-0000-6cd2-8202759eb415"),
    )
    assert objref.resolver.string_bindings == (
        StringBinding(7, "BLACKCLOVER-DC"),
        StringBinding(7, "10.10.10.100"),
    )
    assert [
        (b.authn_svc, b.principal_name, b.authz_svc) for b in objref.resolver.security_bindings
    ] == [
        (9, "", 0xFFFF),
        (30, "", 0xFFFF),
        (16, "", 0xFFFF),
        (10, "", 0xFFFF),
        (22, "", 0xFFFF),
        (31, "", 0xFFFF),
        (14, "", 0xFFFF),
    ]
    assert (result.oxid, result.ipid_rem_unknown, result.authn_hint) == (OXID, IPID_REMUNKNOWN, 4)


def test_stubs_reencode_byte_exact(
    request_stub: RemoteCreateInstanceRequest, response_stub: RemoteCreateInstanceResponse
) -> None:
    assert request_stub.encode() == REQUEST
    assert response_stub.encode() == RESPONSE


def test_blobs_reencode_byte_exact(
    request_stub: RemoteCreateInstanceRequest, response_stub: RemoteCreateInstanceResponse
) -> None:
    for pointer, reply in (
        (request_stub.pActProperties, False),
        (response_stub.ppActProperties, True),
    ):
        assert pointer is not None
        blob = unwrap_blob(pointer, reply=reply)
        assert wrap_blob(blob, reply=reply) == pointer
        objref = decode_objref(pointer.abData)
        assert isinstance(objref, ObjRefCustom)
        assert ActivationBlob.decode(objref.object_data).encode() == objref.object_data


def test_reply_builder_reproduces_windows(response_stub: RemoteCreateInstanceResponse) -> None:
    """Our server-side builder, fed what Windows said, writes what Windows wrote."""
    result = read_reply(response_stub.ppActProperties)
    assert create_instance_response(result).encode() == RESPONSE
