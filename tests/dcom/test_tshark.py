"""Wireshark's dissector as an independent judge of what our builders write.

A capture is assembled from the Windows bind / bind_ack of the Zeek trace (so tshark
knows context 0 is IRemoteSCMActivator over NDR32) followed by *our* RemoteCreateInstance
request and reply. tshark must dissect them fully, without malformed-packet or error
expert infos, and must see the values we put in.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.support import dcerpc_pdus
from tests.support.tshark import TSHARK, Tshark, write_pcap
from wua.dcom.activation.builders import (
    ActivatedInterface,
    ActivationResult,
    create_instance_request,
    create_instance_response,
)
from wua.dcom.bindings import DualStringArray, SecurityBinding, StringBinding
from wua.dcom.objref import ObjRefStandard, StdObjRef
from wua.dcom.orpc import ComVersion

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
READER = Tshark(decode_as=("tcp.port==135,dcerpc",))


def _windows_bind_and_ack() -> tuple[bytes, bytes]:
    """The bind (frames 4+5) and bind_ack (frame 7) PDUs of the Zeek trace."""
    payloads = READER.fields(
        PCAP, ["tcp.payload"], "-Y", "frame.number == 4 || frame.number == 5 || frame.number == 7"
    )
    (first,), (second,), (ack,) = payloads
    return bytes.fromhex(first + second), bytes.fromhex(ack)


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
    capture = write_pcap(
        tmp_path / "ours.pcap",
        [
            (True, bind),
            (False, bind_ack),
            (True, dcerpc_pdus.request(8, 4, request)),
            (False, dcerpc_pdus.response(8, reply)),
        ],
    )
    verdict = READER.dissect(capture)
    assert verdict.malformed == () and verdict.expert_errors == ()
    text = verdict.text
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
