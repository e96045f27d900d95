"""Both directions of an established NTLM session, for one side (client or server).

Each direction owns its signing key, RC4 handle and sequence number, derived once from
the exported session key. Incoming signatures are checked field by field so that a
replay, a tampered byte and a wrong key each fail with their own message.
"""

from __future__ import annotations

import hmac

from wua.errors import AuthenticationFailed
from wua.reference.hresults import SEC_E_MESSAGE_ALTERED
from wua.rpc.security.ntlm_flags import NegotiateFlags
from wua.rpc.security.ntlm_signing import (
    SIGNATURE_SIZE,
    SIGNATURE_VERSION,
    SealingHandle,
    mac,
    seal,
    seal_key,
    sign_key,
    signature_sequence,
    unseal,
)

_SEQUENCE_LIMIT = 1 << 32


class NtlmSession:
    """Sign, seal, verify and unseal with per-direction state; not thread-safe by design
    (one connection drives it, in PDU order)."""

    __slots__ = (
        "_key_exchange",
        "_recv_handle",
        "_recv_key",
        "_recv_seal",
        "_recv_seq",
        "_send_handle",
        "_send_key",
        "_send_seal",
        "_send_seq",
    )

    def __init__(
        self,
        session_key: bytes,
        flags: NegotiateFlags,
        *,
        is_client: bool,
        first_send_seq: int = 0,
        first_recv_seq: int = 0,
    ) -> None:
        """`first_*_seq` is 1 in a direction that already carried a SPNEGO mechListMIC."""
        self._key_exchange = bool(flags & NegotiateFlags.KEY_EXCH)
        self._send_key = sign_key(session_key, client_to_server=is_client)
        self._recv_key = sign_key(session_key, client_to_server=not is_client)
        self._send_seal = seal_key(session_key, flags, client_to_server=is_client)
        self._recv_seal = seal_key(session_key, flags, client_to_server=not is_client)
        self._send_handle = SealingHandle(self._send_seal)
        self._recv_handle = SealingHandle(self._recv_seal)
        self._send_seq = first_send_seq
        self._recv_seq = first_recv_seq

    def restart_handles(self) -> None:
        """Rewind both RC4 keystreams, keeping the sequence numbers: what SPNEGO requires
        of NTLM once the mechListMICs have been exchanged."""
        self._send_handle = SealingHandle(self._send_seal)
        self._recv_handle = SealingHandle(self._recv_seal)

    def _next_send(self) -> int:
        seq = self._send_seq
        self._send_seq = (seq + 1) % _SEQUENCE_LIMIT
        return seq

    def sign(self, message: bytes) -> bytes:
        return mac(
            self._send_handle,
            self._send_key,
            self._next_send(),
            message,
            key_exchange=self._key_exchange,
        )

    def seal(self, message_to_sign: bytes, message_to_encrypt: bytes) -> tuple[bytes, bytes]:
        return seal(
            self._send_handle,
            self._send_key,
            self._next_send(),
            message_to_sign,
            message_to_encrypt,
            key_exchange=self._key_exchange,
        )

    def unseal(self, sealed: bytes) -> bytes:
        """Decrypt a sealed stub; `verify` on the plaintext message must follow."""
        return unseal(self._recv_handle, sealed)

    def verify(self, message: bytes, signature: bytes) -> None:
        """Check the peer's signature over `message` and consume a sequence number."""
        if len(signature) != SIGNATURE_SIZE:
            raise AuthenticationFailed(
                f"the signature is {len(signature)} bytes, NTLM signs with {SIGNATURE_SIZE}",
                hresult=SEC_E_MESSAGE_ALTERED,
            )
        if signature[:4] != SIGNATURE_VERSION:
            raise AuthenticationFailed(
                "the signature's version is not 1", hresult=SEC_E_MESSAGE_ALTERED
            )
        expected_seq = self._recv_seq
        self._recv_seq = (expected_seq + 1) % _SEQUENCE_LIMIT
        expected = mac(
            self._recv_handle,
            self._recv_key,
            expected_seq,
            message,
            key_exchange=self._key_exchange,
        )
        got_seq = signature_sequence(signature)
        if got_seq != expected_seq:
            raise AuthenticationFailed(
                f"sequence number {got_seq} where {expected_seq} was due (replayed, reordered "
                "or dropped message)",
                hresult=SEC_E_MESSAGE_ALTERED,
            )
        if not hmac.compare_digest(expected, signature):
            raise AuthenticationFailed(
                "the message signature does not verify (tampered message or wrong key)",
                hresult=SEC_E_MESSAGE_ALTERED,
            )
