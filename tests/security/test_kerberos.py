"""Kerberos over DCE/RPC against a real MIT KDC: pyspnego's client and our keytab acceptor
driving the real connection machines in memory (bind, third leg, protected calls,
fragments, tampering), raw (auth type 16) and inside Negotiate (9)."""

from __future__ import annotations

import pytest

from tests.rpc.harness import IFACE_A, Pair, make_pair
from tests.support.kdc import REALM, Realm
from wua.errors import AuthenticationFailed
from wua.rpc.connection.client import ClientConfig
from wua.rpc.connection.events import (
    AuthComplete,
    BindAccepted,
    CallRejected,
    CallRequest,
    CallResponse,
)
from wua.rpc.constants import PfcFlags, PType
from wua.rpc.negotiation import windows_offer
from wua.rpc.pdu import decode_pdu, peek_header
from wua.rpc.security.accounts import LocalAccounts
from wua.rpc.security.base import AuthLevel, AuthType
from wua.rpc.security.credentials import KerberosCredentials
from wua.rpc.security.gss_protection import MIC_TOKEN_SIZE
from wua.rpc.security.kerberos_acceptor import KerberosAcceptor, KerberosKeytab
from wua.rpc.security.kerberos_tickets import SessionTickets
from wua.rpc.security.spnego_acceptor import SpnegoAcceptor
from wua.rpc.security.spnego_client import kerberos_client, negotiate_client
from wua.rpc.security.spnego_token import KRB5_OID, decode_neg_token_init

HOST = "127.0.61.1"
STUB = bytes(range(256)) * 3
Acceptor = KerberosAcceptor | SpnegoAcceptor
ADMIN = KerberosCredentials("Administrator", password="Passw0rd!")
#: DCE-style AES wrap: 16-byte token header + 16 EC + 16 confounder + 16 header copy
#: + 12 HMAC; Windows captures show auth_length 76 for aes256 too.
AES_WRAP_SIZE = 76


def kerberos_pair(
    realm: Realm,
    level: AuthLevel,
    auth_type: AuthType,
    acceptors: list[Acceptor],
    credentials: KerberosCredentials = ADMIN,
    config: ClientConfig | None = None,
    **server: object,
) -> tuple[Pair, list[object]]:
    keytab = KerberosKeytab(realm.host_keytab(HOST))

    def factory(kind: AuthType | int, auth_level: AuthLevel | int) -> Acceptor:
        acceptor: Acceptor
        if kind == AuthType.GSS_KERBEROS:
            acceptor = KerberosAcceptor(keytab, AuthLevel(auth_level))
        elif kind == AuthType.GSS_NEGOTIATE:
            acceptor = SpnegoAcceptor(LocalAccounts(), AuthLevel(auth_level), keytab=keytab)
        else:
            raise AuthenticationFailed(f"auth type {kind} not offered")
        acceptors.append(acceptor)
        return acceptor

    pair = make_pair(config, security_factory=factory, **server)
    make = kerberos_client if auth_type == AuthType.GSS_KERBEROS else negotiate_client
    client = make(credentials, level, target_host=HOST)
    pair.to_server(pair.client.bind(windows_offer(IFACE_A), security=client, auth_context_id=5))
    events: list[object] = list(pair.to_client())
    server_events, more = pair.settle()
    return pair, events + list(more) + list(server_events)


KINDS = [AuthType.GSS_KERBEROS, AuthType.GSS_NEGOTIATE]


@pytest.mark.parametrize("level", [AuthLevel.PKT_INTEGRITY, AuthLevel.PKT_PRIVACY])
@pytest.mark.parametrize("auth_type", KINDS, ids=["kerberos", "negotiate"])
def test_handshake_and_protected_calls(
    kerberos_realm: Realm, level: AuthLevel, auth_type: AuthType
) -> None:
    acceptors: list[Acceptor] = []
    pair, events = kerberos_pair(kerberos_realm, level, auth_type, acceptors)
    assert isinstance(events[0], BindAccepted) and AuthComplete(5) in events
    # DCE style: the third leg goes in auth3 for raw Kerberos, alter_context in SPNEGO
    # (which then waits for the server's mechListMIC).
    last_leg = PType.AUTH3 if auth_type == AuthType.GSS_KERBEROS else PType.ALTER_CONTEXT
    assert [peek_header(w).ptype for w in pair.wire_to_server] == [PType.BIND, last_leg]
    (acceptor,) = acceptors
    logon = acceptor.logon
    assert logon is not None and (logon.user, logon.domain) == ("Administrator", REALM)
    expected_size = AES_WRAP_SIZE if level == AuthLevel.PKT_PRIVACY else MIC_TOKEN_SIZE
    for opnum in range(1, 20):
        wire = pair.client.request(0, opnum, STUB[: opnum * 23])
        request = decode_pdu(wire)
        assert request.auth is not None and len(request.auth.auth_value) == expected_size
        assert request.auth.auth_type == auth_type
        assert (STUB[:16] in wire) == (level == AuthLevel.PKT_INTEGRITY)
        (call,) = pair.to_server(wire)
        assert isinstance(call, CallRequest) and call.stub == STUB[: opnum * 23]
        answer = pair.server.respond(call.call_id, STUB[: opnum * 31])
        assert (STUB[:16] in answer) == (level == AuthLevel.PKT_INTEGRITY)
        assert pair.to_client(answer) == [CallResponse(call.call_id, STUB[: opnum * 31])]


def test_negotiate_offers_kerberos_first_with_an_optimistic_token(kerberos_realm: Realm) -> None:
    pair, _ = kerberos_pair(kerberos_realm, AuthLevel.PKT_PRIVACY, AuthType.GSS_NEGOTIATE, [])
    bind = decode_pdu(pair.wire_to_server[0])
    assert bind.auth is not None
    init = decode_neg_token_init(bind.auth.auth_value)
    assert init.mech_types[0] == KRB5_OID and init.mech_token
    # DCE style: the AP-REQ travels bare (tag 0x6e), without the RFC 1964 framing.
    assert init.mech_token[:1] == b"\x6e"


@pytest.mark.parametrize("auth_type", KINDS, ids=["kerberos", "negotiate"])
def test_fragmented_sealed_calls(kerberos_realm: Realm, auth_type: AuthType) -> None:
    pair, _ = kerberos_pair(
        kerberos_realm,
        AuthLevel.PKT_PRIVACY,
        auth_type,
        [],
        config=ClientConfig(max_xmit_frag=256, max_recv_frag=256),
        max_xmit_frag=256,
        max_recv_frag=256,
    )
    wire = pair.client.request(0, 2, STUB * 2)
    assert wire.count(b"\x05\x00\x00") > 4  # several fragments, each sealed on its own
    (call,) = pair.to_server(wire)
    assert isinstance(call, CallRequest) and call.stub == STUB * 2
    assert pair.to_client(pair.server.respond(call.call_id, STUB)) == [
        CallResponse(call.call_id, STUB)
    ]


@pytest.mark.parametrize(
    "offset",
    [16, 40, -(AES_WRAP_SIZE + 8) + 3, -1],
    ids=["alloc_hint", "stub", "sec_trailer", "token"],
)
def test_tampered_sealed_request_is_rejected(kerberos_realm: Realm, offset: int) -> None:
    """Header (signed), stub (sealed), sec_trailer (signed) and token: each is covered."""
    pair, _ = kerberos_pair(kerberos_realm, AuthLevel.PKT_PRIVACY, AuthType.GSS_KERBEROS, [])
    wire = bytearray(pair.client.request(0, 5, STUB[:200]))
    wire[offset] ^= 0x10
    (rejected,) = pair.to_server(bytes(wire))
    assert isinstance(rejected, CallRejected) and rejected.close


def test_replayed_request_is_rejected(kerberos_realm: Realm) -> None:
    pair, _ = kerberos_pair(kerberos_realm, AuthLevel.PKT_PRIVACY, AuthType.GSS_KERBEROS, [])
    wire = pair.client.request(0, 5, STUB[:64])
    (call,) = pair.to_server(wire)
    assert isinstance(call, CallRequest)
    pair.to_client(pair.server.respond(call.call_id, b"ok" * 8))
    (rejected,) = pair.to_server(wire)
    assert isinstance(rejected, CallRejected) and rejected.close


def test_wrong_password_fails_before_a_byte_is_sent(kerberos_realm: Realm) -> None:
    bad = KerberosCredentials("Administrator", password="wrong")
    with pytest.raises(AuthenticationFailed, match="Kerberos could not start for host/"):
        negotiate_client(bad, AuthLevel.PKT_PRIVACY, target_host=HOST).step(None)


def test_unknown_service_principal_is_explained(kerberos_realm: Realm) -> None:
    client = kerberos_client(ADMIN, AuthLevel.PKT_PRIVACY, target_host="127.0.61.250")
    with pytest.raises(AuthenticationFailed) as caught:
        client.step(None)
    text = str(caught.value)
    assert "host/127.0.61.250" in text and "not found" in text.lower()


def test_ticket_cache_without_password(
    kerberos_realm: Realm, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = kerberos_realm.ccache("Administrator", "Passw0rd!")
    monkeypatch.setenv("KRB5CCNAME", f"FILE:{cache}")
    acceptors: list[Acceptor] = []
    pair, events = kerberos_pair(
        kerberos_realm,
        AuthLevel.PKT_PRIVACY,
        AuthType.GSS_NEGOTIATE,
        acceptors,
        credentials=KerberosCredentials(),
    )
    assert AuthComplete(5) in events
    (call,) = pair.to_server(pair.client.request(0, 1, b"x" * 32))
    assert isinstance(call, CallRequest)
    logon = acceptors[0].logon
    assert logon is not None and logon.user == "Administrator"


def test_no_fallback_to_ntlm_when_kerberos_was_asked_for(kerberos_realm: Realm) -> None:
    """A host without a keytab picks NTLM; the Kerberos-only client refuses to go on."""
    client = negotiate_client(ADMIN, AuthLevel.PKT_PRIVACY, target_host=HOST)
    acceptor = SpnegoAcceptor(LocalAccounts(), AuthLevel.PKT_PRIVACY)
    answer = acceptor.step(client.step(None))
    with pytest.raises(AuthenticationFailed, match=r"does not accept it \(it chose NTLM\)"):
        client.step(answer)


def test_session_tickets_ask_the_kdc_once_for_many_contexts(kerberos_realm: Realm) -> None:
    """One AS and one TGS exchange for a session, however many connections it opens; its
    MEMORY cache is gone after close."""
    log = kerberos_realm.folder / "kdc.log"
    tickets = SessionTickets(ADMIN, HOST)
    before = log.read_text()
    tickets.acquire()
    assert tickets.credentials.ccache is not None
    assert tickets.credentials.ccache.startswith("MEMORY:")
    assert tickets.credentials.password is None
    keytab = KerberosKeytab(kerberos_realm.host_keytab(HOST))
    for _ in range(5):
        client = negotiate_client(tickets.credentials, AuthLevel.PKT_PRIVACY, target_host=HOST)
        server = SpnegoAcceptor(LocalAccounts(), AuthLevel.PKT_PRIVACY, keytab=keytab)
        answer = server.step(client.step(server.step(client.step(None))))
        assert client.step(answer) is None and client.complete and server.complete
    requests = log.read_text()[len(before) :]
    assert (requests.count("AS_REQ"), requests.count("TGS_REQ")) == (1, 1)
    used = tickets.credentials
    tickets.close()
    assert tickets.credentials == ADMIN
    with pytest.raises(AuthenticationFailed, match="Kerberos could not start"):
        negotiate_client(used, AuthLevel.PKT_PRIVACY, target_host=HOST).step(None)


@pytest.mark.parametrize("level", [AuthLevel.PKT_INTEGRITY, AuthLevel.PKT_PRIVACY])
def test_without_header_signing_only_the_stub_is_protected(
    kerberos_realm: Realm, level: AuthLevel
) -> None:
    """A client that does not ask for PFC_SUPPORT_HEADER_SIGN (impacket) gets tokens over
    the stub alone, both ways; the stub stays protected."""
    pair, _ = kerberos_pair(
        kerberos_realm,
        level,
        AuthType.GSS_KERBEROS,
        [],
        config=ClientConfig(header_sign=False),
    )
    bind_ack = decode_pdu(pair.wire_to_client[0])
    assert not bind_ack.flags & PfcFlags.SUPPORT_HEADER_SIGN
    wire = pair.client.request(0, 3, STUB[:100])
    (call,) = pair.to_server(wire)
    assert isinstance(call, CallRequest) and call.stub == STUB[:100]
    assert pair.to_client(pair.server.respond(call.call_id, STUB[:50])) == [
        CallResponse(call.call_id, STUB[:50])
    ]
    tampered = bytearray(pair.client.request(0, 3, STUB[:100]))
    tampered[30] ^= 1
    (rejected,) = pair.to_server(bytes(tampered))
    assert isinstance(rejected, CallRejected) and rejected.close
