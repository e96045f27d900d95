"""AV_PAIR lists (MS-NLMP 2.2.2.1): the target information of CHALLENGE and NTLMv2 blobs."""

from __future__ import annotations

import struct
from dataclasses import dataclass

from wua.errors import ProtocolError
from wua.rpc.security.ntlm_flags import AvId

_HEADER = struct.Struct("<HH")  # AvId, AvLen


@dataclass(frozen=True)
class TargetInfo:
    """An ordered AV_PAIR list without its MsvAvEOL terminator.

    Kept as pairs of raw values (not a dict) because the NTLMv2 proof is computed over
    the bytes as the peer sent them: order and duplicates must survive a round trip.
    """

    pairs: tuple[tuple[int, bytes], ...] = ()

    def get(self, av_id: AvId) -> bytes | None:
        for key, value in self.pairs:
            if key == av_id:
                return value
        return None

    def text(self, av_id: AvId) -> str | None:
        value = self.get(av_id)
        return None if value is None else value.decode("utf-16-le", "replace")

    def encode(self) -> bytes:
        out = bytearray()
        for key, value in self.pairs:
            out += _HEADER.pack(key, len(value)) + value
        return bytes(out + _HEADER.pack(AvId.EOL, 0))

    @classmethod
    def names(cls, **fields: str) -> tuple[tuple[int, bytes], ...]:
        """Pairs for UTF-16 name fields given by AvId member name (nb_computer_name=...)."""
        return tuple(
            (AvId[name.upper()], value.encode("utf-16-le")) for name, value in fields.items()
        )


def decode_target_info(data: bytes, *, structure: str, trailing_zeros: bool = False) -> TargetInfo:
    """Parse an AV_PAIR list that must end with MsvAvEOL.

    `trailing_zeros` admits the zero padding NTLMv2 clients append after the list inside
    their blob (MS-NLMP 3.3.2 adds Z(4) after ServerName); anything else left over is an
    error.
    """
    pairs: list[tuple[int, bytes]] = []
    at = 0
    while True:
        if at + _HEADER.size > len(data):
            raise ProtocolError(
                "AV_PAIR list ends without MsvAvEOL", structure=structure, offset=at
            )
        key, length = _HEADER.unpack_from(data, at)
        body = at + _HEADER.size
        if key == AvId.EOL:
            if length:
                raise ProtocolError(
                    f"MsvAvEOL has length {length}", structure=structure, offset=at + 2
                )
            rest = data[body:]
            if rest and not (trailing_zeros and rest.count(0) == len(rest)):
                raise ProtocolError(
                    f"{len(rest)} bytes follow MsvAvEOL", structure=structure, offset=body
                )
            return TargetInfo(tuple(pairs))
        if body + length > len(data):
            raise ProtocolError(
                f"AV_PAIR {key} of {length} bytes runs past the end", structure=structure, offset=at
            )
        pairs.append((key, data[body : body + length]))
        at = body + length
