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

from collections.abc import Callable
from dataclasses import dataclass

from wua.errors import AuthenticationFailed, ProtocolError
from wua.rpc.connection.auth import AuthSlot
from wua.rpc.connection.events import (
    AuthComplete,
    BindReceived,
    CallCancelled,
    CallOrphaned,
    CallRejected,
    CallRequest,
    ServerEvent,
)
from wua.rpc.connection.machine import PduMachine
from wua.rpc.connection.state import (
    RECEIVE,
    SEND,
    SERVER_TRANSITIONS,
    LocalProtocolError,
    ServerState,
    transition,
)
from wua.rpc.constants import WINDOWS_MAX_FRAG, BindNakReason, BindTimeFeatures, PfcFlags
from wua.rpc.faults import (
    NCA_S_FAULT_ACCESS_DENIED,
    NCA_S_PROTO_ERROR,
    NCA_S_UNK_IF,
    RPC_S_SEC_PKG_ERROR,
)
from wua.rpc.fragments import CallSecurity, Reassembler, fragment_call, unprotect_fragment
from wua.rpc.negotiation import WINDOWS_FEATURES, AcceptedContext, negotiate
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
    peek_header,
)
from wua.rpc.presentation import NDR32, SyntaxId
from wua.rpc.security.base import AuthLevel, AuthType, SecurityContext

SecurityFactory = Callable[[AuthType | int, AuthLevel | int], SecurityContext]
#: Windows ends a bind_nak with 3 zero bytes after its one version (16 + 2 + 1 + 2 + 3 =
#: 24 bytes, 8-aligned); Samba's raw_protocol tests assert exactly this against Windows.
BIND_NAK_PAD = bytes(3)


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


@dataclass(frozen=True)
class _Refusal:
    status: int
    reason: str


@dataclass(frozen=True)
class _PendingCall:
    context_id: int
    security: CallSecurity | None


class ServerConnection(PduMachine[ServerEvent]):
    def __init__(self, config: ServerConfig) -> None:
        super().__init__(config.max_recv_frag)
        self.config = config
        self.state = ServerState.AWAIT_BIND
        self._auth: dict[int, AuthSlot] = {}
        self._calls: dict[int, _PendingCall] = {}
        self._incoming: dict[int, CallSecurity | None] = {}
        self._reassembler = Reassembler(config.max_call_size)
        self.contexts: dict[int, AcceptedContext] = {}
        self.max_send_frag = config.max_xmit_frag
        self.max_recv_frag = config.max_recv_frag
        self.multiplexed = False
        self.header_sign = False

    # --- answering calls --------------------------------------------------------------

    def respond(self, call_id: int, stub: bytes) -> bytes:
        """The response fragments, protected like the request (trailer: the client's ID)."""
        call = self._take_call(call_id)
        self.state = transition(SERVER_TRANSITIONS, self.state, SEND, "RESPONSE")
        pdu = Response(call_id=call_id, context_id=call.context_id, stub=stub)
        return b"".join(fragment_call(pdu, self.max_send_frag, call.security))

    def fault(self, call_id: int, status: int, *, did_not_execute: bool = False) -> bytes:
        call = self._take_call(call_id)
        self.state = transition(SERVER_TRANSITIONS, self.state, SEND, "FAULT")
        return self._fault_pdu(call_id, call.context_id, status, did_not_execute)

    def shutdown(self) -> bytes:
        self.state = transition(SERVER_TRANSITIONS, self.state, SEND, "SHUTDOWN")
        return encode_pdu(Shutdown(call_id=0))

    def _take_call(self, call_id: int) -> _PendingCall:
        call = self._calls.pop(call_id, None)
        if call is None:
            raise LocalProtocolError(
                f"call {call_id} is not awaiting an answer", structure="connection"
            )
        return call

    def _fault_pdu(self, call_id: int, context_id: int, status: int, dne: bool) -> bytes:
        flags = PfcFlags.SINGLE | (PfcFlags.DID_NOT_EXECUTE if dne else PfcFlags.NONE)
        return encode_pdu(
            Fault(call_id=call_id, flags=flags, context_id=context_id, status=status, alloc_hint=0)
        )

    def _reject(
        self,
        call_id: int,
        status: int,
        reason: str,
        *,
        close: bool,
        context_id: int = 0,
        dne: bool = False,
    ) -> None:
        """Fault a call by ourselves; `close` also ends the connection, as Windows does."""
        self.state = transition(
            SERVER_TRANSITIONS, self.state, SEND, "FATAL_FAULT" if close else "FAULT"
        )
        self._outbox += self._fault_pdu(call_id, context_id, status, dne)
        self._events.append(CallRejected(call_id, status, reason, close))

    def security_context(self, auth_context_id: int) -> SecurityContext | None:
        """The established security context of an auth context (who the caller is, at
        which level), or None while it is unknown, in its handshake, or failed."""
        slot = self._auth.get(auth_context_id)
        if slot is None or slot.failed or not slot.context.complete:
            return None
        return slot.context

    @property
    def pending_calls(self) -> frozenset[int]:
        return frozenset(self._calls)

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
            self._reassembler.drop(pdu.call_id)
            self._incoming.pop(pdu.call_id, None)
            self._calls.pop(pdu.call_id, None)
            self._events.append(CallOrphaned(pdu.call_id))
        else:
            raise ProtocolError(
                f"a client does not send {name.lower()}", structure="connection", offset=2
            )

    # --- bind, alter_context, auth3 ---------------------------------------------------

    def _new_slot(self, auth: AuthVerifier) -> AuthSlot:
        """A new auth context; the type and level are vetted before any factory sees them."""
        factory = self.config.security_factory
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
        self._auth[auth.auth_context_id] = slot
        return slot

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
        self._outbox += encode_pdu(
            BindNak(
                call_id=pdu.call_id,
                reject_reason=BindNakReason.REASON_NOT_SPECIFIED,
                tail=BIND_NAK_PAD,
            )
        )
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
        token: bytes | None = None
        slot: AuthSlot | None = None
        if pdu.auth is not None:
            try:
                slot = self._new_slot(pdu.auth)
                token = slot.context.step(pdu.auth.auth_value)
            except AuthenticationFailed:
                self._auth.clear()
                reason = (
                    BindNakReason.AUTHENTICATION_TYPE_NOT_RECOGNIZED
                    if slot is None
                    else BindNakReason.REASON_NOT_SPECIFIED
                )
                self.state = transition(SERVER_TRANSITIONS, self.state, SEND, "BIND_NAK")
                self._outbox += encode_pdu(
                    BindNak(call_id=pdu.call_id, reject_reason=reason, tail=BIND_NAK_PAD)
                )
                return
        self.multiplexed = self.config.multiplex and bool(pdu.flags & PfcFlags.CONC_MPX)
        self.header_sign = bool(pdu.flags & PfcFlags.SUPPORT_HEADER_SIGN)
        self.max_send_frag = min(self.config.max_xmit_frag, pdu.max_recv_frag)
        self.max_recv_frag = min(self.config.max_recv_frag, pdu.max_xmit_frag)
        group = pdu.assoc_group_id or self.config.assoc_group_id
        self._answer_contexts(pdu, BindAck, group, self.config.secondary_address, slot, token)

    def _on_alter(self, pdu: AlterContext) -> None:
        token: bytes | None = None
        slot: AuthSlot | None = None
        if pdu.auth is not None:
            slot = self._auth.get(pdu.auth.auth_context_id)
            if slot is not None and (slot.context.complete or slot.failed):
                self._reject(
                    pdu.call_id,
                    NCA_S_PROTO_ERROR,
                    "alter_context token for an established auth context",
                    close=True,
                )
                return
            if slot is not None and slot.context.auth_type != pdu.auth.auth_type:
                self._reject(
                    pdu.call_id,
                    RPC_S_SEC_PKG_ERROR,
                    "alter_context changes the auth type of a context",
                    close=True,
                )
                return
            try:
                slot = slot or self._new_slot(pdu.auth)
                token = slot.context.step(pdu.auth.auth_value)
            except AuthenticationFailed as exc:
                self._reject(
                    pdu.call_id,
                    NCA_S_FAULT_ACCESS_DENIED,
                    f"authentication failed: {exc.detail}",
                    close=True,
                )
                return
        self._answer_contexts(pdu, AlterContextResp, self.config.assoc_group_id, "", slot, token)

    def _answer_contexts(
        self,
        pdu: Bind,
        answer: type[BindAck],
        group: int,
        address: str,
        slot: AuthSlot | None,
        token: bytes | None,
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
        auth = slot.verifier(token) if slot is not None and token else None
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
        if slot is not None and slot.context.complete:
            self._events.append(AuthComplete(slot.auth_context_id))

    def _on_auth3(self, pdu: Auth3) -> None:
        auth = pdu.auth
        if auth is None:  # decode_pdu refuses this already; keeps the type checker honest
            raise ProtocolError("auth3 without a sec_trailer", structure="auth3")
        slot = self._auth.get(auth.auth_context_id)
        if slot is None or slot.context.complete or slot.failed:
            raise ProtocolError(
                f"auth3 for auth context {auth.auth_context_id}, which is not in a handshake",
                structure="auth3",
            )
        try:
            slot.context.step(auth.auth_value)
        except AuthenticationFailed:
            # auth3 has no answer: the failure shows on the first call (access denied).
            slot.failed = True
            return
        if slot.usable:
            self._events.append(AuthComplete(slot.auth_context_id))

    # --- requests ---------------------------------------------------------------------

    def _security_for(self, pdu: Request) -> tuple[CallSecurity | None, _Refusal | None]:
        """The auth context a request is protected with, or why (and how) to refuse it.

        Statuses as Samba's server answers them (it is tested against Windows): access
        denied for a PDU that does not match its context, protocol error for a request
        that arrives in the middle of a handshake.
        """
        auth = pdu.auth
        if auth is None:
            if any(s.signs_calls for s in self._auth.values()):
                return None, _Refusal(
                    NCA_S_FAULT_ACCESS_DENIED,
                    "unsigned request on a connection whose auth context signs calls",
                )
            return None, None
        slot = self._auth.get(auth.auth_context_id)
        if slot is None or slot.failed:
            return None, _Refusal(
                NCA_S_FAULT_ACCESS_DENIED,
                f"request names auth context {auth.auth_context_id}, which is not established",
            )
        if not slot.context.complete:
            return None, _Refusal(NCA_S_PROTO_ERROR, "request before the handshake completed")
        if auth.auth_type != slot.context.auth_type:
            return None, _Refusal(
                NCA_S_FAULT_ACCESS_DENIED, "request changes the auth type of its context"
            )
        if auth.auth_level != slot.context.auth_level:
            return None, _Refusal(
                NCA_S_FAULT_ACCESS_DENIED,
                (
                    f"downgraded auth level: request at {int(auth.auth_level)}, negotiated "
                    f"{int(slot.context.auth_level)}"
                ),
            )
        return slot.security, None

    def _on_request(self, raw: bytes, pdu: Request) -> None:
        if len(raw) > self.max_recv_frag:
            raise ProtocolError(
                f"request fragment of {len(raw)} bytes exceeds the negotiated "
                f"max_recv_frag {self.max_recv_frag}",
                structure="common header",
                offset=8,
            )
        first = bool(pdu.flags & PfcFlags.FIRST_FRAG)
        if first and not self.multiplexed and (self._calls or self._incoming):
            self._reject(
                pdu.call_id, NCA_S_PROTO_ERROR, "concurrent call without PFC_CONC_MPX", close=True
            )
            return
        security, refusal = self._security_for(pdu)
        if refusal is not None:
            self._reject(
                pdu.call_id, refusal.status, refusal.reason, close=True, context_id=pdu.context_id
            )
            return
        if not first and self._incoming.get(pdu.call_id, security) != security:
            self._reject(
                pdu.call_id,
                NCA_S_FAULT_ACCESS_DENIED,
                "fragment protected with another auth context",
                close=True,
            )
            return
        if security is not None and security.carries_verifier:
            try:
                plain = unprotect_fragment(raw, peek_header(raw), security)
            except AuthenticationFailed as exc:
                self._reject(
                    pdu.call_id,
                    NCA_S_FAULT_ACCESS_DENIED,
                    f"signature check failed: {exc.detail}",
                    close=True,
                    context_id=pdu.context_id,
                )
                return
            decoded = decode_pdu(plain)
            if not isinstance(decoded, Request):
                raise ProtocolError("unprotect changed the PDU type", structure="request")
            pdu = decoded
        self._incoming[pdu.call_id] = security
        whole = self._reassembler.add(pdu)
        if whole is None or not isinstance(whole, Request):
            return
        del self._incoming[pdu.call_id]
        if whole.context_id not in self.contexts:
            self._reject(
                whole.call_id,
                NCA_S_UNK_IF,
                f"presentation context {whole.context_id} is not bound",
                close=False,
                context_id=whole.context_id,
                dne=True,
            )
            return
        self._calls[whole.call_id] = _PendingCall(whole.context_id, security)
        self._events.append(
            CallRequest(
                whole.call_id,
                whole.context_id,
                whole.opnum,
                whole.object_uuid,
                whole.stub,
                security.auth_context_id if security else None,
            )
        )
