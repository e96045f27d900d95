"""Client contexts for NTLM (auth_type WINNT) and Negotiate (GSS_NEGOTIATE) over pyspnego.

pyspnego runs the handshake (its public API only); once it is complete we take its
exported session key and apply our own DCE/RPC sign/seal, because RPC signs more bytes
than it seals, which a GSS wrap of one buffer cannot express. With SPNEGO, NTLM restarts
its RC4 handles after the mechListMIC exchange but keeps counting sequence numbers (so a
direction that carried a mechListMIC continues at 1); pyspnego and Samba agree on this.
"""

from __future__ import annotations

import struct

import spnego
from spnego.exceptions import SpnegoError

from wua.errors import AuthenticationFailed, ProtocolError
from wua.reference.hresults import SEC_E_INVALID_TOKEN
from wua.rpc.security.base import AuthLevel, AuthType
from wua.rpc.security.context_base import ProtectedContext
from wua.rpc.security.credentials import Credentials
from wua.rpc.security.ntlm_flags import NegotiateFlags
from wua.rpc.security.ntlm_messages import (
    AUTHENTICATE,
    SIGNATURE,
    AuthenticateMessage,
    ChallengeMessage,
    message_type,
)
from wua.rpc.security.ntlm_session import NtlmSession
from wua.rpc.security.rpc_protection import RpcProtection
from wua.rpc.security.spnego_token import (
    MECH_LIST_MIC,
    NEG_TOKEN_RESP,
    RESPONSE_TOKEN,
    neg_token_resp_fields,
)

#: What pyspnego raises on a token it cannot use: its own errors, and (from its raw
#: parsers, e.g. inside a SPNEGO token we do not pre-parse) plain Python ones.
_PEER_TOKEN_ERRORS = (SpnegoError, ValueError, KeyError, IndexError, struct.error)


class SpnegoClientContext(ProtectedContext):
    """One client auth context; use `ntlm_client` / `negotiate_client` to build it."""

    def __init__(
        self,
        credentials: Credentials,
        auth_level: AuthLevel,
        *,
        auth_type: AuthType,
        target_host: str,
    ) -> None:
        super().__init__(auth_type, auth_level, server=False)
        requirements = (
            spnego.ContextReq.integrity
            | spnego.ContextReq.replay_detect
            | spnego.ContextReq.sequence_detect
        )
        if auth_level == AuthLevel.PKT_PRIVACY:
            requirements |= spnego.ContextReq.confidentiality
        if auth_type == AuthType.WINNT:
            protocol, options = "ntlm", spnego.NegotiateOptions.use_ntlm
        elif auth_type == AuthType.GSS_NEGOTIATE:
            protocol, options = "negotiate", spnego.NegotiateOptions.none
        else:
            raise ValueError(f"{auth_type.name} is not offered by this context")
        self._context = spnego.client(
            [credentials.for_spnego()],
            hostname=target_host,
            service="host",
            context_req=requirements,
            protocol=protocol,
            options=options,
        )
        self._flags: NegotiateFlags | None = None
        self._mic_sent = False
        self._mic_received = False

    def step(self, token: bytes | None) -> bytes | None:
        if self.complete:
            raise AuthenticationFailed("the security handshake has already completed")
        if token is not None:
            self._note_incoming(token)
        try:
            out = self._context.step(token)
        except _PEER_TOKEN_ERRORS as exc:
            raise AuthenticationFailed(
                f"the {self.auth_type.name} handshake failed: {type(exc).__name__}",
                hresult=SEC_E_INVALID_TOKEN if not isinstance(exc, SpnegoError) else None,
            ) from exc
        if out:
            self._note_outgoing(out)
        if self._context.complete:
            self._finish()
        return out or None

    def _note_incoming(self, token: bytes) -> None:
        """Check the peer's token with our strict decoders first (pyspnego's parsers let
        struct/Key errors escape on garbage) and note a mechListMIC."""
        try:
            if self.auth_type == AuthType.WINNT:
                ChallengeMessage.decode(token)
            elif token[:1] == bytes([NEG_TOKEN_RESP]):
                self._mic_received |= MECH_LIST_MIC in neg_token_resp_fields(token)
        except ProtocolError as exc:
            raise self._malformed(f"{self.auth_type.name} token", exc) from exc

    def _note_outgoing(self, token: bytes) -> None:
        inner = token
        if self.auth_type == AuthType.GSS_NEGOTIATE:
            if token[:1] != bytes([NEG_TOKEN_RESP]):
                return  # the NegTokenInit: no AUTHENTICATE or MIC yet
            fields = neg_token_resp_fields(token)
            self._mic_sent |= MECH_LIST_MIC in fields
            inner = fields.get(RESPONSE_TOKEN, b"")
        if inner[:8] == SIGNATURE and message_type(inner) == AUTHENTICATE:
            self._flags = AuthenticateMessage.decode(inner).flags

    @property
    def negotiated_protocol(self) -> str | None:
        """ "ntlm" or "kerberos" once known."""
        protocol = self._context.negotiated_protocol
        return None if protocol is None else str(protocol)

    def _finish(self) -> None:
        if self.negotiated_protocol != "ntlm":
            raise AuthenticationFailed(
                f"negotiated {self.negotiated_protocol}; only NTLM sign/seal is implemented "
                "for DCE/RPC"
            )
        if self._flags is None:
            raise AuthenticationFailed("the handshake finished without an NTLM AUTHENTICATE")
        self._check_protection_flags(self._flags, "the server")
        session = NtlmSession(
            bytes(self._context.session_key),
            self._flags,
            is_client=True,
            first_send_seq=int(self._mic_sent),
            first_recv_seq=int(self._mic_received),
        )
        self._protection = RpcProtection(session, self.auth_type, self.auth_level)


def ntlm_client(
    credentials: Credentials,
    auth_level: AuthLevel = AuthLevel.PKT_PRIVACY,
    *,
    target_host: str = "unspecified",
) -> SpnegoClientContext:
    """A raw NTLM client context (auth_type WINNT = 10)."""
    return SpnegoClientContext(
        credentials, auth_level, auth_type=AuthType.WINNT, target_host=target_host
    )


def negotiate_client(
    credentials: Credentials,
    auth_level: AuthLevel = AuthLevel.PKT_PRIVACY,
    *,
    target_host: str = "unspecified",
) -> SpnegoClientContext:
    """A SPNEGO client context (auth_type GSS_NEGOTIATE = 9): Kerberos where configured."""
    return SpnegoClientContext(
        credentials, auth_level, auth_type=AuthType.GSS_NEGOTIATE, target_host=target_host
    )
