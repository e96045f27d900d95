"""Windows-captured PDUs decoded field by field, and re-encoded byte for byte."""

from __future__ import annotations

from uuid import UUID

import pytest

from tests.rpc.vectors import all_vectors, vector
from wua.rpc.constants import (
    DREP_LITTLE_ENDIAN,
    BindTimeFeatures,
    PfcFlags,
    ProviderReason,
    ResultCode,
)
from wua.rpc.negotiation import negotiate
from wua.rpc.pdu import (
    AlterContext,
    AlterContextResp,
    Bind,
    BindAck,
    Request,
    Response,
    decode_pdu,
    encode_pdu,
)
from wua.rpc.presentation import NDR32, NDR64, NULL_SYNTAX, SyntaxId, btfn_features
from wua.rpc.security.base import AuthLevel, AuthType

IREMUNKNOWN2 = SyntaxId(UUID("00000143-0000-0000-c000-000000000046"))
ISYSTEMACTIVATOR = SyntaxId(UUID("000001a0-0000-0000-c000-000000000046"))
BTFN_3 = SyntaxId(UUID("6cb71c2c-9812-4540-0300-000000000000"), 1)
WINDOWS_BIND_FLAGS = PfcFlags.FIRST_FRAG | PfcFlags.LAST_FRAG | PfcFlags.SUPPORT_HEADER_SIGN


@pytest.mark.parametrize("name", sorted(all_vectors()))
def test_every_vector_reencodes_byte_for_byte(name: str) -> None:
    data = vector(name)
    assert encode_pdu(decode_pdu(data)) == data


def test_ntlm_bind_frame_1() -> None:
    pdu = decode_pdu(vector("ntlm_f1_bind"))
    assert isinstance(pdu, Bind) and not isinstance(pdu, AlterContext)
    assert (pdu.call_id, pdu.flags, pdu.drep, pdu.minor_version) == (
        2,
        WINDOWS_BIND_FLAGS,
        DREP_LITTLE_ENDIAN,
        0,
    )
    assert (pdu.max_xmit_frag, pdu.max_recv_frag, pdu.assoc_group_id) == (5840, 5840, 0)
    assert [(c.context_id, c.abstract_syntax, c.transfer_syntaxes) for c in pdu.contexts] == [
        (0, IREMUNKNOWN2, (NDR32,)),
        (1, IREMUNKNOWN2, (NDR64,)),
        (2, IREMUNKNOWN2, (BTFN_3,)),
    ]
    assert btfn_features(pdu.contexts[2].transfer_syntaxes[0]) == (
        BindTimeFeatures.SECURITY_CONTEXT_MULTIPLEXING | BindTimeFeatures.KEEP_CONNECTION_ON_ORPHAN
    )
    assert btfn_features(NDR32) is None
    auth = pdu.auth
    assert auth is not None
    assert (
        auth.auth_type,
        auth.auth_level,
        auth.auth_pad_length,
        auth.reserved,
        auth.auth_context_id,
    ) == (AuthType.GSS_NEGOTIATE, AuthLevel.PKT_INTEGRITY, 0, 0, 0)
    assert len(auth.auth_value) == 140 and auth.auth_value[:2] == bytes.fromhex("6081")
    assert len(vector("ntlm_f1_bind")) == 308


def test_ntlm_bind_ack_frame_3() -> None:
    pdu = decode_pdu(vector("ntlm_f3_bind_ack"))
    assert isinstance(pdu, BindAck) and not isinstance(pdu, AlterContextResp)
    assert (pdu.call_id, pdu.flags) == (2, WINDOWS_BIND_FLAGS)
    assert (pdu.max_xmit_frag, pdu.max_recv_frag, pdu.assoc_group_id) == (5840, 5840, 0x0510BD56)
    assert pdu.secondary_address == "58772" and pdu.address_pad == b""
    accept, reject, negotiate_ack = pdu.results
    assert (accept.result, accept.reason, accept.transfer_syntax) == (
        ResultCode.ACCEPTANCE,
        ProviderReason.REASON_NOT_SPECIFIED,
        NDR32,
    )
    assert (reject.result, reject.reason, reject.transfer_syntax) == (
        ResultCode.PROVIDER_REJECTION,
        ProviderReason.PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED,
        NULL_SYNTAX,
    )
    assert (negotiate_ack.result, negotiate_ack.features, negotiate_ack.transfer_syntax) == (
        ResultCode.NEGOTIATE_ACK,
        BindTimeFeatures(3),
        NULL_SYNTAX,
    )
    assert pdu.auth is not None
    assert (pdu.auth.auth_type, pdu.auth.auth_level, pdu.auth.auth_context_id) == (
        AuthType.GSS_NEGOTIATE,
        AuthLevel.PKT_INTEGRITY,
        0,
    )
    assert len(pdu.auth.auth_value) == 23


def test_our_negotiation_gives_windows_results_for_the_captured_bind() -> None:
    bind = decode_pdu(vector("ntlm_f1_bind"))
    ack = decode_pdu(vector("ntlm_f3_bind_ack"))
    assert isinstance(bind, Bind) and isinstance(ack, BindAck)
    assert negotiate(bind.contexts, (IREMUNKNOWN2,)).results == ack.results
    krb_bind = decode_pdu(vector("krb_f4f5_bind"))
    krb_ack = decode_pdu(vector("krb_f7_bind_ack"))
    assert isinstance(krb_bind, Bind) and isinstance(krb_ack, BindAck)
    assert negotiate(krb_bind.contexts, (ISYSTEMACTIVATOR,)).results == krb_ack.results


@pytest.mark.parametrize(
    ("name", "auth_length", "ntlm_type"),
    [
        ("ntlm_f4_alter_context", 73, 1),
        ("ntlm_f5_alter_context_resp", 297, 2),
        ("ntlm_f6_alter_context", 615, 3),
    ],
)
def test_ntlm_legs_ride_alter_context(name: str, auth_length: int, ntlm_type: int) -> None:
    pdu = decode_pdu(vector(name))
    assert isinstance(pdu, AlterContext | AlterContextResp)
    assert pdu.call_id == 2 and pdu.auth is not None
    assert (pdu.auth.auth_type, pdu.auth.auth_level, pdu.auth.auth_context_id) == (
        AuthType.GSS_NEGOTIATE,
        AuthLevel.PKT_INTEGRITY,
        0,
    )
    assert len(pdu.auth.auth_value) == auth_length
    at = pdu.auth.auth_value.find(b"NTLMSSP\0")
    assert at >= 0 and pdu.auth.auth_value[at + 8] == ntlm_type


def test_alter_context_resp_keeps_windows_padding_bytes() -> None:
    pdu = decode_pdu(vector("ntlm_f5_alter_context_resp"))
    assert isinstance(pdu, AlterContextResp)
    assert (pdu.secondary_address, pdu.address_pad, pdu.assoc_group_id) == ("", b"58", 0x0510BD56)
    assert [(r.result, r.transfer_syntax) for r in pdu.results] == [(ResultCode.ACCEPTANCE, NDR32)]
    krb = decode_pdu(vector("krb_f9_alter_context_resp"))
    assert isinstance(krb, AlterContextResp) and krb.address_pad == b"13"


def test_kerberos_bind_spans_two_segments() -> None:
    pdu = decode_pdu(vector("krb_f4f5_bind"))
    assert isinstance(pdu, Bind) and pdu.call_id == 8 and pdu.flags == PfcFlags.SINGLE
    assert [(c.context_id, c.abstract_syntax, c.transfer_syntaxes) for c in pdu.contexts] == [
        (0, ISYSTEMACTIVATOR, (NDR32,)),
        (1, ISYSTEMACTIVATOR, (BTFN_3,)),
    ]
    assert pdu.auth is not None
    assert (pdu.auth.auth_type, pdu.auth.auth_level) == (AuthType.GSS_NEGOTIATE, AuthLevel.CONNECT)
    assert len(pdu.auth.auth_value) == 0x738 == 1972 - 16 - 12 - 2 * 44 - 8


def test_kerberos_bind_ack_frame_7() -> None:
    pdu = decode_pdu(vector("krb_f7_bind_ack"))
    assert isinstance(pdu, BindAck)
    assert (pdu.call_id, pdu.assoc_group_id, pdu.secondary_address) == (8, 0x26C1, "135")
    assert [r.result for r in pdu.results] == [ResultCode.ACCEPTANCE, ResultCode.NEGOTIATE_ACK]
    assert pdu.results[1].features == BindTimeFeatures(3)
    assert pdu.auth is not None and len(pdu.auth.auth_value) == 169


def test_request_frame_10_and_response_frame_11() -> None:
    req = decode_pdu(vector("krb_f10_request"))
    assert isinstance(req, Request)
    assert (req.call_id, req.flags, req.context_id, req.opnum, req.object_uuid, req.auth) == (
        8,
        PfcFlags.SINGLE,
        0,
        4,
        None,
        None,
    )
    assert req.alloc_hint == len(req.stub) == 0x338 - 24
    assert req.stub[:4] == bytes.fromhex("05000700")  # ORPCTHIS version 5.7
    rsp = decode_pdu(vector("krb_f11_response"))
    assert isinstance(rsp, Response)
    assert (rsp.call_id, rsp.context_id, rsp.cancel_count, rsp.auth) == (8, 0, 0, None)
    assert rsp.alloc_hint == len(rsp.stub) == 0x3B8 - 24
