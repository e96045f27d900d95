"""One emulated Windows host on the wire: TCP 135, its exporter port, its object sweeper.

Start order is the one that makes the activation reply true: the exporter port is bound
first (port 0: the OS picks it, as Windows picks a dynamic port for dllhost.exe), so
the string bindings TCP 135 announces name a port that is already listening. A port the
host's faults say is refused is not opened at all; one they say is dropped accepts
connections and never answers (what a client behind a dropping firewall experiences
once the handshake has passed, ending in its own timeout).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import random
from dataclasses import dataclass

from wua.emulator.server.config import HostConfig, PortState
from wua.emulator.server.exporter import Exporter, exporter_interfaces
from wua.emulator.server.resolver import RESOLVER_INTERFACES, Resolver
from wua.emulator.server.runtime import HostRuntime
from wua.emulator.server.security import acceptor_factory
from wua.emulator.wua import HostState
from wua.rpc.connection.server import ServerConfig
from wua.rpc.listener import Listener


@dataclass(frozen=True)
class HostSummary:
    """What `wua emulate` prints per host."""

    name: str
    address: str
    resolver_port: int | None
    exporter_port: int | None
    updates: int
    accounts: tuple[str, ...]
    keytab: str | None = None

    def line(self) -> str:
        resolver = "closed" if self.resolver_port is None else str(self.resolver_port)
        exporter = "closed" if self.exporter_port is None else str(self.exporter_port)
        kerberos = "" if self.keytab is None else f" kerberos {self.keytab}"
        return (
            f"{self.name:<15} {self.address}:{resolver} exporter {exporter} "
            f"updates {self.updates} accounts {', '.join(self.accounts)}{kerberos}"
        )


class _Sink:
    """A port that accepts and then never answers (a dropped port, past the handshake)."""

    def __init__(self) -> None:
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self, host: str, port: int) -> int:
        self._server = await asyncio.start_server(self._hold, host, port)
        bound: int = self._server.sockets[0].getsockname()[1]
        return bound

    async def _hold(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while await reader.read(65536):
                continue
        except (ConnectionError, OSError):
            return
        finally:
            self._writers.discard(writer)
            writer.close()

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for writer in list(self._writers):
                writer.transport.abort()
            await self._server.wait_closed()


Port = Listener | _Sink


class EmulatedHost:
    """One host: `await start()`, `await stop()`; `state` shows what remote calls did."""

    def __init__(self, config: HostConfig) -> None:
        self.config = config
        self.state = HostState(config.catalog, config.behaviour)
        loop_time = asyncio.get_running_loop().time
        self.runtime = HostRuntime(config, self.state, loop_time)
        self._ports: list[Port] = []
        self._sweeper: asyncio.Task[None] | None = None
        self.resolver_port: int | None = None
        self.exporter_port: int | None = None

    async def start(self) -> None:
        config = self.config
        security = acceptor_factory(
            config.catalog, config.computer_name, config.auth_types, config.keytab
        )
        group = random.SystemRandom().randrange(0x1000, 0xFFFFF)
        exporter_config = ServerConfig(
            interfaces=exporter_interfaces(), security_factory=security, assoc_group_id=group
        )
        self.exporter_port = await self._open(
            config.faults.exporter, exporter_config, Exporter(self.runtime), config.exporter_port
        )
        self.runtime.exporter_port = self.exporter_port or 0
        resolver_config = ServerConfig(
            interfaces=RESOLVER_INTERFACES, security_factory=security, assoc_group_id=group + 1
        )
        self.resolver_port = await self._open(
            config.faults.resolver, resolver_config, Resolver(self.runtime), config.resolver_port
        )
        self._sweeper = asyncio.get_running_loop().create_task(self._sweep())

    async def _open(
        self, state: PortState, server: ServerConfig, handler: Exporter | Resolver, port: int
    ) -> int | None:
        if state is PortState.REFUSED:
            return None
        if state is PortState.DROPPED:
            sink = _Sink()
            self._ports.append(sink)
            return await sink.start(self.config.address, port)
        listener = Listener(server, handler)
        self._ports.append(listener)
        _, bound = await listener.start(self.config.address, port)
        listener.config = dataclasses.replace(server, secondary_address=str(bound))
        return bound

    async def _sweep(self) -> None:
        """Collect unpinged objects; checks a few times per ping period."""
        period = self.config.ping_period
        while True:
            await asyncio.sleep(period / 4)
            self.runtime.table.collect(self.runtime.now())

    async def stop(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        for port in self._ports:
            await port.stop()
        self._ports.clear()

    def summary(self) -> HostSummary:
        catalog = self.config.catalog
        return HostSummary(
            catalog.host.name,
            self.config.address,
            self.resolver_port,
            self.exporter_port,
            len(catalog.updates),
            tuple(a.name for a in catalog.accounts),
            None if self.config.keytab is None else self.config.keytab.name,
        )
