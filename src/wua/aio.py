"""The asyncio flavour of the client: `async with wua.aio.connect(...) as host`."""

from wua.client.aio import connect
from wua.client.session import AsyncSession

__all__ = ["AsyncSession", "connect"]
