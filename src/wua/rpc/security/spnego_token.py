"""Just enough DER for SPNEGO (RFC 4178): read NegTokenInit / NegTokenResp, write NegTokenResp.

The client needs two facts pyspnego's public API does not give: the NTLM AUTHENTICATE
it sent (for the negotiated flags) and whether mechListMICs were exchanged (after them
NTLM restarts its RC4 handles but keeps counting sequence numbers). Our SPNEGO acceptor
needs the client's MechTypeList exactly as sent, because the mechListMIC covers its DER.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from wua.errors import ProtocolError

NEG_TOKEN_RESP: Final = 0xA1
GSS_APPLICATION: Final = 0x60
OID: Final = 0x06
ENUMERATED: Final = 0x0A
SPNEGO_OID: Final = bytes.fromhex("2b0601050502")  # 1.3.6.1.5.5.2
NTLM_OID: Final = bytes.fromhex("2b06010401823702020a")  # 1.3.6.1.4.1.311.2.2.10
KRB5_OID: Final = bytes.fromhex("2a864886f712010202")  # 1.2.840.113554.1.2.2
#: 1.2.840.48018.1.2.2: the OID Windows lists first for Kerberos (a historical typo kept)
MS_KRB5_OID: Final = bytes.fromhex("2a864882f712010202")
KERBEROS_OIDS: Final = (MS_KRB5_OID, KRB5_OID)
NEG_STATE: Final = 0
SUPPORTED_MECH: Final = 1
MECH_TYPES: Final = 0
MECH_TOKEN: Final = 2
SEQUENCE: Final = 0x30
OCTET_STRING: Final = 0x04
RESPONSE_TOKEN: Final = 2
MECH_LIST_MIC: Final = 3
_STRUCTURE = "SPNEGO NegTokenResp"


def _element(data: bytes, at: int) -> tuple[int, int, int]:
    """(tag, content start, content end) of the DER element at `at`."""
    if at + 2 > len(data):
        raise ProtocolError("truncated DER header", structure=_STRUCTURE, offset=at)
    tag, first = data[at], data[at + 1]
    at += 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or at + count > len(data):
            raise ProtocolError("bad DER length", structure=_STRUCTURE, offset=at - 1)
        length = int.from_bytes(data[at : at + count], "big")
        at += count
    if at + length > len(data):
        raise ProtocolError("DER element runs past the end", structure=_STRUCTURE, offset=at)
    return tag, at, at + length


def neg_token_resp_fields(token: bytes) -> dict[int, bytes]:
    """Context tag number -> that field's content (OCTET STRING fields unwrapped)."""
    tag, start, end = _element(token, 0)
    if tag != NEG_TOKEN_RESP or end != len(token):
        raise ProtocolError("not a NegTokenResp", structure=_STRUCTURE, offset=0)
    tag, at, end = _element(token, start)
    if tag != SEQUENCE:
        raise ProtocolError("NegTokenResp is not a SEQUENCE", structure=_STRUCTURE, offset=start)
    fields: dict[int, bytes] = {}
    while at < end:
        tag, inner, stop = _element(token, at)
        content = token[inner:stop]
        if tag in (0xA0 + RESPONSE_TOKEN, 0xA0 + MECH_LIST_MIC):
            kind, value_start, value_end = _element(token, inner)
            if kind != OCTET_STRING:
                raise ProtocolError("expected an OCTET STRING", structure=_STRUCTURE, offset=inner)
            content = token[value_start:value_end]
        fields[tag - 0xA0] = content
        at = stop
    return fields


@dataclass(frozen=True)
class NegTokenInit:
    """The client's first SPNEGO token."""

    mech_types_der: bytes  # the MechTypeList element, tag included, as the MIC covers it
    mech_types: tuple[bytes, ...]  # OID contents, in the client's order of preference
    mech_token: bytes | None


def _context_fields(token: bytes, at: int, end: int) -> dict[int, tuple[int, int, int]]:
    """Context-tagged children of a SEQUENCE: tag number -> (element start, content, end)."""
    tag, at, stop = _element(token, at)
    if tag != SEQUENCE or stop != end:
        raise ProtocolError(
            "expected a SEQUENCE filling its parent", structure=_STRUCTURE, offset=at
        )
    fields: dict[int, tuple[int, int, int]] = {}
    while at < stop:
        start = at
        tag, inner, at = _element(token, at)
        if not 0xA0 <= tag <= 0xBF:
            raise ProtocolError(f"unexpected tag {tag:#x}", structure=_STRUCTURE, offset=start)
        fields[tag - 0xA0] = (start, inner, at)
    return fields


def _octet_string(token: bytes, at: int) -> bytes:
    kind, start, end = _element(token, at)
    if kind != OCTET_STRING:
        raise ProtocolError("expected an OCTET STRING", structure=_STRUCTURE, offset=at)
    return token[start:end]


def decode_neg_token_init(token: bytes) -> NegTokenInit:
    """Parse the GSS InitialContextToken wrapping a NegTokenInit."""
    tag, at, end = _element(token, 0)
    if tag != GSS_APPLICATION or end != len(token):
        raise ProtocolError(
            "not a GSS InitialContextToken", structure="SPNEGO NegTokenInit", offset=0
        )
    kind, oid_start, at = _element(token, at)
    if kind != OID or token[oid_start:at] != SPNEGO_OID:
        raise ProtocolError(
            "the mechanism is not SPNEGO", structure="SPNEGO NegTokenInit", offset=oid_start
        )
    tag, inner, stop = _element(token, at)
    if tag != 0xA0 or stop != end:
        raise ProtocolError(
            "no NegTokenInit after the SPNEGO OID", structure="SPNEGO NegTokenInit", offset=at
        )
    fields = _context_fields(token, inner, stop)
    if MECH_TYPES not in fields:
        raise ProtocolError(
            "NegTokenInit without mechTypes", structure="SPNEGO NegTokenInit", offset=inner
        )
    _, list_at, list_end = fields[MECH_TYPES]
    kind, at, stop = _element(token, list_at)
    if kind != SEQUENCE or stop != list_end:
        raise ProtocolError(
            "mechTypes is not a SEQUENCE", structure="SPNEGO NegTokenInit", offset=list_at
        )
    mechs: list[bytes] = []
    while at < stop:
        kind, oid_at, next_at = _element(token, at)
        if kind != OID:
            raise ProtocolError(
                "mechTypes holds a non-OID", structure="SPNEGO NegTokenInit", offset=at
            )
        mechs.append(token[oid_at:next_at])
        at = next_at
    mech_token = None
    if MECH_TOKEN in fields:
        mech_token = _octet_string(token, fields[MECH_TOKEN][1])
    return NegTokenInit(token[list_at:list_end], tuple(mechs), mech_token)


def _der(tag: int, content: bytes) -> bytes:
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + content


def encode_neg_token_resp(
    state: int | None,
    mech: bytes | None = None,
    response_token: bytes | None = None,
    mech_list_mic: bytes | None = None,
) -> bytes:
    """A NegTokenResp with the fields given (absent ones are left out, as Windows does)."""
    body = b""
    if state is not None:
        body += _der(0xA0 + NEG_STATE, _der(ENUMERATED, bytes([state])))
    if mech is not None:
        body += _der(0xA0 + SUPPORTED_MECH, _der(OID, mech))
    if response_token is not None:
        body += _der(0xA0 + RESPONSE_TOKEN, _der(OCTET_STRING, response_token))
    if mech_list_mic is not None:
        body += _der(0xA0 + MECH_LIST_MIC, _der(OCTET_STRING, mech_list_mic))
    return _der(NEG_TOKEN_RESP, _der(SEQUENCE, body))
