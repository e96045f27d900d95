"""Splitting a call's stub into fragments, protecting each, and putting calls back together.

Each fragment is signed (and at PKT_PRIVACY sealed) on its own (MS-RPCE 3.3.1.5.2.2), so
protection happens here, per fragment, not on the whole stub. Windows pads the stub of
every protected fragment to a multiple of 16 bytes, and cuts non-final fragments on a
16-byte boundary so that only the last one needs padding; we do the same so that strict
peers see what they see from Windows.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from wua.errors import ProtocolError
from wua.rpc.constants import PfcFlags
from wua.rpc.layout import align
from wua.rpc.pdu import (
    HEADER_SIZE,
    TRAILER_SIZE,
    AuthVerifier,
    Fault,
    Header,
    Request,
    Response,
    encode_pdu,
    stub_offset,
)
from wua.rpc.security.base import AuthLevel, SecurityContext

PROTECTED_STUB_ALIGNMENT = 16
PLAIN_STUB_ALIGNMENT = 8

# At these levels every request, response and fault carries a verifier; at CONNECT and
# below only the handshake PDUs do (the Kerberos capture's request has no sec_trailer).
VERIFIER_LEVELS = frozenset(
    {AuthLevel.CALL, AuthLevel.PKT, AuthLevel.PKT_INTEGRITY, AuthLevel.PKT_PRIVACY}
)


@dataclass(frozen=True)
class CallSecurity:
    """The auth context a call's fragments are protected with."""

    context: SecurityContext
    auth_context_id: int

    @property
    def carries_verifier(self) -> bool:
        return self.context.auth_level in VERIFIER_LEVELS


def _protect(pdu: Request | Response, security: CallSecurity) -> bytes:
    size = security.context.signature_size
    if size <= 0:
        raise ProtocolError(
            "the security context signs with an empty signature", structure="auth_value"
        )
    pad = b"\x00" * align(len(pdu.stub), PROTECTED_STUB_ALIGNMENT)
    verifier = AuthVerifier(
        security.context.auth_type,
        security.context.auth_level,
        security.auth_context_id,
        b"\x00" * size,
        pad,
    )
    unsigned = encode_pdu(dataclasses.replace(pdu, auth=verifier))[:-size]
    start = stub_offset(pdu.PTYPE, pdu.flags | _object_flag(pdu))
    end = len(unsigned) - TRAILER_SIZE
    protected, signature = security.context.protect(unsigned, start, end)
    if len(signature) != size:
        raise ProtocolError(
            f"signature is {len(signature)} bytes, announced {size}", structure="auth_value"
        )
    return protected + signature


def _object_flag(pdu: Request | Response) -> PfcFlags:
    if isinstance(pdu, Request) and pdu.object_uuid is not None:
        return PfcFlags.OBJECT_UUID
    return PfcFlags.NONE


def fragment_call(
    pdu: Request | Response, max_frag: int, security: CallSecurity | None = None
) -> list[bytes]:
    """The fragments of `pdu` (whose stub is the whole call), each at most `max_frag` bytes.

    alloc_hint is the stub length still to come, as Windows sets it.
    """
    protecting = security if security is not None and security.carries_verifier else None
    overhead = stub_offset(pdu.PTYPE, pdu.flags | _object_flag(pdu))
    alignment = PLAIN_STUB_ALIGNMENT
    if protecting is not None:
        overhead += TRAILER_SIZE + protecting.context.signature_size
        alignment = PROTECTED_STUB_ALIGNMENT
    room = (max_frag - overhead) // alignment * alignment
    if room <= 0:
        raise ProtocolError(
            f"max_frag {max_frag} leaves no room for stub data", structure=pdu.PTYPE.name.lower()
        )
    stub = pdu.stub
    out: list[bytes] = []
    at = 0
    while True:
        chunk = stub[at : at + room]
        flags = pdu.flags & ~PfcFlags.SINGLE
        if at == 0:
            flags |= PfcFlags.FIRST_FRAG
        if at + room >= len(stub):
            flags |= PfcFlags.LAST_FRAG
        part = dataclasses.replace(
            pdu, stub=chunk, flags=flags, alloc_hint=len(stub) - at, auth=None
        )
        if protecting is not None:
            out.append(_protect(part, protecting))
        else:
            out.append(encode_pdu(part))
        at += room
        if at >= len(stub):
            return out


def unprotect_fragment(data: bytes, header: Header, security: CallSecurity) -> bytes:
    """Check (and unseal) one received fragment; returns it with a plain stub.

    Raises AuthenticationFailed when the signature does not verify.
    """
    size = header.auth_length
    start = stub_offset(header.ptype, header.pfc_flags)
    end = header.frag_length - size - TRAILER_SIZE
    if end < start:
        raise ProtocolError(
            "the sec_trailer overlaps the stub header",
            structure=header.ptype.name.lower(),
            offset=end,
        )
    plain = security.context.unprotect(data[:-size], start, end, data[-size:])
    return plain + data[-size:]


@dataclass
class _Partial:
    first: Request | Response | Fault
    parts: list[bytes]
    size: int


class Reassembler:
    """Puts fragmented requests or responses back together, one call ID at a time.

    `max_call_size` bounds the memory a peer can make us hold for one call.
    """

    def __init__(self, max_call_size: int) -> None:
        self._max = max_call_size
        self._partial: dict[int, _Partial] = {}

    def in_progress(self, call_id: int) -> bool:
        return call_id in self._partial

    def drop(self, call_id: int) -> None:
        self._partial.pop(call_id, None)

    def add(self, pdu: Request | Response | Fault) -> Request | Response | Fault | None:
        """The whole call once its last fragment arrives, else None."""
        first = bool(pdu.flags & PfcFlags.FIRST_FRAG)
        last = bool(pdu.flags & PfcFlags.LAST_FRAG)
        name = pdu.PTYPE.name.lower()
        partial = self._partial.get(pdu.call_id)
        if first:
            if partial is not None:
                raise ProtocolError(
                    f"call {pdu.call_id} restarted before its last fragment",
                    structure=name,
                    offset=3,
                )
            partial = _Partial(pdu, [], 0)
        elif partial is None:
            raise ProtocolError(
                f"fragment of call {pdu.call_id} without a first fragment", structure=name, offset=3
            )
        elif not _same_call(partial.first, pdu):
            raise ProtocolError(
                f"fragment of call {pdu.call_id} changes its context or opnum",
                structure=name,
                offset=HEADER_SIZE,
            )
        partial.parts.append(pdu.stub)
        partial.size += len(pdu.stub)
        if partial.size > self._max:
            self._partial.pop(pdu.call_id, None)
            raise ProtocolError(f"call {pdu.call_id} exceeds {self._max} bytes", structure=name)
        if not last:
            self._partial[pdu.call_id] = partial
            return None
        self._partial.pop(pdu.call_id, None)
        whole = b"".join(partial.parts)
        return dataclasses.replace(
            partial.first,
            stub=whole,
            flags=partial.first.flags | PfcFlags.LAST_FRAG,
            alloc_hint=len(whole),
        )


def _same_call(first: Request | Response | Fault, later: Request | Response | Fault) -> bool:
    if type(first) is not type(later) or first.context_id != later.context_id:
        return False
    if isinstance(first, Request) and isinstance(later, Request):
        return first.opnum == later.opnum and first.object_uuid == later.object_uuid
    return True
