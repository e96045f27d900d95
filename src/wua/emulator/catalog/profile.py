"""What makes one generated host differ from another: the builder's only input.

A profile is plain data (no randomness of its own): the default host is one fixed profile
and the fleet generator draws profiles from a seeded generator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wua.emulator.catalog.products import Product


@dataclass(frozen=True)
class Counts:
    """How many updates of one classification are pending and how many installed."""

    pending: int
    installed: int


@dataclass(frozen=True)
class HostProfile:
    """Everything that makes one emulated host differ from another."""

    name: str
    product: Product
    edition: str
    snapshot: datetime
    counts: tuple[tuple[str, Counts], ...]
    accounts: tuple[Mapping[str, Any], ...]
    service_mode: str = "microsoft-update"
    wsus_url: str = ""
    failure_rate: float = 0.1
    salt: str = ""
    domain: str | None = None
    description: str = ""
    reboot_pending: bool = True
    uninstall_once: bool = True
    hide_one: bool = True
    bundle_newest: bool = True
