"""A Negotiate client context that binds the way a domain-joined Windows client does
against a host that has no Kerberos for it: a NegTokenInit offering Kerberos first with an
optimistic Kerberos token (the real one from the Zeek capture), then NTLM in NegTokenResp
legs once the host answers with the NTLM mech, with mechListMICs both ways.

pyspnego cannot play this flow without a KDC (it only offers Kerberos when it can get a
ticket), and impacket's GSS_NEGOTIATE is Kerberos only, so the NTLM inside is impacket's
and the SPNEGO framing ours.
"""

from __future__ import annotations

from impacket import ntlm

from tests.security.windows_vectors import INIT_SPNEGO
from wua.errors import AuthenticationFailed
from wua.rpc.security.base import AuthLevel, AuthType
from wua.rpc.security.context_base import ProtectedContext
from wua.rpc.security.ntlm_flags import NegotiateFlags
from wua.rpc.security.ntlm_session import NtlmSession
from wua.rpc.security.rpc_protection import RpcProtection
from wua.rpc.security.spnego_token import (
    MECH_LIST_MIC,
    NTLM_OID,
    OID,
    RESPONSE_TOKEN,
    SUPPORTED_MECH,
    decode_neg_token_init,
    encode_neg_token_resp,
    neg_token_resp_fields,
)

KERBEROS_FIRST = decode_neg_token_init(INIT_SPNEGO)
ACCEPT_COMPLETED, REQUEST_MIC = bytes.fromhex("0a0100"), bytes.fromhex("0a0103")
NTLM_MECH = bytes([OID, len(NTLM_OID)]) + NTLM_OID  # supportedMech as the host sends it


class KerberosFirstClient(ProtectedContext):
    """Four legs: init (Kerberos first) / request-mic; NTLM NEGOTIATE / CHALLENGE;
    AUTHENTICATE + MIC / completed + MIC. Records what the host answered in `answers`."""

    def __init__(self, user: str, password: str, level: AuthLevel = AuthLevel.PKT_PRIVACY):
        super().__init__(AuthType.GSS_NEGOTIATE, level, server=False)
        self._user, self._password = user, password
        self._negotiate: ntlm.NTLMAuthNegotiate | None = None
        self._session: NtlmSession | None = None
        self.answers: list[dict[int, bytes]] = []

    def step(self, token: bytes | None) -> bytes | None:
        if token is None:
            return INIT_SPNEGO
        fields = neg_token_resp_fields(token)
        self.answers.append(fields)
        if self._negotiate is None:
            if fields.get(0) != REQUEST_MIC or fields.get(SUPPORTED_MECH) != NTLM_MECH:
                raise AuthenticationFailed(f"unexpected answer to a Kerberos-first init: {fields}")
            self._negotiate = ntlm.getNTLMSSPType1("WS", "", True, use_ntlmv2=True)
            return encode_neg_token_resp(1, None, self._negotiate.getData())
        if self._session is None:
            challenge = fields[RESPONSE_TOKEN]
            authenticate, key = ntlm.getNTLMSSPType3(
                self._negotiate, challenge, self._user, self._password, "", use_ntlmv2=True
            )
            flags = NegotiateFlags(authenticate["flags"])
            self._session = NtlmSession(bytes(key), flags, is_client=True)
            mic = self._session.sign(KERBEROS_FIRST.mech_types_der)
            return encode_neg_token_resp(1, None, authenticate.getData(), mic)
        if fields.get(0) != ACCEPT_COMPLETED:
            raise AuthenticationFailed(f"the host did not complete the handshake: {fields}")
        self._session.verify(KERBEROS_FIRST.mech_types_der, fields.get(MECH_LIST_MIC, b""))
        self._session.restart_handles()
        self._protection = RpcProtection(self._session, self.auth_type, self.auth_level)
        return None
