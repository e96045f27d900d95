"""Wires a client machine to a server machine in memory, in both directions."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from wua.rpc.connection.client import ClientConfig, ClientConnection
from wua.rpc.connection.events import ClientEvent, ServerEvent
from wua.rpc.connection.server import ServerConfig, ServerConnection
from wua.rpc.presentation import SyntaxId

IFACE_A = SyntaxId(UUID("00000143-0000-0000-c000-000000000046"))
IFACE_B = SyntaxId(UUID("000001a0-0000-0000-c000-000000000046"))
IFACE_C = SyntaxId(UUID("00020400-0000-0000-c000-000000000046"))


@dataclass
class Pair:
    client: ClientConnection
    server: ServerConnection
    wire_to_server: list[bytes] = field(default_factory=list)
    wire_to_client: list[bytes] = field(default_factory=list)

    def to_server(self, data: bytes) -> list[ServerEvent]:
        """Deliver `data` (and anything the client queued) and collect the server's events."""
        data += self.client.data_to_send()
        self.wire_to_server.append(data)
        self.server.receive_data(data)
        return drain_server(self.server)

    def to_client(self, data: bytes = b"") -> list[ClientEvent]:
        data += self.server.data_to_send()
        self.wire_to_client.append(data)
        self.client.receive_data(data)
        return drain_client(self.client)

    def settle(self) -> tuple[list[ServerEvent], list[ClientEvent]]:
        """Exchange queued handshake PDUs until neither side has anything to send."""
        s_events: list[ServerEvent] = []
        c_events: list[ClientEvent] = []
        while True:
            c_out = self.client.data_to_send()
            if c_out:
                s_events += self.to_server(c_out)
            s_out = self.server.data_to_send()
            if s_out:
                c_events += self.to_client(s_out)
            if not c_out and not s_out:
                return s_events, c_events


def drain_server(server: ServerConnection) -> list[ServerEvent]:
    events = []
    while (event := server.next_event()) is not None:
        events.append(event)
    return events


def drain_client(client: ClientConnection) -> list[ClientEvent]:
    events = []
    while (event := client.next_event()) is not None:
        events.append(event)
    return events


def make_pair(client_config: ClientConfig | None = None, **server: object) -> Pair:
    server.setdefault("interfaces", (IFACE_A, IFACE_B))
    return Pair(ClientConnection(client_config), ServerConnection(ServerConfig(**server)))  # type: ignore[arg-type]
