"""Our pyspnego-based client against our acceptor: handshake, traffic, and every refusal."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.security.conftest import PASSWORD
from tests.security.pdus import request_pdu
from wua.errors import AuthenticationFailed, ProtocolError
from wua.reference.hresults import SEC_E_LOGON_DENIED, SEC_E_MESSAGE_ALTERED
from wua.rpc.security.accounts import Account, LocalAccounts
from wua.rpc.security.base import AuthLevel, AuthType
from wua.rpc.security.credentials import Credentials
from wua.rpc.security.ntlm_acceptor import NtlmAcceptor
from wua.rpc.security.ntlm_crypto import nt_hash
from wua.rpc.security.spnego_client import SpnegoClientContext, ntlm_client

Acceptors = Callable[..., NtlmAcceptor]
LEVELS = [AuthLevel.PKT_INTEGRITY, AuthLevel.PKT_PRIVACY]
CREDENTIALS = {
    "password": Credentials("administrator", "WUAHOST", password=PASSWORD),
    "nt-hash": Credentials("Administrator", "wuahost", nt_hash=nt_hash(PASSWORD)),
    "lm:nt-string": Credentials.from_hashes(
        "ADMINISTRATOR", "aad3b435b51404eeaad3b435b51404ee:" + nt_hash(PASSWORD).hex(), "."
    ),
}


def handshake(client: SpnegoClientContext, server: NtlmAcceptor) -> None:
    negotiate = client.step(None)
    challenge = server.step(negotiate)
    authenticate = client.step(challenge)
    assert server.step(authenticate) is None
    assert client.complete and server.complete


def pair(
    make_acceptor: Acceptors, level: AuthLevel, credentials: Credentials = CREDENTIALS["password"]
) -> tuple[SpnegoClientContext, NtlmAcceptor]:
    client = ntlm_client(credentials, level, target_host="wuahost")
    server = make_acceptor(level)
    handshake(client, server)
    return client, server


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("credential", list(CREDENTIALS))
def test_traffic_both_ways(make_acceptor: Acceptors, level: AuthLevel, credential: str) -> None:
    client, server = pair(make_acceptor, level, CREDENTIALS[credential])
    assert server.logon is not None
    assert (server.logon.user, server.logon.domain) == ("Administrator", "WUAHOST")
    assert client.signature_size == server.signature_size == 16
    for call_id in range(1, 60):
        for sender, receiver in ((client, server), (server, client)):
            stub = bytes((call_id * i) & 0xFF for i in range(call_id * 7 % 300))
            pdu, start, end = request_pdu(stub, call_id, level)
            protected, signature = sender.protect(pdu, start, end)
            assert len(protected) == len(pdu) and len(signature) == 16
            assert (protected[start:end] != pdu[start:end]) == (
                level == AuthLevel.PKT_PRIVACY and start != end
            )
            assert protected[:start] == pdu[:start] and protected[end:] == pdu[end:]
            assert receiver.unprotect(protected, start, end, signature) == pdu


@pytest.mark.parametrize(
    ("credentials", "complaint"),
    [
        (Credentials("Administrator", "WUAHOST", password="wrong"), "wrong password"),
        (Credentials("Administrator", "WUAHOST", nt_hash=b"\x01" * 16), "wrong password"),
        (Credentials("nobody", "WUAHOST", password=PASSWORD), "unknown user"),
        (Credentials("Administrator", "OTHERDOM", password=PASSWORD), "wrong domain"),
        (Credentials("svc", "WUAHOST", password="other"), "wrong domain"),
    ],
)
def test_refused_logons(make_acceptor: Acceptors, credentials: Credentials, complaint: str) -> None:
    client = ntlm_client(credentials, AuthLevel.PKT_PRIVACY)
    server = make_acceptor()
    with pytest.raises(AuthenticationFailed, match=complaint) as caught:
        handshake(client, server)
    assert caught.value.hresult == SEC_E_LOGON_DENIED
    text = str(caught.value)
    assert PASSWORD not in text and nt_hash(PASSWORD).hex() not in text.lower()
    assert not server.complete and server.logon is None


@pytest.mark.parametrize(
    ("user", "domain"),
    [
        ("administrator", ""),
        ("administrator", "."),
        ("administrator", "wuahost"),
        ("administrator", "WUAHOST"),
        ("administrator", "wuahost.test"),
        ("Administrator@wuahost.test", ""),
        ("Administrator@WUAHOST", ""),
    ],
)
def test_local_domain_aliases(make_acceptor: Acceptors, user: str, domain: str) -> None:
    server = make_acceptor()
    handshake(
        ntlm_client(Credentials(user, domain, password=PASSWORD), AuthLevel.PKT_PRIVACY), server
    )
    assert server.logon is not None
    assert (server.logon.user, server.logon.domain) == ("Administrator", "WUAHOST")


def test_upn_with_a_foreign_domain_is_refused(make_acceptor: Acceptors) -> None:
    with pytest.raises(AuthenticationFailed, match=r"wrong domain 'corp\.example'"):
        handshake(
            ntlm_client(Credentials("Administrator@corp.example", "", password=PASSWORD)),
            make_acceptor(),
        )


def test_domain_account_and_lax_workgroup_mode(make_acceptor: Acceptors) -> None:
    server = make_acceptor()
    handshake(
        ntlm_client(Credentials("SVC", "corp", password="other"), AuthLevel.PKT_PRIVACY), server
    )
    assert server.logon is not None and server.logon.domain == "CORP"
    lax = make_acceptor(accept_any_domain=True)
    handshake(
        ntlm_client(
            Credentials("administrator", "ANYTHING", password=PASSWORD), AuthLevel.PKT_PRIVACY
        ),
        lax,
    )
    assert lax.logon is not None and lax.logon.domain == "WUAHOST"


def test_credentials_never_show_secrets() -> None:
    shown = repr(CREDENTIALS["password"]) + repr(CREDENTIALS["nt-hash"])
    assert PASSWORD not in shown and nt_hash(PASSWORD).hex() not in shown
    assert "Administrator" in shown
    with pytest.raises(ValueError, match="exactly one"):
        Credentials("u", password="p", nt_hash=b"\x00" * 16)
    with pytest.raises(ValueError, match="16 bytes"):
        Credentials("u", nt_hash=b"\x00")
    with pytest.raises(ValueError, match="hexadecimal"):
        Credentials.from_hashes("u", "zz")


def _protected(
    sender: SpnegoClientContext | NtlmAcceptor, level: AuthLevel, call_id: int = 1
) -> tuple[bytes, int, int, bytes]:
    pdu, start, end = request_pdu(b"\x10\x20\x30" * 70, call_id, level)
    protected, signature = sender.protect(pdu, start, end)
    return protected, start, end, signature


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize(
    "where",
    [
        "signature checksum",
        "signature seqnum",
        "signature version",
        "stub",
        "header",
        "trailer",
        "short signature",
    ],
)
def test_tampering_is_detected(make_acceptor: Acceptors, level: AuthLevel, where: str) -> None:
    client, server = pair(make_acceptor, level)
    pdu, start, end, signature = _protected(client, level)
    if where == "signature checksum":
        signature = _flip(signature, 6)
    elif where == "signature seqnum":
        signature = _flip(signature, 12)
    elif where == "signature version":
        signature = _flip(signature, 0)
    elif where == "short signature":
        signature = signature[:12]
    elif where == "stub":
        pdu = _flip(pdu, start + 5)
    elif where == "header":
        pdu = _flip(pdu, 12)  # call_id
    else:
        pdu = _flip(pdu, len(pdu) - 1)  # auth_context_id
    with pytest.raises(AuthenticationFailed) as caught:
        server.unprotect(pdu, start, end, signature)
    assert caught.value.hresult == SEC_E_MESSAGE_ALTERED


@pytest.mark.parametrize("level", LEVELS)
def test_replay_and_reordering_are_detected(make_acceptor: Acceptors, level: AuthLevel) -> None:
    client, server = pair(make_acceptor, level)
    first = _protected(client, level, 1)
    second = _protected(client, level, 2)
    with pytest.raises(AuthenticationFailed, match="sequence number 1 where 0"):
        server.unprotect(*second)
    client, server = pair(make_acceptor, level)
    first = _protected(client, level, 1)
    server.unprotect(*first)
    with pytest.raises(AuthenticationFailed, match="sequence number 0 where 1") as caught:
        server.unprotect(*first)
    assert caught.value.hresult == SEC_E_MESSAGE_ALTERED


@pytest.mark.parametrize("level", LEVELS)
def test_keys_of_another_session_do_not_verify(make_acceptor: Acceptors, level: AuthLevel) -> None:
    client, _ = pair(make_acceptor, level)
    _, other_server = pair(make_acceptor, level)
    with pytest.raises(AuthenticationFailed, match="does not verify"):
        other_server.unprotect(*_protected(client, level))


def test_downgrade_is_refused(make_acceptor: Acceptors) -> None:
    client, server = pair(make_acceptor, AuthLevel.PKT_PRIVACY)
    # A PDU whose trailer says PKT_INTEGRITY on a PKT_PRIVACY context.
    pdu, start, end = request_pdu(b"abc", 1, AuthLevel.PKT_INTEGRITY)
    with pytest.raises(AuthenticationFailed, match="downgrade"):
        server.unprotect(pdu, start, end, b"\x01" + b"\x00" * 15)
    for level in (AuthLevel.NONE, AuthLevel.CONNECT, AuthLevel.PKT_INTEGRITY):
        with pytest.raises(AuthenticationFailed, match="downgrade"):
            server.require_level(level)
        with pytest.raises(AuthenticationFailed, match="downgrade"):
            client.require_level(level)
    server.require_level(AuthLevel.PKT_PRIVACY)
    pdu, start, end = request_pdu(b"abc", 1, AuthLevel.PKT_PRIVACY, AuthType.GSS_NEGOTIATE)
    with pytest.raises(AuthenticationFailed, match="auth_type 9"):
        server.unprotect(pdu, start, end, b"\x01" + b"\x00" * 15)


def test_use_before_and_after_the_handshake(make_acceptor: Acceptors) -> None:
    server = make_acceptor()
    pdu, start, end = request_pdu(b"abc", 1)
    with pytest.raises(ProtocolError, match="not completed"):
        server.protect(pdu, start, end)
    client, server = pair(make_acceptor, AuthLevel.PKT_PRIVACY)
    with pytest.raises(AuthenticationFailed, match="already completed"):
        server.step(b"")
    with pytest.raises(AuthenticationFailed, match="already completed"):
        client.step(b"")
    with pytest.raises(ProtocolError, match="outside"):
        client.protect(pdu, end, start)
    with pytest.raises(AuthenticationFailed, match="not CALL"):
        make_acceptor(AuthLevel.CALL)
    with pytest.raises(ValueError, match="not PKT"):
        ntlm_client(CREDENTIALS["password"], AuthLevel.PKT)


def test_challenge_looks_like_windows(make_acceptor: Acceptors) -> None:
    from wua.rpc.security.ntlm_flags import AvId, NegotiateFlags
    from wua.rpc.security.ntlm_messages import ChallengeMessage

    client = ntlm_client(CREDENTIALS["password"], AuthLevel.PKT_PRIVACY)
    challenge = ChallengeMessage.decode(make_acceptor().step(client.step(None)) or b"")
    assert challenge.version is not None and challenge.version.major == 10
    assert challenge.flags & NegotiateFlags.VERSION and challenge.flags & NegotiateFlags.TARGET_INFO
    assert challenge.flags & NegotiateFlags.TARGET_TYPE_SERVER
    assert not challenge.flags & NegotiateFlags.OEM and not challenge.flags & NegotiateFlags.LM_KEY
    assert challenge.target_name == "WUAHOST"
    assert challenge.target_info.text(AvId.NB_COMPUTER_NAME) == "WUAHOST"
    assert challenge.target_info.text(AvId.DNS_COMPUTER_NAME) == "wuahost.test"
    assert challenge.target_info.get(AvId.TIMESTAMP) == (133_000_000_000_000_000).to_bytes(
        8, "little"
    )
    assert challenge.server_challenge == bytes(range(1, 9))


def test_mic_is_checked(make_acceptor: Acceptors) -> None:
    from wua.rpc.security.ntlm_messages import MIC_OFFSET, AuthenticateMessage

    client = ntlm_client(CREDENTIALS["password"], AuthLevel.PKT_PRIVACY)
    server = make_acceptor()
    authenticate = client.step(server.step(client.step(None)))
    assert authenticate is not None
    assert AuthenticateMessage.decode(authenticate).mic is not None  # pyspnego sends one
    with pytest.raises(AuthenticationFailed, match="MIC does not verify"):
        server.step(_flip(authenticate, MIC_OFFSET + 3))


def test_privacy_needs_negotiated_sealing(make_acceptor: Acceptors) -> None:
    """A client that negotiated only signing cannot bind at PKT_PRIVACY, on either side."""
    import dataclasses

    from wua.rpc.security.ntlm_flags import NegotiateFlags
    from wua.rpc.security.ntlm_messages import ChallengeMessage

    signing_only = ntlm_client(CREDENTIALS["password"], AuthLevel.PKT_INTEGRITY)
    with pytest.raises(AuthenticationFailed, match="did not negotiate sealing"):
        handshake(signing_only, make_acceptor(AuthLevel.PKT_PRIVACY))

    client = ntlm_client(CREDENTIALS["password"], AuthLevel.PKT_PRIVACY)
    challenge = ChallengeMessage.decode(make_acceptor().step(client.step(None)) or b"")
    stripped = dataclasses.replace(challenge, flags=challenge.flags & ~NegotiateFlags.SEAL)
    with pytest.raises(AuthenticationFailed, match="the server did not negotiate sealing"):
        client.step(stripped.encode())


def test_one_answer_per_challenge(make_acceptor: Acceptors) -> None:
    server = make_acceptor()
    wrong = ntlm_client(Credentials("Administrator", "WUAHOST", password="guess"))
    challenge = server.step(wrong.step(None))
    with pytest.raises(AuthenticationFailed, match="wrong password"):
        server.step(wrong.step(challenge))
    right = ntlm_client(CREDENTIALS["password"])
    right.step(None)
    with pytest.raises(AuthenticationFailed, match="already answered"):
        server.step(right.step(challenge))


def test_connect_level_authenticates_but_never_signs(make_acceptor: Acceptors) -> None:
    client = ntlm_client(CREDENTIALS["password"], AuthLevel.CONNECT)
    server = make_acceptor(AuthLevel.CONNECT)
    handshake(client, server)
    pdu, start, end = request_pdu(b"abc", 1, AuthLevel.CONNECT)
    with pytest.raises(ProtocolError, match="carries no verifier"):
        client.protect(pdu, start, end)
    with pytest.raises(ProtocolError, match="carries no verifier"):
        server.unprotect(pdu, start, end, b"\x01" + b"\x00" * 15)


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(LEVELS),
    st.lists(st.tuples(st.binary(max_size=400), st.booleans()), min_size=1, max_size=12),
)
def test_any_traffic_round_trips(level: AuthLevel, messages: list[tuple[bytes, bool]]) -> None:
    """Property: whatever stubs flow in whatever order of directions, each side gets back
    exactly what the other protected (keystreams and sequence numbers stay in step)."""
    client = ntlm_client(CREDENTIALS["nt-hash"], level)
    server = NtlmAcceptor(LocalAccounts([Account.with_password("Administrator", PASSWORD)]), level)
    handshake(client, server)
    for call_id, (stub, from_client) in enumerate(messages, 1):
        sender, receiver = (client, server) if from_client else (server, client)
        pdu, start, end = request_pdu(stub, call_id, level)
        protected, signature = sender.protect(pdu, start, end)
        assert receiver.unprotect(protected, start, end, signature) == pdu
