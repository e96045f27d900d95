"""Done-when #3 (scale): 200 emulated hosts on 127.1.0.0/24 in one process, 50 stock
clients at once, each on its own host, each answered from that host's own catalog."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.emulator import impacket_client as ic
from wua.emulator.catalog import Catalog, generate_hosts
from wua.emulator.server import FleetThread, HostConfig, addresses_from
from wua.emulator.wua import HostState, activate, invoke
from wua.reference.interfaces import MemberKind

HOSTS, CLIENTS = 200, 50
MAX_MB_PER_IDLE_HOST = 2.0


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.fixture(scope="module")
def fleet() -> Iterator[tuple[FleetThread, list[Catalog], float]]:
    before = rss_mb()
    catalogs = generate_hosts(HOSTS, seed=11)
    configs = [
        HostConfig(address, catalog)
        for address, catalog in zip(addresses_from("127.1.0.1", HOSTS), catalogs, strict=True)
    ]
    with FleetThread(configs) as running:
        yield running, catalogs, (rss_mb() - before) / HOSTS


def pending_titles(catalog: Catalog) -> list[str]:
    session = activate(HostState(catalog), "Microsoft.Update.Session")
    searcher = invoke(session, "IUpdateSession", "CreateUpdateSearcher", MemberKind.METHOD)
    result = invoke(searcher, "IUpdateSearcher", "Search", MemberKind.METHOD, ["IsInstalled=0"])
    updates = invoke(result, "ISearchResult", "Updates", MemberKind.PROPGET)
    count = invoke(updates, "IUpdateCollection", "Count", MemberKind.PROPGET)
    assert isinstance(count, int)
    return [
        invoke(updates, "IUpdateCollection", "Item", MemberKind.PROPGET, [i]).source.title
        for i in range(count)
    ]  # type: ignore[union-attr]


def scan(address: str) -> tuple[str, list[str]]:
    dcom = ic.connect(address, "Administrator", "Passw0rd!")
    try:
        session: Any = ic.create(dcom)
        result = ic.method(
            ic.method(session, "CreateUpdateSearcher"), "Search", ic.bstr("IsInstalled=0")
        )
        updates = ic.get(result, "Updates")
        count = ic.get(updates, "Count")
        titles = [ic.get(ic.item(updates, i), "Title") for i in range(min(count, 3))]
        return address, [str(count), *titles]
    finally:
        ic.disconnect(dcom, address)


def test_every_host_listens_on_its_own_address(
    fleet: tuple[FleetThread, list[Catalog], float],
) -> None:
    running, catalogs, _ = fleet
    assert len(running.hosts) == HOSTS
    assert [h.config.address for h in running.hosts] == addresses_from("127.1.0.1", HOSTS)
    assert all(h.resolver_port == 135 and h.exporter_port for h in running.hosts)
    assert len({c.host.name for c in catalogs}) == HOSTS


def test_fifty_clients_at_once(fleet: tuple[FleetThread, list[Catalog], float]) -> None:
    running, catalogs, _ = fleet
    chosen = list(range(0, HOSTS, HOSTS // CLIENTS))[:CLIENTS]
    addresses = [running.hosts[i].config.address for i in chosen]
    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = dict(pool.map(scan, addresses))
    assert len(answers) == CLIENTS
    for index, address in zip(chosen, addresses, strict=True):
        titles = pending_titles(catalogs[index])
        assert answers[address] == [str(len(titles)), *titles[:3]]


def test_memory_per_idle_host(fleet: tuple[FleetThread, list[Catalog], float]) -> None:
    _, _, per_host = fleet
    assert per_host < MAX_MB_PER_IDLE_HOST
