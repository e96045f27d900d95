"""Just enough DER to read a SPNEGO NegTokenResp (RFC 4178 4.2.2) from our own handshake.

The client needs two facts pyspnego's public API does not give: the NTLM AUTHENTICATE
it sent (for the negotiated flags) and whether mechListMICs were exchanged (after them
NTLM restarts its RC4 handles but keeps counting sequence numbers).
"""

from __future__ import annotations

from typing import Final

from wua.errors import ProtocolError

NEG_TOKEN_RESP: Final = 0xA1
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
                raise ProtocolError("expected an OCTET STRING", structure=_STRUCTURE,
                                    offset=inner)
            content = token[value_start:value_end]
        fields[tag - 0xA0] = content
        at = stop
    return fields
