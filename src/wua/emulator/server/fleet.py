"""Many emulated hosts in one process: `async with EmulatedFleet(configs)`, or, from
synchronous code (tests, the demo), `with FleetThread(configs)`, which runs the same
fleet on an event loop of its own thread.

Every host is independent (own catalog, state, object exporter, listeners); a fleet is
just the set of them with one start and one stop.
"""

from __future__ import annotations

import asyncio
import ipaddress
import threading
from collections.abc import Coroutine, Iterable, Sequence
from concurrent.futures import Future
from types import TracebackType
from typing import Any, Self, TypeVar

from wua.emulator.server.config import HostConfig
from wua.emulator.server.host import EmulatedHost

T = TypeVar("T")


def addresses_from(base: str, count: int) -> list[str]:
    """`count` consecutive IPv4 addresses from `base` (127.1.0.1, 127.1.0.2, ...)."""
    first = ipaddress.IPv4Address(base)
    return [str(first + i) for i in range(count)]


class EmulatedFleet:
    """Start and stop a set of hosts together; `hosts` in the order of their configs."""

    def __init__(self, configs: Iterable[HostConfig]) -> None:
        self.configs = list(configs)
        self.hosts: list[EmulatedHost] = []

    async def start(self) -> None:
        try:
            for config in self.configs:
                host = EmulatedHost(config)
                self.hosts.append(host)
                await host.start()
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        hosts, self.hosts = self.hosts, []
        await asyncio.gather(*(host.stop() for host in hosts))

    def host(self, address: str) -> EmulatedHost:
        for host in self.hosts:
            if host.config.address == address:
                return host
        raise KeyError(address)

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()


class FleetThread:
    """An `EmulatedFleet` on its own event loop thread, for synchronous callers."""

    def __init__(self, configs: Iterable[HostConfig]) -> None:
        self.fleet = EmulatedFleet(configs)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="wua-emulator", daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()

    def call(self, coroutine: Coroutine[Any, Any, T]) -> Future[T]:
        """Run a coroutine on the fleet's loop (e.g. to read or change host state safely)."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.fleet.start(), self._loop).result()

    def stop(self) -> None:
        if not self._thread.is_alive():
            return
        asyncio.run_coroutine_threadsafe(self.fleet.stop(), self._loop).result()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    @property
    def hosts(self) -> Sequence[EmulatedHost]:
        return self.fleet.hosts

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
