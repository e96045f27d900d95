"""NTLM message codecs: hand-derived (value, hex) tables, malformed inputs, round trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wua.errors import ProtocolError
from wua.rpc.security.ntlm_avpairs import TargetInfo, decode_target_info
from wua.rpc.security.ntlm_flags import AvId, NegotiateFlags
from wua.rpc.security.ntlm_messages import (
    AuthenticateMessage,
    ChallengeMessage,
    NegotiateMessage,
    Version,
)
from wua.rpc.security.ntlmv2_response import NtlmV2Response, encode_blob

F = NegotiateFlags
SIG = "4e544c4d53535000"

MESSAGES: list[tuple[NegotiateMessage | ChallengeMessage | AuthenticateMessage, str]] = [
    (
        NegotiateMessage(F.UNICODE | F.NTLM | F.EXTENDED_SESSIONSECURITY),
        SIG + "010000000102080000000000200000000000000020000000",
    ),
    (
        NegotiateMessage(
            F.UNICODE | F.NTLM | F.EXTENDED_SESSIONSECURITY | F.VERSION,
            "D",
            "WS",
            Version(10, 0, 19041),
        ),
        SIG + "0100000001020802010001002a00000002000200280000000a00614a0000000f575344",
    ),
    (
        ChallengeMessage(
            F.UNICODE | F.NTLM | F.TARGET_INFO,
            bytes.fromhex("0123456789abcdef"),
            "S",
            TargetInfo(((AvId.NB_COMPUTER_NAME, "S".encode("utf-16-le")),)),
        ),
        SIG + "02000000"
        "0200020030000000"
        "01028000"
        "0123456789abcdef"
        "0000000000000000"
        "0a000a0032000000"
        "5300"
        "010002005300"
        "00000000",
    ),
    (
        AuthenticateMessage(
            F.UNICODE | F.NTLM | F.EXTENDED_SESSIONSECURITY | F.VERSION,
            b"\xaa\xaa",
            b"\xbb\xbb",
            "D",
            "U",
            "W",
            b"",
            Version(10, 0, 17763),
            b"\xcc" * 16,
        ),
        SIG + "03000000"
        "020002005e000000"
        "0200020060000000"
        "0200020058000000"
        "020002005a000000"
        "020002005c000000"
        "0000000062000000"
        "01020802"
        "0a0063450000000f" + "cc" * 16 + "4400"
        "5500"
        "5700"
        "aaaa"
        "bbbb",
    ),
    (
        AuthenticateMessage(F.NTLM | F.OEM, b"", b"", "", "u", "", b"\x11" * 16),
        SIG + "03000000"
        "0000000041000000"
        "0000000041000000"
        "0000000040000000"
        "0100010040000000"
        "0000000041000000"
        "1000100041000000"
        "02020000"
        "75" + "11" * 16,
    ),
]


@pytest.mark.parametrize(("value", "wire"), MESSAGES)
def test_message_vectors(
    value: NegotiateMessage | ChallengeMessage | AuthenticateMessage, wire: str
) -> None:
    assert value.encode().hex() == wire
    assert type(value).decode(bytes.fromhex(wire)) == value


MALFORMED: list[
    tuple[type[NegotiateMessage | ChallengeMessage | AuthenticateMessage], str, str]
] = [
    (NegotiateMessage, "4e544c4d535350010100000001020800" + "00" * 16, "signature"),
    (NegotiateMessage, SIG + "0200000001020800" + "00" * 16, "MessageType"),
    (NegotiateMessage, SIG + "010000000102", "fixed header"),
    (NegotiateMessage, SIG + "010000000102080004000400200000000000000020000000", "outside"),
    (NegotiateMessage, SIG + "01000000010208000100000020000000000000002000000041", "MaxLen"),
    (NegotiateMessage, SIG + "01000000010208000000000020000000000000002000000000", "left over"),
    (NegotiateMessage, SIG + "010000000102080001000100200000000000000020000000ff", "OEM"),
    (
        ChallengeMessage,
        SIG + "02000000010001003000000001028000" + "00" * 16 + "000000003100000053",
        "UTF-16",
    ),
    (
        ChallengeMessage,
        SIG + "02000000000000003000000001028000" + "00" * 16 + "040004003000000001000800",
        "AV_PAIR",
    ),
    (
        ChallengeMessage,
        SIG + "02000000000000003000000001028000" + "00" * 16 + "040004003000000007000000",
        "MsvAvEOL",
    ),
    (  # an empty TargetInfo whose offset lies past the end (was "-4 bytes left over")
        ChallengeMessage,
        SIG + "02000000000000003000000001028000" + "00" * 16 + "000000003400000000",
        "runs 3 bytes past the 49-byte message",
    ),
]


@pytest.mark.parametrize(("kind", "wire", "complaint"), MALFORMED)
def test_malformed_messages(
    kind: type[NegotiateMessage | ChallengeMessage | AuthenticateMessage], wire: str, complaint: str
) -> None:
    with pytest.raises(ProtocolError, match=complaint) as caught:
        kind.decode(bytes.fromhex(wire))
    assert caught.value.structure


def test_target_info_rejects_bytes_after_eol_but_blob_allows_zero_padding() -> None:
    body = TargetInfo(TargetInfo.names(nb_computer_name="S")).encode()
    assert decode_target_info(body + b"\x00" * 4, structure="x", trailing_zeros=True).get(
        AvId.NB_COMPUTER_NAME
    ) == "S".encode("utf-16-le")
    with pytest.raises(ProtocolError, match="follow MsvAvEOL"):
        decode_target_info(body + b"\x00" * 4, structure="x")
    with pytest.raises(ProtocolError, match="follow MsvAvEOL"):
        decode_target_info(body + b"\x01", structure="x", trailing_zeros=True)


def test_ntlmv2_response_keeps_the_raw_blob() -> None:
    info = TargetInfo(TargetInfo.names(nb_domain_name="D"))
    blob = encode_blob(1234, b"\xaa" * 8, info) + b"\x00" * 8  # extra padding some clients add
    response = NtlmV2Response.decode(b"\x01" * 16 + blob)
    assert (response.blob, response.timestamp, response.client_challenge) == (
        blob,
        1234,
        b"\xaa" * 8,
    )
    assert response.target_info == info
    with pytest.raises(ProtocolError, match="RespType"):
        NtlmV2Response.decode(b"\x01" * 16 + b"\x02" + blob[1:])
    with pytest.raises(ProtocolError, match="too short"):
        NtlmV2Response.decode(b"\x01" * 20)


names = st.text(
    alphabet=st.characters(codec="utf-16", categories=("L", "N", "P", "Zs")), max_size=12
)
ascii_names = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=12)
versions = st.builds(
    Version, st.integers(0, 255), st.integers(0, 255), st.integers(0, 65535), st.integers(0, 255)
)
base_flags = st.integers(0, 0xFFFFFFFF).map(lambda v: F(v & ~F.VERSION))


@given(base_flags, ascii_names, ascii_names, st.none() | versions)
def test_negotiate_round_trip(
    flags: F, domain: str, workstation: str, version: Version | None
) -> None:
    if version is not None:
        flags |= F.VERSION
    message = NegotiateMessage(flags, domain, workstation, version)
    assert NegotiateMessage.decode(message.encode()) == message


@given(
    base_flags,
    st.binary(min_size=8, max_size=8),
    names,
    st.lists(st.tuples(st.integers(1, 10), st.binary(max_size=20)), max_size=5),
    st.none() | versions,
)
def test_challenge_round_trip(
    flags: F, challenge: bytes, target: str, pairs: list[tuple[int, bytes]], version: Version | None
) -> None:
    flags |= F.UNICODE | F.TARGET_INFO
    if version is not None:
        flags |= F.VERSION
    message = ChallengeMessage(flags, challenge, target, TargetInfo(tuple(pairs)), version)
    assert ChallengeMessage.decode(message.encode()) == message


@given(
    base_flags,
    st.binary(max_size=30),
    st.binary(max_size=200),
    names,
    names,
    names,
    st.sampled_from([b"", b"\x42" * 16]),
    st.none() | versions,
    st.none() | st.binary(min_size=16, max_size=16),
)
def test_authenticate_round_trip(
    flags: F,
    lm: bytes,
    nt: bytes,
    domain: str,
    user: str,
    workstation: str,
    key: bytes,
    version: Version | None,
    mic: bytes | None,
) -> None:
    flags |= F.UNICODE
    if version is not None:
        flags |= F.VERSION
    else:
        mic = None
    message = AuthenticateMessage(flags, lm, nt, domain, user, workstation, key, version, mic)
    assert AuthenticateMessage.decode(message.encode()) == message
