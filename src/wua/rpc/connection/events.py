"""What the connection machines report after being fed bytes (one dataclass per event)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from wua.rpc.constants import BindNakReason, BindTimeFeatures
from wua.rpc.negotiation import AcceptedContext
from wua.rpc.presentation import ContextElement, ContextResult


@dataclass(frozen=True)
class BindAccepted:
    """Client side: the server answered the bind (some contexts may still be rejected)."""

    call_id: int
    results: tuple[ContextResult, ...]
    accepted: tuple[int, ...]
    features: BindTimeFeatures | None
    max_xmit_frag: int
    max_recv_frag: int
    assoc_group_id: int
    secondary_address: str
    multiplexed: bool


@dataclass(frozen=True)
class BindRejected:
    call_id: int
    reason: BindNakReason | int
    versions: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class AlterContextAccepted:
    call_id: int
    results: tuple[ContextResult, ...]
    accepted: tuple[int, ...]


@dataclass(frozen=True)
class AuthComplete:
    """Both sides hold the keys of this auth context: protected calls may flow."""

    auth_context_id: int


@dataclass(frozen=True)
class CallResponse:
    call_id: int
    stub: bytes


@dataclass(frozen=True)
class CallFault:
    call_id: int
    status: int
    did_not_execute: bool = False


@dataclass(frozen=True)
class ShutdownRequested:
    """The server asks the client to close the connection once its calls are done."""


@dataclass(frozen=True)
class BindReceived:
    """Server side: a bind or alter_context was answered; `accepted` are usable now."""

    call_id: int
    contexts: tuple[ContextElement, ...]
    results: tuple[ContextResult, ...]
    accepted: tuple[AcceptedContext, ...]
    alter: bool = False


@dataclass(frozen=True)
class CallRequest:
    call_id: int
    context_id: int
    opnum: int
    object_uuid: UUID | None
    stub: bytes
    auth_context_id: int | None = None


@dataclass(frozen=True)
class CallCancelled:
    call_id: int


@dataclass(frozen=True)
class CallOrphaned:
    call_id: int


@dataclass(frozen=True)
class CallRejected:
    """Server side: the machine answered a call with a fault by itself (reason says why).

    When `close` is set the connection must be closed once the fault is sent, as Windows
    does after a PDU that fails its security checks.
    """

    call_id: int
    status: int
    reason: str
    close: bool


ClientEvent = (
    BindAccepted
    | BindRejected
    | AlterContextAccepted
    | AuthComplete
    | CallResponse
    | CallFault
    | ShutdownRequested
)
ServerEvent = (
    BindReceived | AuthComplete | CallRequest | CallCancelled | CallOrphaned | CallRejected
)
