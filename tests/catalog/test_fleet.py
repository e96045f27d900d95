"""The fleet generator: deterministic per seed, distinct hosts, all valid."""

from __future__ import annotations

from collections import Counter

import pytest
from impacket.ntlm import compute_nthash

from wua.emulator.catalog import Catalog
from wua.emulator.catalog.fleet import (
    FLEET_SERVICE_ACCOUNT,
    generate_host_documents,
    generate_hosts,
)


@pytest.fixture(scope="module")
def fleet() -> list[Catalog]:
    return generate_hosts(40, seed=7)


def test_same_seed_same_hosts(fleet: list[Catalog]) -> None:
    assert generate_hosts(40, seed=7) == fleet


def test_other_seed_other_hosts(fleet: list[Catalog]) -> None:
    other = generate_hosts(40, seed=8)
    assert [h.updates for h in other] != [h.updates for h in fleet]


def test_hosts_are_distinct(fleet: list[Catalog]) -> None:
    names = [h.host.name for h in fleet]
    assert len(set(names)) == len(names)
    pending = {frozenset(u.update_id for u in h.updates if not u.is_installed) for h in fleet}
    installed = {frozenset(u.update_id for u in h.updates if u.is_installed) for h in fleet}
    assert len(pending) == len(fleet)
    assert len(installed) == len(fleet)
    histories = {tuple(e.date for e in h.history) for h in fleet}
    assert len(histories) == len(fleet)


def test_fleet_mixes_products_and_services(fleet: list[Catalog]) -> None:
    products = Counter(h.host.os_version for h in fleet)
    assert len(products) >= 5
    services = Counter(h.default_service.name for h in fleet)
    assert set(services) == {"Windows Update", "Microsoft Update", "Windows Server Update Service"}
    assert any(h.host.domain == "CORP" for h in fleet)
    assert any(h.host.domain is None for h in fleet)


def test_every_host_uses_its_products_updates(fleet: list[Catalog]) -> None:
    for host in fleet:
        product_categories = [c for c in host.categories if c.type == "Product"]
        assert all(
            any(c.category_id in u.category_ids for c in product_categories) for u in host.updates
        )


def test_documents_and_hosts_agree() -> None:
    assert len(generate_host_documents(3, seed=1)) == 3
    assert generate_hosts(0) == []
    with pytest.raises(ValueError, match="n must be"):
        generate_hosts(-1)


def test_service_account_hash_is_the_documented_password() -> None:
    assert compute_nthash("Fl33t!Scan").hex() == FLEET_SERVICE_ACCOUNT["nt_hash"]


@pytest.mark.slow
def test_a_large_fleet_is_valid_and_distinct() -> None:
    hosts = generate_hosts(300, seed=2026)
    assert len({h.host.name for h in hosts}) == 300
    assert len({frozenset(u.update_id for u in h.updates) for h in hosts}) == 300
