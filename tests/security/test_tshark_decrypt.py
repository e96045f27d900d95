"""Wireshark as an independent NTLM implementation: given only the password, tshark must
verify our client's NTLMv2 logon to our acceptor, derive the same session key and
decrypt both directions of our sealed calls.

Wireshark 4.0 limit (measured): with auth_type 9 it decrypts SPNEGO-wrapped NTLM stubs
but never passes the verifier's checksum through RC4, so from the second call in a
direction on its keystream is 8 bytes behind (offset 64 instead of 72 after a 64-byte
stub). pyspnego, impacket and our code all consume those 8 bytes, so over SPNEGO only the
first call each way is checked here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.security.conftest import PASSWORD
from tests.security.test_rpc_integration import ntlm_pair
from tests.support.tshark import Tshark, needs_tshark, write_pcap
from wua.rpc.connection.events import CallRequest
from wua.rpc.security.base import AuthLevel

pytestmark = needs_tshark
TSHARK = Tshark(nt_password=PASSWORD)
REQUESTS = [b"WUA-REQUEST-STUB" * 4, b"second request, odd length!"]


def sealed_conversation(negotiate: bool) -> list[tuple[bool, bytes]]:
    """bind, bind_ack, auth3 (NTLM) or alter_context + its response (SPNEGO), then calls."""
    pair, _ = ntlm_pair(AuthLevel.PKT_PRIVACY, [], negotiate=negotiate)
    segments: list[tuple[bool, bytes]] = []
    for leg, to_server in enumerate(pair.wire_to_server):
        segments.append((True, to_server))
        if leg < len(pair.wire_to_client):
            segments.append((False, pair.wire_to_client[leg]))
    for stub in REQUESTS:
        request = pair.client.request(0, 3, stub)
        (call,) = pair.to_server(request)
        assert isinstance(call, CallRequest)
        response = pair.server.respond(call.call_id, stub[::-1])
        pair.to_client(response)
        segments += [(True, request), (False, response)]
    return segments


@pytest.mark.parametrize("negotiate", [False, True], ids=["ntlm", "spnego"])
def test_tshark_verifies_and_decrypts_our_ntlm(tmp_path: Path, negotiate: bool) -> None:
    path = tmp_path / "sealed.pcap"
    write_pcap(path, sealed_conversation(negotiate))
    out = TSHARK.run(path, "-V", "-x")
    assert "NTLMv2 authenticated using <Global NT Password>" in out
    decrypted = out.replace("\n", " ")
    assert out.count("Decrypted stub data") == 2 * len(REQUESTS)
    for stub in REQUESTS[:1] if negotiate else REQUESTS:
        for text in (stub, stub[::-1]):
            assert " ".join(f"{b:02x}" for b in text[:16]) in decrypted
