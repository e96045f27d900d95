"""Wireshark's dissector as an independent judge of what our builders write.

A capture is assembled from the Windows bind / bind_ack of the Zeek trace (so tshark
knows context 0 is IRemoteSCMActivator over NDR32) followed by *our* RemoteCreateInstance
request and reply. tshark must dissect them fully, without malformed-packet or error
expert infos, and must see the values we put in.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import uuid
from pathlib import Path

import pytest

from wua.dcom.activation.builders import (
    ActivatedInterface,
    ActivationResult,
    create_instance_request,
    create_instance_response,
)
from wua.dcom.bindings import DualStringArray, SecurityBinding, StringBinding
from wua.dcom.objref import ObjRefStandard, StdObjRef
from wua.dcom.orpc import ComVersion

TSHARK = shutil.which("tshark")
PCAP = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "vectors"
    / "zeek_kerberos135_auth.pcapng"
)
pytestmark = pytest.mark.skipif(
    TSHARK is None or not PCAP.exists(), reason="needs tshark and the shared Zeek capture"
)

CLSID_UPDATE_SESSION = uuid.UUID("4cb43d7f-7eee-4906-8698-60da1c38f2fe")
IID_IUPDATESESSION = uuid.UUID("816858a4-260d-4260-933a-2585f1abc76b")
OXID = 0x0123456789ABCDEF
IPID_REMUNKNOWN = uuid.UUID("00000001-0002-0003-0405-060708090a0b")
IPID_SESSION = uuid.UUID("0000aaaa-0002-0003-0405-060708090a0b")
CLIENT, SERVER = ("127.0.0.1", 50000), ("127.0.0.2", 135)


def _tcp_frame(
    src: tuple[str, int], dst: tuple[str, int], seq: int, ack: int, payload: bytes
) -> bytes:
    """Ethernet + IPv4 + TCP (PSH|ACK) around a payload; checksums left zero (tshark does
    not validate them by default)."""
    tcp = struct.pack("!HHIIBBHHH", src[1], dst[1], seq, ack, 5 << 4, 0x18, 65535, 0, 0)
    ip_total = 20 + len(tcp) + len(payload)
    ip = struct.pack(
        "!BBHHHBBH4s4s",
        0x45,
        0,
        ip_total,
        0,
        0x4000,
        64,
        6,
        0,
        bytes(map(int, src[0].split("."))),
        bytes(map(int, dst[0].split("."))),
    )
    ethernet = bytes(6) + bytes(5) + b"\x01" + b"\x08\x00"
    return ethernet + ip + tcp + payload


def _pcap(frames: list[bytes]) -> bytes:
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    for number, frame in enumerate(frames):
        out += struct.pack("<IIII", number, 0, len(frame), len(frame)) + frame
    return out


def _windows_bind_and_ack() -> tuple[bytes, bytes]:
    """The bind (frames 4+5) and bind_ack (frame 7) PDUs of the Zeek trace."""
    assert TSHARK is not None
    fields = subprocess.run(
        [
            TSHARK,
            "-r",
            str(PCAP),
            "-Y",
            "frame.number == 4 || frame.number == 5 || frame.number == 7",
            "-T",
            "fields",
            "-e",
            "tcp.payload",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return bytes.fromhex(fields[0] + fields[1]), bytes.fromhex(fields[2])


def _pdu(ptype: int, call_id: int, stub: bytes) -> bytes:
    """A request (opnum 4) or response PDU header for context 0 around a stub."""
    head = struct.pack(
        "<BBBB4sHHI", 5, 0, ptype, 3, b"\x10\x00\x00\x00", 24 + len(stub), 0, call_id
    )
    tail = (
        struct.pack("<IHH", len(stub), 0, 4)
        if ptype == 0
        else struct.pack("<IHBB", len(stub), 0, 0, 0)
    )
    return head + tail + stub


def test_tshark_dissects_our_activation_cleanly(tmp_path: Path) -> None:
    bindings = DualStringArray(
        (StringBinding.tcp("127.0.0.2", 49152),), (SecurityBinding(10, "NT AUTHORITY\\SYSTEM"),)
    )
    objref = ObjRefStandard(
        IID_IUPDATESESSION,
        StdObjRef(0, 5, OXID, 0x42, IPID_SESSION),
        DualStringArray((StringBinding.tcp("127.0.0.2"),), (SecurityBinding(10, ""),)),
    )
    result = ActivationResult(
        [ActivatedInterface(IID_IUPDATESESSION, 0, objref)],
        OXID,
        bindings,
        IPID_REMUNKNOWN,
        6,
        ComVersion(5, 7),
    )
    request = create_instance_request(
        CLSID_UPDATE_SESSION,
        [IID_IUPDATESESSION],
        cid=uuid.UUID(int=7),
        server_name="HOST",
        authn_level=6,
    ).encode()
    reply = create_instance_response(result).encode()
    bind, bind_ack = _windows_bind_and_ack()
    c2s = [bind, _pdu(0, 8, request)]
    s2c = [bind_ack, _pdu(2, 8, reply)]
    frames, cseq, sseq = [], 1, 1
    for sent, answer in zip(c2s, s2c, strict=True):
        frames.append(_tcp_frame(CLIENT, SERVER, cseq, sseq, sent))
        cseq += len(sent)
        frames.append(_tcp_frame(SERVER, CLIENT, sseq, cseq, answer))
        sseq += len(answer)
    capture = tmp_path / "ours.pcap"
    capture.write_bytes(_pcap(frames))
    assert TSHARK is not None
    text = subprocess.run(
        [TSHARK, "-r", str(capture), "-V", "-d", "tcp.port==135,dcerpc"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Malformed" not in text
    assert "Severity level: Error" not in text
    assert text.count("Operation: RemoteCreateInstance (4)") == 2
    assert f"InstantiatedObjectClsId: {CLSID_UPDATE_SESSION}" in text
    assert "String: HOST" in text
    assert "DefaultAuthnLevel: 6" in text
    assert "OXID: 0x0123456789abcdef" in text
    assert "NetworkAddr: 127.0.0.2[49152]" in text
    assert "PrincName: NT AUTHORITY\\SYSTEM" in text
    assert f"IRemUnknownInterfacePointerId: {IPID_REMUNKNOWN}" in text
    assert f"IPID: {IPID_SESSION}" in text
    assert "AuthenticationHint: 6" in text
    assert "VersionMajor: 5" in text and "VersionMinor: 7" in text
