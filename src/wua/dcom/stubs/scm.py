"""IRemoteSCMActivator (MS-DCOM 3.1.2.5.2.3): activation calls on TCP 135.

Both methods carry the activation properties blob as an MInterfacePointer
(`wua.dcom.activation.blob.wrap_blob` / `unwrap_blob`). RemoteCreateInstance is what
impacket uses; PowerShell/.NET uses RemoteGetClassObject and then
IClassFactory::CreateInstance.
"""

from __future__ import annotations

from dataclasses import dataclass

from wua.dcom.orpc import (
    MINTERFACEPOINTER,
    ORPCTHAT,
    ORPCTHIS,
    MInterfacePointer,
    OrpcThat,
    OrpcThis,
)
from wua.dcom.stubs.codec import Stub, StubCodec
from wua.rpc import ndr

_MIP_IN = ndr.Unique(MINTERFACEPOINTER)
# `[out] MInterfacePointer**`: the outer [ref] has no wire form, so the parameter is the
# inner unique pointer (wua.rpc.ndr's Ref(Unique(T)) cannot carry a NULL inner pointer).
_MIP_OUT = ndr.Unique(MINTERFACEPOINTER)


@dataclass(frozen=True)
class RemoteGetClassObjectRequest(Stub):
    orpcthis: OrpcThis
    pActProperties: MInterfacePointer | None

    CODEC = StubCodec(
        "RemoteGetClassObject.in",
        [("orpcthis", ndr.Ref(ORPCTHIS)), ("pActProperties", _MIP_IN)],
    )


@dataclass(frozen=True)
class RemoteGetClassObjectResponse(Stub):
    orpcthat: OrpcThat
    ppActProperties: MInterfacePointer | None
    hresult: int

    CODEC = StubCodec(
        "RemoteGetClassObject.out",
        [("orpcthat", ndr.Ref(ORPCTHAT)), ("ppActProperties", _MIP_OUT), ("hresult", ndr.u32)],
    )


@dataclass(frozen=True)
class RemoteCreateInstanceRequest(Stub):
    orpcthis: OrpcThis
    pUnkOuter: MInterfacePointer | None
    pActProperties: MInterfacePointer | None

    CODEC = StubCodec(
        "RemoteCreateInstance.in",
        [
            ("orpcthis", ndr.Ref(ORPCTHIS)),
            ("pUnkOuter", _MIP_IN),
            ("pActProperties", _MIP_IN),
        ],
    )


@dataclass(frozen=True)
class RemoteCreateInstanceResponse(Stub):
    orpcthat: OrpcThat
    ppActProperties: MInterfacePointer | None
    hresult: int

    CODEC = StubCodec(
        "RemoteCreateInstance.out",
        [("orpcthat", ndr.Ref(ORPCTHAT)), ("ppActProperties", _MIP_OUT), ("hresult", ndr.u32)],
    )
