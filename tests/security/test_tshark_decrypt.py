"""Wireshark as an independent NTLM implementation: given only the password, tshark must
verify our client's NTLMv2 logon to our acceptor, derive the same session key and
decrypt both directions of our sealed calls."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.rpc.pcap import write_pcap
from tests.security.conftest import PASSWORD
from tests.security.test_rpc_integration import ntlm_pair
from wua.rpc.connection.events import CallRequest
from wua.rpc.security.base import AuthLevel

TSHARK = shutil.which("tshark")
pytestmark = pytest.mark.skipif(TSHARK is None, reason="tshark is not installed")
REQUESTS = [b"WUA-REQUEST-STUB" * 4, b"second request, odd length!"]


def sealed_conversation() -> list[tuple[bool, bytes]]:
    pair, _ = ntlm_pair(AuthLevel.PKT_PRIVACY, [])
    bind, auth3 = pair.wire_to_server
    (bind_ack,) = pair.wire_to_client
    segments = [(True, bind), (False, bind_ack), (True, auth3)]
    for stub in REQUESTS:
        request = pair.client.request(0, 3, stub)
        (call,) = pair.to_server(request)
        assert isinstance(call, CallRequest)
        response = pair.server.respond(call.call_id, stub[::-1])
        pair.to_client(response)
        segments += [(True, request), (False, response)]
    return segments


def test_tshark_verifies_and_decrypts_our_ntlm(tmp_path: Path) -> None:
    path = tmp_path / "sealed.pcap"
    write_pcap(path, sealed_conversation())
    out = subprocess.run(
        [str(TSHARK), "-r", str(path), "-o", f"ntlmssp.nt_password:{PASSWORD}", "-V", "-x"],
        capture_output=True, text=True, check=True).stdout
    assert "NTLMv2 authenticated using <Global NT Password>" in out
    decrypted = out.replace("\n", " ")
    assert out.count("Decrypted stub data") == 2 * len(REQUESTS)
    for stub in REQUESTS:
        for text in (stub, stub[::-1]):
            assert " ".join(f"{b:02x}" for b in text[:16]) in decrypted
