"""Apply an established Kerberos (GSS-API, DCE style) context to DCE/RPC PDUs.

MS-RPCE 3.3.1.5.2 with header signing, as Windows and Samba do it: at PKT_PRIVACY one
GSS_WrapEx over four buffers, HEADER (the auth_value), SIGN_ONLY (the PDU header up to
the stub), DATA (stub and auth padding, encrypted in place) and SIGN_ONLY (the
sec_trailer); at PKT_INTEGRITY a GSS_GetMIC over the whole PDU without its auth_value.
A peer that did not ask for header signing in its bind (impacket does not) gets what
Samba gives it: the two SIGN_ONLY buffers left out, the MIC over the stub alone.
The auth_value's size must be known before the PDU is built (auth_length is signed), so
it is asked once of the context and every token produced is checked against it.

The GSS library itself stays behind `GssMessages`: pyspnego's context on the client and
python-gssapi's on the acceptor (`wua.rpc.security.gss_messages`), so this module has no
dependency that a machine without Kerberos lacks.
"""

from __future__ import annotations

from typing import Protocol

from wua.errors import ProtocolError
from wua.rpc.security.base import AuthLevel, AuthType
from wua.rpc.security.rpc_protection import check_span, check_trailer

#: RFC 4121 MIC token with an AES-SHA1 checksum: 16-byte header + 12-byte HMAC (Samba's
#: gssapi_get_sig_size gives the same for every AES enctype Windows uses).
MIC_TOKEN_SIZE = 28


class GssMessages(Protocol):
    """Per-message services of one established GSS context."""

    def wrap_size(self) -> int:
        """Length of the HEADER buffer of a DCE-style wrap (76 for AES)."""
        ...

    def wrap(self, before: bytes, data: bytes, after: bytes) -> tuple[bytes, bytes]:
        """Seal `data`, signing `before` and `after` too: (sealed data, header token)."""
        ...

    def unwrap(self, before: bytes, data: bytes, after: bytes, header: bytes) -> bytes:
        """Check and unseal; raises AuthenticationFailed when anything was altered."""
        ...

    def mic(self, message: bytes) -> bytes: ...

    def verify_mic(self, message: bytes, token: bytes) -> None:
        """Raises AuthenticationFailed when the MIC does not match."""
        ...


class GssProtection:
    """Protect/unprotect for one Kerberos auth context once its handshake is done."""

    __slots__ = ("auth_level", "auth_type", "header_signing", "messages", "signature_size")

    def __init__(
        self,
        messages: GssMessages,
        auth_type: AuthType,
        auth_level: AuthLevel,
        *,
        header_signing: bool = True,
    ) -> None:
        self.messages = messages
        self.header_signing = header_signing
        self.auth_type = auth_type
        self.auth_level = auth_level
        if auth_level == AuthLevel.PKT_PRIVACY:
            self.signature_size = messages.wrap_size()
        else:
            self.signature_size = MIC_TOKEN_SIZE

    def protect(self, pdu: bytes, stub_start: int, stub_end: int) -> tuple[bytes, bytes]:
        check_span(pdu, stub_start, stub_end)
        if self.auth_level == AuthLevel.PKT_PRIVACY:
            before, after = self._signed_around(pdu, stub_start, stub_end)
            sealed, token = self.messages.wrap(before, pdu[stub_start:stub_end], after)
            if len(sealed) != stub_end - stub_start:
                raise ProtocolError("GSS wrap changed the stub's length", structure="auth_value")
            result = pdu[:stub_start] + sealed + pdu[stub_end:]
        elif self.auth_level == AuthLevel.PKT_INTEGRITY:
            result, token = pdu, self.messages.mic(self._signed(pdu, stub_start, stub_end))
        else:
            raise ProtocolError(
                f"auth level {self.auth_level.name} carries no verifier", structure="sec_trailer"
            )
        if len(token) != self.signature_size:
            raise ProtocolError(
                f"GSS token of {len(token)} bytes where auth_length announced "
                f"{self.signature_size}",
                structure="auth_value",
            )
        return result, token

    def unprotect(self, pdu: bytes, stub_start: int, stub_end: int, auth_value: bytes) -> bytes:
        check_trailer(pdu, stub_start, stub_end, self.auth_type, self.auth_level)
        if self.auth_level == AuthLevel.PKT_PRIVACY:
            before, after = self._signed_around(pdu, stub_start, stub_end)
            plain = self.messages.unwrap(before, pdu[stub_start:stub_end], after, auth_value)
            return pdu[:stub_start] + plain + pdu[stub_end:]
        if self.auth_level == AuthLevel.PKT_INTEGRITY:
            self.messages.verify_mic(self._signed(pdu, stub_start, stub_end), auth_value)
            return pdu
        raise ProtocolError(
            f"auth level {self.auth_level.name} carries no verifier", structure="sec_trailer"
        )

    def _signed_around(self, pdu: bytes, stub_start: int, stub_end: int) -> tuple[bytes, bytes]:
        """The SIGN_ONLY buffers: header and sec_trailer, or nothing without header signing."""
        if self.header_signing:
            return pdu[:stub_start], pdu[stub_end:]
        return b"", b""

    def _signed(self, pdu: bytes, stub_start: int, stub_end: int) -> bytes:
        return pdu if self.header_signing else pdu[stub_start:stub_end]
