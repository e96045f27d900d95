"""Golden vectors from real Windows traffic: the RemoteCreateInstance response stub.

Source: frame 11 of Zeek's testing/btest/Traces/dce-rpc/kerberos135_auth.pcapng (BSD-3,
see /work/shared/vectors/SOURCES.md), auth level CONNECT so the stub is in clear. The stub
(after the 24-byte response header) is in data/zeek_kerberos135_frame11_stub.hex.

It holds three MS-RPCE 2.2.6 serialized types (CustomHeader, PropsOutInfo,
ScmReplyInfoData) with unique pointers, conformant arrays, a pointer to a pointer to a
conformant structure (MInterfacePointer, whose count is hoisted) and an 8-aligned
structure behind a pointer: decoding them and encoding the result again must give
Windows' bytes exactly. The structures are declared here from MS-DCOM 2.2.22 only to
exercise the codec; the DCOM layer owns the real declarations.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from wua.rpc import ndr

STUB = bytes.fromhex(
    (Path(__file__).parent / "data" / "zeek_kerberos135_frame11_stub.hex").read_text().strip()
)
HEADER = bytes.fromhex("01100800cccccccc")

CustomHeader = ndr.Struct(
    "CustomHeader",
    [
        ("totalSize", ndr.u32),
        ("headerSize", ndr.u32),
        ("dwReserved", ndr.u32),
        ("destCtx", ndr.u32),
        ("cIfs", ndr.u32),
        ("classInfoClsid", ndr.GUID),
        ("pclsid", ndr.Unique(ndr.ConformantArray(ndr.GUID))),
        ("pSizes", ndr.Unique(ndr.ConformantArray(ndr.u32))),
        ("pdwReserved", ndr.Unique(ndr.u32)),
    ],
)
MInterfacePointer = ndr.Struct(
    "MInterfacePointer", [("ulCntData", ndr.u32), ("abData", ndr.ConformantArray(ndr.u8))]
)
PropsOutInfo = ndr.Struct(
    "PropsOutInfo",
    [
        ("cIfs", ndr.u32),
        ("piid", ndr.Unique(ndr.ConformantArray(ndr.GUID))),
        ("phresults", ndr.Unique(ndr.ConformantArray(ndr.i32))),
        ("ppIntfData", ndr.Unique(ndr.ConformantArray(ndr.Unique(MInterfacePointer)))),
    ],
)
DualStringArray = ndr.Struct(
    "DUALSTRINGARRAY",
    [
        ("wNumEntries", ndr.u16),
        ("wSecurityOffset", ndr.u16),
        ("aStringArray", ndr.ConformantArray(ndr.u16)),
    ],
)
RemoteReplyScmInfo = ndr.Struct(
    "REMOTEREPLYSCM_INFO",
    [
        ("Oxid", ndr.u64),
        ("pdsaOxidBindings", ndr.Unique(DualStringArray)),
        ("ipidRemUnknown", ndr.GUID),
        ("authnHint", ndr.u32),
        ("majorVersion", ndr.u16),
        ("minorVersion", ndr.u16),
    ],
)
ScmReplyInfoData = ndr.Struct(
    "ScmReplyInfoData",
    [("pvReserved", ndr.u32), ("remoteReply", ndr.Unique(RemoteReplyScmInfo))],
)


def _serialized_blobs() -> list[bytes]:
    starts = []
    at = STUB.find(HEADER)
    while at >= 0:
        starts.append(at)
        at = STUB.find(HEADER, at + 1)
    blobs = []
    for start in starts:
        length = int.from_bytes(STUB[start + 8 : start + 12], "little")
        blobs.append(STUB[start : start + 16 + length])
    return blobs


BLOBS = _serialized_blobs()


def test_capture_holds_three_serialized_types() -> None:
    assert [len(b) for b in BLOBS] == [16 + 96, 16 + 240, 16 + 464]


@pytest.mark.parametrize(
    ("index", "kind"), [(0, CustomHeader), (1, PropsOutInfo), (2, ScmReplyInfoData)]
)
def test_windows_bytes_round_trip_exactly(index: int, kind: ndr.Struct) -> None:
    value = ndr.deserialize(kind, BLOBS[index])
    assert ndr.serialize(kind, value) == BLOBS[index]


def test_custom_header_values() -> None:
    header = ndr.deserialize(CustomHeader, BLOBS[0])
    assert header.cIfs == 2
    assert header.pclsid == [
        uuid.UUID("00000339-0000-0000-c000-000000000046"),
        uuid.UUID("000001b6-0000-0000-c000-000000000046"),
    ]
    assert header.pSizes == [256, 480]
    assert header.pdwReserved is None


def test_props_out_info_values() -> None:
    props = ndr.deserialize(PropsOutInfo, BLOBS[1])
    assert props.piid == [uuid.UUID("f309ad18-d86a-11d0-a075-00c04fb68820")]
    assert props.phresults == [0]
    (mip,) = props.ppIntfData
    assert mip.ulCntData == len(mip.abData) == 174
    assert mip.abData[:4] == b"MEOW"


def test_scm_reply_values() -> None:
    reply = ndr.deserialize(ScmReplyInfoData, BLOBS[2]).remoteReply
    assert reply.Oxid == 0x1189F948559B4A41
    assert (reply.majorVersion, reply.minorVersion) == (5, 7)
    assert reply.authnHint == 4
    bindings = reply.pdsaOxidBindings
    assert bindings.wNumEntries == len(bindings.aStringArray) == 0xCC
    assert bindings.wSecurityOffset == 0x2D
