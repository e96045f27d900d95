"""The auth contexts a server connection accepts, and the security rules of its requests.

Kept apart from the machine because these are the decisions a security review reads: which
auth types and levels may start a context, when a handshake token is out of place, and
which request a context may carry. The answers are values (a token to send, a BindNak
reason, a Refusal); the machine turns them into PDUs and state changes. Statuses are the
ones Samba's server, which is tested against Windows, answers with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from wua.errors import AuthenticationFailed, ProtocolError
from wua.rpc.connection.auth import AuthSlot
from wua.rpc.constants import BindNakReason
from wua.rpc.faults import NCA_S_FAULT_ACCESS_DENIED, NCA_S_PROTO_ERROR, RPC_S_SEC_PKG_ERROR
from wua.rpc.fragments import CallSecurity
from wua.rpc.pdu import AuthVerifier
from wua.rpc.security.base import AuthLevel, AuthType, SecurityContext

SecurityFactory = Callable[[AuthType | int, AuthLevel | int], SecurityContext]


@dataclass(frozen=True)
class Refusal:
    """Why a PDU is answered with a fault that also ends the connection."""

    status: int
    reason: str


@dataclass(frozen=True)
class HandshakeLeg:
    """An accepted handshake token: the context it belongs to and our answer to it."""

    slot: AuthSlot
    token: bytes | None


class AcceptorContexts:
    """The connection's auth contexts by auth_context_id, made by `factory` on demand."""

    def __init__(self, factory: SecurityFactory | None) -> None:
        self._factory = factory
        self._slots: dict[int, AuthSlot] = {}

    def established(self, auth_context_id: int) -> SecurityContext | None:
        """The context once its handshake succeeded; None while unknown, pending or failed."""
        slot = self._slots.get(auth_context_id)
        if slot is None or slot.failed or not slot.context.complete:
            return None
        return slot.context

    def _new_slot(self, auth: AuthVerifier) -> AuthSlot:
        """A new auth context; the type and level are vetted before any factory sees them."""
        factory = self._factory
        if factory is None:
            raise AuthenticationFailed("this endpoint accepts no authentication")
        if not isinstance(auth.auth_type, AuthType) or auth.auth_type == AuthType.NONE:
            raise AuthenticationFailed(f"auth type {int(auth.auth_type)} is not supported")
        if not isinstance(auth.auth_level, AuthLevel) or auth.auth_level < AuthLevel.CONNECT:
            raise AuthenticationFailed(
                f"auth level {int(auth.auth_level)} cannot protect a connection"
            )
        context = factory(auth.auth_type, auth.auth_level)
        slot = AuthSlot(auth.auth_context_id, context)
        self._slots[auth.auth_context_id] = slot
        return slot

    def on_bind(self, auth: AuthVerifier) -> HandshakeLeg | BindNakReason:
        """The first leg, carried by the bind; a failure forgets every context.

        An unusable type or level is "not recognized"; a token the acceptor refuses is
        "not specified".
        """
        slot: AuthSlot | None = None
        try:
            slot = self._new_slot(auth)
            return HandshakeLeg(slot, slot.context.step(auth.auth_value))
        except AuthenticationFailed:
            self._slots.clear()
            if slot is None:
                return BindNakReason.AUTHENTICATION_TYPE_NOT_RECOGNIZED
            return BindNakReason.REASON_NOT_SPECIFIED

    def on_alter(self, auth: AuthVerifier) -> HandshakeLeg | Refusal:
        """A leg carried by an alter_context: a new context, or the next token of one."""
        slot = self._slots.get(auth.auth_context_id)
        if slot is not None and (slot.context.complete or slot.failed):
            return Refusal(NCA_S_PROTO_ERROR, "alter_context token for an established auth context")
        if slot is not None and slot.context.auth_type != auth.auth_type:
            return Refusal(RPC_S_SEC_PKG_ERROR, "alter_context changes the auth type of a context")
        try:
            slot = slot or self._new_slot(auth)
            return HandshakeLeg(slot, slot.context.step(auth.auth_value))
        except AuthenticationFailed as exc:
            return Refusal(NCA_S_FAULT_ACCESS_DENIED, f"authentication failed: {exc.detail}")

    def on_auth3(self, auth: AuthVerifier) -> AuthSlot | None:
        """The last leg; the slot when it completed the context.

        auth3 has no answer, so a failure is only remembered: the first call on that
        context gets access denied.
        """
        slot = self._slots.get(auth.auth_context_id)
        if slot is None or slot.context.complete or slot.failed:
            raise ProtocolError(
                f"auth3 for auth context {auth.auth_context_id}, which is not in a handshake",
                structure="auth3",
            )
        try:
            slot.context.step(auth.auth_value)
        except AuthenticationFailed:
            slot.failed = True
            return None
        return slot if slot.usable else None

    def security_for(self, auth: AuthVerifier | None) -> CallSecurity | Refusal | None:
        """The auth context a request is protected with, or why to refuse it.

        Access denied for a PDU that does not match its context (or an unsigned one where
        calls are signed), protocol error for a request in the middle of a handshake.
        """
        if auth is None:
            if any(s.signs_calls for s in self._slots.values()):
                return Refusal(
                    NCA_S_FAULT_ACCESS_DENIED,
                    "unsigned request on a connection whose auth context signs calls",
                )
            return None
        slot = self._slots.get(auth.auth_context_id)
        if slot is None or slot.failed:
            return Refusal(
                NCA_S_FAULT_ACCESS_DENIED,
                f"request names auth context {auth.auth_context_id}, which is not established",
            )
        if not slot.context.complete:
            return Refusal(NCA_S_PROTO_ERROR, "request before the handshake completed")
        if auth.auth_type != slot.context.auth_type:
            return Refusal(
                NCA_S_FAULT_ACCESS_DENIED, "request changes the auth type of its context"
            )
        if auth.auth_level != slot.context.auth_level:
            return Refusal(
                NCA_S_FAULT_ACCESS_DENIED,
                (
                    f"downgraded auth level: request at {int(auth.auth_level)}, negotiated "
                    f"{int(slot.context.auth_level)}"
                ),
            )
        return slot.security
