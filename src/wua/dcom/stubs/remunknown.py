"""IRemUnknown / IRemUnknown2 (MS-DCOM 3.1.1.5.6): QueryInterface and reference counts.

Reached on the IPID of IRemUnknown that activation returns (ipidRemUnknown). Results
name interfaces by STDOBJREF (RemQueryInterface) or whole OBJREFs (RemQueryInterface2).
In NDR the STDOBJREF is aligned to 8 for its 64-bit IDs, unlike inside a flat OBJREF.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from wua.dcom.objref import StdObjRef
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

STDOBJREF_NDR = ndr.Struct(
    "STDOBJREF",
    [
        ("flags", ndr.u32),
        ("public_refs", ndr.u32),
        ("oxid", ndr.u64),
        ("oid", ndr.u64),
        ("ipid", ndr.GUID),
    ],
    record=StdObjRef,
)


@dataclass(frozen=True)
class RemQiResult:
    hResult: int
    std: StdObjRef


REMQIRESULT = ndr.Struct(
    "REMQIRESULT", [("hResult", ndr.u32), ("std", STDOBJREF_NDR)], record=RemQiResult
)


@dataclass(frozen=True)
class RemInterfaceRef:
    ipid: uuid.UUID
    cPublicRefs: int
    cPrivateRefs: int = 0


REMINTERFACEREF = ndr.Struct(
    "REMINTERFACEREF",
    [("ipid", ndr.GUID), ("cPublicRefs", ndr.u32), ("cPrivateRefs", ndr.u32)],
    record=RemInterfaceRef,
)


@dataclass(frozen=True)
class RemQueryInterfaceRequest(Stub):
    orpcthis: OrpcThis
    ripid: uuid.UUID
    cRefs: int
    iids: list[uuid.UUID]

    CODEC = StubCodec(
        "RemQueryInterface.in",
        [
            ("orpcthis", ndr.Ref(ORPCTHIS)),
            ("ripid", ndr.Ref(ndr.GUID)),
            ("cRefs", ndr.u32),
            ("cIids", ndr.u16),
            ("iids", ndr.Ref(ndr.ConformantArray(ndr.GUID))),
        ],
        counts=[("cIids", "iids")],
    )


@dataclass(frozen=True)
class RemQueryInterfaceResponse(Stub):
    orpcthat: OrpcThat
    ppQIResults: list[RemQiResult] | None
    hresult: int = 0

    CODEC = StubCodec(
        "RemQueryInterface.out",
        [
            ("orpcthat", ndr.Ref(ORPCTHAT)),
            ("ppQIResults", ndr.Unique(ndr.ConformantArray(REMQIRESULT))),
            ("hresult", ndr.u32),
        ],
    )


@dataclass(frozen=True)
class RemAddRefRequest(Stub):
    orpcthis: OrpcThis
    InterfaceRefs: list[RemInterfaceRef]

    CODEC = StubCodec(
        "RemAddRef.in",
        [
            ("orpcthis", ndr.Ref(ORPCTHIS)),
            ("cInterfaceRefs", ndr.u16),
            ("InterfaceRefs", ndr.Ref(ndr.ConformantArray(REMINTERFACEREF))),
        ],
        counts=[("cInterfaceRefs", "InterfaceRefs")],
    )


@dataclass(frozen=True)
class RemAddRefResponse(Stub):
    orpcthat: OrpcThat
    pResults: list[int]
    hresult: int = 0

    CODEC = StubCodec(
        "RemAddRef.out",
        [
            ("orpcthat", ndr.Ref(ORPCTHAT)),
            ("pResults", ndr.Ref(ndr.ConformantArray(ndr.u32))),
            ("hresult", ndr.u32),
        ],
    )


@dataclass(frozen=True)
class RemReleaseRequest(RemAddRefRequest):
    CODEC = StubCodec(
        "RemRelease.in",
        RemAddRefRequest.CODEC.params.fields,
        counts=[("cInterfaceRefs", "InterfaceRefs")],
    )


@dataclass(frozen=True)
class OrpcStatusResponse(Stub):
    """A reply with only ORPCTHAT and the HRESULT (RemRelease, LockServer)."""

    orpcthat: OrpcThat
    hresult: int = 0

    CODEC = StubCodec("HRESULT.out", [("orpcthat", ndr.Ref(ORPCTHAT)), ("hresult", ndr.u32)])


RemReleaseResponse = OrpcStatusResponse


@dataclass(frozen=True)
class RemQueryInterface2Request(Stub):
    orpcthis: OrpcThis
    ripid: uuid.UUID
    iids: list[uuid.UUID]

    CODEC = StubCodec(
        "RemQueryInterface2.in",
        [
            ("orpcthis", ndr.Ref(ORPCTHIS)),
            ("ripid", ndr.Ref(ndr.GUID)),
            ("cIids", ndr.u16),
            ("iids", ndr.Ref(ndr.ConformantArray(ndr.GUID))),
        ],
        counts=[("cIids", "iids")],
    )


@dataclass(frozen=True)
class RemQueryInterface2Response(Stub):
    orpcthat: OrpcThat
    phr: list[int]
    ppMIF: list[MInterfacePointer | None]
    hresult: int = 0

    CODEC = StubCodec(
        "RemQueryInterface2.out",
        [
            ("orpcthat", ndr.Ref(ORPCTHAT)),
            ("phr", ndr.Ref(ndr.ConformantArray(ndr.u32))),
            ("ppMIF", ndr.Ref(ndr.ConformantArray(ndr.Unique(MINTERFACEPOINTER)))),
            ("hresult", ndr.u32),
        ],
    )
