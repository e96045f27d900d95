"""The emulated Windows host on the wire: WUA over DCOM, per MS-DCOM / MS-OAUT / MS-UAMG.

    from wua.emulator.catalog import default_catalog
    from wua.emulator.server import EmulatedFleet, FleetThread, HostConfig

    async with EmulatedFleet([HostConfig("127.0.0.5", default_catalog())]) as fleet:
        ...                                  # TCP 135 and a dynamic exporter port

    with FleetThread([HostConfig("127.0.0.5", default_catalog(), resolver_port=0)]) as f:
        port = f.hosts[0].resolver_port      # synchronous callers (tests, the demo)

See docs/emulator.md for what is emulated and how faithfully.
"""

from wua.emulator.server.config import (
    DEFAULT_PING_PERIOD,
    DEFAULT_RESOLVER_PORT,
    HostConfig,
    PortState,
    WireFaults,
)
from wua.emulator.server.fleet import EmulatedFleet, FleetThread, addresses_from
from wua.emulator.server.host import EmulatedHost, HostSummary

__all__ = [
    "DEFAULT_PING_PERIOD",
    "DEFAULT_RESOLVER_PORT",
    "EmulatedFleet",
    "EmulatedHost",
    "FleetThread",
    "HostConfig",
    "HostSummary",
    "PortState",
    "WireFaults",
    "addresses_from",
]
