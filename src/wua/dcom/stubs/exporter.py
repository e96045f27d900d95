"""IObjectExporter (MS-DCOM 3.1.2.5.1): OXID resolution and pinging, on TCP 135.

A plain RPC interface: no ORPCTHIS/ORPCTHAT. Every method returns an error_status_t.
ServerAlive2's reply is written exactly per 3.1.2.5.1.6 (COMVERSION, the bindings
pointer, pReserved, status: no extra bytes), unlike impacket's reply structure.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from wua.dcom.bindings import DUALSTRINGARRAY, DualStringArray
from wua.dcom.orpc import COMVERSION, ComVersion
from wua.dcom.stubs.codec import Stub, StubCodec
from wua.rpc import ndr

_PROTSEQS = ndr.Ref(ndr.ConformantArray(ndr.u16))
# `[out] DUALSTRINGARRAY**`: the outer [ref] has no wire form, so the parameter is the
# inner unique pointer (wua.rpc.ndr's Ref(Unique(T)) cannot carry a NULL inner pointer).
_BINDINGS_OUT = ndr.Unique(DUALSTRINGARRAY)
_OIDS = ndr.Unique(ndr.ConformantArray(ndr.u64))


@dataclass(frozen=True)
class ResolveOxidRequest(Stub):
    pOxid: int
    arRequestedProtseqs: list[int] = field(default_factory=lambda: [7])

    CODEC = StubCodec(
        "ResolveOxid.in",
        [
            ("pOxid", ndr.Ref(ndr.u64)),
            ("cRequestedProtseqs", ndr.u16),
            ("arRequestedProtseqs", _PROTSEQS),
        ],
        counts=[("cRequestedProtseqs", "arRequestedProtseqs")],
    )


@dataclass(frozen=True)
class ResolveOxidResponse(Stub):
    ppdsaOxidBindings: DualStringArray | None
    pipidRemUnknown: uuid.UUID
    pAuthnHint: int
    status: int = 0

    CODEC = StubCodec(
        "ResolveOxid.out",
        [
            ("ppdsaOxidBindings", _BINDINGS_OUT),
            ("pipidRemUnknown", ndr.Ref(ndr.GUID)),
            ("pAuthnHint", ndr.Ref(ndr.u32)),
            ("status", ndr.u32),
        ],
    )


@dataclass(frozen=True)
class ResolveOxid2Request(ResolveOxidRequest):
    CODEC = StubCodec(
        "ResolveOxid2.in",
        ResolveOxidRequest.CODEC.params.fields,
        counts=[("cRequestedProtseqs", "arRequestedProtseqs")],
    )


@dataclass(frozen=True)
class ResolveOxid2Response(Stub):
    ppdsaOxidBindings: DualStringArray | None
    pipidRemUnknown: uuid.UUID
    pAuthnHint: int
    pComVersion: ComVersion = field(default_factory=ComVersion)
    status: int = 0

    CODEC = StubCodec(
        "ResolveOxid2.out",
        [
            ("ppdsaOxidBindings", _BINDINGS_OUT),
            ("pipidRemUnknown", ndr.Ref(ndr.GUID)),
            ("pAuthnHint", ndr.Ref(ndr.u32)),
            ("pComVersion", ndr.Ref(COMVERSION)),
            ("status", ndr.u32),
        ],
    )


@dataclass(frozen=True)
class SimplePingRequest(Stub):
    pSetId: int

    CODEC = StubCodec("SimplePing.in", [("pSetId", ndr.Ref(ndr.u64))])


@dataclass(frozen=True)
class StatusResponse(Stub):
    """The reply of SimplePing and ServerAlive: only the error_status_t."""

    status: int = 0

    CODEC = StubCodec("error_status_t.out", [("status", ndr.u32)])


SimplePingResponse = StatusResponse
ServerAliveResponse = StatusResponse


@dataclass(frozen=True)
class ComplexPingRequest(Stub):
    """pSetId 0 asks for a new set; AddToSet/DelFromSet are OIDs (None: empty)."""

    pSetId: int
    SequenceNum: int
    AddToSet: list[int] | None = None
    DelFromSet: list[int] | None = None

    CODEC = StubCodec(
        "ComplexPing.in",
        [
            ("pSetId", ndr.Ref(ndr.u64)),
            ("SequenceNum", ndr.u16),
            ("cAddToSet", ndr.u16),
            ("cDelFromSet", ndr.u16),
            ("AddToSet", _OIDS),
            ("DelFromSet", _OIDS),
        ],
        counts=[("cAddToSet", "AddToSet"), ("cDelFromSet", "DelFromSet")],
    )


@dataclass(frozen=True)
class ComplexPingResponse(Stub):
    pSetId: int
    pPingBackoffFactor: int = 0
    status: int = 0

    CODEC = StubCodec(
        "ComplexPing.out",
        [
            ("pSetId", ndr.Ref(ndr.u64)),
            ("pPingBackoffFactor", ndr.Ref(ndr.u16)),
            ("status", ndr.u32),
        ],
    )


@dataclass(frozen=True)
class EmptyRequest(Stub):
    """ServerAlive and ServerAlive2 take no parameters: an empty stub."""

    CODEC = StubCodec("empty.in", [])


ServerAliveRequest = EmptyRequest
ServerAlive2Request = EmptyRequest


@dataclass(frozen=True)
class ServerAlive2Response(Stub):
    pComVersion: ComVersion
    ppdsaOrBindings: DualStringArray | None
    pReserved: int = 0
    status: int = 0

    CODEC = StubCodec(
        "ServerAlive2.out",
        [
            ("pComVersion", ndr.Ref(COMVERSION)),
            ("ppdsaOrBindings", _BINDINGS_OUT),
            ("pReserved", ndr.Ref(ndr.u32)),
            ("status", ndr.u32),
        ],
    )
