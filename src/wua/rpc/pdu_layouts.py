"""The fixed-size parts of connection-oriented RPC PDUs as wire tables (C706 12.6,
MS-RPCE 2.2.2): one `Layout` per structure, read by the PDU codec (`wua.rpc.pdu`).

Kept apart from the codec so the wire form of each structure is stated in one place
and the codec only says in which order they come.
"""

from __future__ import annotations

from wua.rpc.layout import U8, U16, U32, UUID16, Layout

HEADER = Layout(
    "common header",
    (
        ("rpc_vers", U8),
        ("rpc_vers_minor", U8),
        ("ptype", U8),
        ("pfc_flags", U8),
        ("drep", "4s"),
        ("frag_length", U16),
        ("auth_length", U16),
        ("call_id", U32),
    ),
)
SEC_TRAILER = Layout(
    "sec_trailer",
    (
        ("auth_type", U8),
        ("auth_level", U8),
        ("auth_pad_length", U8),
        ("auth_reserved", U8),
        ("auth_context_id", U32),
    ),
)
BIND_HEAD = Layout(
    "bind", (("max_xmit_frag", U16), ("max_recv_frag", U16), ("assoc_group_id", U32))
)
PORT_SPEC = Layout("port_any_t", (("length", U16),))
BIND_NAK_HEAD = Layout("bind_nak", (("reject_reason", U16), ("n_protocols", U8)))
VERSION = Layout("version_t", (("major", U8), ("minor", U8)))
AUTH3_HEAD = Layout("auth3", (("pad", "4s"),))
REQUEST_HEAD = Layout("request", (("alloc_hint", U32), ("context_id", U16), ("opnum", U16)))
OBJECT = Layout("request object", (("object_uuid", UUID16),))
RESPONSE_HEAD = Layout(
    "response",
    (("alloc_hint", U32), ("context_id", U16), ("cancel_count", U8), ("reserved", U8)),
)
FAULT_HEAD = Layout(
    "fault",
    (
        ("alloc_hint", U32),
        ("context_id", U16),
        ("cancel_count", U8),
        ("fault_flags", U8),
        ("status", U32),
        ("reserved", U32),
    ),
)

HEADER_SIZE = HEADER.size
TRAILER_SIZE = SEC_TRAILER.size
