"""The benchmark's latency proxy: bytes pass unchanged, each way delayed, pipelining kept."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from latency_proxy import LatencyProxy


async def _echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(65536):
        writer.write(data)
        await writer.drain()
    writer.close()


async def test_round_trip_is_delayed_and_bytes_unchanged() -> None:
    server = await asyncio.start_server(_echo, "127.0.56.1", 0)
    port = server.sockets[0].getsockname()[1]
    proxy = LatencyProxy("127.0.56.2", "127.0.56.1", [port], one_way=0.05)
    await proxy.start()
    try:
        reader, writer = await asyncio.open_connection("127.0.56.2", port)
        payload = bytes(range(256)) * 8
        start = time.perf_counter()
        writer.write(payload)
        got = await reader.readexactly(len(payload))
        first = time.perf_counter() - start
        assert got == payload and first >= 0.1
        start = time.perf_counter()  # ten pipelined messages take one round trip, not ten
        for i in range(10):
            writer.write(bytes([i]) * 100)
        assert await reader.readexactly(1000) == b"".join(bytes([i]) * 100 for i in range(10))
        assert 0.1 <= time.perf_counter() - start < 0.5
        writer.close()
    finally:
        await proxy.stop()
        server.close()
