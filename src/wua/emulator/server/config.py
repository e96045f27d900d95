"""What one emulated host is: its address, catalog, behaviour, and wire-level faults.

`HostBehaviour` (the model's knobs: search time, call latency, update-server errors)
says how WUA behaves; `WireFaults` says how the *network* around it misbehaves, for
the firewall diagnosis and reliability work: no listener on TCP 135, an exporter port
that a firewall refuses or silently drops, connections reset in the middle of a call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from wua.dcom.orpc import PING_PERIOD_SECONDS
from wua.emulator.catalog import Catalog
from wua.emulator.wua import HostBehaviour
from wua.rpc.security.base import AuthType

DEFAULT_RESOLVER_PORT = 135
DEFAULT_PING_PERIOD = PING_PERIOD_SECONDS
#: What a Windows host accepts from a remote DCOM caller. Kerberos (raw, or inside
#: Negotiate) needs keys: only a host given a keytab (a domain member) offers it.
DEFAULT_AUTH_TYPES = frozenset({AuthType.WINNT, AuthType.GSS_NEGOTIATE, AuthType.GSS_KERBEROS})


class PortState(Enum):
    """How a port looks from outside: open, refused (RST), or dropped (no answer ever)."""

    OPEN = "open"
    REFUSED = "refused"
    DROPPED = "dropped"


@dataclass(frozen=True)
class WireFaults:
    """Network faults of one host.

    - `resolver`: TCP 135 (RPCSS) open, refused, or dropped;
    - `exporter`: the dynamic port of the WUA objects (dllhost.exe), same choices: a
      missing firewall exception for dllhost shows as DROPPED;
    - `reset_every`: reset the connection (TCP RST) instead of answering every Nth call
      on the exporter port, after the request was read: a call that dies mid-flight.
    """

    resolver: PortState = PortState.OPEN
    exporter: PortState = PortState.OPEN
    reset_every: int | None = None


@dataclass(frozen=True)
class HostConfig:
    """One emulated host: it listens on `address` (every 127.x.y.z is its own host).

    `auth_types` are the sec_trailer auth types its binds accept (others get bind_nak):
    NTLM, Negotiate and Kerberos by default; NTLM alone makes a host that refuses
    Negotiate. `keytab` holds the keys of its service principals (host/<name>): with
    one, the host accepts Kerberos as a domain member does; without, as a workgroup
    host, it answers Kerberos offers with NTLM (Negotiate) or bind_nak (raw Kerberos).
    """

    address: str
    catalog: Catalog
    behaviour: HostBehaviour = field(default_factory=HostBehaviour)
    faults: WireFaults = field(default_factory=WireFaults)
    resolver_port: int = DEFAULT_RESOLVER_PORT
    exporter_port: int = 0
    ping_period: float = DEFAULT_PING_PERIOD
    auth_types: frozenset[AuthType] = DEFAULT_AUTH_TYPES
    keytab: Path | None = None

    @property
    def computer_name(self) -> str:
        """The NetBIOS name: the catalog's host name, upper case, at most 15 characters."""
        return self.catalog.host.name.upper()[:15]
