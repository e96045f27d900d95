"""Client contexts for NTLM (auth_type WINNT) and Negotiate (GSS_NEGOTIATE) over pyspnego.

pyspnego runs the handshake (its public API only); once it is complete we take its
exported session key and apply our own DCE/RPC sign/seal, because RPC signs more bytes
than it seals, which a GSS wrap of one buffer cannot express. With SPNEGO the NTLM
sequence numbers and RC4 handles start afresh after the mechListMIC exchange, which is
what a new NtlmSession does.
"""

from __future__ import annotations

from typing import Final

import spnego
from spnego.exceptions import SpnegoError

from wua.errors import AuthenticationFailed
from wua.rpc.security.base import AuthLevel, AuthType
from wua.rpc.security.context_base import ProtectedContext
from wua.rpc.security.credentials import Credentials
from wua.rpc.security.ntlm_flags import NegotiateFlags
from wua.rpc.security.ntlm_messages import AUTHENTICATE, SIGNATURE
from wua.rpc.security.ntlm_session import NtlmSession
from wua.rpc.security.rpc_protection import RpcProtection

_AUTHENTICATE_MARK: Final = SIGNATURE + AUTHENTICATE.to_bytes(4, "little")
_FLAGS_OFFSET: Final = 60  # NegotiateFlags in the AUTHENTICATE header


class SpnegoClientContext(ProtectedContext):
    """One client auth context; use `ntlm_client` / `negotiate_client` to build it."""

    def __init__(self, credentials: Credentials, auth_level: AuthLevel, *,
                 auth_type: AuthType, target_host: str) -> None:
        super().__init__(auth_type, auth_level)
        requirements = (spnego.ContextReq.integrity | spnego.ContextReq.replay_detect
                        | spnego.ContextReq.sequence_detect)
        if auth_level == AuthLevel.PKT_PRIVACY:
            requirements |= spnego.ContextReq.confidentiality
        if auth_type == AuthType.WINNT:
            protocol, options = "ntlm", spnego.NegotiateOptions.use_ntlm
        elif auth_type == AuthType.GSS_NEGOTIATE:
            protocol, options = "negotiate", spnego.NegotiateOptions.none
        else:
            raise ValueError(f"{auth_type.name} is not offered by this context")
        self._context = spnego.client(
            [credentials.for_spnego()], hostname=target_host, service="host",
            context_req=requirements, protocol=protocol, options=options)
        self._flags: NegotiateFlags | None = None

    def step(self, token: bytes | None) -> bytes | None:
        if self.complete:
            raise AuthenticationFailed("the security handshake has already completed")
        try:
            out = self._context.step(token)
        except SpnegoError as exc:
            raise AuthenticationFailed(
                f"the {self.auth_type.name} handshake failed: {type(exc).__name__}") from exc
        if out:
            self._flags = _authenticate_flags(out) or self._flags
        if self._context.complete:
            self._finish()
        return out or None

    @property
    def negotiated_protocol(self) -> str | None:
        """"ntlm" or "kerberos" once known."""
        protocol = self._context.negotiated_protocol
        return None if protocol is None else str(protocol)

    def _finish(self) -> None:
        if self.negotiated_protocol != "ntlm":
            raise AuthenticationFailed(
                f"negotiated {self.negotiated_protocol}; only NTLM sign/seal is implemented "
                "for DCE/RPC")
        if self._flags is None:
            raise AuthenticationFailed("the handshake finished without an NTLM AUTHENTICATE")
        session = NtlmSession(bytes(self._context.session_key), self._flags, is_client=True)
        self._protection = RpcProtection(session, self.auth_type, self.auth_level)


def _authenticate_flags(token: bytes) -> NegotiateFlags | None:
    """The flags our AUTHENTICATE settled on: they decide key strength and key exchange.

    With Negotiate the NTLM message sits inside a DER NegTokenResp; its NTLMSSP header is
    found by its signature rather than by parsing SPNEGO.
    """
    at = token.find(_AUTHENTICATE_MARK)
    if at < 0 or at + _FLAGS_OFFSET + 4 > len(token):
        return None
    return NegotiateFlags(int.from_bytes(token[at + _FLAGS_OFFSET : at + _FLAGS_OFFSET + 4],
                                         "little"))


def ntlm_client(credentials: Credentials, auth_level: AuthLevel = AuthLevel.PKT_PRIVACY, *,
                target_host: str = "unspecified") -> SpnegoClientContext:
    """A raw NTLM client context (auth_type WINNT = 10)."""
    return SpnegoClientContext(credentials, auth_level, auth_type=AuthType.WINNT,
                               target_host=target_host)


def negotiate_client(credentials: Credentials, auth_level: AuthLevel = AuthLevel.PKT_PRIVACY,
                     *, target_host: str = "unspecified") -> SpnegoClientContext:
    """A SPNEGO client context (auth_type GSS_NEGOTIATE = 9): Kerberos where configured."""
    return SpnegoClientContext(credentials, auth_level, auth_type=AuthType.GSS_NEGOTIATE,
                               target_host=target_host)
