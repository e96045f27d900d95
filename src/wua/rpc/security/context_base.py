"""What every protected context (client or acceptor, NTLM or Kerberos) shares."""

from __future__ import annotations

from wua.errors import AuthenticationFailed, ProtocolError
from wua.reference.hresults import SEC_E_INVALID_TOKEN
from wua.rpc.security.base import AuthLevel, AuthType, PduProtection
from wua.rpc.security.ntlm_flags import NegotiateFlags
from wua.rpc.security.ntlm_signing import SIGNATURE_SIZE
from wua.rpc.security.rpc_protection import check_level

_LEVELS = (AuthLevel.CONNECT, AuthLevel.PKT_INTEGRITY, AuthLevel.PKT_PRIVACY)


class ProtectedContext:
    """Delegates protect/unprotect to the protection installed when the handshake ends."""

    auth_type: AuthType
    auth_level: AuthLevel

    def __init__(self, auth_type: AuthType, auth_level: AuthLevel, *, server: bool) -> None:
        """An unsupported level is the caller's mistake on a client (ValueError) but the
        peer's request on a server, which must refuse it like any other bad bind."""
        if auth_level not in _LEVELS:
            text = (
                f"DCE/RPC security supports {', '.join(x.name for x in _LEVELS)}, "
                f"not {auth_level.name}"
            )
            if server:
                raise AuthenticationFailed(text)
            raise ValueError(text)
        self.auth_type = auth_type
        self.auth_level = auth_level
        self._protection: PduProtection | None = None
        self.header_signing = True  # what every Windows peer negotiates

    def agree_header_signing(self, agreed: bool) -> None:
        """Kept for the protection made when the handshake ends (Kerberos reads it)."""
        self.header_signing = agreed

    @property
    def complete(self) -> bool:
        return self._protection is not None

    @property
    def signature_size(self) -> int:
        """NTLM's 16 until a protection is installed (Kerberos tokens are longer)."""
        return SIGNATURE_SIZE if self._protection is None else self._protection.signature_size

    def _established(self) -> PduProtection:
        if self._protection is None:
            raise ProtocolError("the security handshake has not completed", structure="sec_trailer")
        return self._protection

    def require_level(self, level: AuthLevel | int) -> None:
        """For the connection: refuse a PDU that arrived below the negotiated level."""
        check_level(self.auth_level, level)

    def protect(self, pdu: bytes, stub_start: int, stub_end: int) -> tuple[bytes, bytes]:
        return self._established().protect(pdu, stub_start, stub_end)

    def unprotect(self, pdu: bytes, stub_start: int, stub_end: int, auth_value: bytes) -> bytes:
        return self._established().unprotect(pdu, stub_start, stub_end, auth_value)

    def _check_protection_flags(self, flags: NegotiateFlags, who: str) -> None:
        """The negotiated flags must allow what the auth level will do to every PDU:
        SSPI refuses to seal on a context that did not negotiate confidentiality, so a
        PKT_PRIVACY binding without NTLMSSP_NEGOTIATE_SEAL could never carry a call."""
        if not flags & NegotiateFlags.EXTENDED_SESSIONSECURITY:
            raise AuthenticationFailed(f"{who} did not negotiate extended session security")
        if self.auth_level >= AuthLevel.PKT_INTEGRITY and not flags & NegotiateFlags.SIGN:
            raise AuthenticationFailed(
                f"{who} did not negotiate signing for {self.auth_level.name}"
            )
        if self.auth_level == AuthLevel.PKT_PRIVACY and not flags & NegotiateFlags.SEAL:
            raise AuthenticationFailed(f"{who} did not negotiate sealing for PKT_PRIVACY")

    def _malformed(self, what: str, exc: ProtocolError) -> AuthenticationFailed:
        return AuthenticationFailed(f"malformed {what}: {exc.detail}", hresult=SEC_E_INVALID_TOKEN)
