"""Cutting a TCP byte stream into PDUs by their frag_length."""

from __future__ import annotations

from wua.errors import ProtocolError
from wua.rpc.constants import MUST_RECV_FRAG_SIZE
from wua.rpc.pdu import HEADER_SIZE, peek_header


class PduStream:
    """Buffers received bytes; hands out whole PDUs, refusing any above `max_frag`.

    The header is checked as soon as its 16 bytes are in, so a peer announcing a huge
    fragment is refused before we wait for (or buffer) it. Handshake PDUs do not fragment
    and come before any negotiation, so the limit here is never below C706's
    MustRecvFragSize; the negotiated size is enforced on call fragments by the machines.
    """

    def __init__(self, max_frag: int) -> None:
        self.max_frag = max(max_frag, MUST_RECV_FRAG_SIZE)
        self._buffer = bytearray()

    def feed(self, data: bytes) -> None:
        self._buffer += data

    @property
    def pending(self) -> int:
        return len(self._buffer)

    def next_pdu(self) -> bytes | None:
        if len(self._buffer) < HEADER_SIZE:
            return None
        header = peek_header(bytes(self._buffer[:HEADER_SIZE]))
        if header.frag_length > self.max_frag:
            raise ProtocolError(
                f"frag_length {header.frag_length} exceeds the negotiated {self.max_frag}",
                structure="common header",
                offset=8,
            )
        if len(self._buffer) < header.frag_length:
            return None
        pdu = bytes(self._buffer[: header.frag_length])
        del self._buffer[: header.frag_length]
        return pdu
