"""The NTLMv2 response (MS-NLMP 2.2.2.8) and the client blob inside it (2.2.2.7).

The acceptor keeps the blob's raw bytes: the proof is an HMAC over them exactly as the
client sent them, padding included (design §2: re-encoding the blob breaks impacket).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Final

from wua.errors import ProtocolError
from wua.rpc.security.ntlm_avpairs import TargetInfo, decode_target_info

_BLOB_HEADER = struct.Struct("<BBHIQ8sI")  # RespType, HiRespType, 2x reserved, time, chal, 0
PROOF_SIZE: Final = 16


@dataclass(frozen=True)
class NtlmV2Response:
    """NTProofStr followed by the client's blob."""

    proof: bytes
    blob: bytes
    timestamp: int
    client_challenge: bytes
    target_info: TargetInfo

    @classmethod
    def decode(cls, data: bytes) -> NtlmV2Response:
        structure = "NTLMv2_RESPONSE"
        if len(data) < PROOF_SIZE + _BLOB_HEADER.size:
            raise ProtocolError(
                f"{len(data)} bytes is too short for an NTLMv2 response",
                structure=structure,
                offset=len(data),
            )
        blob = data[PROOF_SIZE:]
        resp_type, hi_resp_type, _, _, timestamp, challenge, _ = _BLOB_HEADER.unpack_from(blob)
        if resp_type != 1 or hi_resp_type != 1:
            raise ProtocolError(
                f"RespType {resp_type}/{hi_resp_type}, expected 1/1",
                structure=structure,
                offset=PROOF_SIZE,
            )
        info = decode_target_info(
            blob[_BLOB_HEADER.size :], structure="NTLMv2 blob AV pairs", trailing_zeros=True
        )
        return cls(data[:PROOF_SIZE], blob, timestamp, challenge, info)


def encode_blob(timestamp: int, client_challenge: bytes, target_info: TargetInfo) -> bytes:
    """The client blob as MS-NLMP 3.3.2 builds it: header, AV pairs, Z(4)."""
    return (
        _BLOB_HEADER.pack(1, 1, 0, 0, timestamp, client_challenge, 0)
        + target_info.encode()
        + b"\x00" * 4
    )
