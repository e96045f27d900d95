"""Wireshark as an independent judge of our bytes, shared by every area's tshark tests.

Three jobs that all end in one verdict: wrap TCP payloads we produced in a pcap, or record
live loopback traffic with dumpcap; then let tshark dissect the file and hand back its
malformed frames and expert errors as data, so a test can say which dissector gaps of
Wireshark 4.0 it tolerates, each by the field that shows it, and nothing else.
"""

from __future__ import annotations

import re
import shutil
import socket
import struct
import subprocess
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

TSHARK = shutil.which("tshark")
DUMPCAP = shutil.which("dumpcap")
needs_tshark = pytest.mark.skipif(TSHARK is None, reason="tshark is not installed")
needs_live_capture = pytest.mark.skipif(
    DUMPCAP is None or TSHARK is None, reason="needs Wireshark's dumpcap and tshark"
)

# --- pcap from payloads -------------------------------------------------------------------

PCAP_HEADER = struct.Struct("<IHHiIII")  # magic, version, zone, sigfigs, snaplen, linktype
RECORD_HEADER = struct.Struct("<IIII")  # seconds, microseconds, captured, original length
ETHERNET = struct.Struct("!6s6sH")  # destination, source, ethertype
IPV4 = struct.Struct("!BBHHHBBH4s4s")  # version/IHL, TOS, length, id, flags, TTL, proto, sum
TCP = struct.Struct("!HHIIBBHHH")  # ports, seq, ack, offset, flags, window, sum, urgent
LINKTYPE_ETHERNET, ETHERTYPE_IPV4, IPPROTO_TCP = 1, 0x0800, 6
TCP_PSH_ACK, FIRST_SEQUENCE = 0x18, {True: 1000, False: 5000}


@dataclass(frozen=True)
class Endpoint:
    """One side of the synthetic conversation; port 135 lets tshark pick DCE/RPC itself."""

    address: str
    port: int
    mac: bytes

    @property
    def packed_address(self) -> bytes:
        return socket.inet_aton(self.address)


CLIENT = Endpoint("127.0.0.1", 50000, b"\x02\x00\x00\x00\x00\x01")
SERVER = Endpoint("127.0.0.2", 135, b"\x02\x00\x00\x00\x00\x02")

Record = tuple[bool, bytes]
"""(from_client, TCP payload): one segment of the conversation, in order."""


def tcp_frame(src: Endpoint, dst: Endpoint, seq: int, ack: int, payload: bytes) -> bytes:
    """Ethernet + IPv4 + TCP (PSH|ACK); checksums stay zero, tshark does not check them
    unless asked."""
    tcp = TCP.pack(src.port, dst.port, seq, ack, (TCP.size // 4) << 4, TCP_PSH_ACK, 65535, 0, 0)
    length = IPV4.size + len(tcp) + len(payload)
    ip = IPV4.pack(
        0x45, 0, length, 0, 0x4000, 64, IPPROTO_TCP, 0, src.packed_address, dst.packed_address
    )
    return ETHERNET.pack(dst.mac, src.mac, ETHERTYPE_IPV4) + ip + tcp + payload


def pcap_bytes(records: Iterable[Record]) -> bytes:
    """A classic pcap of one TCP conversation, each record one segment; sequence numbers
    run on per direction so tshark reassembles PDUs that span segments."""
    out = [PCAP_HEADER.pack(0xA1B2C3D4, 2, 4, 0, 0, 65535, LINKTYPE_ETHERNET)]
    seq = dict(FIRST_SEQUENCE)
    for number, (from_client, payload) in enumerate(records):
        src, dst = (CLIENT, SERVER) if from_client else (SERVER, CLIENT)
        frame = tcp_frame(src, dst, seq[from_client], seq[not from_client], payload)
        seq[from_client] += len(payload)
        out.append(RECORD_HEADER.pack(1_700_000_000 + number, 0, len(frame), len(frame)))
        out.append(frame)
    return b"".join(out)


def write_pcap(path: Path, records: Iterable[Record]) -> Path:
    path.write_bytes(pcap_bytes(records))
    return path


# --- running tshark -----------------------------------------------------------------------


@dataclass(frozen=True)
class Tshark:
    """How to read a capture: `decode_as` for DCE/RPC on ports tshark cannot guess
    (e.g. "tcp.port==135,dcerpc"), `nt_password` so it can verify NTLM and unseal stubs,
    `keytab` so it can decrypt Kerberos tickets and then the stubs they protect."""

    decode_as: tuple[str, ...] = ()
    nt_password: str | None = None
    keytab: Path | None = None

    def options(self) -> list[str]:
        out = [arg for rule in self.decode_as for arg in ("-d", rule)]
        if self.nt_password is not None:
            out += ["-o", f"ntlmssp.nt_password:{self.nt_password}"]
        if self.keytab is not None:
            out += ["-o", "kerberos.decrypt:TRUE", "-o", f"kerberos.file:{self.keytab}"]
        return out

    def run(self, path: Path, *args: str) -> str:
        """tshark's standard output; a failing tshark fails the test with its message."""
        if TSHARK is None:
            pytest.skip("tshark is not installed")
        return subprocess.run(
            [TSHARK, "-r", str(path), *self.options(), *args],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def fields(
        self, path: Path, names: Sequence[str], *options: str, separator: str = "\t"
    ) -> list[list[str]]:
        """One row per frame (as filtered by `options`, e.g. "-Y", ...), one cell per field."""
        args = ["-T", "fields", "-E", f"separator={separator}", *options]
        args += [arg for name in names for arg in ("-e", name)]
        text = self.run(path, *args)
        return [line.split(separator) for line in text.splitlines() if line.strip()]

    def matches(self, path: Path, display_filter: str) -> bool:
        """Whether any frame of the file passes the filter (false while it is still empty)."""
        if not path.exists() or TSHARK is None:
            return False
        listing = subprocess.run(
            [TSHARK, "-r", str(path), "-Y", display_filter],
            capture_output=True,
            text=True,
            check=False,
        )
        return bool(listing.stdout.strip())

    def dissect(self, path: Path) -> Verdict:
        detailed = self.run(path, "-V")
        frames = tuple(
            Frame(text)
            for text in re.split(r"\n(?=Frame \d+:)", detailed)
            if text.startswith("Frame ")
        )
        report = self.run(path, "-q", "-z", "expert,error")
        errors = tuple(
            ExpertError(int(m["count"]), m["group"], m["protocol"], m["summary"])
            for m in EXPERT_ROW.finditer(report)
        )
        return Verdict(detailed, frames, errors, report)


# --- the verdict --------------------------------------------------------------------------

EXPERT_ROW = re.compile(
    r"^\s+(?P<count>\d+)\s+(?P<group>\w+)\s+(?P<protocol>\S+)\s+(?P<summary>\S.*)$", re.M
)


@dataclass(frozen=True)
class Frame:
    """One frame of `tshark -V`, as text: the dissection tree of every layer."""

    text: str

    @property
    def heading(self) -> str:
        return self.text.splitlines()[0]

    @property
    def malformed(self) -> bool:
        return "[Malformed Packet" in self.text


@dataclass(frozen=True)
class ExpertError:
    """A row of `tshark -z expert,error`: how many frames got this error."""

    count: int
    group: str
    protocol: str
    summary: str


@dataclass(frozen=True)
class DissectorGap:
    """A place where Wireshark 4.0 stops although our bytes are right, named by the field
    line it prints just before giving up, so that tolerating it cannot hide anything else."""

    name: str
    field: str

    def explains(self, frame: Frame) -> bool:
        return frame.malformed and self.field in frame.text


# Wireshark 4.0's VARIANT dissector has no arm for VT_DECIMAL (design §2: WUA sends it for
# MaxDownloadSize) and takes VT_UNKNOWN's pointer without reading the MInterfacePointer.
VT_DECIMAL_GAP = DissectorGap("VT_DECIMAL", "VarType32: Unknown (0x0000000e)")
VT_UNKNOWN_GAP = DissectorGap("VT_UNKNOWN", "VarType32: VT_UNKNOWN (0x0000000d)")
# Nor for VT_NULL, VT_INT or VT_UINT, which WUA does not send but our codec writes.
VT_NULL_GAP = DissectorGap("VT_NULL", "VarType32: VT_NULL (0x00000001)")
VT_INT_GAP = DissectorGap("VT_INT", "VarType32: Unknown (0x00000016)")
VT_UINT_GAP = DissectorGap("VT_UINT", "VarType32: Unknown (0x00000017)")


@dataclass(frozen=True)
class Verdict:
    """What tshark made of a capture: every frame, the malformed ones, the expert errors."""

    text: str
    frames: tuple[Frame, ...]
    expert_errors: tuple[ExpertError, ...]
    expert_report: str

    @property
    def malformed(self) -> tuple[Frame, ...]:
        return tuple(frame for frame in self.frames if frame.malformed)

    def unexplained(self, *gaps: DissectorGap) -> list[str]:
        """Headings of the malformed frames that none of the given gaps accounts for."""
        return [
            frame.heading
            for frame in self.malformed
            if not any(gap.explains(frame) for gap in gaps)
        ]

    def explained_by(self, *gaps: DissectorGap) -> list[Frame]:
        return [frame for frame in self.malformed if any(gap.explains(frame) for gap in gaps)]

    @property
    def expert_error_count(self) -> int:
        return sum(error.count for error in self.expert_errors)


# --- live capture on loopback -------------------------------------------------------------

MARKER_PORT = 9  # discard: a datagram there is seen on `lo` and disturbs nothing


@contextmanager
def live_capture(
    path: Path, address: str, *, until: str = "tcp.flags.fin == 1 && tcp.srcport == 135"
) -> Iterator[Path]:
    """dumpcap on `lo` for traffic of `address`, writing `path`.

    Entered only once packets really reach the file ("Capturing on" comes a little before:
    UDP marker datagrams go to the address until one shows), so the session's first packets
    are in it; left only once a frame matching `until` (by default the FIN closing TCP 135)
    is written, since dumpcap writes a little after packets pass. Both waits are bounded by
    the suite's pytest timeout.
    """
    if DUMPCAP is None:
        pytest.skip("dumpcap is not installed")
    reader = Tshark()
    dumpcap = subprocess.Popen(
        [DUMPCAP, "-i", "lo", "-f", f"host {address}", "-w", str(path), "-q"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for_capturing_on(dumpcap)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as marker:
            while not reader.matches(path, f"udp.dstport == {MARKER_PORT}"):
                _check_running(dumpcap)
                marker.sendto(b"mark", (address, MARKER_PORT))
                time.sleep(0.1)
        yield path
        while not reader.matches(path, until):
            _check_running(dumpcap)
            time.sleep(0.1)
    finally:
        dumpcap.terminate()
        dumpcap.wait()


def _wait_for_capturing_on(dumpcap: subprocess.Popen[str]) -> None:
    if dumpcap.stderr is None:
        raise RuntimeError("dumpcap was started without a stderr pipe")
    said: list[str] = []
    for line in dumpcap.stderr:
        if line.startswith("Capturing on"):
            return
        said.append(line)
    raise RuntimeError(f"dumpcap stopped before capturing: {''.join(said)}")


def _check_running(dumpcap: subprocess.Popen[str]) -> None:
    if dumpcap.poll() is not None:
        raise RuntimeError(f"dumpcap exited with {dumpcap.returncode} while capturing")
