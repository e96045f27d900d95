"""tshark, an independent dissector, reads our client's and server's PDUs without
complaint and with the values we meant."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from tests.rpc.harness import make_pair
from tests.support.tshark import Tshark, needs_tshark, write_pcap
from wua.rpc.connection.client import ClientConfig
from wua.rpc.connection.events import CallRequest, ServerEvent
from wua.rpc.negotiation import windows_offer
from wua.rpc.presentation import NDR32, ContextElement, SyntaxId

# Interfaces Wireshark has no stub dissector for: its verdict is then about the PDUs alone.
IFACE_A = SyntaxId(UUID("5b8c2c3e-0f7a-4d1e-9a43-2b6f4c1d7e01"), 1)
IFACE_B = SyntaxId(UUID("5b8c2c3e-0f7a-4d1e-9a43-2b6f4c1d7e02"), 2, 1)

pytestmark = needs_tshark
TSHARK = Tshark(decode_as=("tcp.port==135,dcerpc",))


def conversation() -> list[tuple[bool, bytes]]:
    config = ClientConfig(max_xmit_frag=1432, max_recv_frag=1432, multiplex=True)
    pair = make_pair(config, max_xmit_frag=1432, max_recv_frag=1432, interfaces=(IFACE_A, IFACE_B))
    segments: list[tuple[bool, bytes]] = []

    def client(data: bytes) -> list[ServerEvent]:
        segments.append((True, data))
        return pair.to_server(data)

    def server(data: bytes) -> None:
        segments.append((False, data))
        pair.to_client(data)

    client(pair.client.bind(windows_offer(IFACE_A)))
    server(pair.server.data_to_send())
    client(pair.client.alter_context((ContextElement(3, IFACE_B, (NDR32,)),)))
    server(pair.server.data_to_send())
    (call,) = client(
        pair.client.request(
            0, 3, b"\x05\x00\x07\x00" + b"\x00" * 28, UUID("00112233-4455-6677-8899-aabbccddeeff")
        )
    )
    assert isinstance(call, CallRequest)
    server(pair.server.respond(call.call_id, b"\x00" * 40))
    big = bytes(range(256)) * 16
    (call,) = client(pair.client.request(3, 7, big))
    assert isinstance(call, CallRequest)
    server(pair.server.respond(call.call_id, big))
    (call,) = client(pair.client.request(0, 4, b"\x00" * 8))
    assert isinstance(call, CallRequest)
    server(pair.server.fault(call.call_id, 0x1C010002))
    return segments


def test_tshark_finds_nothing_malformed(tmp_path: Path) -> None:
    path = tmp_path / "ours.pcap"
    write_pcap(path, conversation())
    verdict = TSHARK.dissect(path)
    assert verdict.malformed == () and verdict.expert_errors == ()
    assert "Malformed" not in verdict.text and "Expert Info (Error" not in verdict.text
    rows = TSHARK.fields(
        path,
        ["dcerpc.pkt_type", "dcerpc.cn_call_id", "dcerpc.cn_ack_result", "dcerpc.opnum"],
        "-E",
        "occurrence=a",
        "-E",
        "aggregator=,",
    )
    types = [r[0] for r in rows if r[0]]
    flat = ",".join(types).split(",")
    assert flat[:4] == ["11", "12", "14", "15"]
    assert flat.count("0") == 1 + 3 + 1  # three requests, the second in three fragments
    assert flat.count("3") == 1 and "2" in flat
    ack_results = next(r[2] for r in rows if r[0] == "12")
    assert ack_results == "0,2,3"  # acceptance, provider rejection, negotiate_ack


def ntlm_conversation() -> list[tuple[bool, bytes]]:
    from tests.rpc.test_ntlm_connection import PASSWORD, acceptor
    from wua.rpc.security.base import AuthLevel
    from wua.rpc.security.credentials import Credentials
    from wua.rpc.security.spnego_client import ntlm_client

    pair = make_pair(interfaces=(IFACE_A,), security_factory=acceptor)
    security = ntlm_client(
        Credentials("Administrator", "WUAHOST", password=PASSWORD), AuthLevel.PKT_PRIVACY
    )
    segments: list[tuple[bool, bytes]] = [
        (True, pair.client.bind(windows_offer(IFACE_A), security=security))
    ]
    pair.to_server(segments[-1][1])
    segments.append((False, pair.server.data_to_send()))
    pair.to_client(segments[-1][1])
    segments.append((True, pair.client.data_to_send()))  # auth3
    pair.to_server(segments[-1][1])
    for stub in (b"\x01" * 5, bytes(range(256)) * 30):
        segments.append((True, pair.client.request(0, 3, stub)))
        (call,) = pair.to_server(segments[-1][1])
        assert isinstance(call, CallRequest)
        segments.append((False, pair.server.respond(call.call_id, stub)))
        pair.to_client(segments[-1][1])
    return segments


def test_tshark_reads_our_ntlm_sealed_conversation(tmp_path: Path) -> None:
    path = tmp_path / "ntlm.pcap"
    write_pcap(path, ntlm_conversation())
    verdict = TSHARK.dissect(path)
    assert verdict.malformed == () and verdict.expert_errors == ()
    assert "Malformed" not in verdict.text and "Expert Info (Error" not in verdict.text
    summary = TSHARK.run(path)
    assert "AUTH3: call_id: 1, Fragment: Single, NTLMSSP_AUTH, User: WUAHOST\\Administrator" in (
        summary
    )
    rows = TSHARK.fields(
        path,
        ["dcerpc.pkt_type", "dcerpc.auth_level", "dcerpc.auth_pad_len"],
        "-E",
        "occurrence=a",
        "-E",
        "aggregator=,",
    )
    assert [r[0].split(",")[0] for r in rows][:3] == ["11", "12", "16"]
    levels = {level for r in rows for level in r[1].split(",") if level}
    assert levels == {"6"}
