"""Differential checks against impacket's independent NTLM (impacket.ntlm).

- impacket's NEGOTIATE/AUTHENTICATE (its raw NTLMv2 blob) are accepted by our acceptor;
- our client's AUTHENTICATE verifies with impacket's NTOWFv2 / hmac_md5 / key exchange;
- our sign/seal equal impacket's SIGN/SEAL for the same keys and messages, at integrity
  and privacy, over whole DCE/RPC PDUs and across many messages (keystream continuity).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from Cryptodome.Cipher import ARC4
from hypothesis import given, settings
from hypothesis import strategies as st
from impacket import ntlm

from tests.security.conftest import PASSWORD
from tests.security.pdus import request_pdu
from wua.errors import AuthenticationFailed
from wua.rpc.security.base import AuthLevel
from wua.rpc.security.credentials import Credentials
from wua.rpc.security.ntlm_acceptor import NtlmAcceptor
from wua.rpc.security.ntlm_crypto import nt_hash
from wua.rpc.security.ntlm_flags import NegotiateFlags
from wua.rpc.security.ntlm_messages import AuthenticateMessage, ChallengeMessage
from wua.rpc.security.ntlm_session import NtlmSession
from wua.rpc.security.ntlm_signing import SealingHandle, mac, seal, seal_key, sign_key
from wua.rpc.security.ntlmv2_response import NtlmV2Response
from wua.rpc.security.spnego_client import ntlm_client

Acceptors = Callable[..., NtlmAcceptor]
LEVELS = [AuthLevel.PKT_INTEGRITY, AuthLevel.PKT_PRIVACY]


class ImpacketPeer:
    """impacket's NTLM primitives arranged as one side of a DCE/RPC connection."""

    def __init__(self, flags: int, session_key: bytes, *, client: bool) -> None:
        send, recv = ("Client", "Server") if client else ("Server", "Client")
        self.flags = flags
        self.send_sign = ntlm.SIGNKEY(flags, session_key, send)
        self.recv_sign = ntlm.SIGNKEY(flags, session_key, recv)
        self.send_handle = ARC4.new(ntlm.SEALKEY(flags, session_key, send)).encrypt
        self.recv_handle = ARC4.new(ntlm.SEALKEY(flags, session_key, recv)).encrypt
        self.send_seq = self.recv_seq = 0

    def protect(self, pdu: bytes, start: int, end: int, level: AuthLevel) -> tuple[bytes, bytes]:
        if level == AuthLevel.PKT_PRIVACY:
            sealed, signature = ntlm.SEAL(
                self.flags,
                self.send_sign,
                None,
                pdu,
                pdu[start:end],
                self.send_seq,
                self.send_handle,
            )
            pdu = pdu[:start] + sealed + pdu[end:]
        else:
            signature = ntlm.SIGN(self.flags, self.send_sign, pdu, self.send_seq, self.send_handle)
        self.send_seq += 1
        return pdu, signature.getData()

    def unprotect(
        self, pdu: bytes, start: int, end: int, signature: bytes, level: AuthLevel
    ) -> bytes:
        """Unseal, then check the signature with impacket's MAC (impacket itself skips this)."""
        if level == AuthLevel.PKT_PRIVACY:
            pdu = pdu[:start] + self.recv_handle(pdu[start:end]) + pdu[end:]
        expected = ntlm.MAC(self.flags, self.recv_handle, self.recv_sign, self.recv_seq, pdu)
        self.recv_seq += 1
        assert expected.getData() == signature
        return pdu


def impacket_logon(
    server: NtlmAcceptor, user: str, domain: str, *, password: str = "", nthash: bytes | str = ""
) -> bytes:
    """impacket wants its nthash as bytes, or the *str* "" for none (b"" means an empty hash)."""
    negotiate = ntlm.getNTLMSSPType1("IMPACKET", "", signingRequired=True, use_ntlmv2=True)
    challenge = server.step(negotiate.getData())
    authenticate, session_key = ntlm.getNTLMSSPType3(
        negotiate, challenge, user, password, domain, "", nthash, use_ntlmv2=True
    )
    server.step(authenticate.getData())
    return bytes(session_key)


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("secret", ["password", "nthash"])
def test_impacket_client_against_our_acceptor(
    make_acceptor: Acceptors, level: AuthLevel, secret: str
) -> None:
    server = make_acceptor(level)
    if secret == "password":
        key = impacket_logon(server, "Administrator", "WUAHOST", password=PASSWORD)
    else:
        key = impacket_logon(server, "administrator", "", nthash=nt_hash(PASSWORD))
    assert server.logon is not None and server.logon.workstation == "IMPACKET"
    flags = ntlm.getNTLMSSPType1("", "", True, True)["flags"]
    peer = ImpacketPeer(flags, key, client=True)
    for call_id in range(1, 40):
        pdu, start, end = request_pdu(bytes([call_id]) * (call_id * 11 % 250), call_id, level)
        protected, signature = peer.protect(pdu, start, end, level)
        assert server.unprotect(protected, start, end, signature) == pdu
        protected, signature = server.protect(pdu, start, end)
        assert peer.unprotect(protected, start, end, signature, level) == pdu


def test_impacket_wrong_password_is_refused(make_acceptor: Acceptors) -> None:
    with pytest.raises(AuthenticationFailed, match="wrong password"):
        impacket_logon(make_acceptor(), "Administrator", "WUAHOST", password="nope")


@pytest.mark.parametrize("level", LEVELS)
def test_our_client_verified_with_impacket(make_acceptor: Acceptors, level: AuthLevel) -> None:
    client = ntlm_client(Credentials("Administrator", "WUAHOST", password=PASSWORD), level)
    server = make_acceptor(level)
    challenge_token = server.step(client.step(None))
    authenticate_token = client.step(challenge_token)
    assert challenge_token is not None and authenticate_token is not None
    challenge = ChallengeMessage.decode(challenge_token)
    message = AuthenticateMessage.decode(authenticate_token)
    response = NtlmV2Response.decode(message.nt_response)
    # impacket's own NTLMv2 computations, over the raw blob our client sent.
    response_key = ntlm.NTOWFv2(message.user, PASSWORD, message.domain)
    proof = ntlm.hmac_md5(response_key, challenge.server_challenge + response.blob)
    assert proof == response.proof
    base_key = ntlm.hmac_md5(response_key, proof)
    session_key = ntlm.generateEncryptedSessionKey(base_key, message.encrypted_session_key)
    peer = ImpacketPeer(int(message.flags), session_key, client=False)
    for call_id in range(1, 20):
        pdu, start, end = request_pdu(b"\x5a" * (call_id * 13), call_id, level)
        protected, signature = client.protect(pdu, start, end)
        assert peer.unprotect(protected, start, end, signature, level) == pdu
        protected, signature = peer.protect(pdu, start, end, level)
        assert client.unprotect(protected, start, end, signature) == pdu


FLAG_VARIANTS = [
    NegotiateFlags.EXTENDED_SESSIONSECURITY | NegotiateFlags.KEY_EXCH | NegotiateFlags.KEY_128,
    NegotiateFlags.EXTENDED_SESSIONSECURITY | NegotiateFlags.KEY_EXCH | NegotiateFlags.KEY_56,
    NegotiateFlags.EXTENDED_SESSIONSECURITY | NegotiateFlags.KEY_EXCH,
    NegotiateFlags.EXTENDED_SESSIONSECURITY | NegotiateFlags.KEY_128,
]


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(FLAG_VARIANTS),
    st.binary(min_size=16, max_size=16),
    st.lists(
        st.tuples(st.binary(max_size=120), st.binary(max_size=300), st.booleans()),
        min_size=1,
        max_size=6,
    ),
    st.booleans(),
)
def test_sign_and_seal_equal_impacket(
    flags: NegotiateFlags,
    session_key: bytes,
    messages: list[tuple[bytes, bytes, bool]],
    client_side: bool,
) -> None:
    mode = "Client" if client_side else "Server"
    key_exchange = bool(flags & NegotiateFlags.KEY_EXCH)
    signing = sign_key(session_key, client_to_server=client_side)
    assert signing == ntlm.SIGNKEY(flags, session_key, mode)
    sealing = seal_key(session_key, flags, client_to_server=client_side)
    assert sealing == ntlm.SEALKEY(flags, session_key, mode)
    ours, theirs = SealingHandle(sealing), ARC4.new(sealing).encrypt
    for seq, (header, stub, sealed) in enumerate(messages):
        whole = header + stub
        if sealed:
            got = seal(ours, signing, seq, whole, stub, key_exchange=key_exchange)
            want_data, want_signature = ntlm.SEAL(flags, signing, sealing, whole, stub, seq, theirs)
            assert got == (want_data, want_signature.getData())
        else:
            signature = mac(ours, signing, seq, whole, key_exchange=key_exchange)
            assert signature == ntlm.SIGN(flags, signing, whole, seq, theirs).getData()


def test_session_object_matches_impacket_peer() -> None:
    flags = NegotiateFlags(ntlm.getNTLMSSPType1("", "", True, True)["flags"])
    key = bytes(range(16))
    ours = NtlmSession(key, flags, is_client=True)
    peer = ImpacketPeer(int(flags), key, client=True)
    for call_id in range(1, 10):
        pdu, start, end = request_pdu(b"x" * call_id * 20, call_id)
        assert ours.seal(pdu, pdu[start:end]) == (lambda p: (p[0][start:end], p[1]))(
            peer.protect(pdu, start, end, AuthLevel.PKT_PRIVACY)
        )
