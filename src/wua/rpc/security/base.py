"""The contract between the RPC connection machines and a security provider.

A connection never knows which mechanism is in use: it asks the context for tokens
during bind / alter_context / auth3, then hands it each PDU to protect or check.
MS-RPCE 2.2.2.11-12 and 3.3.1.5.2: the signature covers the PDU header, the stub, the
auth padding and the sec_trailer (with auth_length already set); sealing encrypts the
stub and its padding only.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Protocol


class AuthType(IntEnum):
    """sec_trailer.auth_type (MS-RPCE 2.2.1.1.7)."""

    NONE = 0
    GSS_NEGOTIATE = 9
    WINNT = 10  # NTLM
    GSS_KERBEROS = 16


class AuthLevel(IntEnum):
    """sec_trailer.auth_level (MS-RPCE 2.2.1.1.8)."""

    DEFAULT = 0
    NONE = 1
    CONNECT = 2
    CALL = 3
    PKT = 4
    PKT_INTEGRITY = 5
    PKT_PRIVACY = 6


class SecurityContext(Protocol):
    """One auth context (auth_context_id) of one connection, client or server side."""

    auth_type: AuthType
    auth_level: AuthLevel

    @property
    def complete(self) -> bool:
        """True once the handshake has finished on this side."""
        ...

    @property
    def signature_size(self) -> int:
        """Length of the auth_value a protected PDU carries (16 for NTLM)."""
        ...

    def step(self, token: bytes | None) -> bytes | None:
        """Consume the peer's token (None to start, on the client) and return ours, if any.

        Raises `wua.errors.AuthenticationFailed` when the peer is refused (wrong password,
        unknown user) or its token is malformed.
        """
        ...

    def agree_header_signing(self, agreed: bool) -> None:
        """What the bind settled (PFC_SUPPORT_HEADER_SIGN asked for and echoed): whether
        the PDU header and sec_trailer are signed with the stub. NTLM signs them either
        way; Kerberos signs only the stub where header signing was not agreed. Called by
        the connection before the handshake ends."""
        ...

    def protect(self, pdu: bytes, stub_start: int, stub_end: int) -> tuple[bytes, bytes]:
        """Sign (and at PKT_PRIVACY seal) an outgoing PDU.

        `pdu` is the whole PDU without its auth_value: header (auth_length set), stub,
        auth padding and sec_trailer. `pdu[stub_start:stub_end]` is the stub plus its auth
        padding, the part sealing encrypts. Returns (pdu with the stub sealed or as it
        was, auth_value).
        """
        ...

    def unprotect(self, pdu: bytes, stub_start: int, stub_end: int, auth_value: bytes) -> bytes:
        """Check (and at PKT_PRIVACY unseal) an incoming PDU; returns it with a plain stub.

        Raises `wua.errors.AuthenticationFailed` (SEC_E_MESSAGE_ALTERED) when the signature
        or sequence number does not verify.
        """
        ...


class PduProtection(Protocol):
    """What an established context applies to each PDU (NTLM or Kerberos alike)."""

    @property
    def signature_size(self) -> int: ...

    def protect(self, pdu: bytes, stub_start: int, stub_end: int) -> tuple[bytes, bytes]: ...

    def unprotect(self, pdu: bytes, stub_start: int, stub_end: int, auth_value: bytes) -> bytes: ...
