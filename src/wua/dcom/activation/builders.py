"""Building activation requests and replies, and reading a reply back as one result.

The client asks for a CLSID and a list of IIDs; the emulator answers with an OBJREF per
interface plus where its exporter listens. Both sides lay the property sets out the way
Windows does (see the golden vectors): request sets in Windows' order, and in the reply
PropsOutInfo first and ScmReplyInfoData second, which impacket relies on.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from wua.dcom.activation.blob import ActivationBlob, unwrap_blob, wrap_blob
from wua.dcom.activation.properties import (
    INSTANTIATION_INFO,
    ActivationContextInfoData,
    CoServerInfo,
    InstantiationInfoData,
    LocationInfoData,
    PropsOutInfo,
    RemoteReplyScmInfo,
    RemoteRequestScmInfo,
    ScmReplyInfoData,
    ScmRequestInfoData,
    SecurityInfoData,
    SpecialPropertiesData,
)
from wua.dcom.bindings import TOWER_NCACN_IP_TCP, DualStringArray
from wua.dcom.objref import ObjRef
from wua.dcom.orpc import ORPCF_LOCAL, ComVersion, MInterfacePointer, OrpcThat, OrpcThis
from wua.dcom.stubs.scm import (
    RemoteCreateInstanceRequest,
    RemoteCreateInstanceResponse,
    RemoteGetClassObjectRequest,
    RemoteGetClassObjectResponse,
)
from wua.errors import ProtocolError
from wua.rpc import ndr

RPC_C_IMP_LEVEL_IDENTIFY = 2


def request_blob(
    clsid: uuid.UUID,
    iids: Sequence[uuid.UUID],
    *,
    server_name: str | None = None,
    authn_level: int = 2,
) -> ActivationBlob:
    """The activation properties a Windows client sends for `clsid` and `iids`."""
    instantiation = InstantiationInfoData(classId=clsid, pIID=list(iids))
    # thisSize is the serialized size of the set itself; the field is fixed-width, so one
    # trial encoding gives the final length.
    size = len(ndr.serialize(INSTANTIATION_INFO, instantiation))
    instantiation = InstantiationInfoData(classId=clsid, pIID=list(iids), thisSize=size)
    return ActivationBlob(
        [
            SpecialPropertiesData(dwDefaultAuthnLvl=authn_level),
            instantiation,
            ActivationContextInfoData(),
            SecurityInfoData(pServerInfo=CoServerInfo(pwszName=server_name)),
            LocationInfoData(),
            ScmRequestInfoData(
                remoteRequest=RemoteRequestScmInfo(
                    ClientImpLevel=RPC_C_IMP_LEVEL_IDENTIFY,
                    cRequestedProtseqs=1,
                    pRequestedProtseqs=[TOWER_NCACN_IP_TCP],
                )
            ),
        ]
    )


def create_instance_request(
    clsid: uuid.UUID,
    iids: Sequence[uuid.UUID],
    *,
    cid: uuid.UUID,
    server_name: str | None = None,
    authn_level: int = 2,
) -> RemoteCreateInstanceRequest:
    """IRemoteSCMActivator::RemoteCreateInstance for `clsid`, asking for `iids`."""
    blob = request_blob(clsid, iids, server_name=server_name, authn_level=authn_level)
    return RemoteCreateInstanceRequest(
        orpcthis=OrpcThis(flags=ORPCF_LOCAL, cid=cid),
        pUnkOuter=None,
        pActProperties=wrap_blob(blob, reply=False),
    )


def get_class_object_request(
    clsid: uuid.UUID, iid: uuid.UUID, *, cid: uuid.UUID, server_name: str | None = None
) -> RemoteGetClassObjectRequest:
    """IRemoteSCMActivator::RemoteGetClassObject (the PowerShell/.NET way in)."""
    blob = request_blob(clsid, [iid], server_name=server_name)
    return RemoteGetClassObjectRequest(
        orpcthis=OrpcThis(flags=ORPCF_LOCAL, cid=cid), pActProperties=wrap_blob(blob, reply=False)
    )


@dataclass(frozen=True)
class ActivationRequest:
    """What a server needs from a request blob."""

    clsid: uuid.UUID
    iids: list[uuid.UUID]
    server_name: str | None


def read_request(pointer: MInterfacePointer | None) -> ActivationRequest:
    """The CLSID, IIDs and target name an activation request asks for."""
    if pointer is None:
        raise ProtocolError("no activation properties", structure="pActProperties", offset=0)
    blob = unwrap_blob(pointer, reply=False)
    instantiation = blob.find(InstantiationInfoData)
    if not isinstance(instantiation, InstantiationInfoData):
        raise ProtocolError(
            "no InstantiationInfoData", structure="ActivationPropertiesBlob", offset=0
        )
    security = blob.find(SecurityInfoData)
    name = None
    if isinstance(security, SecurityInfoData) and security.pServerInfo is not None:
        name = security.pServerInfo.pwszName
    return ActivationRequest(instantiation.classId, list(instantiation.pIID or []), name)


@dataclass(frozen=True)
class ActivatedInterface:
    """One requested interface: its HRESULT and, on success, its OBJREF."""

    iid: uuid.UUID
    hresult: int
    objref: ObjRef | None


@dataclass(frozen=True)
class ActivationResult:
    """Everything a client takes from an activation reply."""

    interfaces: list[ActivatedInterface]
    oxid: int
    bindings: DualStringArray
    ipid_rem_unknown: uuid.UUID
    authn_hint: int
    version: ComVersion


def reply_blob(result: ActivationResult) -> ActivationBlob:
    """PropsOutInfo then ScmReplyInfoData, the order impacket reads them in."""
    pointers = [
        None if item.objref is None else MInterfacePointer.of(item.objref)
        for item in result.interfaces
    ]
    props = PropsOutInfo(
        cIfs=len(result.interfaces),
        piid=[item.iid for item in result.interfaces],
        phresults=[item.hresult for item in result.interfaces],
        ppIntfData=pointers,
    )
    scm = ScmReplyInfoData(
        remoteReply=RemoteReplyScmInfo(
            Oxid=result.oxid,
            pdsaOxidBindings=result.bindings,
            ipidRemUnknown=result.ipid_rem_unknown,
            authnHint=result.authn_hint,
            serverVersion=result.version,
        )
    )
    return ActivationBlob([props, scm])


def create_instance_response(
    result: ActivationResult, *, hresult: int = 0
) -> RemoteCreateInstanceResponse:
    return RemoteCreateInstanceResponse(
        orpcthat=OrpcThat(flags=ORPCF_LOCAL),
        ppActProperties=wrap_blob(reply_blob(result), reply=True),
        hresult=hresult,
    )


def get_class_object_response(
    result: ActivationResult, *, hresult: int = 0
) -> RemoteGetClassObjectResponse:
    return RemoteGetClassObjectResponse(
        orpcthat=OrpcThat(flags=ORPCF_LOCAL),
        ppActProperties=wrap_blob(reply_blob(result), reply=True),
        hresult=hresult,
    )


def read_reply(pointer: MInterfacePointer | None) -> ActivationResult:
    """The interfaces, exporter and bindings an activation reply carries.

    Sets are found by type, not by position, so a reply from any server reads the same.
    """
    if pointer is None:
        raise ProtocolError("no activation properties", structure="ppActProperties", offset=0)
    blob = unwrap_blob(pointer, reply=True)
    props = blob.find(PropsOutInfo)
    scm = blob.find(ScmReplyInfoData)
    if not isinstance(props, PropsOutInfo) or not isinstance(scm, ScmReplyInfoData):
        raise ProtocolError(
            "reply lacks PropsOutInfo or ScmReplyInfoData",
            structure="ActivationPropertiesBlob",
            offset=0,
        )
    remote = scm.remoteReply
    if remote is None or remote.pdsaOxidBindings is None:
        raise ProtocolError(
            "ScmReplyInfoData has no remote reply", structure="ScmReplyInfoData", offset=0
        )
    iids = props.piid or []
    hresults = props.phresults or [0] * len(iids)
    pointers = props.ppIntfData or [None] * len(iids)
    interfaces = [
        ActivatedInterface(iid, hr, None if mip is None else mip.objref())
        for iid, hr, mip in zip(iids, hresults, pointers, strict=True)
    ]
    return ActivationResult(
        interfaces,
        remote.Oxid,
        remote.pdsaOxidBindings,
        remote.ipidRemUnknown,
        remote.authnHint,
        remote.serverVersion,
    )
