"""The tshark support module itself: what it writes, tshark reads back byte for byte, and
its verdict tells tolerated gaps from anything else."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.tshark import (
    CLIENT,
    EXPERT_ROW,
    SERVER,
    VT_DECIMAL_GAP,
    VT_UNKNOWN_GAP,
    Frame,
    Tshark,
    Verdict,
    needs_tshark,
    pcap_bytes,
    write_pcap,
)

READER = Tshark()
# (records, the first bytes of the file): pcap header (magic, 2.4, snaplen, Ethernet)
# then record 0's header (seconds 1_700_000_000, lengths 54 + payload)
VECTORS = [
    ([], "d4c3b2a1020004000000000000000000ffff000001000000"),
    (
        [(True, b"\x05")],
        "d4c3b2a1020004000000000000000000ffff000001000000" + "00f1536500000000" + "37000000" * 2,
    ),
]


def test_pcap_header_and_record_header_vectors() -> None:
    for records, prefix in VECTORS:
        assert pcap_bytes(records).hex().startswith(prefix)
    assert len(pcap_bytes([(True, b"\x05")])) == 24 + 16 + 14 + 20 + 20 + 1


@needs_tshark
@settings(max_examples=8, deadline=None)
@given(
    st.lists(st.tuples(st.booleans(), st.binary(min_size=1, max_size=300)), min_size=1, max_size=5)
)
def test_tshark_reads_back_every_segment(records: list[tuple[bool, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write_pcap(Path(folder) / "records.pcap", records)
        rows = READER.fields(
            path, ["tcp.srcport", "tcp.payload"], "-o", "tcp.desegment_tcp_streams:FALSE"
        )
    assert [(int(port) == CLIENT.port, bytes.fromhex(data)) for port, data in rows] == records
    assert {CLIENT.port, SERVER.port} >= {int(port) for port, _ in rows}


REPORT = """
Errors (3)
=============
   Frequency      Group           Protocol  Summary
           2  Malformed          IDispatch  Malformed Packet (Exception occurred)
           1  Malformed             DCERPC  Malformed Packet (Exception occurred)
"""


def test_expert_rows_are_parsed_into_data() -> None:
    rows = [(m["count"], m["group"], m["protocol"]) for m in EXPERT_ROW.finditer(REPORT)]
    assert rows == [("2", "Malformed", "IDispatch"), ("1", "Malformed", "DCERPC")]


def frame(number: int, body: str) -> Frame:
    return Frame(f"Frame {number}: 100 bytes on wire\n{body}")


def test_only_the_named_gap_is_tolerated() -> None:
    decimal = frame(1, f"    {VT_DECIMAL_GAP.field}\n[Malformed Packet: IDispatch]")
    unknown = frame(2, f"    {VT_UNKNOWN_GAP.field}\n[Malformed Packet: IDispatch]")
    clean = frame(3, f"    {VT_DECIMAL_GAP.field}")
    verdict = Verdict("", (decimal, unknown, clean), (), "")
    assert verdict.malformed == (decimal, unknown)
    assert verdict.unexplained(VT_DECIMAL_GAP) == ["Frame 2: 100 bytes on wire"]
    assert verdict.unexplained(VT_DECIMAL_GAP, VT_UNKNOWN_GAP) == []
    assert verdict.explained_by(VT_UNKNOWN_GAP) == [unknown]
    assert not VT_DECIMAL_GAP.explains(clean)  # a gap explains only a malformed frame
