"""Emulated hosts for the client tests: distinct loopback addresses, dynamic ports."""

from __future__ import annotations

from wua.emulator.catalog import default_catalog
from wua.emulator.server import FleetThread, HostConfig, PortState, WireFaults

ADMIN = ("Administrator", "Passw0rd!")
GOOD = "127.0.51.1"
DROPPED_EXPORTER = "127.0.51.2"


def fleet() -> FleetThread:
    catalog = default_catalog()
    return FleetThread(
        [
            HostConfig(GOOD, catalog, resolver_port=0),
            HostConfig(
                DROPPED_EXPORTER,
                catalog,
                resolver_port=0,
                faults=WireFaults(exporter=PortState.DROPPED),
            ),
        ]
    )


def target(fleet_thread: FleetThread, address: str) -> str:
    """`address:port` of a host's TCP 135 stand-in."""
    host = next(h for h in fleet_thread.hosts if h.config.address == address)
    return f"{address}:{host.resolver_port}"
