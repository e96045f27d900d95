"""A Negotiate (SPNEGO, auth_type GSS_NEGOTIATE = 9) acceptor: Kerberos or NTLM inside.

Windows DCOM clients (PowerShell/.NET) bind with auth_type 9 and a NegTokenInit that
offers Kerberos first with an optimistic Kerberos token. A host without Kerberos answers
as Windows does in the Zeek capture: NegTokenResp{request-mic, supportedMech NTLM} and
no token, then runs NTLM in NegTokenResp legs (alter_context on the wire). Because NTLM
was not the client's first choice, RFC 4178 requires the mechListMIC: we verify the
client's over its MechTypeList exactly as sent, answer with ours, then restart NTLM's
RC4 handles while the sequence numbers go on (pyspnego and Samba do the same).

A host given a keytab (a domain member, in effect) accepts the optimistic Kerberos token
instead: AP-REQ in the NegTokenInit, our AP-REP in an accept-incomplete NegTokenResp that
names the client's own Kerberos OID, the client's DCE-style third leg with its
mechListMIC, then accept-completed with ours. Windows clients always send that MIC;
impacket sends none, and Windows accepts it: Kerberos was the client's first choice and
is this host's too, so RFC 4178 §5 makes the MIC exchange optional (nothing could have
been downgraded). A MIC that is sent is verified; with none, none is answered (MIT's
acceptor does the same).
"""

from __future__ import annotations

from collections.abc import Callable

from wua.errors import AuthenticationFailed, ProtocolError
from wua.rpc.security.accounts import AccountStore
from wua.rpc.security.base import AuthLevel, AuthType
from wua.rpc.security.context_base import ProtectedContext
from wua.rpc.security.gss_protection import GssProtection
from wua.rpc.security.kerberos_acceptor import KerberosAcceptor, KerberosKeytab
from wua.rpc.security.ntlm_acceptor import HostIdentity, LogonIdentity, NtlmAcceptor
from wua.rpc.security.rpc_protection import RpcProtection
from wua.rpc.security.spnego_token import (
    GSS_APPLICATION,
    KERBEROS_OIDS,
    MECH_LIST_MIC,
    NTLM_OID,
    RESPONSE_TOKEN,
    NegTokenInit,
    decode_neg_token_init,
    encode_neg_token_resp,
    neg_token_resp_fields,
)
from wua.rpc.security.system_sources import filetime_now, random_bytes

ACCEPT_COMPLETED, ACCEPT_INCOMPLETE, REJECT, REQUEST_MIC = 0, 1, 2, 3


class SpnegoAcceptor(ProtectedContext):
    """Server side of a GSS_NEGOTIATE auth context: NTLM, and Kerberos with a keytab."""

    def __init__(
        self,
        accounts: AccountStore,
        auth_level: AuthLevel = AuthLevel.PKT_PRIVACY,
        *,
        host: HostIdentity | None = None,
        accept_any_domain: bool = False,
        clock: Callable[[], int] = filetime_now,
        entropy: Callable[[int], bytes] = random_bytes,
        keytab: KerberosKeytab | None = None,
    ) -> None:
        """The options are NtlmAcceptor's, for the NTLM exchange inside; with `keytab`,
        a client that offers Kerberos first gets Kerberos."""
        super().__init__(AuthType.GSS_NEGOTIATE, auth_level, server=True)
        self._keytab = keytab
        self._kerberos: KerberosAcceptor | None = None
        self._ntlm = NtlmAcceptor(
            accounts,
            auth_level,
            host=host,
            accept_any_domain=accept_any_domain,
            clock=clock,
            entropy=entropy,
        )
        self._init: NegTokenInit | None = None
        self._mic_required = False

    @property
    def logon(self) -> LogonIdentity | None:
        if self._kerberos is not None:
            return self._kerberos.logon
        return self._ntlm.logon

    @property
    def mechanism(self) -> str:
        """ "kerberos" or "ntlm": what the client is authenticating with."""
        return "ntlm" if self._kerberos is None else "kerberos"

    def step(self, token: bytes | None) -> bytes | None:
        if self.complete:
            raise AuthenticationFailed("the SPNEGO handshake has already completed")
        token = token or b""
        try:
            if self._init is None:
                return self._answer_init(token)
            if self._kerberos is not None:
                return self._answer_kerberos(token)
            return self._answer_resp(token)
        except ProtocolError as exc:
            raise self._malformed("SPNEGO token", exc) from exc

    def _answer_init(self, token: bytes) -> bytes:
        if token[:1] != bytes([GSS_APPLICATION]):
            raise AuthenticationFailed("a SPNEGO context must start with a NegTokenInit")
        init = decode_neg_token_init(token)
        self._init = init
        first = init.mech_types[0] if init.mech_types else b""
        if self._keytab is not None and first in KERBEROS_OIDS and init.mech_token:
            self._kerberos = KerberosAcceptor(
                self._keytab, self.auth_level, auth_type=AuthType.GSS_NEGOTIATE
            )
            ap_rep = self._kerberos.step(init.mech_token)
            return encode_neg_token_resp(ACCEPT_INCOMPLETE, first, ap_rep)
        if NTLM_OID not in init.mech_types:
            offered = "Kerberos and NTLM" if self._keytab is not None else "only NTLM"
            raise AuthenticationFailed(
                f"the client offers no mechanism this host supports ({offered} available)"
            )
        if init.mech_types[0] == NTLM_OID and init.mech_token is not None:
            challenge = self._ntlm.step(init.mech_token)
            return encode_neg_token_resp(ACCEPT_INCOMPLETE, NTLM_OID, challenge)
        self._mic_required = True  # NTLM was not the client's first choice
        return encode_neg_token_resp(REQUEST_MIC, NTLM_OID)

    def _answer_resp(self, token: bytes) -> bytes:
        fields = neg_token_resp_fields(token)
        inner = fields.get(RESPONSE_TOKEN)
        if inner is None:
            raise AuthenticationFailed("the NegTokenResp carries no NTLM token")
        if not self._ntlm.challenged:
            return encode_neg_token_resp(ACCEPT_INCOMPLETE, None, self._ntlm.step(inner))
        self._ntlm.step(inner)
        session = self._ntlm.session
        if session is None or self._init is None:
            raise AuthenticationFailed("the NTLM exchange did not complete")
        client_mic = fields.get(MECH_LIST_MIC)
        our_mic = None
        if client_mic is not None:
            _check_client_mic(session.verify, self._init.mech_types_der, client_mic)
            our_mic = session.sign(self._init.mech_types_der)
            session.restart_handles()
        elif self._mic_required:
            raise AuthenticationFailed(
                "the client sent no mechListMIC although NTLM was not "
                "its first choice (RFC 4178 downgrade protection)"
            )
        self._protection = RpcProtection(session, self.auth_type, self.auth_level)
        return encode_neg_token_resp(ACCEPT_COMPLETED, None, None, our_mic)

    def _answer_kerberos(self, token: bytes) -> bytes:
        """The client's DCE-style third leg and its mechListMIC, if any; then ours."""
        kerberos, init = self._kerberos, self._init
        if kerberos is None or init is None:
            raise AuthenticationFailed("no Kerberos exchange is in progress")
        fields = neg_token_resp_fields(token)
        inner = fields.get(RESPONSE_TOKEN)
        if inner is None:
            raise AuthenticationFailed("the NegTokenResp carries no Kerberos token")
        if kerberos.step(inner) is not None or kerberos.messages is None:
            raise AuthenticationFailed("the Kerberos exchange did not complete in three legs")
        client_mic = fields.get(MECH_LIST_MIC)
        our_mic = None
        if client_mic is not None:
            _check_client_mic(kerberos.messages.verify_mic, init.mech_types_der, client_mic)
            our_mic = kerberos.messages.mic(init.mech_types_der)
        self._protection = GssProtection(
            kerberos.messages,
            self.auth_type,
            self.auth_level,
            header_signing=self.header_signing,
        )
        return encode_neg_token_resp(ACCEPT_COMPLETED, None, None, our_mic)


def _check_client_mic(
    verify: Callable[[bytes, bytes], None], mech_types: bytes, mic: bytes
) -> None:
    """The client's mechListMIC over its MechTypeList as sent (RFC 4178 downgrade check)."""
    try:
        verify(mech_types, mic)
    except AuthenticationFailed as exc:
        raise AuthenticationFailed(
            "the client's mechListMIC does not verify (the mechanism list was tampered with)",
            hresult=exc.hresult,
        ) from exc
