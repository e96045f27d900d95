"""Bookkeeping of a connection's auth contexts (auth_context_id → SecurityContext), and
the reading of a fragment protected under one, which both sides do alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from wua.errors import ProtocolError
from wua.rpc.fragments import VERIFIER_LEVELS, CallSecurity, unprotect_fragment
from wua.rpc.pdu import AuthVerifier, Request, Response, decode_pdu, peek_header
from wua.rpc.security.base import SecurityContext

CallPduT = TypeVar("CallPduT", Request, Response)


@dataclass
class AuthSlot:
    """One auth context of a connection and whether its handshake has failed."""

    auth_context_id: int
    context: SecurityContext
    failed: bool = False

    @property
    def usable(self) -> bool:
        return self.context.complete and not self.failed

    @property
    def security(self) -> CallSecurity:
        return CallSecurity(self.context, self.auth_context_id)

    @property
    def signs_calls(self) -> bool:
        return self.context.auth_level in VERIFIER_LEVELS

    def verifier(self, token: bytes) -> AuthVerifier:
        return AuthVerifier(
            self.context.auth_type, self.context.auth_level, self.auth_context_id, token
        )


def unprotect_pdu(raw: bytes, security: CallSecurity, expected: type[CallPduT]) -> CallPduT:
    """The fragment with its stub checked (and unsealed) under `security`.

    Raises AuthenticationFailed when the signature does not verify.
    """
    decoded = decode_pdu(unprotect_fragment(raw, peek_header(raw), security))
    if not isinstance(decoded, expected):
        raise ProtocolError("unprotect changed the PDU type", structure=expected.PTYPE.name.lower())
    return decoded
