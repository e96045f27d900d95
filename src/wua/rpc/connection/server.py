"""The server side of a connection-oriented RPC connection, without I/O.

Binds, alter_contexts and handshake legs are answered by the machine itself (the answers
wait in `data_to_send`); calls come out as CallRequest events and are answered with
`respond` or `fault`. Security failures are answered the way Samba's server, which is
tested against Windows, answers them: a request whose signature does not verify, whose
sec_trailer names another auth level than the one negotiated (a downgrade), or that
comes unsigned on a connection whose auth context signs calls, gets a fault with status
nca_s_fault_access_denied (5) without PFC_DID_NOT_EXECUTE, and the connection is closed
(a request in the middle of a handshake: nca_s_proto_error, also closing). A failed auth3
has no answer of its own; the first call on that context gets access denied. Faults are
sent without a verifier. Unknown presentation contexts get nca_s_unk_if with
PFC_DID_NOT_EXECUTE and the connection stays up.
"""

from __future__ import annotations

from dataclasses import dataclass

from wua.errors import ProtocolError
from wua.rpc.connection.events import (
    AuthComplete,
    BindReceived,
    CallCancelled,
    CallOrphaned,
    CallRejected,
    ServerEvent,
)
from wua.rpc.connection.machine import PduMachine
from wua.rpc.connection.server_auth import (
    AcceptorContexts,
    HandshakeLeg,
    Refusal,
    SecurityFactory,
)
from wua.rpc.connection.server_calls import IncomingCalls
from wua.rpc.connection.server_faults import (
    BIND_NAK_PAD,
    Rejection,
    bind_nak_pdu,
    fault_pdu,
)
from wua.rpc.connection.state import (
    RECEIVE,
    SEND,
    SERVER_TRANSITIONS,
    ServerState,
    transition,
)
from wua.rpc.constants import WINDOWS_MAX_FRAG, BindNakReason, BindTimeFeatures, PfcFlags
from wua.rpc.fragments import fragment_call
from wua.rpc.negotiation import WINDOWS_FEATURES, AcceptedContext, negotiate
from wua.rpc.pdu import (
    AlterContext,
    AlterContextResp,
    Auth3,
    Bind,
    BindAck,
    CoCancel,
    Orphaned,
    Request,
    Response,
    Shutdown,
    decode_pdu,
    encode_pdu,
)
from wua.rpc.presentation import NDR32, SyntaxId
from wua.rpc.security.base import SecurityContext

# where they have always been imported from
__all__ = ["BIND_NAK_PAD", "SecurityFactory", "ServerConfig", "ServerConnection"]


@dataclass(frozen=True)
class ServerConfig:
    """What this endpoint exports and accepts.

    `security_factory` makes the acceptor for a new auth context; it raises
    AuthenticationFailed for a type it does not support. `assoc_group_id` is the group a
    bind asking for a new one (0) is given: the host that owns the connections picks it.
    """

    interfaces: tuple[SyntaxId, ...]
    transfer_syntaxes: tuple[SyntaxId, ...] = (NDR32,)
    features: BindTimeFeatures = WINDOWS_FEATURES
    max_xmit_frag: int = WINDOWS_MAX_FRAG
    max_recv_frag: int = WINDOWS_MAX_FRAG
    multiplex: bool = True
    secondary_address: str = "135"
    assoc_group_id: int = 0x00001234
    max_call_size: int = 64 * 1024 * 1024
    security_factory: SecurityFactory | None = None


class ServerConnection(PduMachine[ServerEvent]):
    def __init__(self, config: ServerConfig) -> None:
        super().__init__(config.max_recv_frag)
        self.config = config
        self.state = ServerState.AWAIT_BIND
        self._auth = AcceptorContexts(config.security_factory)
        self._calls = IncomingCalls(self._auth, config.max_call_size)
        self.contexts: dict[int, AcceptedContext] = {}
        self.max_send_frag = config.max_xmit_frag
        self.max_recv_frag = config.max_recv_frag
        self.multiplexed = False
        self.header_sign = False

    # --- answering calls --------------------------------------------------------------

    def respond(self, call_id: int, stub: bytes) -> bytes:
        """The response fragments, protected like the request (trailer: the client's ID)."""
        call = self._calls.take(call_id)
        self.state = transition(SERVER_TRANSITIONS, self.state, SEND, "RESPONSE")
        pdu = Response(call_id=call_id, context_id=call.context_id, stub=stub)
        return b"".join(fragment_call(pdu, self.max_send_frag, call.security))

    def fault(self, call_id: int, status: int, *, did_not_execute: bool = False) -> bytes:
        call = self._calls.take(call_id)
        self.state = transition(SERVER_TRANSITIONS, self.state, SEND, "FAULT")
        return fault_pdu(call_id, call.context_id, status, did_not_execute)

    def shutdown(self) -> bytes:
        self.state = transition(SERVER_TRANSITIONS, self.state, SEND, "SHUTDOWN")
        return encode_pdu(Shutdown(call_id=0))

    def _reject(self, rejection: Rejection) -> None:
        """Fault a call by ourselves; `close` also ends the connection, as Windows does."""
        self.state = transition(
            SERVER_TRANSITIONS, self.state, SEND, "FATAL_FAULT" if rejection.close else "FAULT"
        )
        self._outbox += fault_pdu(
            rejection.call_id, rejection.context_id, rejection.status, rejection.did_not_execute
        )
        self._events.append(
            CallRejected(rejection.call_id, rejection.status, rejection.reason, rejection.close)
        )

    def security_context(self, auth_context_id: int) -> SecurityContext | None:
        """The established security context of an auth context (who the caller is, at
        which level), or None while it is unknown, in its handshake, or failed."""
        return self._auth.established(auth_context_id)

    @property
    def pending_calls(self) -> frozenset[int]:
        return self._calls.pending

    # --- receiving --------------------------------------------------------------------

    def _close(self) -> None:
        self.state = ServerState.CLOSED

    def _handle(self, raw: bytes) -> None:
        pdu = decode_pdu(raw)
        name = pdu.PTYPE.name
        if type(pdu) is Bind and self.state == ServerState.BOUND:
            self._refuse_second_bind(pdu)
            return
        self.state = transition(SERVER_TRANSITIONS, self.state, RECEIVE, name)
        if isinstance(pdu, AlterContext):
            self._on_alter(pdu)
        elif isinstance(pdu, Bind):
            self._on_bind(pdu)
        elif isinstance(pdu, Auth3):
            self._on_auth3(pdu)
        elif isinstance(pdu, Request):
            self._on_request(raw, pdu)
        elif isinstance(pdu, CoCancel):
            self._events.append(CallCancelled(pdu.call_id))
        elif isinstance(pdu, Orphaned):
            self._calls.drop(pdu.call_id)
            self._events.append(CallOrphaned(pdu.call_id))
        else:
            raise ProtocolError(
                f"a client does not send {name.lower()}", structure="connection", offset=2
            )

    def _on_request(self, raw: bytes, pdu: Request) -> None:
        outcome = self._calls.receive(
            raw,
            pdu,
            multiplexed=self.multiplexed,
            max_recv_frag=self.max_recv_frag,
            bound=self.contexts,
        )
        if isinstance(outcome, Rejection):
            self._reject(outcome)
        elif outcome is not None:
            self._events.append(outcome)

    # --- bind, alter_context, auth3 ---------------------------------------------------

    def _refuse_second_bind(self, pdu: Bind) -> None:
        """A bind on a connection that is already bound: bind_nak, then close.

        One bind per connection; more presentation contexts come by alter_context. Samba's
        dcesrv (dcesrv_core.c: `allow_bind` is cleared by the first bind and a later bind
        gets `dcesrv_bind_nak(call, DCERPC_BIND_NAK_REASON_NOT_SPECIFIED)`, which also
        marks the connection for termination) and its raw_protocol test
        `test_no_auth_valid_valid_request`, which checks this against Windows: the second
        bind gets bind_nak reason 0 with one version 5.0, then the server disconnects.
        impacket's DCOMConnection.CoCreateInstanceEx binds again for every activation, so
        against Windows as here only its first activation on a DCOMConnection succeeds.
        """
        self._outbox += bind_nak_pdu(pdu.call_id, BindNakReason.REASON_NOT_SPECIFIED)
        self.state = ServerState.CLOSED
        self._events.append(
            CallRejected(
                pdu.call_id,
                BindNakReason.REASON_NOT_SPECIFIED,
                "a second bind on a bound connection (bind_nak, then close)",
                close=True,
            )
        )

    def _on_bind(self, pdu: Bind) -> None:
        leg: HandshakeLeg | None = None
        if pdu.auth is not None:
            answer = self._auth.on_bind(pdu.auth)
            if isinstance(answer, BindNakReason):
                self.state = transition(SERVER_TRANSITIONS, self.state, SEND, "BIND_NAK")
                self._outbox += bind_nak_pdu(pdu.call_id, answer)
                return
            leg = answer
        self.multiplexed = self.config.multiplex and bool(pdu.flags & PfcFlags.CONC_MPX)
        self.header_sign = bool(pdu.flags & PfcFlags.SUPPORT_HEADER_SIGN)
        if leg is not None:
            leg.slot.context.agree_header_signing(self.header_sign)
        self.max_send_frag = min(self.config.max_xmit_frag, pdu.max_recv_frag)
        self.max_recv_frag = min(self.config.max_recv_frag, pdu.max_xmit_frag)
        group = pdu.assoc_group_id or self.config.assoc_group_id
        self._answer_contexts(pdu, BindAck, group, self.config.secondary_address, leg)

    def _on_alter(self, pdu: AlterContext) -> None:
        leg: HandshakeLeg | None = None
        if pdu.auth is not None:
            answer = self._auth.on_alter(pdu.auth)
            if isinstance(answer, Refusal):
                self._reject(Rejection(pdu.call_id, answer.status, answer.reason, close=True))
                return
            leg = answer
            leg.slot.context.agree_header_signing(self.header_sign)
        self._answer_contexts(pdu, AlterContextResp, self.config.assoc_group_id, "", leg)

    def _answer_contexts(
        self,
        pdu: Bind,
        answer: type[BindAck],
        group: int,
        address: str,
        leg: HandshakeLeg | None,
    ) -> None:
        result = negotiate(
            pdu.contexts,
            self.config.interfaces,
            self.config.transfer_syntaxes,
            self.config.features,
        )
        for accepted in result.accepted:
            self.contexts[accepted.context_id] = accepted
        flags = PfcFlags.SINGLE
        if self.multiplexed:
            flags |= PfcFlags.CONC_MPX
        if self.header_sign:
            flags |= PfcFlags.SUPPORT_HEADER_SIGN
        auth = leg.slot.verifier(leg.token) if leg is not None and leg.token else None
        self._outbox += encode_pdu(
            answer(
                call_id=pdu.call_id,
                flags=flags,
                auth=auth,
                max_xmit_frag=self.max_send_frag,
                max_recv_frag=self.max_recv_frag,
                assoc_group_id=group,
                secondary_address=address,
                results=result.results,
            )
        )
        self._events.append(
            BindReceived(
                pdu.call_id,
                pdu.contexts,
                result.results,
                result.accepted,
                isinstance(pdu, AlterContext),
            )
        )
        if leg is not None and leg.slot.context.complete:
            self._events.append(AuthComplete(leg.slot.auth_context_id))

    def _on_auth3(self, pdu: Auth3) -> None:
        auth = pdu.auth
        if auth is None:  # decode_pdu refuses this already; keeps the type checker honest
            raise ProtocolError("auth3 without a sec_trailer", structure="auth3")
        completed = self._auth.on_auth3(auth)
        if completed is not None:
            self._events.append(AuthComplete(completed.auth_context_id))
