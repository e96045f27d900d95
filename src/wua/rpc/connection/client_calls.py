"""A client connection's calls, from the request until the whole response is in.

A response fragment must belong to an outstanding call and its presentation context, fit
our max_recv_frag, and, on a protected call, carry a verifier under the call's own auth
context and level (anything else is a downgrade) that verifies.
"""

from __future__ import annotations

from dataclasses import dataclass

from wua.errors import AuthenticationFailed, ProtocolError
from wua.rpc.connection.auth import unprotect_pdu
from wua.rpc.connection.events import CallResponse
from wua.rpc.fragments import CallSecurity, Reassembler
from wua.rpc.pdu import Response


@dataclass(frozen=True)
class SentCall:
    context_id: int
    security: CallSecurity | None


class OutstandingCalls:
    def __init__(self, max_call_size: int) -> None:
        self._calls: dict[int, SentCall] = {}
        self._reassembler = Reassembler(max_call_size)

    @property
    def ids(self) -> frozenset[int]:
        return frozenset(self._calls)

    def add(self, call_id: int, context_id: int, security: CallSecurity | None) -> None:
        self._calls[call_id] = SentCall(context_id, security)

    def drop(self, call_id: int) -> None:
        """Forget a call that faulted or that we orphaned, with any fragments received."""
        self._calls.pop(call_id, None)
        self._reassembler.drop(call_id)

    def receive(self, raw: bytes, pdu: Response, max_recv_frag: int) -> CallResponse | None:
        """One response fragment: the whole response, or None while more must come."""
        if len(raw) > max_recv_frag:
            raise ProtocolError(
                f"response fragment of {len(raw)} bytes exceeds our max_recv_frag {max_recv_frag}",
                structure="common header",
                offset=8,
            )
        if pdu.call_id not in self._calls:
            raise ProtocolError(
                f"response to call {pdu.call_id}, which is not outstanding",
                structure="response",
                offset=12,
            )
        call = self._calls[pdu.call_id]
        if pdu.context_id != call.context_id:
            raise ProtocolError(
                f"response to call {pdu.call_id} names context "
                f"{pdu.context_id}, the call used {call.context_id}",
                structure="response",
                offset=20,
            )
        security = call.security
        if security is not None and security.carries_verifier:
            auth = pdu.auth
            if auth is None:
                raise AuthenticationFailed("a response on a protected call is not signed")
            if (
                auth.auth_context_id != security.auth_context_id
                or auth.auth_level != security.context.auth_level
            ):
                raise AuthenticationFailed(
                    f"response trailer names auth context {auth.auth_context_id} at level "
                    f"{int(auth.auth_level)}, the call used {security.auth_context_id} at "
                    f"{int(security.context.auth_level)}"
                )
            pdu = unprotect_pdu(raw, security, Response)
        whole = self._reassembler.add(pdu)
        if whole is None:
            return None
        del self._calls[pdu.call_id]
        return CallResponse(whole.call_id, whole.stub)
