"""The codec of connection-oriented RPC PDUs (C706 12.6, MS-RPCE 2.2.2): the PDU values
are in `wua.rpc.pdu_types`, the wire tables in `wua.rpc.pdu_layouts`, and both are
re-exported here, where callers have always imported them.

`encode_pdu` derives frag_length and auth_length, so a PDU value cannot disagree with
itself; `decode_pdu` takes exactly one PDU and refuses anything inconsistent (version,
type, lengths, trailer, leftovers) with a ProtocolError naming the structure and offset.
Bytes Windows leaves unset (the secondary-address padding, auth padding, the auth3 pad)
are kept as received so that captured PDUs re-encode byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wua.errors import ProtocolError
from wua.rpc.constants import (
    RPC_VERS,
    RPC_VERS_MINORS,
    BindNakReason,
    PfcFlags,
    PType,
    as_enum,
)
from wua.rpc.layout import align
from wua.rpc.pdu_layouts import (
    AUTH3_HEAD,
    BIND_HEAD,
    BIND_NAK_HEAD,
    FAULT_HEAD,
    HEADER,
    OBJECT,
    PORT_SPEC,
    REQUEST_HEAD,
    RESPONSE_HEAD,
    SEC_TRAILER,
    VERSION,
)
from wua.rpc.pdu_types import (
    PDU_CLASSES,
    AlterContext,
    AlterContextResp,
    AnyPdu,
    Auth3,
    AuthVerifier,
    Bind,
    BindAck,
    BindNak,
    CoCancel,
    Fault,
    Orphaned,
    Pdu,
    Request,
    Response,
    Shutdown,
)
from wua.rpc.presentation import (
    decode_context_list,
    decode_result_list,
    encode_context_list,
    encode_result_list,
)
from wua.rpc.security.base import AuthLevel, AuthType

__all__ = [
    "HEADER_SIZE",
    "PDU_CLASSES",
    "TRAILER_SIZE",
    "AlterContext",
    "AlterContextResp",
    "AnyPdu",
    "Auth3",
    "AuthVerifier",
    "Bind",
    "BindAck",
    "BindNak",
    "CoCancel",
    "Fault",
    "Header",
    "Orphaned",
    "Pdu",
    "Request",
    "Response",
    "Shutdown",
    "decode_pdu",
    "encode_pdu",
    "peek_header",
    "stub_offset",
]

HEADER_SIZE = HEADER.size
TRAILER_SIZE = SEC_TRAILER.size

# Which PDUs may carry a sec_trailer (MS-RPCE 2.2.2.11); auth3 must.
_MAY_CARRY_AUTH = frozenset(
    {
        PType.BIND,
        PType.ALTER_CONTEXT,
        PType.BIND_ACK,
        PType.ALTER_CONTEXT_RESP,
        PType.AUTH3,
        PType.REQUEST,
        PType.RESPONSE,
        PType.FAULT,
        PType.CO_CANCEL,
        PType.ORPHANED,
    }
)


@dataclass(frozen=True)
class Header:
    """The common header as read from the wire (lengths included)."""

    rpc_vers: int
    rpc_vers_minor: int
    ptype: PType
    pfc_flags: PfcFlags
    drep: bytes
    frag_length: int
    auth_length: int
    call_id: int
    little: bool = field(default=True, compare=False)


def is_little_endian(drep: bytes) -> bool:
    return (drep[0] >> 4) == 1


def peek_header(data: bytes) -> Header:
    """Read and check the common header (not the body): version, type, byte order, lengths."""
    if len(data) < HEADER_SIZE:
        raise ProtocolError(
            f"needs {HEADER_SIZE} bytes, {len(data)} given", structure="common header", offset=0
        )
    drep = data[4:8]
    if (drep[0] >> 4) not in (0, 1):
        raise ProtocolError(
            f"unknown integer representation in drep {drep.hex()}",
            structure="common header",
            offset=4,
        )
    little = is_little_endian(drep)
    v = HEADER.unpack(data, 0, little)
    if v["rpc_vers"] != RPC_VERS:
        raise ProtocolError(
            f"rpc_vers {v['rpc_vers']}, expected 5", structure="common header", offset=0
        )
    if v["rpc_vers_minor"] not in RPC_VERS_MINORS:
        raise ProtocolError(
            f"rpc_vers_minor {v['rpc_vers_minor']}, expected 0 or 1",
            structure="common header",
            offset=1,
        )
    try:
        ptype = PType(v["ptype"])
    except ValueError:
        raise ProtocolError(
            f"unknown ptype {v['ptype']}", structure="common header", offset=2
        ) from None
    if v["frag_length"] < HEADER_SIZE:
        raise ProtocolError(
            f"frag_length {v['frag_length']} is shorter than the header",
            structure="common header",
            offset=8,
        )
    if v["auth_length"] and v["auth_length"] + TRAILER_SIZE + HEADER_SIZE > v["frag_length"]:
        raise ProtocolError(
            f"auth_length {v['auth_length']} does not fit in frag_length {v['frag_length']}",
            structure="common header",
            offset=10,
        )
    return Header(
        RPC_VERS,
        v["rpc_vers_minor"],
        ptype,
        PfcFlags(v["pfc_flags"]),
        drep,
        v["frag_length"],
        v["auth_length"],
        v["call_id"],
        little,
    )


def stub_offset(ptype: PType, flags: PfcFlags) -> int:
    """Where the stub of a request, response or fault starts (what sealing encrypts)."""
    if ptype == PType.REQUEST:
        extra = OBJECT.size if flags & PfcFlags.OBJECT_UUID else 0
        return HEADER_SIZE + REQUEST_HEAD.size + extra
    if ptype == PType.RESPONSE:
        return HEADER_SIZE + RESPONSE_HEAD.size
    if ptype == PType.FAULT:
        return HEADER_SIZE + FAULT_HEAD.size
    raise ProtocolError(f"{ptype.name} carries no stub", structure=ptype.name.lower())


# --- encoding -------------------------------------------------------------------------


def _encode_body(pdu: Pdu, little: bool) -> bytes:
    if isinstance(pdu, Bind):
        head = BIND_HEAD.pack(vars(pdu), little)
        return head + encode_context_list(pdu.contexts, little)
    if isinstance(pdu, BindAck):
        head = BIND_HEAD.pack(vars(pdu), little)
        port = pdu.secondary_address.encode("latin-1") + b"\0" if pdu.secondary_address else b""
        spec = PORT_SPEC.pack({"length": len(port)}, little) + port
        needed = align(HEADER_SIZE + len(head) + len(spec), 4)
        pad = pdu.address_pad or b"\0" * needed
        if len(pad) != needed:
            raise ProtocolError(
                f"address_pad must be {needed} bytes, not {len(pad)}",
                structure=pdu.PTYPE.name.lower(),
            )
        return head + spec + pad + encode_result_list(pdu.results, little)
    if isinstance(pdu, BindNak):
        out = BIND_NAK_HEAD.pack(
            {"reject_reason": int(pdu.reject_reason), "n_protocols": len(pdu.versions)}, little
        )
        for major, minor in pdu.versions:
            out += VERSION.pack({"major": major, "minor": minor}, little)
        return out + pdu.tail
    if isinstance(pdu, Auth3):
        return AUTH3_HEAD.pack({"pad": pdu.pad}, little)
    if isinstance(pdu, Request):
        hint = len(pdu.stub) if pdu.alloc_hint is None else pdu.alloc_hint
        out = REQUEST_HEAD.pack({**vars(pdu), "alloc_hint": hint}, little)
        if pdu.object_uuid is not None:
            out += OBJECT.pack({"object_uuid": pdu.object_uuid}, little)
        elif pdu.flags & PfcFlags.OBJECT_UUID:
            raise ProtocolError("PFC_OBJECT_UUID set without an object UUID", structure="request")
        return out + pdu.stub
    if isinstance(pdu, Response):
        hint = len(pdu.stub) if pdu.alloc_hint is None else pdu.alloc_hint
        return RESPONSE_HEAD.pack({**vars(pdu), "alloc_hint": hint}, little) + pdu.stub
    if isinstance(pdu, Fault):
        hint = len(pdu.stub) if pdu.alloc_hint is None else pdu.alloc_hint
        return FAULT_HEAD.pack({**vars(pdu), "alloc_hint": hint}, little) + pdu.stub
    return b""


def _flags(pdu: Pdu) -> PfcFlags:
    if isinstance(pdu, Request) and pdu.object_uuid is not None:
        return pdu.flags | PfcFlags.OBJECT_UUID
    return pdu.flags


def encode_pdu(pdu: Pdu) -> bytes:
    """The wire bytes of `pdu`, lengths computed."""
    little = is_little_endian(pdu.drep)
    body = _encode_body(pdu, little)
    auth = pdu.auth
    trailer = b""
    if auth is not None:
        if pdu.PTYPE not in _MAY_CARRY_AUTH:
            raise ProtocolError("this PDU carries no sec_trailer", structure=pdu.PTYPE.name.lower())
        trailer = (
            auth.pad
            + SEC_TRAILER.pack(
                {
                    "auth_type": int(auth.auth_type),
                    "auth_level": int(auth.auth_level),
                    "auth_pad_length": auth.auth_pad_length,
                    "auth_reserved": auth.reserved,
                    "auth_context_id": auth.auth_context_id,
                },
                little,
            )
            + auth.auth_value
        )
    frag_length = HEADER_SIZE + len(body) + len(trailer)
    header = HEADER.pack(
        {
            "rpc_vers": RPC_VERS,
            "rpc_vers_minor": pdu.minor_version,
            "ptype": int(pdu.PTYPE),
            "pfc_flags": int(_flags(pdu)),
            "drep": pdu.drep,
            "frag_length": frag_length,
            "auth_length": len(auth.auth_value) if auth else 0,
            "call_id": pdu.call_id,
        },
        little,
    )
    return header + body + trailer


# --- decoding -------------------------------------------------------------------------


def _decode_auth(data: bytes, header: Header) -> tuple[AuthVerifier | None, int]:
    """The verifier and where the body ends (before the auth padding)."""
    if header.auth_length == 0:
        if header.ptype == PType.AUTH3:
            raise ProtocolError("auth3 without a sec_trailer", structure="auth3", offset=10)
        return None, header.frag_length
    if header.ptype not in _MAY_CARRY_AUTH:
        raise ProtocolError(
            f"{header.ptype.name} may not carry a sec_trailer", structure="common header", offset=10
        )
    at = header.frag_length - header.auth_length - TRAILER_SIZE
    if at % 4:
        raise ProtocolError("sec_trailer is not 4-byte aligned", structure="sec_trailer", offset=at)
    t = SEC_TRAILER.unpack(data, at, header.little)
    body_end = at - t["auth_pad_length"]
    if body_end < HEADER_SIZE:
        raise ProtocolError(
            f"auth_pad_length {t['auth_pad_length']} runs into the header",
            structure="sec_trailer",
            offset=at + 2,
        )
    verifier = AuthVerifier(
        as_enum(AuthType, t["auth_type"]),
        as_enum(AuthLevel, t["auth_level"]),
        t["auth_context_id"],
        data[at + TRAILER_SIZE :],
        data[body_end:at],
        t["auth_reserved"],
    )
    return verifier, body_end


def _decode_body(data: bytes, header: Header, end: int) -> tuple[dict[str, Any], int]:
    """The body fields of `header.ptype` and the offset where decoding stopped."""
    little, at = header.little, HEADER_SIZE
    ptype = header.ptype
    if ptype in (PType.BIND, PType.ALTER_CONTEXT):
        fields = BIND_HEAD.unpack(data, at, little)
        fields["contexts"], at = decode_context_list(data, at + BIND_HEAD.size, little)
        return fields, at
    if ptype in (PType.BIND_ACK, PType.ALTER_CONTEXT_RESP):
        fields = BIND_HEAD.unpack(data, at, little)
        at += BIND_HEAD.size
        length = PORT_SPEC.unpack(data, at, little)["length"]
        at += PORT_SPEC.size
        port = data[at : at + length]
        if len(port) != length or (length and port[-1:] != b"\0"):
            raise ProtocolError(
                "secondary address is truncated or not NUL-terminated",
                structure="port_any_t",
                offset=at,
            )
        fields["secondary_address"] = port[:-1].decode("latin-1")
        at += length
        pad = data[at : at + align(at, 4)]
        fields["address_pad"] = b"" if not any(pad) else pad
        fields["results"], at = decode_result_list(data, at + align(at, 4), little)
        return fields, at
    if ptype == PType.BIND_NAK:
        head = BIND_NAK_HEAD.unpack(data, at, little)
        at += BIND_NAK_HEAD.size
        versions = []
        for _ in range(head["n_protocols"]):
            v = VERSION.unpack(data, at, little)
            versions.append((v["major"], v["minor"]))
            at += VERSION.size
        fields = {
            "reject_reason": as_enum(BindNakReason, head["reject_reason"]),
            "versions": tuple(versions),
            "tail": data[at:end],
        }
        return fields, end if at <= end else at
    if ptype == PType.AUTH3:
        return AUTH3_HEAD.unpack(data, at, little), at + AUTH3_HEAD.size
    if ptype == PType.REQUEST:
        fields = REQUEST_HEAD.unpack(data, at, little)
        at += REQUEST_HEAD.size
        fields["object_uuid"] = None
        if header.pfc_flags & PfcFlags.OBJECT_UUID:
            fields["object_uuid"] = OBJECT.unpack(data, at, little)["object_uuid"]
            at += OBJECT.size
    elif ptype == PType.RESPONSE:
        fields = RESPONSE_HEAD.unpack(data, at, little)
        at += RESPONSE_HEAD.size
    elif ptype == PType.FAULT:
        fields = FAULT_HEAD.unpack(data, at, little)
        at += FAULT_HEAD.size
    else:  # shutdown, co_cancel, orphaned: header only
        return {}, at
    if at > end:
        raise ProtocolError(
            "the stub header runs into the sec_trailer", structure=ptype.name.lower(), offset=end
        )
    fields["stub"] = data[at:end]
    return fields, end


#: A bind or alter_context with a sec_trailer may carry bytes between its context list
#: and the trailer, which Windows skips (it finds the trailer from the end): impacket's
#: alter_context repeats its whole context list there. Without a sec_trailer there is no
#: reason for any, and they stay an error.
_CONTEXT_LIST_PDUS = frozenset({PType.BIND, PType.ALTER_CONTEXT})


def decode_pdu(data: bytes) -> AnyPdu:
    """Exactly one PDU from `data`; anything inconsistent raises ProtocolError."""
    header = peek_header(data)
    if header.frag_length != len(data):
        raise ProtocolError(
            f"frag_length {header.frag_length} but {len(data)} bytes given",
            structure="common header",
            offset=8,
        )
    auth, end = _decode_auth(data, header)
    fields, at = _decode_body(data, header, end)
    where = "sec_trailer" if auth else "PDU end"
    if at > end:
        raise ProtocolError(
            f"the body runs {at - end} bytes past the {where}",
            structure=header.ptype.name.lower(),
            offset=end,
        )
    if at < end and not (auth and header.ptype in _CONTEXT_LIST_PDUS):
        raise ProtocolError(
            f"{end - at} bytes left over before the {where}",
            structure=header.ptype.name.lower(),
            offset=at,
        )
    cls = PDU_CLASSES[header.ptype]
    flags = header.pfc_flags
    pdu = cls(
        call_id=header.call_id,
        flags=flags,
        auth=auth,
        drep=header.drep,
        minor_version=header.rpc_vers_minor,
        **fields,
    )
    return pdu  # type: ignore[return-value]
