"""(value, hex) tables: each row drives encode (value → hex) and decode (hex → value).

The rows are written from C706 chapter 12 / MS-RPCE 2.2.2 by hand, not produced by the
codec. A second table lists malformed PDUs with the structure and offset the decoder must
name.
"""

from __future__ import annotations

from uuid import UUID

import pytest

from wua.errors import ProtocolError
from wua.rpc.constants import (
    DREP_BIG_ENDIAN,
    BindNakReason,
    BindTimeFeatures,
    PfcFlags,
    ProviderReason,
    ResultCode,
)
from wua.rpc.pdu import (
    AlterContext,
    Auth3,
    AuthVerifier,
    BindAck,
    BindNak,
    CoCancel,
    Fault,
    Orphaned,
    Pdu,
    Request,
    Response,
    Shutdown,
    decode_pdu,
    encode_pdu,
)
from wua.rpc.presentation import NDR32, ContextElement, ContextResult, SyntaxId, btfn_syntax
from wua.rpc.security.base import AuthLevel, AuthType

NDR32_HEX = "045d888aeb1cc9119fe808002b10486002000000"
IUNKNOWN = SyntaxId(UUID("00000000-0000-0000-c000-000000000046"))
IUNKNOWN_HEX = "0000000000000000c00000000000004600000000"

VECTORS: list[tuple[str, Pdu, str]] = [
    ("shutdown", Shutdown(call_id=0), "05001103100000001000000000000000"),
    ("co_cancel", CoCancel(call_id=7), "05001203100000001000000007000000"),
    ("orphaned", Orphaned(call_id=7), "05001303100000001000000007000000"),
    (
        "bind_nak",
        BindNak(call_id=3, reject_reason=BindNakReason.PROTOCOL_VERSION_NOT_SUPPORTED),
        "05000d031000000015000000030000000400010500",
    ),
    (
        "fault did-not-execute",
        Fault(
            call_id=9,
            flags=PfcFlags.SINGLE | PfcFlags.DID_NOT_EXECUTE,
            context_id=1,
            status=0x1C010002,
            alloc_hint=0,
        ),
        "0500032310000000200000000900000000000000010000000200011c00000000",
    ),
    (
        "auth3",
        Auth3(
            call_id=2, auth=AuthVerifier(AuthType.WINNT, AuthLevel.PKT_INTEGRITY, 0, b"\xaa" * 4)
        ),
        "05001003100000002000040002000000000000000a05000000000000aaaaaaaa",
    ),
    (
        "request with object uuid",
        Request(
            call_id=5,
            context_id=1,
            opnum=6,
            stub=b"\x01\x02\x03\x04",
            object_uuid=UUID("00112233-4455-6677-8899-aabbccddeeff"),
            flags=PfcFlags.SINGLE | PfcFlags.OBJECT_UUID,
            alloc_hint=4,
        ),
        "05000083100000002c00000005000000040000000100060033221100554477668899aabbccddeeff01020304",
    ),
    (
        "signed request with auth padding",
        Request(
            call_id=6,
            context_id=0,
            opnum=4,
            stub=b"\x11" * 5,
            auth=AuthVerifier(AuthType.WINNT, AuthLevel.PKT_PRIVACY, 3, b"\x22" * 16, b"\x00" * 11),
            alloc_hint=5,
        ),
        "05000003"
        "10000000"
        "4000"
        "1000"
        "06000000"
        "05000000"
        "0000"
        "0400"
        "1111111111"
        "0000000000000000000000"
        "0a060b00"
        "03000000" + "22" * 16,
    ),
    (
        "response",
        Response(call_id=5, context_id=1, stub=b"\xff" * 3, alloc_hint=3),
        "05000203100000001b000000050000000300000001000000ffffff",
    ),
    (
        "big-endian request",
        Request(call_id=1, context_id=0, opnum=2, stub=b"", drep=DREP_BIG_ENDIAN, alloc_hint=0),
        "050000030000000000180000000000010000000000000002",
    ),
    (
        "alter_context with two transfer syntaxes and BTFN",
        AlterContext(
            call_id=4,
            max_xmit_frag=5840,
            max_recv_frag=5840,
            assoc_group_id=0x1234,
            contexts=(
                ContextElement(
                    1, IUNKNOWN, (NDR32, btfn_syntax(BindTimeFeatures.KEEP_CONNECTION_ON_ORPHAN))
                ),
            ),
        ),
        "05000e03"
        "10000000"
        "5c00"
        "0000"
        "04000000"
        "d016"
        "d016"
        "34120000"
        "01"
        "00"
        "0000"
        "0100"
        "02"
        "00" + IUNKNOWN_HEX + NDR32_HEX + "2c1cb76c"
        "1298"
        "4045"
        "0200000000000000"
        "01000000",
    ),
    (
        "bind_ack with empty secondary address",
        BindAck(
            call_id=1,
            max_xmit_frag=5840,
            max_recv_frag=5840,
            assoc_group_id=0x1234,
            secondary_address="",
            results=(
                ContextResult(ResultCode.ACCEPTANCE, ProviderReason.REASON_NOT_SPECIFIED, NDR32),
                ContextResult(
                    ResultCode.PROVIDER_REJECTION, ProviderReason.ABSTRACT_SYNTAX_NOT_SUPPORTED
                ),
            ),
        ),
        "05000c03"
        "10000000"
        "5000"
        "0000"
        "01000000"
        "d016"
        "d016"
        "34120000"
        "0000"
        "0000"
        "02"
        "00"
        "0000"
        "0000"
        "0000" + NDR32_HEX + "0200"
        "0100" + "00" * 20,
    ),
    (
        "bind_ack with port 135",
        BindAck(
            call_id=8,
            max_xmit_frag=5840,
            max_recv_frag=5840,
            assoc_group_id=0x26C1,
            secondary_address="135",
            results=(),
        ),
        "05000c03100000002400000008000000d016d016c1260000040031333500000000000000",
    ),
]


@pytest.mark.parametrize(("name", "value", "hex_"), VECTORS, ids=[v[0] for v in VECTORS])
def test_encode(name: str, value: Pdu, hex_: str) -> None:
    assert encode_pdu(value).hex() == hex_


@pytest.mark.parametrize(("name", "value", "hex_"), VECTORS, ids=[v[0] for v in VECTORS])
def test_decode(name: str, value: Pdu, hex_: str) -> None:
    assert decode_pdu(bytes.fromhex(hex_)) == value


GOOD_REQUEST = "050000031000000018000000010000000000000000000000"

MALFORMED: list[tuple[str, str, str, int, str]] = [
    ("truncated header", "0500", "common header", 0, "needs 16 bytes"),
    ("rpc_vers 4", "04" + GOOD_REQUEST[2:], "common header", 0, "rpc_vers 4"),
    ("rpc_vers_minor 2", "0502" + GOOD_REQUEST[4:], "common header", 1, "rpc_vers_minor 2"),
    (
        "connectionless ping type",
        "050001" + GOOD_REQUEST[6:],
        "common header",
        2,
        "unknown ptype 1",
    ),
    (
        "unknown integer representation",
        GOOD_REQUEST[:8] + "20" + GOOD_REQUEST[10:],
        "common header",
        4,
        "integer representation",
    ),
    (
        "frag_length below the header",
        GOOD_REQUEST[:16] + "0f00" + GOOD_REQUEST[20:],
        "common header",
        8,
        "shorter than the header",
    ),
    (
        "frag_length beyond the data",
        GOOD_REQUEST[:16] + "2000" + GOOD_REQUEST[20:],
        "common header",
        8,
        "frag_length 32 but 24 bytes",
    ),
    (
        "auth_length beyond frag_length",
        GOOD_REQUEST[:20] + "0100" + GOOD_REQUEST[24:],
        "common header",
        10,
        "does not fit",
    ),
    (
        "request body truncated",
        "0500000310000000140000000100000000000000",
        "request",
        16,
        "needs 8 bytes",
    ),
    (
        "shutdown with a body",
        "0500110310000000110000000000000000",
        "shutdown",
        16,
        "1 bytes left over",
    ),
    (
        "auth3 without a trailer",
        "0500100310000000140000000100000000000000",
        "auth3",
        10,
        "without a sec_trailer",
    ),
    (
        "bind_nak with a trailer",
        "05000d03100000001c00010001000000000000" + "0a05000000000000aa",
        "common header",
        10,
        "may not carry",
    ),
    (
        "sec_trailer misaligned",
        "050000031000000025000400010000000000000000000000010a05000000000000aaaaaaaa",
        "sec_trailer",
        25,
        "aligned",
    ),
    (
        "auth_pad_length into the header",
        "0500000310000000240004000100000000000000000000000a05ff0000000000aaaaaaaa",
        "sec_trailer",
        26,
        "runs into the header",
    ),
    (
        "auth_pad_length into the request header",
        "0500000310000000240004000100000000000000000000000a05040000000000aaaaaaaa",
        "request",
        20,
        "runs into the sec_trailer",
    ),
    (
        "port not NUL-terminated",
        "05000c03100000002000000001000000d016d016000000000200313300000000",
        "port_any_t",
        26,
        "NUL-terminated",
    ),
    (
        "context without transfer syntax",
        "05000b03100000003400000001000000d016d016000000000100000000000000" + IUNKNOWN_HEX,
        "p_cont_elem_t",
        28,
        "no transfer syntax",
    ),
    (
        "context list longer than the PDU",
        "05000b03100000002c00000001000000d016d016000000000200000000000100" + IUNKNOWN_HEX[:24],
        "p_cont_elem_t",
        28,
        "needs 24 bytes",
    ),
]


@pytest.mark.parametrize(
    ("name", "hex_", "structure", "offset", "message"), MALFORMED, ids=[m[0] for m in MALFORMED]
)
def test_malformed_is_refused_with_structure_and_offset(
    name: str, hex_: str, structure: str, offset: int, message: str
) -> None:
    with pytest.raises(ProtocolError, match=message) as caught:
        decode_pdu(bytes.fromhex(hex_))
    assert (caught.value.structure, caught.value.offset) == (structure, offset)


def _alter_context(extra: bytes, with_auth: bool) -> bytes:
    """An alter_context for IUnknown with `extra` bytes after its context list."""
    auth = AuthVerifier(AuthType.GSS_NEGOTIATE, AuthLevel.PKT_PRIVACY, 0, b"\xa1\x03")
    base = AlterContext(
        call_id=2,
        max_xmit_frag=5840,
        max_recv_frag=5840,
        assoc_group_id=0,
        contexts=(ContextElement(0, IUNKNOWN, (NDR32,)),),
        auth=auth if with_auth else None,
    )
    data = encode_pdu(base)
    # before the auth padding (its length is the sec_trailer's third byte)
    trailer = len(data) - 10 - data[-8] if with_auth else len(data)
    grown = data[:trailer] + extra + data[trailer:]
    return grown[:8] + len(grown).to_bytes(2, "little") + grown[10:]


def test_bytes_after_the_context_list_before_a_sec_trailer_are_skipped() -> None:
    """impacket repeats its context list there; Windows finds the trailer from the end."""
    repeated = bytes.fromhex("0000010000000000" + IUNKNOWN_HEX) + b"\x00" * 4
    pdu = decode_pdu(_alter_context(repeated, with_auth=True))
    assert isinstance(pdu, AlterContext) and len(pdu.contexts) == 1
    assert pdu.auth is not None and pdu.auth.auth_value == b"\xa1\x03"
    with pytest.raises(ProtocolError, match="left over"):
        decode_pdu(_alter_context(repeated, with_auth=False))
