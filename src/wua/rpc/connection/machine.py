"""The receive loop and send buffer that the client and server machines have in common.

Both sides take bytes in, cut them into PDUs, turn each PDU into events and queue what
they answer by themselves; only what a PDU means differs, and that is each side's
`_handle`. Kept in one place so that both sides fail a connection the same way.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import deque
from typing import Generic, TypeVar

from wua.errors import WuaError
from wua.rpc.connection.framing import PduStream

EventT = TypeVar("EventT")


class PduMachine(ABC, Generic[EventT]):
    def __init__(self, max_recv_frag: int) -> None:
        self._stream = PduStream(max_recv_frag)
        self._events: deque[EventT] = deque()
        self._outbox = bytearray()

    def receive_data(self, data: bytes) -> None:
        self._stream.feed(data)

    def data_to_send(self) -> bytes:
        """What the machine produced by itself (handshake legs, faults) since last asked."""
        out = bytes(self._outbox)
        self._outbox.clear()
        return out

    def next_event(self) -> EventT | None:
        """The next event, or None when more bytes are needed."""
        while not self._events:
            raw = self._stream.next_pdu()
            if raw is None:
                return None
            try:
                self._handle(raw)
            except WuaError:
                # like h11's ERROR state: after a broken PDU nothing on this connection
                # can be trusted, so every later step fails too
                self._close()
                raise
        return self._events.popleft()

    @abstractmethod
    def _handle(self, raw: bytes) -> None:
        """Act on one whole PDU: change state, queue events and answers."""

    @abstractmethod
    def _close(self) -> None:
        """Enter the side's CLOSED state, from which every later step fails."""
