"""NTLM message integrity and confidentiality with extended session security.

MS-NLMP 3.4.4.2 (MAC with ESS), 3.4.5.2 SIGNKEY, 3.4.5.3 SEALKEY, 3.4.3 SEAL. The
functions are pure except for the RC4 handle: RC4 is one keystream per direction for
the whole session (sealed data and checksums draw from it in turn), so the handle is the
one piece of state a caller threads through, and it is kept as a live cipher context
rather than re-keyed per message because re-keying would cost more than the whole MAC.
"""

from __future__ import annotations

import hmac
import struct
from typing import Final

from cryptography.hazmat.decrepit.ciphers.algorithms import ARC4
from cryptography.hazmat.primitives.ciphers import Cipher, CipherContext

from wua.rpc.security.ntlm_crypto import md5
from wua.rpc.security.ntlm_flags import NegotiateFlags

SIGNATURE_SIZE: Final = 16
SIGNATURE_VERSION: Final = b"\x01\x00\x00\x00"
_SEQ = struct.Struct("<I")

_CLIENT_SIGN = b"session key to client-to-server signing key magic constant\x00"
_SERVER_SIGN = b"session key to server-to-client signing key magic constant\x00"
_CLIENT_SEAL = b"session key to client-to-server sealing key magic constant\x00"
_SERVER_SEAL = b"session key to server-to-client sealing key magic constant\x00"


def sign_key(session_key: bytes, *, client_to_server: bool) -> bytes:
    """SIGNKEY: the HMAC key for one direction."""
    return md5(session_key + (_CLIENT_SIGN if client_to_server else _SERVER_SIGN))


def seal_key(session_key: bytes, flags: NegotiateFlags, *, client_to_server: bool) -> bytes:
    """SEALKEY: the RC4 key for one direction, cut to the negotiated strength first."""
    if flags & NegotiateFlags.KEY_128:
        base = session_key
    elif flags & NegotiateFlags.KEY_56:
        base = session_key[:7]
    else:
        base = session_key[:5]
    return md5(base + (_CLIENT_SEAL if client_to_server else _SERVER_SEAL))


class SealingHandle:
    """One direction's RC4 keystream (MS-NLMP's ClientHandle / ServerHandle)."""

    __slots__ = ("_context",)

    def __init__(self, key: bytes) -> None:
        self._context: CipherContext = Cipher(ARC4(key), mode=None).encryptor()

    def __call__(self, data: bytes) -> bytes:
        return self._context.update(data)


def mac(
    handle: SealingHandle,
    signing_key: bytes,
    sequence: int,
    message: bytes,
    *,
    key_exchange: bool = True,
) -> bytes:
    """The 16-byte NTLMSSP_MESSAGE_SIGNATURE (version 1) of `message`.

    With key exchange the 8-byte checksum is passed through the direction's RC4 handle,
    which is why signing advances the same keystream that sealing uses.
    """
    seq = _SEQ.pack(sequence)
    checksum = hmac.digest(signing_key, seq + message, "md5")[:8]
    if key_exchange:
        checksum = handle(checksum)
    return SIGNATURE_VERSION + checksum + seq


def seal(
    handle: SealingHandle,
    signing_key: bytes,
    sequence: int,
    message_to_sign: bytes,
    message_to_encrypt: bytes,
    *,
    key_exchange: bool = True,
) -> tuple[bytes, bytes]:
    """SEAL: encrypt first, then sign the plaintext (the keystream order is part of the wire)."""
    sealed = handle(message_to_encrypt)
    return sealed, mac(handle, signing_key, sequence, message_to_sign, key_exchange=key_exchange)


def unseal(handle: SealingHandle, sealed: bytes) -> bytes:
    """RC4 is symmetric: the receiver's handle decrypts with the same call."""
    return handle(sealed)


def signature_sequence(signature: bytes) -> int:
    """The SeqNum field of a version-1 signature."""
    return int(_SEQ.unpack_from(signature, 12)[0])
