"""Many distinct, reproducible emulated hosts for fleet tests.

`generate_hosts(n, seed=...)` draws each host's product (among the KB data's six),
edition, name, snapshot date, how far behind on updates it is, its update services,
failure rate and domain from one `random.Random` seeded with `seed`; the same seed always
gives the same hosts, and every host goes through the same validation as a file.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any

from wua.emulator.catalog.builder import (
    CLASSIFICATION_ORDER,
    build_host_document,
)
from wua.emulator.catalog.default import DEMO_ACCOUNTS, PROVENANCE
from wua.emulator.catalog.kbdata import records_for
from wua.emulator.catalog.loader import parse_catalog
from wua.emulator.catalog.model import Catalog
from wua.emulator.catalog.products import PRODUCTS, Product
from wua.emulator.catalog.profile import Counts, HostProfile
from wua.emulator.catalog.services import SERVICE_MODES

LATEST_SNAPSHOT = datetime(2026, 6, 20, 12, 0, tzinfo=UTC)
# A domain service account given by NT hash (the hash of 'Fl33t!Scan'), to exercise nt_hash.
FLEET_SERVICE_ACCOUNT: Mapping[str, Any] = MappingProxyType(
    {
        "name": "svc-wua",
        "domain": "CORP",
        "nt_hash": "cecb5a67e9ea0481fff914a960a65577",
        "is_admin": True,
        "description": "Domain account in the local Administrators group (password 'Fl33t!Scan').",
    }
)


def _profile(rng: random.Random, index: int, seed: int) -> HostProfile:
    prod: Product = rng.choice(PRODUCTS)
    snapshot = LATEST_SNAPSHOT - timedelta(days=rng.randrange(0, 360), hours=rng.randrange(0, 24))
    available = sum(1 for r in records_for(prod.csv_name) if r.first_posted < snapshot.date())
    pending_security = rng.randrange(0, min(25, available) + 1)
    installed_security = (
        rng.randrange(available - pending_security + 1) if available > pending_security else 0
    )
    counts = [("Security Updates", Counts(pending_security, installed_security))]
    for name in CLASSIFICATION_ORDER[1:]:
        counts.append((name, Counts(rng.randrange(0, 4), rng.randrange(0, 7))))
    domain = rng.choice((None, "CORP"))
    accounts = DEMO_ACCOUNTS + ((FLEET_SERVICE_ACCOUNT,) if domain else ())
    mode = rng.choice(SERVICE_MODES)
    return HostProfile(
        name=f"{prod.name_prefix}-{index + 1:04d}",
        product=prod,
        edition=rng.choice(prod.editions),
        snapshot=snapshot,
        counts=tuple(counts),
        accounts=accounts,
        service_mode=mode,
        wsus_url=f"http://wsus{rng.randint(1, 3)}.corp.example:8530" if mode == "wsus" else "",
        failure_rate=round(rng.uniform(0.0, 0.3), 3),
        salt=f"fleet|{seed}|{index}",
        domain=domain,
        description=f"Fleet host {index + 1} of seed {seed} (wua.emulator.catalog.fleet). {PROVENANCE}",
        reboot_pending=rng.random() < 0.3,
        uninstall_once=rng.random() < 0.2,
        hide_one=rng.random() < 0.5,
        bundle_newest=rng.random() < 0.5,
    )


def generate_host_documents(n: int, *, seed: int = 0) -> list[dict[str, Any]]:
    """The documents of `n` fleet hosts (what `generate_hosts` parses), e.g. to write files."""
    if n < 0:
        raise ValueError("n must be >= 0")
    rng = random.Random(f"wua-fleet|{seed}")
    return [build_host_document(_profile(rng, i, seed)) for i in range(n)]


def generate_hosts(n: int, *, seed: int = 0) -> list[Catalog]:
    """`n` distinct, validated hosts; the same seed gives the same hosts."""
    return [
        parse_catalog(doc, source=f"generate_hosts(seed={seed})[{i}]")
        for i, doc in enumerate(generate_host_documents(n, seed=seed))
    ]
