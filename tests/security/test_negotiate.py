"""The Negotiate (SPNEGO) client against pyspnego's own SPNEGO/NTLM acceptor.

pyspnego's acceptor is fine with pyspnego's client (its blob rebuild only breaks other
clients), so it is an independent check of our post-handshake state: RC4 handles restart
after the mechListMIC exchange while sequence numbers continue at 1. The acceptor checks
our DCE/RPC sign/seal through its IOV API (sign-only header and trailer, sealed stub).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spnego
from spnego.iov import BufferType

from tests.security.pdus import request_pdu
from wua.errors import AuthenticationFailed, ProtocolError
from wua.rpc.security.base import AuthLevel, AuthType
from wua.rpc.security.credentials import Credentials
from wua.rpc.security.ntlm_crypto import nt_hash
from wua.rpc.security.spnego_client import SpnegoClientContext, negotiate_client
from wua.rpc.security.spnego_token import neg_token_resp_fields

PASSWORD = "Negotiate-pw1"


@pytest.fixture
def spnego_acceptor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> spnego.ContextProxy:
    store = tmp_path / "ntlm-users"
    store.write_text(f"WUAHOST:Administrator:{PASSWORD}\n")
    monkeypatch.setenv("NTLM_USER_FILE", str(store))
    return spnego.server(protocol="negotiate", options=spnego.NegotiateOptions.use_negotiate)


def run(client: SpnegoClientContext, server: spnego.ContextProxy) -> None:
    token = client.step(None)
    assert token is not None and token[:1] == b"\x60"  # GSS InitialContextToken
    while token is not None:
        token = server.step(token)
        if token is None:
            break
        token = client.step(token)
    assert client.complete and server.complete
    assert client.negotiated_protocol == "ntlm"


@pytest.mark.parametrize("level", [AuthLevel.PKT_INTEGRITY, AuthLevel.PKT_PRIVACY])
@pytest.mark.parametrize("secret", ["password", "nt-hash"])
def test_negotiate_against_pyspnego(
    spnego_acceptor: spnego.ContextProxy, level: AuthLevel, secret: str
) -> None:
    credentials = (
        Credentials("Administrator", "WUAHOST", password=PASSWORD)
        if secret == "password"
        else Credentials("Administrator", "WUAHOST", nt_hash=nt_hash(PASSWORD))
    )
    client = negotiate_client(credentials, level)
    assert int(client.auth_type) == 9
    run(client, spnego_acceptor)
    for call_id in range(1, 12):
        pdu, start, end = request_pdu(
            bytes([call_id]) * call_id * 9, call_id, level, AuthType.GSS_NEGOTIATE
        )
        protected, signature = client.protect(pdu, start, end)
        if level == AuthLevel.PKT_PRIVACY:
            opened = spnego_acceptor.unwrap_iov(
                [
                    (BufferType.sign_only, protected[:start]),
                    (BufferType.data, protected[start:end]),
                    (BufferType.sign_only, protected[end:]),
                    (BufferType.header, signature),
                ]
            )
            assert b"".join(b.data or b"" for b in opened.buffers[:3]) == pdu
            wrapped = spnego_acceptor.wrap_iov(
                [
                    (BufferType.sign_only, pdu[:start]),
                    (BufferType.data, pdu[start:end]),
                    (BufferType.sign_only, pdu[end:]),
                    BufferType.header,
                ]
            )
            reply = pdu[:start] + (wrapped.buffers[1].data or b"") + pdu[end:]
            reply_signature = wrapped.buffers[3].data or b""
        else:
            assert spnego_acceptor.verify(protected, signature) == 0
            reply, reply_signature = pdu, spnego_acceptor.sign(pdu)
        assert client.unprotect(reply, start, end, reply_signature) == pdu


def test_negotiate_wrong_password(spnego_acceptor: spnego.ContextProxy) -> None:
    client = negotiate_client(Credentials("Administrator", "WUAHOST", password="bad"))
    with pytest.raises(spnego.exceptions.SpnegoError):
        run(client, spnego_acceptor)


@pytest.mark.parametrize(
    ("token", "fields"),
    [
        # NegTokenResp { negState accept-completed, mechListMIC "abcd" }
        ("a10f300da0030a0100a306040461626364", {0: bytes.fromhex("0a0100"), 3: b"abcd"}),
        # NegTokenResp { responseToken "NT" } with a long-form length
        ("a181083006a20404024e54", {2: b"NT"}),
        # the same, claiming 48 bytes of content
        ("a181303006a20404024e54", None),
        # responseToken that is not an OCTET STRING
        ("a181083006a20405024e54", None),
    ],
)
def test_neg_token_resp_fields(token: str, fields: dict[int, bytes] | None) -> None:
    if fields is None:
        with pytest.raises(ProtocolError):
            neg_token_resp_fields(bytes.fromhex(token))
    else:
        assert neg_token_resp_fields(bytes.fromhex(token)) == fields


def test_negotiate_client_refuses_garbage() -> None:
    client = negotiate_client(Credentials("u", "d", password="p"))
    client.step(None)
    with pytest.raises(AuthenticationFailed, match="malformed"):
        client.step(b"\xa1\x05\x30\x03\xa3\x01")
