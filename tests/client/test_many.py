"""Many hosts from one process, and a search that outlasts several ping periods."""

from __future__ import annotations

import asyncio

import pytest

import wua
from tests.client.hosts import ADMIN
from wua.emulator.catalog import default_catalog
from wua.emulator.server import EmulatedFleet, HostConfig, addresses_from
from wua.emulator.wua import HostBehaviour
from wua.errors import WuaError


@pytest.mark.slow
async def test_hundred_hosts_concurrently() -> None:
    addresses = addresses_from("127.0.52.1", 100)
    configs = [HostConfig(a, default_catalog(), resolver_port=0) for a in addresses]
    async with EmulatedFleet(configs) as fleet:

        async def scan(index: int) -> tuple[str, list[str], int]:
            host = fleet.hosts[index]
            async with wua.aio.connect(
                f"{host.config.address}:{host.resolver_port}", *ADMIN, pool_size=2
            ) as session:
                searcher = await session.update_session.create_update_searcher()
                updates = await (await searcher.search("IsInstalled=0")).updates
                titles = await asyncio.gather(*(u.title for u in updates[:3]))
                return session.host, titles, host.runtime.calls

        results = await asyncio.gather(*(scan(i) for i in range(100)))
    assert [r[0] for r in results] == addresses
    assert all(r[1] and all(r[1]) for r in results)
    assert all(r[2] > 0 for r in results)  # every host served its own session


async def _long_search(client_ping_period: float) -> object:
    period = 0.2
    config = HostConfig(
        "127.0.53.1",
        default_catalog(),
        resolver_port=0,
        ping_period=period,
        behaviour=HostBehaviour(search_seconds=period * 4),
    )
    async with EmulatedFleet([config]) as fleet:
        host = fleet.hosts[0]
        async with wua.aio.connect(
            f"127.0.53.1:{host.resolver_port}", *ADMIN, ping_period=client_ping_period
        ) as session:
            searcher = await session.update_session.create_update_searcher()
            other = await session.update_session.create_update_searcher()
            result = await searcher.search("IsInstalled=0")
            assert await result.updates
            # an object idle during the whole search lives only if it was pinged
            await other.online
            return session.pinger.pings


async def test_search_longer_than_three_ping_periods() -> None:
    pings = await _long_search(0.1)
    assert isinstance(pings, int) and pings >= 4


async def test_without_pings_idle_objects_are_collected() -> None:
    with pytest.raises(WuaError):
        await _long_search(60.0)
