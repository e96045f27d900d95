"""A server connection's calls, from a request's first fragment until it is answered.

Every fragment is checked before it is reassembled: its size against the negotiated
max_recv_frag, a second call against PFC_CONC_MPX, its protection against the call's auth
context (all fragments of one call under the same one) and its verifier. What fails comes
back as a Rejection for the machine to send; a whole call comes back as a CallRequest.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass

from wua.errors import AuthenticationFailed, ProtocolError
from wua.rpc.connection.auth import unprotect_pdu
from wua.rpc.connection.events import CallRequest
from wua.rpc.connection.server_auth import AcceptorContexts, Refusal
from wua.rpc.connection.server_faults import Rejection
from wua.rpc.connection.state import LocalProtocolError
from wua.rpc.constants import PfcFlags
from wua.rpc.faults import NCA_S_FAULT_ACCESS_DENIED, NCA_S_PROTO_ERROR, NCA_S_UNK_IF
from wua.rpc.fragments import CallSecurity, Reassembler
from wua.rpc.pdu import Request


@dataclass(frozen=True)
class PendingCall:
    """A call handed to the application: the response goes out protected like the request."""

    context_id: int
    security: CallSecurity | None


class IncomingCalls:
    def __init__(self, auth: AcceptorContexts, max_call_size: int) -> None:
        self._auth = auth
        self._pending: dict[int, PendingCall] = {}
        self._incoming: dict[int, CallSecurity | None] = {}
        self._reassembler = Reassembler(max_call_size)

    @property
    def pending(self) -> frozenset[int]:
        """Calls handed out as CallRequest and not answered yet."""
        return frozenset(self._pending)

    def take(self, call_id: int) -> PendingCall:
        """The call an answer is for; it is no longer pending."""
        call = self._pending.pop(call_id, None)
        if call is None:
            raise LocalProtocolError(
                f"call {call_id} is not awaiting an answer", structure="connection"
            )
        return call

    def drop(self, call_id: int) -> None:
        """Forget a call the client orphaned, whatever stage it is in."""
        self._reassembler.drop(call_id)
        self._incoming.pop(call_id, None)
        self._pending.pop(call_id, None)

    def receive(
        self,
        raw: bytes,
        pdu: Request,
        *,
        multiplexed: bool,
        max_recv_frag: int,
        bound: Container[int],
    ) -> CallRequest | Rejection | None:
        """One request fragment: the whole call, a refusal, or None while more must come."""
        if len(raw) > max_recv_frag:
            raise ProtocolError(
                f"request fragment of {len(raw)} bytes exceeds the negotiated "
                f"max_recv_frag {max_recv_frag}",
                structure="common header",
                offset=8,
            )
        first = bool(pdu.flags & PfcFlags.FIRST_FRAG)
        if first and not multiplexed and (self._pending or self._incoming):
            return Rejection(
                pdu.call_id, NCA_S_PROTO_ERROR, "concurrent call without PFC_CONC_MPX", close=True
            )
        security = self._auth.security_for(pdu.auth)
        if isinstance(security, Refusal):
            return Rejection(
                pdu.call_id, security.status, security.reason, True, context_id=pdu.context_id
            )
        if not first and self._incoming.get(pdu.call_id, security) != security:
            return Rejection(
                pdu.call_id,
                NCA_S_FAULT_ACCESS_DENIED,
                "fragment protected with another auth context",
                close=True,
            )
        if security is not None and security.carries_verifier:
            try:
                pdu = unprotect_pdu(raw, security, Request)
            except AuthenticationFailed as exc:
                return Rejection(
                    pdu.call_id,
                    NCA_S_FAULT_ACCESS_DENIED,
                    f"signature check failed: {exc.detail}",
                    close=True,
                    context_id=pdu.context_id,
                )
        self._incoming[pdu.call_id] = security
        whole = self._reassembler.add(pdu)
        if whole is None or not isinstance(whole, Request):
            return None
        del self._incoming[pdu.call_id]
        if whole.context_id not in bound:
            return Rejection(
                whole.call_id,
                NCA_S_UNK_IF,
                f"presentation context {whole.context_id} is not bound",
                close=False,
                context_id=whole.context_id,
                did_not_execute=True,
            )
        self._pending[whole.call_id] = PendingCall(whole.context_id, security)
        return CallRequest(
            whole.call_id,
            whole.context_id,
            whole.opnum,
            whole.object_uuid,
            whole.stub,
            security.auth_context_id if security else None,
        )
