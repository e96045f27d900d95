"""Hypothesis fuzzing of the Kerberos side: whatever a client sends (first leg, third leg,
protected PDUs), only AuthenticationFailed or ProtocolError escape from the keytab
acceptor, the SPNEGO acceptor with a keytab, or unprotect; the client likewise for any
answer to its AP-REQ."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.pdus import request_pdu
from tests.support.kdc import Realm
from wua.errors import AuthenticationFailed, ProtocolError
from wua.rpc.security.accounts import LocalAccounts
from wua.rpc.security.base import AuthLevel, AuthType
from wua.rpc.security.credentials import KerberosCredentials
from wua.rpc.security.kerberos_acceptor import KerberosAcceptor, KerberosKeytab, raw_ap_req
from wua.rpc.security.spnego_acceptor import SpnegoAcceptor
from wua.rpc.security.spnego_client import kerberos_client, negotiate_client

EXPECTED = (AuthenticationFailed, ProtocolError)
HOST = "127.0.65.1"
ADMIN = KerberosCredentials("Administrator", password="Passw0rd!")
FUZZ = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
#: A raw AP-REQ's first bytes, a framed one's, a NegTokenInit's, a NegTokenResp's, so that
#: mutations reach past the first tag.
PREFIXES = st.sampled_from(
    [b"", b"\x6e\x82\x02\x00", b"\x60\x82\x02\x00\x06\x09", b"\x60\x81\x80\x06\x06", b"\xa1\x81"]
)


@pytest.fixture(scope="module")
def keytab(kerberos_realm: Realm) -> KerberosKeytab:
    return KerberosKeytab(kerberos_realm.host_keytab(HOST))


@pytest.fixture(scope="module")
def first_legs(keytab: KerberosKeytab) -> tuple[bytes, bytes]:
    """A real raw AP-REQ and a real NegTokenInit carrying one."""
    raw = kerberos_client(ADMIN, target_host=HOST).step(None)
    init = negotiate_client(ADMIN, target_host=HOST).step(None)
    assert raw is not None and init is not None
    return raw, init


@pytest.mark.slow
@FUZZ
@given(PREFIXES, st.binary(max_size=300))
def test_kerberos_acceptor_survives_any_first_leg(
    keytab: KerberosKeytab, prefix: bytes, tail: bytes
) -> None:
    try:
        KerberosAcceptor(keytab).step(prefix + tail)
    except EXPECTED:
        return


@pytest.mark.slow
@FUZZ
@given(st.integers(0, 10_000), st.integers(1, 255), st.booleans())
def test_acceptors_survive_a_mutated_real_first_leg(
    keytab: KerberosKeytab, first_legs: tuple[bytes, bytes], at: int, xor: int, spnego: bool
) -> None:
    token = bytearray(first_legs[1] if spnego else first_legs[0])
    token[at % len(token)] ^= xor
    acceptor = (
        SpnegoAcceptor(LocalAccounts(), keytab=keytab) if spnego else KerberosAcceptor(keytab)
    )
    try:
        acceptor.step(bytes(token))
    except EXPECTED:
        return


@pytest.mark.slow
@FUZZ
@given(st.binary(max_size=200))
def test_third_leg_of_anything(keytab: KerberosKeytab, third: bytes) -> None:
    client = kerberos_client(ADMIN, target_host=HOST)
    acceptor = KerberosAcceptor(keytab)
    client.step(acceptor.step(client.step(None)))
    try:
        acceptor.step(third)
    except EXPECTED:
        return
    pytest.fail("a made-up third leg completed the handshake")  # pragma: no cover


@pytest.mark.slow
@FUZZ
@given(st.binary(max_size=300))
def test_client_survives_any_answer_to_its_ap_req(answer: bytes) -> None:
    client = kerberos_client(ADMIN, target_host=HOST)
    client.step(None)
    try:
        client.step(answer)
    except EXPECTED:
        return


@pytest.mark.slow
@FUZZ
@given(
    st.sampled_from([AuthLevel.PKT_INTEGRITY, AuthLevel.PKT_PRIVACY]),
    st.binary(max_size=96),
    st.integers(0, 400),
    st.integers(1, 255),
)
def test_unprotect_survives_any_auth_value_and_any_flipped_byte(
    keytab: KerberosKeytab, level: AuthLevel, auth_value: bytes, at: int, xor: int
) -> None:
    client = kerberos_client(ADMIN, level, target_host=HOST)
    acceptor = KerberosAcceptor(keytab, level)
    acceptor.step(client.step(acceptor.step(client.step(None))))
    plain, start, end = request_pdu(b"\x11" * 64, 1, level, AuthType.GSS_KERBEROS)
    with pytest.raises(EXPECTED):
        acceptor.unprotect(plain, start, end, auth_value)
    pdu, signature = client.protect(*request_pdu(b"\x22" * 64, 2, level, AuthType.GSS_KERBEROS))
    mutated = bytearray(pdu + signature)
    mutated[at % len(mutated)] ^= xor
    body, token = bytes(mutated[: len(pdu)]), bytes(mutated[len(pdu) :])
    with pytest.raises(EXPECTED):
        acceptor.unprotect(body, start, end, token)


@FUZZ
@given(st.binary(max_size=64))
def test_raw_ap_req_never_raises_other_errors(token: bytes) -> None:
    try:
        assert raw_ap_req(token) in (token, token[2:]) or token[:1] == b"\x60"
    except ProtocolError:
        return
