"""`async with wua.aio.connect(host, user, password) as host: ...` — the asyncio API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from wua.client.connect import build_session
from wua.client.session import AsyncSession


@asynccontextmanager
async def connect(
    host: Any, username: str | None = None, password: Any = None, **options: Any
) -> AsyncIterator[AsyncSession]:
    """Activate Microsoft.Update.Session on `host`; the session closes (releasing every
    object) when the block ends. Options: nt_hash, domain, kerberos, auth_level
    ('privacy', 'integrity'), timeout (connect), call_timeout, ping_period, pool_size."""
    session = build_session(host, username, password, **options)
    await session.open()
    try:
        yield session
    finally:
        await session.close()
