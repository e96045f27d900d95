"""IClassFactory as remoted (the [call_as] forms RemoteCreateInstance / RemoteLockServer).

PowerShell/.NET reach WUA this way: RemoteGetClassObject returns an IClassFactory, then
CreateInstance asks it for the interface. The remote form has no pUnkOuter (no
aggregation across machines): ORPCTHIS, the IID, and an OBJREF back.
"""

from __future__ import annotations

import uuid
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
from wua.dcom.stubs.remunknown import OrpcStatusResponse
from wua.rpc import ndr


@dataclass(frozen=True)
class CreateInstanceRequest(Stub):
    orpcthis: OrpcThis
    riid: uuid.UUID

    CODEC = StubCodec(
        "IClassFactory.CreateInstance.in",
        [("orpcthis", ndr.Ref(ORPCTHIS)), ("riid", ndr.Ref(ndr.GUID))],
    )


@dataclass(frozen=True)
class CreateInstanceResponse(Stub):
    orpcthat: OrpcThat
    ppvObject: MInterfacePointer | None
    hresult: int = 0

    CODEC = StubCodec(
        "IClassFactory.CreateInstance.out",
        [
            ("orpcthat", ndr.Ref(ORPCTHAT)),
            ("ppvObject", ndr.Unique(MINTERFACEPOINTER)),
            ("hresult", ndr.u32),
        ],
    )


@dataclass(frozen=True)
class LockServerRequest(Stub):
    orpcthis: OrpcThis
    fLock: int

    CODEC = StubCodec(
        "IClassFactory.LockServer.in", [("orpcthis", ndr.Ref(ORPCTHIS)), ("fLock", ndr.i32)]
    )


LockServerResponse = OrpcStatusResponse
