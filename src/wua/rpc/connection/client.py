"""The client side of a connection-oriented RPC connection, without I/O.

Feed received bytes to `receive_data`, read events with `next_event`, and send what the
methods return plus whatever `data_to_send` holds: the handshake legs (auth3 or further
alter_context) are produced by the machine itself when a bind_ack or alter_context_resp
carries a token, because no caller decision is involved.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from wua.errors import ProtocolError
from wua.rpc.connection.client_auth import FinalLeg, InitiatorContexts
from wua.rpc.connection.client_calls import OutstandingCalls
from wua.rpc.connection.events import (
    AlterContextAccepted,
    AuthComplete,
    BindAccepted,
    BindRejected,
    CallFault,
    ClientEvent,
    ShutdownRequested,
)
from wua.rpc.connection.machine import PduMachine
from wua.rpc.connection.state import (
    CLIENT_TRANSITIONS,
    RECEIVE,
    SEND,
    ClientState,
    LocalProtocolError,
    transition,
)
from wua.rpc.constants import WINDOWS_MAX_FRAG, PfcFlags
from wua.rpc.fragments import fragment_call
from wua.rpc.pdu import (
    AlterContext,
    AlterContextResp,
    Auth3,
    AuthVerifier,
    Bind,
    BindAck,
    BindNak,
    CoCancel,
    Fault,
    Orphaned,
    Request,
    Response,
    Shutdown,
    decode_pdu,
    encode_pdu,
)
from wua.rpc.presentation import ContextElement
from wua.rpc.security.base import SecurityContext


@dataclass(frozen=True)
class ClientConfig:
    """What the client proposes at bind; defaults are what Windows proposes."""

    max_xmit_frag: int = WINDOWS_MAX_FRAG
    max_recv_frag: int = WINDOWS_MAX_FRAG
    multiplex: bool = False
    header_sign: bool = True
    max_call_size: int = 64 * 1024 * 1024
    first_call_id: int = 1


class ClientConnection(PduMachine[ClientEvent]):
    def __init__(self, config: ClientConfig | None = None) -> None:
        self.config = config or ClientConfig()
        super().__init__(self.config.max_recv_frag)
        self.state = ClientState.IDLE
        self._next_call_id = self.config.first_call_id
        self._proposed: tuple[ContextElement, ...] = ()
        self._pending_call: int | None = None
        self._auth = InitiatorContexts()
        self._calls = OutstandingCalls(self.config.max_call_size)
        self.contexts: set[int] = set()
        self.max_send_frag = self.config.max_xmit_frag
        self.multiplexed = False
        self.assoc_group_id = 0

    # --- sending ----------------------------------------------------------------------

    def _call_id(self) -> int:
        call_id = self._next_call_id
        self._next_call_id = (call_id + 1) & 0xFFFFFFFF
        return call_id

    def _step(self, what: str) -> None:
        self.state = transition(CLIENT_TRANSITIONS, self.state, SEND, what)

    def bind(
        self,
        contexts: tuple[ContextElement, ...],
        *,
        security: SecurityContext | None = None,
        auth_context_id: int = 0,
        assoc_group_id: int = 0,
    ) -> bytes:
        """The bind PDU; with `security`, its first token rides in the sec_trailer."""
        self._step("BIND")
        call_id = self._call_id()
        auth = self._auth.start(security, auth_context_id, call_id, contexts)
        flags = PfcFlags.SINGLE
        if self.config.header_sign:
            flags |= PfcFlags.SUPPORT_HEADER_SIGN
        if self.config.multiplex:
            flags |= PfcFlags.CONC_MPX
        self._proposed = contexts
        self._pending_call = call_id
        pdu = Bind(
            call_id=call_id,
            flags=flags,
            auth=auth,
            max_xmit_frag=self.config.max_xmit_frag,
            max_recv_frag=self.config.max_recv_frag,
            assoc_group_id=assoc_group_id,
            contexts=contexts,
        )
        return encode_pdu(pdu)

    def alter_context(
        self,
        contexts: tuple[ContextElement, ...],
        *,
        security: SecurityContext | None = None,
        auth_context_id: int | None = None,
    ) -> bytes:
        """An alter_context adding `contexts`, optionally starting a new auth context."""
        self._step("ALTER_CONTEXT")
        call_id = self._call_id()
        ctx_id = self._auth.next_id() if auth_context_id is None else auth_context_id
        auth = self._auth.start(security, ctx_id, call_id, contexts)
        self._proposed = contexts
        self._pending_call = call_id
        return self._alter_pdu(call_id, contexts, auth)

    def _alter_pdu(
        self, call_id: int, contexts: tuple[ContextElement, ...], auth: AuthVerifier | None
    ) -> bytes:
        flags = PfcFlags.SINGLE
        if self.config.header_sign:
            flags |= PfcFlags.SUPPORT_HEADER_SIGN
        if self.multiplexed:
            flags |= PfcFlags.CONC_MPX
        pdu = AlterContext(
            call_id=call_id,
            flags=flags,
            auth=auth,
            max_xmit_frag=self.config.max_xmit_frag,
            max_recv_frag=self.config.max_recv_frag,
            assoc_group_id=0,
            contexts=contexts,
        )  # as Windows: 0, not the group
        return encode_pdu(pdu)

    def request(
        self,
        context_id: int,
        opnum: int,
        stub: bytes,
        object_uuid: UUID | None = None,
        *,
        auth_context_id: int | None = None,
    ) -> bytes:
        """The fragments of one call, protected with the chosen (or first) auth context."""
        if context_id not in self.contexts:
            raise LocalProtocolError(
                f"presentation context {context_id} is not bound", structure="connection"
            )
        if self._calls.ids and not self.multiplexed:
            raise LocalProtocolError(
                "a call is outstanding and PFC_CONC_MPX was not negotiated", structure="connection"
            )
        self._step("REQUEST")
        security = self._auth.security_for(auth_context_id)
        call_id = self._call_id()
        self._calls.add(call_id, context_id, security)
        pdu = Request(
            call_id=call_id, context_id=context_id, opnum=opnum, stub=stub, object_uuid=object_uuid
        )
        return b"".join(fragment_call(pdu, self.max_send_frag, security))

    def cancel(self, call_id: int) -> bytes:
        self._step("CO_CANCEL")
        return encode_pdu(CoCancel(call_id=call_id))

    def orphan(self, call_id: int) -> bytes:
        """Abandon a call: the server drops it and we ignore whatever comes back for it."""
        self._step("ORPHANED")
        self._calls.drop(call_id)
        return encode_pdu(Orphaned(call_id=call_id))

    @property
    def outstanding(self) -> frozenset[int]:
        return self._calls.ids

    @property
    def last_call_id(self) -> int:
        """The call ID the most recent bind, alter_context or request used.

        A driver keys its wait for the answer on it; reading it right after `request()`
        names that request's call.
        """
        return (self._next_call_id - 1) & 0xFFFFFFFF

    def auth_ready(self, auth_context_id: int) -> bool:
        """True when this auth context finished its handshake and protected calls may use it."""
        return self._auth.ready(auth_context_id)

    # --- receiving --------------------------------------------------------------------

    def _close(self) -> None:
        self.state = ClientState.CLOSED

    def _handle(self, raw: bytes) -> None:
        pdu = decode_pdu(raw)
        if isinstance(pdu, BindAck) and not isinstance(pdu, AlterContextResp):
            self.state = transition(CLIENT_TRANSITIONS, self.state, RECEIVE, "BIND_ACK")
            self._on_bind_ack(pdu)
        elif isinstance(pdu, AlterContextResp):
            self.state = transition(CLIENT_TRANSITIONS, self.state, RECEIVE, "ALTER_CONTEXT_RESP")
            self._on_alter_resp(pdu)
        elif isinstance(pdu, BindNak):
            self.state = transition(CLIENT_TRANSITIONS, self.state, RECEIVE, "BIND_NAK")
            self._drop_handshake()
            self._events.append(BindRejected(pdu.call_id, pdu.reject_reason, pdu.versions))
        elif isinstance(pdu, Response):
            self.state = transition(CLIENT_TRANSITIONS, self.state, RECEIVE, "RESPONSE")
            response = self._calls.receive(raw, pdu, self.config.max_recv_frag)
            if response is not None:
                self._events.append(response)
        elif isinstance(pdu, Fault):
            self._on_fault(pdu)
        elif isinstance(pdu, Shutdown):
            self.state = transition(CLIENT_TRANSITIONS, self.state, RECEIVE, "SHUTDOWN")
            self._events.append(ShutdownRequested())
        else:
            raise ProtocolError(
                f"a server does not send {pdu.PTYPE.name.lower()}", structure="connection", offset=2
            )

    def _check_reply(self, pdu: BindAck) -> None:
        if pdu.call_id != self._pending_call:
            raise ProtocolError(
                f"answer to call {pdu.call_id}, expected {self._pending_call}",
                structure=pdu.PTYPE.name.lower(),
                offset=12,
            )
        if len(pdu.results) != len(self._proposed):
            raise ProtocolError(
                f"{len(pdu.results)} results for {len(self._proposed)} contexts",
                structure="p_result_list_t",
            )

    def _accept_results(self, pdu: BindAck) -> tuple[int, ...]:
        accepted = tuple(
            e.context_id for e, r in zip(self._proposed, pdu.results, strict=True) if r.accepted
        )
        self.contexts.update(accepted)
        return accepted

    def _on_bind_ack(self, pdu: BindAck) -> None:
        self._check_reply(pdu)
        accepted = self._accept_results(pdu)
        self.multiplexed = self.config.multiplex and bool(pdu.flags & PfcFlags.CONC_MPX)
        self.max_send_frag = min(self.config.max_xmit_frag, pdu.max_recv_frag)
        self.assoc_group_id = pdu.assoc_group_id
        self._auth.header_signing = self.config.header_sign and bool(
            pdu.flags & PfcFlags.SUPPORT_HEADER_SIGN
        )
        features = next((r.features for r in pdu.results if r.features is not None), None)
        self._events.append(
            BindAccepted(
                pdu.call_id,
                pdu.results,
                accepted,
                features,
                pdu.max_xmit_frag,
                pdu.max_recv_frag,
                pdu.assoc_group_id,
                pdu.secondary_address,
                self.multiplexed,
            )
        )
        self._continue_auth(pdu)

    def _on_alter_resp(self, pdu: AlterContextResp) -> None:
        self._check_reply(pdu)
        accepted = self._accept_results(pdu)
        self._events.append(AlterContextAccepted(pdu.call_id, pdu.results, accepted))
        self._continue_auth(pdu)

    def _continue_auth(self, pdu: BindAck) -> None:
        """Send the next handshake leg: auth3 when our side is done, else alter_context."""
        self._pending_call = None
        leg = self._auth.advance(pdu, self._proposed)
        if isinstance(leg, FinalLeg):
            if leg.token:
                self._step("AUTH3")
                self._outbox += encode_pdu(
                    Auth3(call_id=leg.call_id, auth=leg.slot.verifier(leg.token))
                )
            self._events.append(AuthComplete(leg.slot.auth_context_id))
        elif leg is not None:
            self._step("ALTER_CONTEXT")
            self._proposed = leg.contexts
            self._pending_call = leg.call_id
            self._outbox += self._alter_pdu(leg.call_id, leg.contexts, leg.slot.verifier(leg.token))

    def _drop_handshake(self) -> None:
        self._auth.drop_handshake()
        self._pending_call = None

    def _on_fault(self, pdu: Fault) -> None:
        what = "FAULT"
        if self.state == ClientState.AWAIT_ALTER_RESP and pdu.call_id == self._pending_call:
            what = "ALTER_FAULT"
            self._drop_handshake()
        self.state = transition(CLIENT_TRANSITIONS, self.state, RECEIVE, what)
        self._calls.drop(pdu.call_id)
        self._events.append(
            CallFault(pdu.call_id, pdu.status, bool(pdu.flags & PfcFlags.DID_NOT_EXECUTE))
        )
