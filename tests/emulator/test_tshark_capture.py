"""Done-when #2: Wireshark dissects a live loopback capture of the impacket walk with no
malformed packet and no expert error, except exactly its known VT_DECIMAL gap (design
§2: Wireshark 4.0 cannot decode a VT_DECIMAL VARIANT, which WUA returns for
MaxDownloadSize). Given the NTLM password, tshark decrypts the sealed stubs, follows
the exporter's dynamic port through the activation reply, and so checks our IDispatch
answers field by field."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.emulator import impacket_client as ic
from wua.emulator.catalog import default_catalog
from wua.emulator.server import FleetThread, HostConfig

DUMPCAP, TSHARK = shutil.which("dumpcap"), shutil.which("tshark")
pytestmark = pytest.mark.skipif(
    DUMPCAP is None or TSHARK is None, reason="needs Wireshark's dumpcap and tshark"
)
ADDRESS = "127.0.2.1"
PASSWORD = "Passw0rd!"
VT_DECIMAL_GAP = "VarType32: Unknown (0x0000000e)"


@pytest.fixture(scope="module")
def capture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("capture") / "walk.pcapng"
    dumpcap = subprocess.Popen(
        [str(DUMPCAP), "-i", "lo", "-f", f"host {ADDRESS}", "-w", str(path), "-q"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert dumpcap.stderr is not None
        for line in dumpcap.stderr:  # dumpcap says so once it has opened the interface
            if line.startswith("Capturing on"):
                break
        wait_for_marker(path)
        with FleetThread([HostConfig(ADDRESS, default_catalog())]):
            dcom = ic.connect(ADDRESS, "Administrator", PASSWORD)
            try:
                session = ic.create(dcom)
                ic.walk_updates(session)
                searcher = ic.method(session, "CreateUpdateSearcher")
                ic.items(ic.method(searcher, "QueryHistory", ic.long(0), ic.long(5)))
                ic.raw_invoke(session, "CreateUpdateInstaller", flags=ic.DISPATCH_METHOD)
                ic.raw_invoke(session, "WebProxy")
            finally:
                ic.disconnect(dcom, ADDRESS)
        wait_for_closing_handshake(path)
    finally:
        dumpcap.terminate()
        dumpcap.wait()
    yield path


def wait_for_marker(path: Path) -> None:
    """ "Capturing on" comes a little before packets are really captured: send UDP
    datagrams to the host until one shows in the file, so the session starts after."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as marker:
        while (
            not path.exists()
            or not subprocess.run(
                [str(TSHARK), "-r", str(path), "-Y", "udp"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
        ):
            marker.sendto(b"mark", (ADDRESS, 9))
            time.sleep(0.1)


def wait_for_closing_handshake(path: Path) -> None:
    """dumpcap writes packets a little after they pass: wait until the FIN that closes
    the TCP 135 connection is in the file, so nothing of the session is cut off (the
    suite's pytest timeout bounds the wait)."""
    while (
        not path.exists()
        or not subprocess.run(
            [str(TSHARK), "-r", str(path), "-Y", "tcp.flags.fin == 1 && tcp.srcport == 135"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    ):
        time.sleep(0.1)


def tshark(path: Path, *args: str) -> str:
    return subprocess.run(
        [str(TSHARK), "-r", str(path), "-o", f"ntlmssp.nt_password:{PASSWORD}", *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def frames(text: str) -> list[str]:
    return [f for f in re.split(r"\n(?=Frame \d+:)", text) if f.startswith("Frame ")]


def test_every_call_is_dissected_and_decrypted(capture: Path) -> None:
    summary = tshark(capture)
    first_tcp = next(line for line in summary.splitlines() if " TCP " in line)
    assert "135 [SYN]" in first_tcp  # the whole session is in the capture
    assert "RemoteCreateInstance response" in summary
    assert summary.count('GetIDsOfNames request "Title"') > 20
    assert "SCode=E_ACCESSDENIED" in summary and "DISP_E_EXCEPTION" in summary
    assert summary.count("-> DISP_E_EXCEPTION") == 2  # CreateUpdateInstaller, WebProxy


def test_no_malformed_packet_but_the_vt_decimal_gap(capture: Path) -> None:
    detailed = frames(tshark(capture, "-V"))
    malformed = [f for f in detailed if "[Malformed Packet" in f]
    unexplained = [f.splitlines()[0] for f in malformed if VT_DECIMAL_GAP not in f]
    assert unexplained == []
    assert len(malformed) > 20  # one per MaxDownloadSize read: the gap is really there


def test_no_expert_error_but_the_vt_decimal_gap(capture: Path) -> None:
    report = tshark(capture, "-q", "-z", "expert,error")
    rows = [line.split() for line in report.splitlines() if re.match(r"\s+\d+\s+\w", line)]
    assert rows, report
    assert all(row[1:3] == ["Malformed", "IDispatch"] for row in rows), report
    decimal_reads = len([f for f in frames(tshark(capture, "-V")) if VT_DECIMAL_GAP in f])
    assert sum(int(row[0]) for row in rows) == decimal_reads
