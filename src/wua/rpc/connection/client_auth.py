"""The auth contexts a client connection starts, and the legs of their handshakes.

A handshake rides on the bind or an alter_context and goes on by itself: each answer
carrying a token is stepped here, and the result says which leg comes next, an auth3 when
our side is done, another alter_context when it is not. The machine sends the leg; no
caller decision is involved, so none is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from wua.errors import AuthenticationFailed, ProtocolError
from wua.rpc.connection.auth import AuthSlot
from wua.rpc.connection.state import LocalProtocolError
from wua.rpc.fragments import CallSecurity
from wua.rpc.pdu import AuthVerifier, BindAck
from wua.rpc.presentation import ContextElement
from wua.rpc.security.base import SecurityContext


@dataclass(frozen=True)
class Handshake:
    """The context in its handshake and the call ID and contexts its legs reuse."""

    slot: AuthSlot
    call_id: int
    contexts: tuple[ContextElement, ...]


@dataclass(frozen=True)
class FinalLeg:
    """Our side is done: `token`, if any, goes out in an auth3; the context is usable."""

    slot: AuthSlot
    call_id: int
    token: bytes | None


@dataclass(frozen=True)
class AlterLeg:
    """Another round trip: an alter_context for `contexts` carrying `token`."""

    slot: AuthSlot
    call_id: int
    contexts: tuple[ContextElement, ...]
    token: bytes


class InitiatorContexts:
    """The connection's auth contexts by auth_context_id; the first to complete is the
    default for calls that name none."""

    def __init__(self) -> None:
        self._slots: dict[int, AuthSlot] = {}
        self._default: int | None = None
        self._handshake: Handshake | None = None
        #: Settled by the bind_ack (both sides set PFC_SUPPORT_HEADER_SIGN); None before.
        self.header_signing: bool | None = None

    def next_id(self) -> int:
        return max(self._slots, default=-1) + 1

    def ready(self, auth_context_id: int) -> bool:
        slot = self._slots.get(auth_context_id)
        return slot is not None and slot.usable

    def start(
        self,
        security: SecurityContext | None,
        auth_context_id: int,
        call_id: int,
        contexts: tuple[ContextElement, ...],
    ) -> AuthVerifier | None:
        """The sec_trailer of the PDU that starts a handshake (None without `security`)."""
        if security is None:
            return None
        if auth_context_id in self._slots:
            raise LocalProtocolError(
                f"auth context {auth_context_id} already exists", structure="connection"
            )
        slot = AuthSlot(auth_context_id, security)
        self._slots[auth_context_id] = slot
        self._handshake = Handshake(slot, call_id, contexts)
        token = slot.context.step(None)
        if not token:
            raise LocalProtocolError(
                "the security context produced no first token", structure="connection"
            )
        return slot.verifier(token)

    def advance(
        self, pdu: BindAck, proposed: tuple[ContextElement, ...]
    ) -> FinalLeg | AlterLeg | None:
        """Step the pending handshake with the answer's token; None when none is pending.

        The alter_context leg re-proposes the contexts the answer accepted, each with the
        transfer syntax chosen for it (the handshake's own contexts if none was).
        """
        hs = self._handshake
        if hs is None:
            return None
        if self.header_signing is not None:
            hs.slot.context.agree_header_signing(self.header_signing)
        if pdu.auth is None or pdu.auth.auth_context_id != hs.slot.auth_context_id:
            raise ProtocolError(
                "the answer carries no token for the pending auth context", structure="sec_trailer"
            )
        out = hs.slot.context.step(pdu.auth.auth_value)
        if hs.slot.context.complete:
            self._handshake = None
            if self._default is None:
                self._default = hs.slot.auth_context_id
            return FinalLeg(hs.slot, hs.call_id, out)
        if not out:
            raise AuthenticationFailed("the security context stalled: no token and not complete")
        bound = (
            tuple(
                ContextElement(e.context_id, e.abstract_syntax, (r.transfer_syntax,))
                for e, r in zip(proposed, pdu.results, strict=True)
                if r.accepted
            )
            or hs.contexts
        )
        return AlterLeg(hs.slot, hs.call_id, bound, out)

    def drop_handshake(self) -> None:
        """The server refused the PDU carrying the handshake: forget its context."""
        if self._handshake is not None:
            self._slots.pop(self._handshake.slot.auth_context_id, None)
            self._handshake = None

    def security_for(self, auth_context_id: int | None) -> CallSecurity | None:
        """The protection of a call under the chosen (or default) context."""
        ctx_id = self._default if auth_context_id is None else auth_context_id
        if ctx_id is None:
            return None
        slot = self._slots.get(ctx_id)
        if slot is None or not slot.usable:
            raise LocalProtocolError(
                f"auth context {ctx_id} is not established", structure="connection"
            )
        return slot.security
