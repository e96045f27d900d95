"""NTLMv2 key and response computations (MS-NLMP 3.3.2, 3.4.5.1, 3.1.5.1.2) as pure functions.

Shared by our acceptor (which verifies) and by tests that check our client against the
spec's worked example (MS-NLMP 4.2.4).
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.hazmat.decrepit.ciphers.algorithms import ARC4
from cryptography.hazmat.primitives.ciphers import Cipher

from wua.rpc.security.md4 import md4


def hmac_md5(key: bytes, data: bytes) -> bytes:
    return hmac.digest(key, data, "md5")


def nt_hash(password: str) -> bytes:
    """NTOWFv1: MD4 of the UTF-16LE password, the secret Windows stores per account."""
    return md4(password.encode("utf-16-le"))


def ntowf_v2(nt_hash_value: bytes, user: str, domain: str) -> bytes:
    """ResponseKeyNT: only the user name is upper-cased; the domain is hashed as sent."""
    return hmac_md5(nt_hash_value, (user.upper() + domain).encode("utf-16-le"))


def nt_proof(response_key: bytes, server_challenge: bytes, blob: bytes) -> bytes:
    """NTProofStr over the client's blob, raw."""
    return hmac_md5(response_key, server_challenge + blob)


def lmv2_response(response_key: bytes, server_challenge: bytes, client_challenge: bytes) -> bytes:
    return hmac_md5(response_key, server_challenge + client_challenge) + client_challenge


def session_base_key(response_key: bytes, proof: bytes) -> bytes:
    """With NTLMv2 this is also the KeyExchangeKey (MS-NLMP 3.4.5.1)."""
    return hmac_md5(response_key, proof)


def rc4_once(key: bytes, data: bytes) -> bytes:
    """One-shot RC4, for the key exchange (a fresh cipher per use is what the spec means)."""
    encryptor = Cipher(ARC4(key), mode=None).encryptor()
    return encryptor.update(data)


def exported_session_key(
    key_exchange_key: bytes, encrypted_random_key: bytes, key_exch: bool
) -> bytes:
    """The key sign/seal derive from: the client's random key when KEY_EXCH was negotiated."""
    return rc4_once(key_exchange_key, encrypted_random_key) if key_exch else key_exchange_key


def message_integrity_code(
    session_key: bytes, negotiate: bytes, challenge: bytes, authenticate_zero_mic: bytes
) -> bytes:
    """MIC over the three messages as sent, the AUTHENTICATE with its MIC zeroed."""
    return hmac_md5(session_key, negotiate + challenge + authenticate_zero_mic)


def md5(data: bytes) -> bytes:
    return hashlib.md5(data).digest()
