"""Our SPNEGO acceptor: against pyspnego's Negotiate client (NTLM first, three legs) and
against the Windows flow of the Zeek capture (Kerberos first, four legs, mechListMIC)
driven by impacket's NTLM."""

from __future__ import annotations

import pytest
from impacket import ntlm

from tests.security.conftest import PASSWORD
from tests.security.pdus import request_pdu
from tests.security.windows_vectors import (
    INIT_SPNEGO,
    NEGOTIATE_SPNEGO,
    REQUEST_MIC_SPNEGO,
)
from wua.errors import AuthenticationFailed
from wua.reference.hresults import SEC_E_MESSAGE_ALTERED
from wua.rpc.security.accounts import LocalAccounts
from wua.rpc.security.base import AuthLevel, AuthType
from wua.rpc.security.credentials import Credentials
from wua.rpc.security.ntlm_flags import NegotiateFlags
from wua.rpc.security.ntlm_messages import ChallengeMessage
from wua.rpc.security.ntlm_session import NtlmSession
from wua.rpc.security.spnego_acceptor import SpnegoAcceptor
from wua.rpc.security.spnego_client import negotiate_client
from wua.rpc.security.spnego_token import (
    MECH_LIST_MIC,
    NTLM_OID,
    RESPONSE_TOKEN,
    decode_neg_token_init,
    encode_neg_token_resp,
    neg_token_resp_fields,
)

ACCOUNTS = LocalAccounts.from_passwords({"Administrator": PASSWORD})
LEVELS = [AuthLevel.PKT_INTEGRITY, AuthLevel.PKT_PRIVACY]
KERBEROS_FIRST = decode_neg_token_init(INIT_SPNEGO)


def acceptor(level: AuthLevel = AuthLevel.PKT_PRIVACY) -> SpnegoAcceptor:
    return SpnegoAcceptor(ACCOUNTS, level)


def exchange(
    level: AuthLevel,
    *,
    n: int,
    client_protect: object,
    client_unprotect: object,
    server: SpnegoAcceptor,
) -> None:
    for call_id in range(1, n):
        pdu, start, end = request_pdu(
            bytes([call_id]) * call_id * 7, call_id, level, AuthType.GSS_NEGOTIATE
        )
        protected, signature = client_protect(pdu, start, end)  # type: ignore[operator]
        assert server.unprotect(protected, start, end, signature) == pdu
        protected, signature = server.protect(pdu, start, end)
        assert client_unprotect(protected, start, end, signature) == pdu  # type: ignore[operator]


@pytest.mark.parametrize("level", LEVELS)
def test_pyspnego_negotiate_client(level: AuthLevel) -> None:
    client = negotiate_client(Credentials("Administrator", "WUAHOST", password=PASSWORD), level)
    server = acceptor(level)
    token = client.step(None)
    while token is not None:
        token = server.step(token)
        if token is None:
            break
        token = client.step(token)
    assert client.complete and server.complete
    assert server.logon is not None and server.logon.user == "Administrator"
    exchange(
        level, n=30, client_protect=client.protect, client_unprotect=client.unprotect, server=server
    )


def test_answers_a_windows_kerberos_first_init_like_windows() -> None:
    assert NTLM_OID in KERBEROS_FIRST.mech_types and KERBEROS_FIRST.mech_types[0] != NTLM_OID
    assert acceptor().step(INIT_SPNEGO) == REQUEST_MIC_SPNEGO
    # Windows' next leg (frame 4) carries its NTLM NEGOTIATE; we answer with a CHALLENGE.
    answer = neg_token_resp_fields(acceptor_after_init().step(NEGOTIATE_SPNEGO) or b"")
    assert answer[0] == bytes.fromhex("0a0101")  # accept-incomplete
    assert ChallengeMessage.decode(answer[RESPONSE_TOKEN]).version is not None


def acceptor_after_init(level: AuthLevel = AuthLevel.PKT_PRIVACY) -> SpnegoAcceptor:
    server = acceptor(level)
    server.step(INIT_SPNEGO)
    return server


class ImpacketSpnegoClient:
    """Windows' four-leg flow with impacket's NTLM inside and our SPNEGO framing."""

    def __init__(self, server: SpnegoAcceptor, password: str = PASSWORD) -> None:
        assert server.step(INIT_SPNEGO) == REQUEST_MIC_SPNEGO
        negotiate = ntlm.getNTLMSSPType1("WS", "", True, use_ntlmv2=True)
        answer = server.step(encode_neg_token_resp(1, None, negotiate.getData()))
        challenge = neg_token_resp_fields(answer or b"")[RESPONSE_TOKEN]
        authenticate, key = ntlm.getNTLMSSPType3(
            negotiate, challenge, "Administrator", password, "WUAHOST", use_ntlmv2=True
        )
        self.flags = NegotiateFlags(authenticate["flags"])
        self.session = NtlmSession(bytes(key), self.flags, is_client=True)
        self.authenticate = authenticate.getData()

    def finish(self, server: SpnegoAcceptor, *, mic: bytes | None) -> bytes | None:
        final = server.step(encode_neg_token_resp(1, None, self.authenticate, mic))
        server_mic = neg_token_resp_fields(final or b"").get(MECH_LIST_MIC)
        self.session.verify(KERBEROS_FIRST.mech_types_der, server_mic or b"")
        self.session.restart_handles()
        return final

    def own_mic(self) -> bytes:
        return self.session.sign(KERBEROS_FIRST.mech_types_der)


@pytest.mark.parametrize("level", LEVELS)
def test_windows_four_leg_flow_with_mech_list_mic(level: AuthLevel) -> None:
    server = acceptor(level)
    client = ImpacketSpnegoClient(server)
    final = client.finish(server, mic=client.own_mic())
    assert neg_token_resp_fields(final or b"")[0] == bytes.fromhex("0a0100")  # completed
    assert server.complete and server.logon is not None

    def protect(pdu: bytes, start: int, end: int) -> tuple[bytes, bytes]:
        if level == AuthLevel.PKT_PRIVACY:
            sealed, signature = client.session.seal(pdu, pdu[start:end])
            return pdu[:start] + sealed + pdu[end:], signature
        return pdu, client.session.sign(pdu)

    def unprotect(pdu: bytes, start: int, end: int, signature: bytes) -> bytes:
        if level == AuthLevel.PKT_PRIVACY:
            pdu = pdu[:start] + client.session.unseal(pdu[start:end]) + pdu[end:]
        client.session.verify(pdu, signature)
        return pdu

    exchange(level, n=20, client_protect=protect, client_unprotect=unprotect, server=server)


def test_missing_mech_list_mic_is_a_downgrade() -> None:
    server = acceptor()
    client = ImpacketSpnegoClient(server)
    with pytest.raises(AuthenticationFailed, match="no mechListMIC"):
        client.finish(server, mic=None)
    assert not server.complete


def test_tampered_mech_list_mic_is_refused() -> None:
    server = acceptor()
    client = ImpacketSpnegoClient(server)
    mic = bytearray(client.own_mic())
    mic[5] ^= 1
    with pytest.raises(AuthenticationFailed, match="mechListMIC does not verify") as caught:
        client.finish(server, mic=bytes(mic))
    assert caught.value.hresult == SEC_E_MESSAGE_ALTERED


def test_wrong_password_and_garbage() -> None:
    server = acceptor()
    client = ImpacketSpnegoClient(server, "bad")
    with pytest.raises(AuthenticationFailed, match="wrong password"):
        client.finish(server, mic=client.own_mic())
    with pytest.raises(AuthenticationFailed, match="must start with a NegTokenInit"):
        acceptor().step(NEGOTIATE_SPNEGO)
    with pytest.raises(AuthenticationFailed, match="malformed SPNEGO"):
        acceptor().step(INIT_SPNEGO[:40])
    no_ntlm = INIT_SPNEGO.replace(NTLM_OID, bytes.fromhex("2b06010401823702020b"))
    with pytest.raises(AuthenticationFailed, match="no mechanism"):
        acceptor().step(no_ntlm)
