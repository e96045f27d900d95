"""ORPC calls on the exporter connections of a session (a pool, leased per call).

The calls in flight are counted because releases of collected objects wait for the
session to be idle rather than queue behind a long Search. A call that outlives the call
timeout is reported as such, not as an unreachable host: the exporter answered the bind
and took the call, so it is busy, and the fix is time, not a firewall rule.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from wua.client.session_options import CallCounter, SessionOptions
from wua.client.transport import CONTEXT_OF, ExporterPool, SecurityMaker
from wua.errors import HostUnreachable, WuaError
from wua.rpc.channel import Endpoint

HRESULT_ERROR_TIMEOUT = 0x800705B4  # HRESULT_FROM_WIN32(ERROR_TIMEOUT)


class ExporterCalls:
    def __init__(
        self,
        host: str,
        options: SessionOptions,
        calls: CallCounter,
        *,
        on_idle: Callable[[], None],
    ) -> None:
        self._host = host
        self._options = options
        self._calls = calls
        self._on_idle = on_idle
        self._pool: ExporterPool | None = None
        self._in_flight = 0
        self.closed = False

    async def open(self, endpoint: Endpoint, security: SecurityMaker) -> None:
        """Open the pool's first connection (an unreachable exporter fails here)."""
        self._pool = ExporterPool(
            endpoint,
            security,
            size=self._options.pool_size,
            timeout=self._options.connect_timeout,
        )
        await self._pool.start()

    @property
    def opened(self) -> bool:
        return self._pool is not None

    @property
    def busy(self) -> bool:
        return self._in_flight > 0

    @property
    def bytes_sent(self) -> int:
        return self._pool.bytes_sent if self._pool is not None else 0

    async def call(
        self,
        iid: uuid.UUID,
        ipid: uuid.UUID,
        opnum: int,
        stub: bytes,
        kind: str,
        what: str | None = None,
    ) -> bytes:
        """One ORPC call on the interface `iid` of the object `ipid`, counted as `kind`."""
        if self._pool is None or self.closed:
            raise HostUnreachable("the session is closed", host=self._host, stage="call")
        self._calls.by_kind[kind] += 1
        self._in_flight += 1
        try:
            async with self._pool.lease() as channel:
                return await channel.call(
                    CONTEXT_OF[iid],
                    opnum,
                    stub,
                    object_uuid=ipid,
                    timeout=self._options.call_timeout,
                )
        except HostUnreachable as exc:
            if not isinstance(exc.__cause__, TimeoutError):
                raise
            # (a Search can take many minutes)
            raise WuaError(
                f"{what or kind} did not finish within the call timeout "
                f"({self._options.call_timeout} s); the host may still be working on it: "
                "allow more time (--call-timeout, or call_timeout= in Python)",
                hresult=HRESULT_ERROR_TIMEOUT,
                host=self._host,
                stage="call",
            ) from exc
        finally:
            self._in_flight -= 1
            if not self._in_flight:
                self._on_idle()

    async def close(self) -> None:
        """No call goes out from now on; the connections close."""
        self.closed = True
        if self._pool is not None:
            await self._pool.close()
