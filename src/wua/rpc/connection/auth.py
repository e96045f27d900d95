"""Bookkeeping of a connection's auth contexts (auth_context_id → SecurityContext)."""

from __future__ import annotations

from dataclasses import dataclass

from wua.rpc.fragments import VERIFIER_LEVELS, CallSecurity
from wua.rpc.pdu import AuthVerifier
from wua.rpc.security.base import SecurityContext


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
