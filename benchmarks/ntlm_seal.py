"""CPU cost of the client side of one sealed IDispatch::Invoke round.

One round = protect (seal + sign) a request PDU with a ~200-byte stub, then unprotect
(unseal + verify) a response PDU with a ~300-byte stub, at PKT_PRIVACY on an NTLM
context set up by a real handshake with our acceptor. Responses are produced by the
acceptor beforehand so that only client work is timed.

Run: .venv/bin/python benchmarks/ntlm_seal.py [rounds]
"""

from __future__ import annotations

import struct
import sys
import time

from wua.rpc.security.accounts import LocalAccounts
from wua.rpc.security.base import AuthLevel
from wua.rpc.security.credentials import Credentials
from wua.rpc.security.ntlm_acceptor import NtlmAcceptor
from wua.rpc.security.spnego_client import ntlm_client

_HEADER = struct.Struct("<BBBBIHHIIHH")
_TRAILER = struct.Struct("<BBBBI")


def pdu(ptype: int, stub_size: int, call_id: int) -> tuple[bytes, int, int]:
    pad = -stub_size % 16
    body = bytes(range(256)) * (stub_size // 256 + 1)
    stub = body[:stub_size] + b"\x00" * pad
    frag = _HEADER.size + len(stub) + _TRAILER.size + 16
    head = _HEADER.pack(5, 0, ptype, 3, 0x10, frag, 16, call_id, stub_size, 0, 6)
    return head + stub + _TRAILER.pack(10, 6, pad, 0, 0), _HEADER.size, _HEADER.size + len(stub)


def main(rounds: int) -> None:
    client = ntlm_client(
        Credentials("Administrator", "WUAHOST", password="pw"), AuthLevel.PKT_PRIVACY
    )
    server = NtlmAcceptor(
        LocalAccounts.from_passwords({"Administrator": "pw"}), AuthLevel.PKT_PRIVACY
    )
    server.step(client.step(server.step(client.step(None))))
    request = pdu(0, 200, 1)
    plain_response, start, end = pdu(2, 300, 1)
    responses = [server.protect(plain_response, start, end) for _ in range(rounds)]

    began = time.process_time()
    for sealed, signature in responses:
        client.protect(*request)
        client.unprotect(sealed, start, end, signature)
    spent = time.process_time() - began
    print(
        f"{rounds} rounds: {spent / rounds * 1e6:.1f} µs CPU per round "
        f"(protect 200-byte stub + unprotect 300-byte stub, PKT_PRIVACY)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
