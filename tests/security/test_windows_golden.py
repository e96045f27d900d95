"""Windows-captured NTLM (see windows_vectors.py): our decoders read it, our encoders
rebuild it byte for byte, and our acceptor answers Windows' NEGOTIATE as Windows did."""

from __future__ import annotations

import pytest

from tests.security.windows_vectors import (
    AUTHENTICATE_SPNEGO,
    CHALLENGE_SPNEGO,
    NEGOTIATE_SPNEGO,
)
from wua.rpc.security.accounts import LocalAccounts
from wua.rpc.security.ntlm_acceptor import NtlmAcceptor
from wua.rpc.security.ntlm_flags import AvFlags, AvId, NegotiateFlags
from wua.rpc.security.ntlm_messages import (
    AuthenticateMessage,
    ChallengeMessage,
    NegotiateMessage,
    Version,
)
from wua.rpc.security.ntlmv2_response import NtlmV2Response
from wua.rpc.security.spnego_token import MECH_LIST_MIC, RESPONSE_TOKEN, neg_token_resp_fields

WINDOWS_10_1903 = Version(10, 0, 18362, 15)


def ntlm_token(spnego_token: bytes) -> bytes:
    return neg_token_resp_fields(spnego_token)[RESPONSE_TOKEN]


NEGOTIATE = ntlm_token(NEGOTIATE_SPNEGO)
CHALLENGE = ntlm_token(CHALLENGE_SPNEGO)
AUTHENTICATE = ntlm_token(AUTHENTICATE_SPNEGO)


@pytest.mark.parametrize(
    ("kind", "token"),
    [
        (NegotiateMessage, NEGOTIATE),
        (ChallengeMessage, CHALLENGE),
        (AuthenticateMessage, AUTHENTICATE),
    ],
)
def test_windows_messages_reencode_byte_for_byte(
    kind: type[NegotiateMessage | ChallengeMessage | AuthenticateMessage], token: bytes
) -> None:
    assert kind.decode(token).encode() == token


def test_windows_negotiate() -> None:
    message = NegotiateMessage.decode(NEGOTIATE)
    assert message.flags == 0xE218B297
    assert (message.domain, message.workstation) == ("BLACKCLOVER", "CBTH-WS-1")
    assert message.version == WINDOWS_10_1903


def test_windows_challenge() -> None:
    message = ChallengeMessage.decode(CHALLENGE)
    assert message.flags == 0xE2998215
    assert message.server_challenge.hex() == "a1b4194355975599"
    assert message.target_name == "BLACKCLOVER"
    assert message.version == WINDOWS_10_1903
    info = message.target_info
    assert [key for key, _ in info.pairs] == [
        AvId.NB_DOMAIN_NAME,
        AvId.NB_COMPUTER_NAME,
        AvId.DNS_DOMAIN_NAME,
        AvId.DNS_COMPUTER_NAME,
        AvId.DNS_TREE_NAME,
        AvId.TIMESTAMP,
    ]
    assert info.text(AvId.DNS_COMPUTER_NAME) == "CBTH-WS-2.blackclover.local"


def test_windows_authenticate() -> None:
    message = AuthenticateMessage.decode(AUTHENTICATE)
    assert (message.user, message.domain, message.workstation) == (
        "Administrator",
        "BLACKCLOVER",
        "CBTH-WS-1",
    )
    assert message.lm_response == b"\x00" * 24  # NTLMv2 with MIC: LMv2 is zeroed
    assert len(message.encrypted_session_key) == 16 and message.mic is not None
    response = NtlmV2Response.decode(message.nt_response)
    challenge = ChallengeMessage.decode(CHALLENGE)
    # The client echoes the server's AV pairs (timestamp included), then adds its own.
    assert response.target_info.pairs[:6] == challenge.target_info.pairs
    assert response.timestamp == int.from_bytes(
        challenge.target_info.get(AvId.TIMESTAMP) or b"", "little"
    )
    flags = int.from_bytes(response.target_info.get(AvId.FLAGS) or b"", "little")
    assert flags & AvFlags.MIC_PRESENT
    assert response.target_info.get(AvId.CHANNEL_BINDINGS) == b"\x00" * 16
    assert response.blob.endswith(b"\x00" * 8)  # MsvAvEOL then Z(4)


def test_windows_spnego_wrapping() -> None:
    assert set(neg_token_resp_fields(NEGOTIATE_SPNEGO)) == {0, RESPONSE_TOKEN}
    assert set(neg_token_resp_fields(CHALLENGE_SPNEGO)) == {0, RESPONSE_TOKEN}
    # The client sends a mechListMIC with AUTHENTICATE: its next sequence number is 1.
    assert len(neg_token_resp_fields(AUTHENTICATE_SPNEGO)[MECH_LIST_MIC]) == 16


def test_our_acceptor_answers_windows_like_windows() -> None:
    """Same flags as the Windows server, but a workgroup host is TARGET_TYPE_SERVER."""
    acceptor = NtlmAcceptor(LocalAccounts(), clock=lambda: 0, entropy=lambda n: b"\x00" * n)
    ours = ChallengeMessage.decode(acceptor.step(NEGOTIATE) or b"")
    windows = ChallengeMessage.decode(CHALLENGE)
    expected = (
        windows.flags & ~NegotiateFlags.TARGET_TYPE_DOMAIN | NegotiateFlags.TARGET_TYPE_SERVER
    )
    assert ours.flags == expected
    assert ours.version is not None
