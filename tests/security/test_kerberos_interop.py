"""What our Kerberos acceptor takes from clients other than Windows: an AP-REQ in RFC 2743
framing with GSS_C_DCE_STYLE (impacket), and a Negotiate third leg without mechListMIC;
and what it still refuses (a framing that lies, a mechListMIC that does not verify)."""

from __future__ import annotations

import pytest

from tests.support.kdc import Realm
from wua.errors import AuthenticationFailed, ProtocolError
from wua.reference.hresults import SEC_E_INVALID_TOKEN, SEC_E_MESSAGE_ALTERED
from wua.rpc.security.accounts import LocalAccounts
from wua.rpc.security.base import AuthLevel
from wua.rpc.security.credentials import KerberosCredentials
from wua.rpc.security.kerberos_acceptor import KerberosAcceptor, KerberosKeytab, raw_ap_req
from wua.rpc.security.spnego_acceptor import SpnegoAcceptor
from wua.rpc.security.spnego_client import negotiate_client
from wua.rpc.security.spnego_token import (
    KRB5_OID,
    MECH_LIST_MIC,
    NEG_STATE,
    RESPONSE_TOKEN,
    SPNEGO_OID,
    encode_neg_token_resp,
    neg_token_resp_fields,
)

HOST = "127.0.58.9"
MECH = bytes([0x06, len(KRB5_OID)]) + KRB5_OID
COMPLETED = bytes.fromhex("0a0100")


def der(tag: int, content: bytes) -> bytes:
    """Written out here rather than taken from the code under test."""
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + content


@pytest.mark.parametrize("size", [3, 200, 70000])  # short, one- and three-byte lengths
def test_a_framed_ap_req_is_unframed(size: int) -> None:
    ap_req = der(0x6E, bytes(size))
    assert raw_ap_req(der(0x60, MECH + b"\x01\x00" + ap_req)) == ap_req


def test_a_raw_ap_req_and_other_mechanisms_pass_as_they_are() -> None:
    ap_req = der(0x6E, b"\x30\x00")
    other = der(0x60, bytes([0x06, len(SPNEGO_OID)]) + SPNEGO_OID + b"\x01\x00" + ap_req)
    assert raw_ap_req(ap_req) == ap_req
    assert raw_ap_req(other) == other


@pytest.mark.parametrize(
    ("token", "offset", "message"),
    [
        (b"\x60\x80" + MECH, 1, "bad DER length"),
        (b"\x60\x20" + MECH + b"\x01\x00\x6e\x00", 1, "does not fill"),
        (der(0x60, MECH + b"\x02\x00" + der(0x6F, b"")), 13, "not an AP-REQ"),
        (der(0x60, MECH + b"\x01\x00" + der(0x30, b"")), 13, "not an AP-REQ"),
    ],
)
def test_a_framing_that_lies_is_refused(token: bytes, offset: int, message: str) -> None:
    with pytest.raises(ProtocolError, match=message) as caught:
        raw_ap_req(token)
    assert caught.value.offset == offset
    assert caught.value.structure == "Kerberos InitialContextToken"


def test_the_acceptor_names_a_malformed_framing(kerberos_realm: Realm) -> None:
    acceptor = KerberosAcceptor(KerberosKeytab(kerberos_realm.host_keytab(HOST)))
    with pytest.raises(AuthenticationFailed, match="malformed Kerberos AP-REQ") as caught:
        acceptor.step(b"\x60\x20" + MECH + b"\x01\x00\x6e\x00")
    assert caught.value.hresult == SEC_E_INVALID_TOKEN


def negotiate_to_third_leg(realm: Realm) -> tuple[SpnegoAcceptor, dict[int, bytes]]:
    """pyspnego's Kerberos-first Negotiate up to its third leg (which carries a MIC)."""
    keytab = KerberosKeytab(realm.host_keytab(HOST))
    server = SpnegoAcceptor(LocalAccounts(), AuthLevel.PKT_PRIVACY, keytab=keytab)
    client = negotiate_client(
        KerberosCredentials("Administrator", password="Passw0rd!"),
        AuthLevel.PKT_PRIVACY,
        target_host=HOST,
    )
    third = client.step(server.step(client.step(None)))
    return server, neg_token_resp_fields(third or b"")


def test_a_third_leg_without_mech_list_mic_completes_without_ours(
    kerberos_realm: Realm,
) -> None:
    server, fields = negotiate_to_third_leg(kerberos_realm)
    final = server.step(encode_neg_token_resp(None, None, fields[RESPONSE_TOKEN]))
    answer = neg_token_resp_fields(final or b"")
    assert answer[NEG_STATE] == COMPLETED
    assert MECH_LIST_MIC not in answer
    assert server.complete and server.mechanism == "kerberos"


def test_a_mech_list_mic_that_is_sent_must_verify(kerberos_realm: Realm) -> None:
    server, fields = negotiate_to_third_leg(kerberos_realm)
    mic = bytearray(fields[MECH_LIST_MIC])
    mic[-1] ^= 1
    tampered = encode_neg_token_resp(None, None, fields[RESPONSE_TOKEN], bytes(mic))
    with pytest.raises(AuthenticationFailed, match="mechListMIC does not verify") as caught:
        server.step(tampered)
    assert caught.value.hresult == SEC_E_MESSAGE_ALTERED
    assert not server.complete
