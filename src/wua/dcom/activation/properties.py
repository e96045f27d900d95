"""The activation property sets (MS-DCOM 2.2.22.2), one NDR table each.

Record fields are in wire order because the NDR tables build records positionally;
construct them by keyword.

Each set travels NDR type-serialized (MS-RPCE 2.2.6) inside the activation blob and is
named there by a CLSID; `PROPERTY_TYPES` maps those CLSIDs to the declarations so the
blob codec needs no per-set code. Field names follow the IDL in the spec, so a reader
can hold this file next to MS-DCOM.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from wua.dcom import interfaces as ids
from wua.dcom.bindings import DUALSTRINGARRAY, DualStringArray
from wua.dcom.orpc import (
    COMVERSION,
    MINTERFACEPOINTER,
    ComVersion,
    MInterfacePointer,
    check_counts,
)
from wua.errors import ProtocolError
from wua.rpc import ndr

# Field names are the IDL's (dwSessionId, pIID, ...) so the code reads beside the spec.

NULL_GUID = uuid.UUID(int=0)


@dataclass(frozen=True)
class InstantiationInfoData:
    """What to create: the CLSID, the context and the interfaces wanted."""

    classId: uuid.UUID = NULL_GUID
    classCtx: int = 0x14  # CLSCTX_LOCAL_SERVER | CLSCTX_REMOTE_SERVER
    actvflags: int = 0
    fIsSurrogate: int = 0
    cIID: int = -1  # -1: take len(pIID)
    instFlag: int = 0
    pIID: list[uuid.UUID] | None = field(default_factory=list)
    thisSize: int = 0
    clientCOMVersion: ComVersion = field(default_factory=ComVersion)

    def __post_init__(self) -> None:
        if self.cIID == -1:  # never from the wire (u32); a convenience for builders
            object.__setattr__(self, "cIID", len(self.pIID or []))


INSTANTIATION_INFO = ndr.Struct(
    "InstantiationInfoData",
    [
        ("classId", ndr.GUID),
        ("classCtx", ndr.u32),
        ("actvflags", ndr.u32),
        ("fIsSurrogate", ndr.i32),
        ("cIID", ndr.u32),
        ("instFlag", ndr.u32),
        ("pIID", ndr.Unique(ndr.ConformantArray(ndr.GUID))),
        ("thisSize", ndr.u32),
        ("clientCOMVersion", COMVERSION),
    ],
    record=InstantiationInfoData,
)


@dataclass(frozen=True)
class SpecialPropertiesData:
    """Session and default authentication level of the activation."""

    dwSessionId: int = 0xFFFFFFFF
    fRemoteThisSessionId: int = 0
    fClientImpersonating: int = 0
    fPartitionIDPresent: int = 0
    dwDefaultAuthnLvl: int = 2
    guidPartition: uuid.UUID = NULL_GUID
    dwPRTFlags: int = 0
    dwOrigClsctx: int = 0x14
    dwFlags: int = 2
    Reserved1: int = 0
    Reserved2: int = 0
    Reserved3: list[int] = field(default_factory=lambda: [0] * 5)


SPECIAL_PROPERTIES = ndr.Struct(
    "SpecialPropertiesData",
    [
        ("dwSessionId", ndr.u32),
        ("fRemoteThisSessionId", ndr.i32),
        ("fClientImpersonating", ndr.i32),
        ("fPartitionIDPresent", ndr.i32),
        ("dwDefaultAuthnLvl", ndr.u32),
        ("guidPartition", ndr.GUID),
        ("dwPRTFlags", ndr.u32),
        ("dwOrigClsctx", ndr.u32),
        ("dwFlags", ndr.u32),
        ("Reserved1", ndr.u32),
        ("Reserved2", ndr.u64),
        ("Reserved3", ndr.FixedArray(ndr.u32, 5)),
    ],
    record=SpecialPropertiesData,
)


@dataclass(frozen=True)
class ActivationContextInfoData:
    """The client's COM context, marshaled; opaque to everyone but Windows' own COM."""

    clientOK: int = 0
    bReserved1: int = 0
    dwReserved1: int = 0
    dwReserved2: int = 0
    pIFDClientCtx: MInterfacePointer | None = None
    pIFDPrototypeCtx: MInterfacePointer | None = None


ACTIVATION_CONTEXT_INFO = ndr.Struct(
    "ActivationContextInfoData",
    [
        ("clientOK", ndr.i32),
        ("bReserved1", ndr.i32),
        ("dwReserved1", ndr.u32),
        ("dwReserved2", ndr.u32),
        ("pIFDClientCtx", ndr.Unique(MINTERFACEPOINTER)),
        ("pIFDPrototypeCtx", ndr.Unique(MINTERFACEPOINTER)),
    ],
    record=ActivationContextInfoData,
)


@dataclass(frozen=True)
class LocationInfoData:
    machineName: str | None = None
    processId: int = 0
    apartmentId: int = 0
    contextId: int = 0


LOCATION_INFO = ndr.Struct(
    "LocationInfoData",
    [
        ("machineName", ndr.Unique(ndr.WString())),
        ("processId", ndr.u32),
        ("apartmentId", ndr.u32),
        ("contextId", ndr.u32),
    ],
    record=LocationInfoData,
)


@dataclass(frozen=True)
class CoServerInfo:
    """COSERVERINFO: the server name the client asked for (auth info is always NULL)."""

    dwReserved1: int = 0
    pwszName: str | None = None
    pdwReserved: int | None = None
    dwReserved2: int = 0


COSERVERINFO = ndr.Struct(
    "COSERVERINFO",
    [
        ("dwReserved1", ndr.u32),
        ("pwszName", ndr.Unique(ndr.WString())),
        ("pdwReserved", ndr.Unique(ndr.u32)),
        ("dwReserved2", ndr.u32),
    ],
    record=CoServerInfo,
)


@dataclass(frozen=True)
class SecurityInfoData:
    dwAuthnFlags: int = 0
    pServerInfo: CoServerInfo | None = None
    pdwReserved: int | None = None


SECURITY_INFO = ndr.Struct(
    "SecurityInfoData",
    [
        ("dwAuthnFlags", ndr.u32),
        ("pServerInfo", ndr.Unique(COSERVERINFO)),
        ("pdwReserved", ndr.Unique(ndr.u32)),
    ],
    record=SecurityInfoData,
)


@dataclass(frozen=True)
class RemoteRequestScmInfo:
    """customREMOTE_REQUEST_SCM_INFO: impersonation level and protocol sequences wanted."""

    ClientImpLevel: int = 2
    cRequestedProtseqs: int = 1
    pRequestedProtseqs: list[int] | None = field(default_factory=lambda: [7])


REMOTE_REQUEST_SCM_INFO = ndr.Struct(
    "customREMOTE_REQUEST_SCM_INFO",
    [
        ("ClientImpLevel", ndr.u32),
        ("cRequestedProtseqs", ndr.u16),
        ("pRequestedProtseqs", ndr.Unique(ndr.ConformantArray(ndr.u16))),
    ],
    record=RemoteRequestScmInfo,
)


@dataclass(frozen=True)
class ScmRequestInfoData:
    pdwReserved: int | None = None
    remoteRequest: RemoteRequestScmInfo | None = field(default_factory=RemoteRequestScmInfo)


SCM_REQUEST_INFO = ndr.Struct(
    "ScmRequestInfoData",
    [
        ("pdwReserved", ndr.Unique(ndr.u32)),
        ("remoteRequest", ndr.Unique(REMOTE_REQUEST_SCM_INFO)),
    ],
    record=ScmRequestInfoData,
)


@dataclass(frozen=True)
class RemoteReplyScmInfo:
    """customREMOTE_REPLY_SCM_INFO: where the new object's exporter is and how to talk to it."""

    Oxid: int
    pdsaOxidBindings: DualStringArray | None
    ipidRemUnknown: uuid.UUID
    authnHint: int
    serverVersion: ComVersion = field(default_factory=ComVersion)


REMOTE_REPLY_SCM_INFO = ndr.Struct(
    "customREMOTE_REPLY_SCM_INFO",
    [
        ("Oxid", ndr.u64),
        ("pdsaOxidBindings", ndr.Unique(DUALSTRINGARRAY)),
        ("ipidRemUnknown", ndr.GUID),
        ("authnHint", ndr.u32),
        ("serverVersion", COMVERSION),
    ],
    record=RemoteReplyScmInfo,
)


@dataclass(frozen=True)
class ScmReplyInfoData:
    """The exporter's whereabouts. `pdwReserved` is the slot Windows uses for its private
    (same-machine) reply info; MS-DCOM 2.2.22.2.8 types it DWORD* and requires NULL."""

    pdwReserved: int | None = None
    remoteReply: RemoteReplyScmInfo | None = None


SCM_REPLY_INFO = ndr.Struct(
    "ScmReplyInfoData",
    [
        ("pdwReserved", ndr.Unique(ndr.u32)),
        ("remoteReply", ndr.Unique(REMOTE_REPLY_SCM_INFO)),
    ],
    record=ScmReplyInfoData,
)


@dataclass(frozen=True)
class PropsOutInfo:
    """The interfaces created: per IID an HRESULT and, on success, an OBJREF."""

    cIfs: int
    piid: list[uuid.UUID] | None
    phresults: list[int] | None
    ppIntfData: list[MInterfacePointer | None] | None


PROPS_OUT_INFO = ndr.Struct(
    "PropsOutInfo",
    [
        ("cIfs", ndr.u32),
        ("piid", ndr.Unique(ndr.ConformantArray(ndr.GUID))),
        ("phresults", ndr.Unique(ndr.ConformantArray(ndr.u32))),
        ("ppIntfData", ndr.Unique(ndr.ConformantArray(ndr.Unique(MINTERFACEPOINTER)))),
    ],
    record=PropsOutInfo,
)

PropertySet = (
    InstantiationInfoData
    | SpecialPropertiesData
    | ActivationContextInfoData
    | LocationInfoData
    | SecurityInfoData
    | ScmRequestInfoData
    | ScmReplyInfoData
    | PropsOutInfo
)

PROPERTY_TYPES: Mapping[uuid.UUID, ndr.Struct] = MappingProxyType(
    {
        ids.CLSID_INSTANTIATIONINFO: INSTANTIATION_INFO,
        ids.CLSID_SPECIALSYSTEMPROPERTIES: SPECIAL_PROPERTIES,
        ids.CLSID_ACTIVATIONCONTEXTINFO: ACTIVATION_CONTEXT_INFO,
        ids.CLSID_SERVERLOCATIONINFO: LOCATION_INFO,
        ids.CLSID_SECURITYINFO: SECURITY_INFO,
        ids.CLSID_SCMREQUESTINFO: SCM_REQUEST_INFO,
        ids.CLSID_SCMREPLYINFO: SCM_REPLY_INFO,
        ids.CLSID_PROPSOUTINFO: PROPS_OUT_INFO,
    }
)
"""CLSID naming a property set in the CustomHeader -> its NDR declaration."""

PROPERTY_CLSIDS: Mapping[type, uuid.UUID] = MappingProxyType(
    {
        InstantiationInfoData: ids.CLSID_INSTANTIATIONINFO,
        SpecialPropertiesData: ids.CLSID_SPECIALSYSTEMPROPERTIES,
        ActivationContextInfoData: ids.CLSID_ACTIVATIONCONTEXTINFO,
        LocationInfoData: ids.CLSID_SERVERLOCATIONINFO,
        SecurityInfoData: ids.CLSID_SECURITYINFO,
        ScmRequestInfoData: ids.CLSID_SCMREQUESTINFO,
        ScmReplyInfoData: ids.CLSID_SCMREPLYINFO,
        PropsOutInfo: ids.CLSID_PROPSOUTINFO,
    }
)
"""The value class of each property set -> the CLSID that names it."""


def check_property(value: object, structure: str, offset: int) -> None:
    """The counts a property set repeats (cIID, cIfs, ...) must match its arrays."""
    check_counts(value, structure)
    pairs: list[tuple[str, int, int]] = []
    if isinstance(value, InstantiationInfoData):
        pairs.append(("cIID", value.cIID, len(value.pIID or [])))
    elif isinstance(value, PropsOutInfo):
        pairs.append(("cIfs", value.cIfs, len(value.piid or [])))
        for name, items in (("phresults", value.phresults), ("ppIntfData", value.ppIntfData)):
            if items is not None:
                pairs.append((name, value.cIfs, len(items)))
    elif isinstance(value, ScmRequestInfoData) and value.remoteRequest is not None:
        request = value.remoteRequest
        got = len(request.pRequestedProtseqs or [])
        pairs.append(("cRequestedProtseqs", request.cRequestedProtseqs, got))
    for name, expected, got in pairs:
        if expected != got:
            raise ProtocolError(
                f"{name} is {expected} but the array has {got}",
                structure=f"{structure}.{name}",
                offset=offset,
            )


def property_type(value: Any) -> tuple[uuid.UUID, ndr.Struct]:
    clsid = PROPERTY_CLSIDS[type(value)]
    return clsid, PROPERTY_TYPES[clsid]
