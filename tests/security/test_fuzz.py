"""Hypothesis fuzzing: whatever the peer sends, only AuthenticationFailed or ProtocolError
escape from the acceptor, the client, or unprotect."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from impacket import ntlm

from tests.security.conftest import PASSWORD
from tests.security.pdus import request_pdu
from tests.security.windows_vectors import INIT_SPNEGO, NEGOTIATE_SPNEGO
from wua.errors import AuthenticationFailed, ProtocolError
from wua.rpc.security.accounts import Account, LocalAccounts
from wua.rpc.security.base import AuthLevel
from wua.rpc.security.credentials import Credentials
from wua.rpc.security.ntlm_acceptor import HostIdentity, NtlmAcceptor
from wua.rpc.security.spnego_acceptor import SpnegoAcceptor
from wua.rpc.security.spnego_client import negotiate_client, ntlm_client
from wua.rpc.security.spnego_token import (
    decode_neg_token_init,
    encode_neg_token_resp,
    neg_token_resp_fields,
)

EXPECTED = (AuthenticationFailed, ProtocolError)
ACCOUNTS = LocalAccounts([Account.with_password("Administrator", PASSWORD)])
FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def acceptor(level: AuthLevel = AuthLevel.PKT_PRIVACY) -> NtlmAcceptor:
    return NtlmAcceptor(
        ACCOUNTS,
        level,
        host=HostIdentity("WUAHOST"),
        clock=lambda: 1,
        entropy=lambda n: b"\x07" * n,
    )


def _impacket_tokens() -> tuple[bytes, bytes]:
    """A valid NEGOTIATE and its AUTHENTICATE for a fixed server challenge."""
    negotiate = ntlm.getNTLMSSPType1("WS", "", True, use_ntlmv2=True)
    challenge = acceptor().step(negotiate.getData())
    authenticate, _ = ntlm.getNTLMSSPType3(
        negotiate, challenge, "Administrator", PASSWORD, "WUAHOST", use_ntlmv2=True
    )
    return negotiate.getData(), authenticate.getData()


NEGOTIATE, AUTHENTICATE = _impacket_tokens()


def test_the_unmutated_tokens_log_on() -> None:
    server = acceptor()
    server.step(NEGOTIATE)
    server.step(AUTHENTICATE)
    assert server.complete


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(["flip", "truncate", "insert", "set32"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if action == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif action == "truncate":
            del data[at:]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        else:
            data[at : at + 4] = draw(st.integers(0, 0xFFFFFFFF)).to_bytes(4, "little")
    return bytes(data)


tokens = st.one_of(
    st.binary(max_size=400),
    mutated(NEGOTIATE),
    mutated(AUTHENTICATE),
    st.binary(max_size=120).map(lambda tail: b"NTLMSSP\x00" + tail),
)


@pytest.mark.slow
@FUZZ
@given(tokens, tokens)
def test_acceptor_survives_any_token_pair(first: bytes, second: bytes) -> None:
    server = acceptor()
    try:
        server.step(first)
        server.step(second)
    except EXPECTED:
        assert not server.complete or server.logon is not None
        return
    assert server.logon is not None  # only a verified logon may complete


@pytest.mark.slow
@FUZZ
@given(mutated(AUTHENTICATE))
def test_acceptor_survives_mutated_authenticate(token: bytes) -> None:
    server = acceptor()
    server.step(NEGOTIATE)
    try:
        server.step(token)
    except EXPECTED:
        assert not server.complete
        return
    assert server.logon is not None and server.logon.user == "Administrator"


#: Found by hypothesis: a CHALLENGE whose TIMESTAMP AV pair is past year 9999 made
#: pyspnego's FILETIME conversion raise OverflowError.
FAR_FUTURE_TIMESTAMP = bytes.fromhex(
    "4e544c4d535350000200000000000000000000000000000000000000000000000000000000000000"
    "58000001460000000000000000000000000000000000000000000000000000010e00000000000000"
    "000000000000000000010e00000000000000000000000000000000010e0000000000000000000000"
    "0000000000010e00000000000000000000000000000007000800000000000000002500000000"
)


@pytest.mark.slow
@FUZZ
@example(FAR_FUTURE_TIMESTAMP)
@given(st.one_of(st.binary(max_size=300), mutated(acceptor().step(NEGOTIATE) or b"")))
def test_client_survives_any_challenge(token: bytes) -> None:
    client = ntlm_client(Credentials("Administrator", "WUAHOST", password=PASSWORD))
    client.step(None)
    try:
        answer = client.step(token)
    except EXPECTED:
        return
    assert answer is not None and answer.startswith(b"NTLMSSP\x00\x03")


@pytest.mark.slow
@FUZZ
@given(
    st.one_of(st.binary(max_size=300), st.binary(max_size=200).map(lambda tail: b"\xa1\x81" + tail))
)
def test_negotiate_client_survives_any_answer(token: bytes) -> None:
    client = negotiate_client(Credentials("Administrator", "WUAHOST", password=PASSWORD))
    client.step(None)
    try:
        answer = client.step(token)
    except EXPECTED:
        return
    assert answer is None or answer[:1] == b"\xa1"


def _established(level: AuthLevel) -> NtlmAcceptor:
    client = ntlm_client(Credentials("Administrator", "WUAHOST", password=PASSWORD), level)
    server = acceptor(level)
    server.step(client.step(server.step(client.step(None))))
    return server


@pytest.mark.slow
@FUZZ
@given(
    st.sampled_from([AuthLevel.PKT_INTEGRITY, AuthLevel.PKT_PRIVACY]),
    st.binary(max_size=64),
    st.binary(max_size=24),
    st.integers(-4, 120),
    st.integers(-4, 120),
    st.booleans(),
)
def test_unprotect_survives_any_auth_value(
    level: AuthLevel, stub: bytes, auth_value: bytes, start: int, end: int, realistic: bool
) -> None:
    server = _established(level)
    if realistic:
        pdu, start, end = request_pdu(stub, 1, level)
    else:
        pdu = stub
    with pytest.raises(EXPECTED):
        server.unprotect(pdu, start, end, auth_value)


@pytest.mark.slow
@FUZZ
@given(
    st.one_of(mutated(INIT_SPNEGO), st.binary(max_size=200)),
    st.one_of(
        mutated(NEGOTIATE_SPNEGO),
        mutated(encode_neg_token_resp(1, None, NEGOTIATE)),
        st.binary(max_size=200),
    ),
)
def test_spnego_acceptor_survives_any_tokens(first: bytes, second: bytes) -> None:
    server = SpnegoAcceptor(ACCOUNTS, clock=lambda: 1, entropy=lambda n: b"\x07" * n)
    try:
        server.step(first)
        server.step(second)
    except EXPECTED:
        return
    assert not server.complete  # two legs can never log on


@pytest.mark.slow
@FUZZ
@given(st.binary(max_size=300))
def test_spnego_decoders_raise_protocol_error_only(data: bytes) -> None:
    for decoder in (neg_token_resp_fields, decode_neg_token_init):
        try:
            result = decoder(data)
        except ProtocolError as exc:
            assert exc.structure.startswith("SPNEGO")
        else:
            assert result is not None
