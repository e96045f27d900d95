"""A test double for the SecurityContext protocol: a toy mechanism with real checks.

Handshake: NEGOTIATE → CHALLENGE(nonce) → AUTHENTICATE(HMAC(password, nonce)), like NTLM's
three legs; with `spnego_like` the server answers the last leg with a final token and the
client is complete only once it has it (so the machines must use an alter_context leg).
Signatures are HMAC-SHA256 over (sequence number, plain PDU) cut to 16 bytes; sealing XORs
the stub with a keystream. Tampering with any signed byte therefore fails verification.
"""

from __future__ import annotations

import hashlib
import hmac

from wua.errors import AuthenticationFailed
from wua.rpc.security.base import AuthLevel, AuthType


class FakeContext:
    signature_size = 16

    def agree_header_signing(self, agreed: bool) -> None:
        """This toy signs the whole PDU either way, as NTLM does."""

    def __init__(
        self,
        *,
        server: bool,
        auth_level: AuthLevel = AuthLevel.PKT_INTEGRITY,
        password: bytes = b"secret",
        spnego_like: bool = False,
        auth_type: AuthType = AuthType.WINNT,
    ) -> None:
        self.server = server
        self.auth_type = auth_type
        self.auth_level = auth_level
        self.password = password
        self.spnego_like = spnego_like
        self._complete = False
        self._nonce = b""
        self._send_seq = 0
        self._recv_seq = 0
        self.steps = 0

    @property
    def complete(self) -> bool:
        return self._complete

    def step(self, token: bytes | None) -> bytes | None:
        self.steps += 1
        if self.server:
            return self._server_step(token or b"")
        if token is None:
            return b"NEGOTIATE"
        if token.startswith(b"CHALLENGE:"):
            self._nonce = token[10:]
            self._complete = not self.spnego_like
            return b"AUTHENTICATE:" + self._proof()
        if token == b"FINAL" and self.spnego_like:
            self._complete = True
            return None
        raise AuthenticationFailed(f"unexpected token {token!r}")

    def _server_step(self, token: bytes) -> bytes | None:
        if token == b"NEGOTIATE":
            self._nonce = hashlib.sha256(b"nonce" + self.password).digest()[:8]
            return b"CHALLENGE:" + self._nonce
        if token.startswith(b"AUTHENTICATE:"):
            if not hmac.compare_digest(token[13:], self._proof()):
                raise AuthenticationFailed("wrong password")
            self._complete = True
            return b"FINAL" if self.spnego_like else None
        raise AuthenticationFailed(f"unexpected token {token!r}")

    def _proof(self) -> bytes:
        return hmac.new(self.password, self._nonce, hashlib.sha256).digest()

    def _key(self) -> bytes:
        return hashlib.sha256(self.password + self._nonce).digest()

    def _sign(self, seq: int, pdu: bytes) -> bytes:
        return hmac.new(self._key(), seq.to_bytes(4, "little") + pdu, hashlib.sha256).digest()[:16]

    def _xor(self, data: bytes) -> bytes:
        stream = hashlib.shake_256(self._key()).digest(len(data))
        return bytes(a ^ b for a, b in zip(data, stream, strict=True))

    def protect(self, pdu: bytes, stub_start: int, stub_end: int) -> tuple[bytes, bytes]:
        signature = self._sign(self._send_seq, pdu)
        self._send_seq += 1
        if self.auth_level == AuthLevel.PKT_PRIVACY:
            pdu = pdu[:stub_start] + self._xor(pdu[stub_start:stub_end]) + pdu[stub_end:]
        return pdu, signature

    def unprotect(self, pdu: bytes, stub_start: int, stub_end: int, auth_value: bytes) -> bytes:
        if self.auth_level == AuthLevel.PKT_PRIVACY:
            pdu = pdu[:stub_start] + self._xor(pdu[stub_start:stub_end]) + pdu[stub_end:]
        expected = self._sign(self._recv_seq, pdu)
        if not hmac.compare_digest(expected, auth_value):
            raise AuthenticationFailed("signature does not verify", hresult=0x8009030F)
        self._recv_seq += 1
        return pdu


def server_factory(password: bytes = b"secret", spnego_like: bool = False):  # type: ignore[no-untyped-def]
    def make(auth_type: AuthType | int, auth_level: AuthLevel | int) -> FakeContext:
        if auth_type not in (AuthType.WINNT, AuthType.GSS_NEGOTIATE):
            raise AuthenticationFailed(f"auth type {auth_type} not supported")
        return FakeContext(
            server=True,
            auth_level=AuthLevel(auth_level),
            password=password,
            spnego_like=spnego_like,
            auth_type=AuthType(auth_type),
        )

    return make
