"""MS-NLMP 4.2.4 (NTLMv2 Authentication) worked example, and RFC 1320 A.5 for MD4.

Values are the spec's: User "User", UserDom "Domain", Passwd "Password", ServerName
AV pairs (MsvAvNbDomainName "Domain", MsvAvNbComputerName "Server"), Time 0,
ClientChallenge aa*8, ServerChallenge 0123456789abcdef, RandomSessionKey 55*16, flags
0xe28a8233. 4.2.4.1.1 NTOWFv2, 4.2.4.1.2 session base key, 4.2.4.2.1 LMv2 response,
4.2.4.2.2 NTProofStr, 4.2.4.2.3 encrypted session key, 4.2.4.4 GSS_WrapEx SEALKEY,
SIGNKEY, sealed data and signature.
"""

from __future__ import annotations

import pytest

from wua.rpc.security.md4 import md4
from wua.rpc.security.ntlm_avpairs import TargetInfo
from wua.rpc.security.ntlm_crypto import (
    exported_session_key,
    lmv2_response,
    nt_hash,
    nt_proof,
    ntowf_v2,
    rc4_once,
    session_base_key,
)
from wua.rpc.security.ntlm_flags import NegotiateFlags
from wua.rpc.security.ntlm_signing import SealingHandle, mac, seal, seal_key, sign_key
from wua.rpc.security.ntlmv2_response import encode_blob

SERVER_CHALLENGE = bytes.fromhex("0123456789abcdef")
CLIENT_CHALLENGE = b"\xaa" * 8
RANDOM_SESSION_KEY = b"\x55" * 16
FLAGS = NegotiateFlags(0xE28A8233)
SPEC_TARGET_INFO = TargetInfo(TargetInfo.names(nb_domain_name="Domain", nb_computer_name="Server"))
RESPONSE_KEY = ntowf_v2(nt_hash("Password"), "User", "Domain")
BLOB = encode_blob(0, CLIENT_CHALLENGE, SPEC_TARGET_INFO)
PROOF = nt_proof(RESPONSE_KEY, SERVER_CHALLENGE, BLOB)
BASE_KEY = session_base_key(RESPONSE_KEY, PROOF)

# (name in the spec, value we compute, the spec's hex)
SPEC_VALUES = [
    ("4.2.4.1.1 NTOWFv2 (ResponseKeyNT)", RESPONSE_KEY, "0c868a403bfd7a93a3001ef22ef02e3f"),
    ("4.2.4.1.2 SessionBaseKey", BASE_KEY, "8de40ccadbc14a82f15cb0ad0de95ca3"),
    (
        "4.2.4.2.1 LMv2 response",
        lmv2_response(RESPONSE_KEY, SERVER_CHALLENGE, CLIENT_CHALLENGE),
        "86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa",
    ),
    ("4.2.4.2.2 NTProofStr", PROOF, "68cd0ab851e51c96aabc927bebef6a1c"),
    (
        "4.2.4.2.3 EncryptedRandomSessionKey",
        rc4_once(BASE_KEY, RANDOM_SESSION_KEY),
        "c5dad2544fc9799094ce1ce90bc9d03e",
    ),
    (
        "4.2.4.4 SEALKEY client-to-server",
        seal_key(RANDOM_SESSION_KEY, FLAGS, client_to_server=True),
        "59f600973cc4960a25480a7c196e4c58",
    ),
    (
        "4.2.4.4 SIGNKEY client-to-server",
        sign_key(RANDOM_SESSION_KEY, client_to_server=True),
        "4788dc861b4782f35d43fd98fe1a2d39",
    ),
]


@pytest.mark.parametrize(
    ("name", "value", "expected"), SPEC_VALUES, ids=[v[0] for v in SPEC_VALUES]
)
def test_ms_nlmp_4_2_4_values(name: str, value: bytes, expected: str) -> None:
    assert value.hex() == expected, name


def test_key_exchange_recovers_the_random_session_key() -> None:
    encrypted = bytes.fromhex("c5dad2544fc9799094ce1ce90bc9d03e")
    assert exported_session_key(BASE_KEY, encrypted, key_exch=True) == RANDOM_SESSION_KEY
    assert exported_session_key(BASE_KEY, encrypted, key_exch=False) == BASE_KEY


PLAINTEXT = "Plaintext".encode("utf-16-le")
# 4.2.4.4: (sealed data, signature) for sequence number 0.
WRAP_VECTORS = [
    (0, PLAINTEXT, "54e50165bf1936dc996020c1811b0f06fb5f", "010000007fb38ec5c55d497600000000"),
]


@pytest.mark.parametrize(("seq", "plain", "sealed_hex", "signature_hex"), WRAP_VECTORS)
def test_ms_nlmp_4_2_4_4_seal(seq: int, plain: bytes, sealed_hex: str, signature_hex: str) -> None:
    key = seal_key(RANDOM_SESSION_KEY, FLAGS, client_to_server=True)
    signing = sign_key(RANDOM_SESSION_KEY, client_to_server=True)
    sealed, signature = seal(SealingHandle(key), signing, seq, plain, plain)
    assert (sealed.hex(), signature.hex()) == (sealed_hex, signature_hex)
    # The receiver's handle (same key) decrypts and reproduces the signature.
    receiver = SealingHandle(key)
    assert receiver(bytes.fromhex(sealed_hex)) == plain
    assert mac(receiver, signing, seq, plain).hex() == signature_hex


def test_4_2_4_4_checksum_before_rc4() -> None:
    """Without key exchange the checksum is the bare HMAC prefix the spec prints."""
    signing = sign_key(RANDOM_SESSION_KEY, client_to_server=True)
    handle = SealingHandle(b"\x00" * 16)
    signature = mac(handle, signing, 0, PLAINTEXT, key_exchange=False)
    assert signature.hex() == "01000000" + "70352851f2564309" + "00000000"


@pytest.mark.parametrize(
    ("flags", "length"),
    [(NegotiateFlags.KEY_128, 16), (NegotiateFlags.KEY_56, 7), (NegotiateFlags.NONE, 5)],
)
def test_seal_key_strength_cuts_the_session_key(flags: NegotiateFlags, length: int) -> None:
    """Only the first `length` bytes of the session key may influence the sealing key."""
    key = bytes(range(16))
    changed = key[:length] + b"\xff" * (16 - length)
    assert seal_key(key, flags, client_to_server=False) == seal_key(
        changed, flags, client_to_server=False
    )
    flipped = bytes([key[0] ^ 1]) + key[1:]
    assert seal_key(key, flags, client_to_server=False) != seal_key(
        flipped, flags, client_to_server=False
    )


# RFC 1320 appendix A.5 test suite.
MD4_VECTORS = [
    (b"", "31d6cfe0d16ae931b73c59d7e0c089c0"),
    (b"a", "bde52cb31de33e46245e05fbdbd6fb24"),
    (b"abc", "a448017aaf21d8525fc10ae87aa6729d"),
    (b"message digest", "d9130a8164549fe818874806e1c7014b"),
    (b"abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9"),
    (
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        "043f8582f241db351ce627e153e7f0e4",
    ),
    (b"1234567890" * 8, "e33b4ddc9c38f2199c3e7b164fcc0536"),
]


@pytest.mark.parametrize(("data", "digest"), MD4_VECTORS)
def test_md4_rfc1320(data: bytes, digest: str) -> None:
    assert md4(data).hex() == digest


def test_nt_hash_of_password() -> None:
    """MS-NLMP 4.2.4 (via 4.2.2.1.2): NTOWFv1("Password")."""
    assert nt_hash("Password").hex() == "a4f49c406510bdcab6824ee7c30fd852"
