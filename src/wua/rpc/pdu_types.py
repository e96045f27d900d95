"""Connection-oriented RPC PDUs as frozen dataclasses (C706 12.6, MS-RPCE 2.2.2): the
values the client and server machines exchange, one class per PTYPE.

They hold no lengths: frag_length and auth_length are derived by the codec
(`wua.rpc.pdu`), so a PDU value cannot disagree with itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import ClassVar
from uuid import UUID

from wua.rpc.constants import DREP_LITTLE_ENDIAN, BindNakReason, PfcFlags, PType
from wua.rpc.presentation import ContextElement, ContextResult
from wua.rpc.security.base import AuthLevel, AuthType


@dataclass(frozen=True)
class AuthVerifier:
    """sec_trailer + auth_value, with the auth padding that precedes the trailer."""

    auth_type: AuthType | int
    auth_level: AuthLevel | int
    auth_context_id: int
    auth_value: bytes
    pad: bytes = b""
    reserved: int = 0

    @property
    def auth_pad_length(self) -> int:
        return len(self.pad)


@dataclass(frozen=True, kw_only=True)
class Pdu:
    """Fields every PDU has; frag_length and auth_length are derived when encoding."""

    PTYPE: ClassVar[PType]
    call_id: int
    flags: PfcFlags = PfcFlags.SINGLE
    auth: AuthVerifier | None = None
    drep: bytes = DREP_LITTLE_ENDIAN
    minor_version: int = 0


@dataclass(frozen=True)
class Bind(Pdu):
    PTYPE: ClassVar[PType] = PType.BIND
    max_xmit_frag: int
    max_recv_frag: int
    assoc_group_id: int
    contexts: tuple[ContextElement, ...]


@dataclass(frozen=True)
class AlterContext(Bind):
    PTYPE: ClassVar[PType] = PType.ALTER_CONTEXT


@dataclass(frozen=True)
class BindAck(Pdu):
    """`address_pad` holds the bytes aligning the result list, when they are not zero."""

    PTYPE: ClassVar[PType] = PType.BIND_ACK
    max_xmit_frag: int
    max_recv_frag: int
    assoc_group_id: int
    secondary_address: str
    results: tuple[ContextResult, ...]
    address_pad: bytes = b""


@dataclass(frozen=True)
class AlterContextResp(BindAck):
    PTYPE: ClassVar[PType] = PType.ALTER_CONTEXT_RESP


@dataclass(frozen=True)
class BindNak(Pdu):
    """`tail` keeps MS-RPCE's optional signature and extended error data, undecoded."""

    PTYPE: ClassVar[PType] = PType.BIND_NAK
    reject_reason: BindNakReason | int
    versions: tuple[tuple[int, int], ...] = ((5, 0),)
    tail: bytes = b""


@dataclass(frozen=True)
class Auth3(Pdu):
    PTYPE: ClassVar[PType] = PType.AUTH3
    pad: bytes = b"\x00" * 4


@dataclass(frozen=True)
class Request(Pdu):
    """`alloc_hint` None encodes the stub length; an object UUID sets PFC_OBJECT_UUID."""

    PTYPE: ClassVar[PType] = PType.REQUEST
    context_id: int
    opnum: int
    stub: bytes
    object_uuid: UUID | None = None
    alloc_hint: int | None = None


@dataclass(frozen=True)
class Response(Pdu):
    PTYPE: ClassVar[PType] = PType.RESPONSE
    context_id: int
    stub: bytes
    alloc_hint: int | None = None
    cancel_count: int = 0
    reserved: int = 0


@dataclass(frozen=True)
class Fault(Pdu):
    PTYPE: ClassVar[PType] = PType.FAULT
    context_id: int
    status: int
    alloc_hint: int | None = None
    cancel_count: int = 0
    fault_flags: int = 0
    reserved: int = 0
    stub: bytes = b""


@dataclass(frozen=True)
class Shutdown(Pdu):
    PTYPE: ClassVar[PType] = PType.SHUTDOWN


@dataclass(frozen=True)
class CoCancel(Pdu):
    PTYPE: ClassVar[PType] = PType.CO_CANCEL


@dataclass(frozen=True)
class Orphaned(Pdu):
    PTYPE: ClassVar[PType] = PType.ORPHANED


AnyPdu = (
    Bind
    | AlterContext
    | BindAck
    | AlterContextResp
    | BindNak
    | Auth3
    | Request
    | Response
    | Fault
    | Shutdown
    | CoCancel
    | Orphaned
)

PDU_CLASSES: Mapping[PType, type[Pdu]] = MappingProxyType(
    {
        cls.PTYPE: cls
        for cls in (
            Bind,
            AlterContext,
            BindAck,
            AlterContextResp,
            BindNak,
            Auth3,
            Request,
            Response,
            Fault,
            Shutdown,
            CoCancel,
            Orphaned,
        )
    }
)
