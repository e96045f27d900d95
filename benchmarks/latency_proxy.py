"""An asyncio TCP proxy that adds a fixed delay each way, rewriting nothing.

Design: the proxy listens on its *own* loopback address with the *same port numbers*
as the host behind it (TCP 135 or its stand-in, and the exporter port). The client is
pointed at the proxy's address; the activation reply names the exporter port, and the
client pairs it with the address the user gave — the proxy's — so every connection goes
through the proxy without touching a byte of the string bindings.

Delays are applied per chunk with a due time, so pipelined traffic keeps flowing (a
chunk is held `delay` seconds, not `delay` after the previous one).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections import Counter
from collections.abc import Iterable

_READ = 65536


class LatencyProxy:
    """`await start()`, `await stop()`; `one_way` seconds of delay in each direction."""

    def __init__(self, listen: str, target: str, ports: Iterable[int], one_way: float) -> None:
        self.listen = listen
        self.target = target
        self.ports = list(ports)
        self.one_way = one_way
        self._servers: list[asyncio.Server] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self.accepted: Counter[int] = Counter()  # connections per port (who went through)

    async def start(self) -> None:
        for port in self.ports:
            server = await asyncio.start_server(
                functools.partial(self._accept, port=port), self.listen, port
            )
            self._servers.append(server)

    async def _accept(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, port: int
    ) -> None:
        self.accepted[port] += 1
        try:
            up_reader, up_writer = await asyncio.open_connection(self.target, port)
        except OSError:
            writer.close()
            return
        pumps = [
            asyncio.ensure_future(self._pump(reader, up_writer)),
            asyncio.ensure_future(self._pump(up_reader, writer)),
        ]
        for task in pumps:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        for task in pumps:
            task.cancel()
        for w in (writer, up_writer):
            w.close()

    async def _pump(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, data = await queue.get()
                wait = due - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not data:
                    return
                sink.write(data)
                await sink.drain()

        sender = asyncio.ensure_future(deliver())
        try:
            while data := await source.read(_READ):
                queue.put_nowait((loop.time() + self.one_way, data))
            queue.put_nowait((loop.time() + self.one_way, b""))
            await sender
        except (ConnectionError, OSError):
            return
        finally:
            sender.cancel()

    async def stop(self) -> None:
        for server in self._servers:
            server.close()
        for task in list(self._tasks):
            task.cancel()
        for server in self._servers:
            with contextlib.suppress(Exception):
                await server.wait_closed()
        self._servers.clear()
