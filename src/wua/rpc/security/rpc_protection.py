"""Apply an NTLM session to DCE/RPC PDUs at the negotiated authentication level.

MS-RPCE 3.3.1.5.2: the signature covers header, stub, auth padding and sec_trailer;
sealing encrypts the stub and its padding only. At PKT_PRIVACY the stub is sealed first
and the signature is then computed over the PDU with the stub still in plaintext, in that
order, because both draw from the same RC4 keystream (impacket's rpcrt does the same).
The receiver also reads the sec_trailer's auth_level itself, so a PDU protected at a
lower level than negotiated is refused even if the connection forgets to check.
"""

from __future__ import annotations

from wua.errors import AuthenticationFailed, ProtocolError
from wua.reference.hresults import SEC_E_MESSAGE_ALTERED
from wua.rpc.security.base import AuthLevel, AuthType
from wua.rpc.security.ntlm_session import NtlmSession
from wua.rpc.security.ntlm_signing import SIGNATURE_SIZE

TRAILER_SIZE = 8
_SIGNING_LEVELS = (AuthLevel.PKT_INTEGRITY, AuthLevel.PKT_PRIVACY)


class RpcProtection:
    """Protect/unprotect for one auth context once its handshake is done."""

    __slots__ = ("auth_level", "auth_type", "session")
    signature_size = SIGNATURE_SIZE

    def __init__(self, session: NtlmSession, auth_type: AuthType, auth_level: AuthLevel) -> None:
        self.session = session
        self.auth_type = auth_type
        self.auth_level = auth_level

    def require_level(self, level: AuthLevel | int) -> None:
        check_level(self.auth_level, level)

    def protect(self, pdu: bytes, stub_start: int, stub_end: int) -> tuple[bytes, bytes]:
        check_span(pdu, stub_start, stub_end)
        if self.auth_level == AuthLevel.PKT_PRIVACY:
            sealed, signature = self.session.seal(pdu, pdu[stub_start:stub_end])
            return pdu[:stub_start] + sealed + pdu[stub_end:], signature
        if self.auth_level in _SIGNING_LEVELS:
            return pdu, self.session.sign(pdu)
        raise ProtocolError(
            f"auth level {self.auth_level.name} carries no verifier", structure="sec_trailer"
        )

    def unprotect(self, pdu: bytes, stub_start: int, stub_end: int, auth_value: bytes) -> bytes:
        check_trailer(pdu, stub_start, stub_end, self.auth_type, self.auth_level)
        if self.auth_level == AuthLevel.PKT_PRIVACY:
            plain = self.session.unseal(pdu[stub_start:stub_end])
            message = pdu[:stub_start] + plain + pdu[stub_end:]
            self.session.verify(message, auth_value)
            return message
        if self.auth_level in _SIGNING_LEVELS:
            self.session.verify(pdu, auth_value)
            return pdu
        raise ProtocolError(
            f"auth level {self.auth_level.name} carries no verifier", structure="sec_trailer"
        )


def check_level(negotiated: AuthLevel, level: AuthLevel | int) -> None:
    """Refuse a PDU that arrived protected below the negotiated level (a downgrade)."""
    if level < negotiated:
        raise AuthenticationFailed(
            f"a PDU at auth level {_name(level)} on a context negotiated at "
            f"{negotiated.name} (downgrade)",
            hresult=SEC_E_MESSAGE_ALTERED,
        )


def check_trailer(
    pdu: bytes, stub_start: int, stub_end: int, auth_type: AuthType, negotiated: AuthLevel
) -> None:
    """An incoming protected PDU's stub span and sec_trailer must fit and match the context:
    the same auth type, and a level no lower than negotiated."""
    check_span(pdu, stub_start, stub_end)
    if len(pdu) < TRAILER_SIZE or stub_end > len(pdu) - TRAILER_SIZE:
        raise ProtocolError(
            "no room for the sec_trailer after the stub", structure="sec_trailer", offset=stub_end
        )
    trailer = len(pdu) - TRAILER_SIZE
    if pdu[trailer] != auth_type:
        raise AuthenticationFailed(
            f"sec_trailer auth_type {pdu[trailer]} on a {auth_type.name} context",
            hresult=SEC_E_MESSAGE_ALTERED,
        )
    check_level(negotiated, pdu[trailer + 1])


def check_span(pdu: bytes, start: int, end: int) -> None:
    if not 0 <= start <= end <= len(pdu):
        raise ProtocolError(
            f"stub span {start}..{end} outside the {len(pdu)}-byte PDU",
            structure="pdu",
            offset=start,
        )


def _name(level: int) -> str:
    try:
        return AuthLevel(level).name
    except ValueError:
        return str(level)
