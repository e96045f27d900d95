"""Client contexts for NTLM (WINNT), Negotiate (GSS_NEGOTIATE) and Kerberos (GSS_KERBEROS)
over pyspnego.

pyspnego runs the handshake (its public API only). For NTLM we then take its exported
session key and apply our own DCE/RPC sign/seal, because RPC signs more bytes than it
seals, which a GSS wrap of one buffer cannot express. With SPNEGO, NTLM restarts its RC4
handles after the mechListMIC exchange but keeps counting sequence numbers (so a
direction that carried a mechListMIC continues at 1); pyspnego and Samba agree on this.
For Kerberos, the context asks for DCE style and mutual authentication, as Windows RPC
does, and pyspnego's IOV wrap (MIT's gss_wrap_iov) signs the header and sec_trailer
while it seals the stub (`wua.rpc.security.gss_protection`).
"""

from __future__ import annotations

import spnego
from spnego.exceptions import SpnegoError

from wua.errors import AuthenticationFailed, ProtocolError
from wua.reference.hresults import SEC_E_INVALID_TOKEN
from wua.rpc.security.base import AuthLevel, AuthType
from wua.rpc.security.context_base import ProtectedContext
from wua.rpc.security.credentials import Credentials, KerberosCredentials
from wua.rpc.security.gss_messages import PyspnegoMessages
from wua.rpc.security.gss_protection import GssProtection
from wua.rpc.security.kerberos_errors import KERBEROS_ERRORS, PEER_TOKEN_ERRORS, kerberos_failure
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
    GSS_APPLICATION,
    KERBEROS_OIDS,
    MECH_LIST_MIC,
    NEG_TOKEN_RESP,
    RESPONSE_TOKEN,
    SUPPORTED_MECH,
    decode_neg_token_init,
    neg_token_resp_fields,
)


class SpnegoClientContext(ProtectedContext):
    """One client auth context; use `ntlm_client` / `negotiate_client` to build it."""

    def __init__(
        self,
        credentials: Credentials | KerberosCredentials,
        auth_level: AuthLevel,
        *,
        auth_type: AuthType,
        target_host: str,
    ) -> None:
        super().__init__(auth_type, auth_level, server=False)
        self._kerberos_only = isinstance(credentials, KerberosCredentials)
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
        elif auth_type == AuthType.GSS_KERBEROS:
            protocol, options = "kerberos", spnego.NegotiateOptions.none
        else:
            raise ValueError(f"{auth_type.name} is not offered by this context")
        if self._kerberos_only and auth_type == AuthType.WINNT:
            raise ValueError("NTLM needs a password or an NT hash, not Kerberos credentials")
        if self._kerberos_only:
            requirements |= spnego.ContextReq.mutual_auth | spnego.ContextReq.dce_style
        self._spn = f"host/{target_host}"
        self._spnego_args = (credentials, target_host, requirements, options)
        try:
            self._context = self._new_context(protocol)
        except KERBEROS_ERRORS as exc:
            raise self._kerberos_unavailable(exc) from exc
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
        except KERBEROS_ERRORS as exc:
            if self._kerberos_only and token is None:
                raise self._kerberos_unavailable(exc) from exc
            if not isinstance(exc, PEER_TOKEN_ERRORS):
                raise
            raise AuthenticationFailed(
                f"the {self.auth_type.name} handshake failed: {type(exc).__name__}",
                hresult=SEC_E_INVALID_TOKEN if not isinstance(exc, SpnegoError) else None,
            ) from exc
        if out:
            if token is None and self._kerberos_only:
                self._check_kerberos_offered(out)
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
                fields = neg_token_resp_fields(token)
                self._mic_received |= MECH_LIST_MIC in fields
                self._refuse_fallback(fields.get(SUPPORTED_MECH))
        except ProtocolError as exc:
            raise self._malformed(f"{self.auth_type.name} token", exc) from exc

    def _refuse_fallback(self, chosen: bytes | None) -> None:
        """Asked for Kerberos, we answer no other mechanism the host picks: not a byte
        of an NTLM response goes out (it could be relayed or cracked)."""
        if self._kerberos_only and chosen is not None and chosen[2:] not in KERBEROS_OIDS:
            raise AuthenticationFailed(
                "Kerberos was asked for, but the host does not accept it (it chose NTLM): "
                f"it has no key for {self._spn}, or is not a member of the realm"
            )

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

    def _new_context(self, protocol: str) -> spnego.ContextProxy:
        credentials, target_host, requirements, options = self._spnego_args
        return spnego.client(
            [credentials.for_spnego()],
            hostname=target_host,
            service="host",
            context_req=requirements,
            protocol=protocol,
            options=options,
        )

    def _check_kerberos_offered(self, first: bytes) -> None:
        """pyspnego's Negotiate quietly drops a Kerberos mechanism it cannot start (no KDC,
        no ticket, unknown SPN); asked for Kerberos, we say why instead of going on."""
        if self.auth_type != AuthType.GSS_NEGOTIATE or first[:1] != bytes([GSS_APPLICATION]):
            return
        init = decode_neg_token_init(first)
        if init.mech_token and init.mech_types and init.mech_types[0] in KERBEROS_OIDS:
            return
        try:
            self._new_context("kerberos").step(None)
        except KERBEROS_ERRORS as exc:
            raise self._kerberos_unavailable(exc) from exc
        raise self._kerberos_unavailable(None)

    def _kerberos_unavailable(self, exc: BaseException | None) -> AuthenticationFailed:
        return kerberos_failure(self._spn, exc)

    @property
    def negotiated_protocol(self) -> str | None:
        """ "ntlm" or "kerberos" once known."""
        protocol = self._context.negotiated_protocol
        return None if protocol is None else str(protocol)

    def _finish(self) -> None:
        protocol = self.negotiated_protocol
        if protocol == "kerberos":
            self._protection = GssProtection(
                PyspnegoMessages(self._context),
                self.auth_type,
                self.auth_level,
                header_signing=self.header_signing,
            )
            return
        if self._kerberos_only or protocol != "ntlm":
            raise AuthenticationFailed(
                f"Kerberos was asked for, but the host negotiated {protocol}"
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
    credentials: Credentials | KerberosCredentials,
    auth_level: AuthLevel = AuthLevel.PKT_PRIVACY,
    *,
    target_host: str = "unspecified",
) -> SpnegoClientContext:
    """A SPNEGO client context (auth_type GSS_NEGOTIATE = 9): Kerberos where configured."""
    return SpnegoClientContext(
        credentials, auth_level, auth_type=AuthType.GSS_NEGOTIATE, target_host=target_host
    )


def kerberos_client(
    credentials: KerberosCredentials,
    auth_level: AuthLevel = AuthLevel.PKT_PRIVACY,
    *,
    target_host: str = "unspecified",
) -> SpnegoClientContext:
    """A raw Kerberos client context (auth_type GSS_KERBEROS = 16), DCE style."""
    return SpnegoClientContext(
        credentials, auth_level, auth_type=AuthType.GSS_KERBEROS, target_host=target_host
    )
