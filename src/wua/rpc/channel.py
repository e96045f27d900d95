"""An asyncio driver for the sans-IO client machine: one TCP connection, many calls.

The machine decides what bytes go out and what the incoming bytes mean; this module only
moves bytes between it and a socket, and wakes the coroutine that waits for each answer.
Calls are serialised unless the server accepted PFC_CONC_MPX at bind.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from uuid import UUID

from wua.errors import AuthenticationFailed, HostUnreachable, ProtocolError, WuaError
from wua.rpc.connection.client import ClientConfig, ClientConnection
from wua.rpc.connection.events import (
    AlterContextAccepted,
    AuthComplete,
    BindAccepted,
    BindRejected,
    CallFault,
    CallResponse,
    ClientEvent,
    ShutdownRequested,
)
from wua.rpc.presentation import ContextElement
from wua.rpc.security.base import SecurityContext

_READ_SIZE = 65536
_HANDSHAKE = -1  # key under which bind / alter_context answers wait
_AUTH = -2  # key under which the end of a new auth context's handshake waits


class RpcFault(WuaError):
    """The server answered a call with a fault PDU; `status` is its status code."""

    def __init__(self, status: int, *, host: str | None = None, stage: str | None = None) -> None:
        self.status = status
        super().__init__(f"RPC fault 0x{status:08X}", hresult=status, host=host, stage=stage)


@dataclass(frozen=True)
class Endpoint:
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


class RpcChannel:
    """A client connection to one RPC endpoint (TCP 135 or an exporter port)."""

    def __init__(
        self,
        endpoint: Endpoint,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        config: ClientConfig | None = None,
        stage: str = "call",
    ) -> None:
        self.endpoint = endpoint
        self.stage = stage
        self.machine = ClientConnection(config)
        self._reader = reader
        self._writer = writer
        self._waiters: dict[int, asyncio.Future[ClientEvent]] = {}
        self._serial = asyncio.Lock()
        self._closed: BaseException | None = None
        self._handshake_call: int | None = None
        self._pump = asyncio.get_running_loop().create_task(self._read_loop())
        self.bytes_sent = 0

    @classmethod
    async def open(
        cls,
        endpoint: Endpoint,
        *,
        timeout: float | None,
        config: ClientConfig | None = None,
        stage: str = "call",
    ) -> RpcChannel:
        """Connect; a refused or timed-out connection is HostUnreachable naming the stage."""
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(endpoint.host, endpoint.port), timeout
            )
        except TimeoutError as exc:
            raise HostUnreachable(
                f"TCP {endpoint.port} on {endpoint.host} did not answer within {timeout} s "
                "(filtered by a firewall, or the host is down)",
                host=endpoint.host,
                stage=stage,
            ) from exc
        except OSError as exc:
            raise HostUnreachable(
                f"cannot connect to TCP {endpoint.port} on {endpoint.host}: {exc.strerror or exc}",
                host=endpoint.host,
                stage=stage,
            ) from exc
        return cls(endpoint, reader, writer, config, stage)

    # --- the handshake ----------------------------------------------------------------

    async def bind(
        self,
        contexts: tuple[ContextElement, ...],
        *,
        security: SecurityContext | None = None,
        auth_context_id: int = 0,
        timeout: float | None = None,
    ) -> BindAccepted:
        async with self._serial, self._handshake_auth(security) as auth_waiter:
            waiter = self._expect(_HANDSHAKE)
            await self._send(
                self.machine.bind(contexts, security=security, auth_context_id=auth_context_id)
            )
            self._handshake_call = self.machine.last_call_id
            event = await self._wait(waiter, timeout)
            if isinstance(event, BindRejected):
                if security is not None:  # e.g. an auth type the server does not offer
                    raise AuthenticationFailed(
                        f"{self.endpoint} rejected the bind (reason {event.reason}) for auth "
                        f"type {int(security.auth_type)}",
                        host=self.endpoint.host,
                        stage="authentication",
                    )
                raise ProtocolError(
                    f"bind rejected by {self.endpoint} (reason {event.reason})",
                    structure="bind_nak",
                )
            if not isinstance(event, BindAccepted):
                raise ProtocolError(f"unexpected answer to bind: {event!r}", structure="bind_ack")
            if auth_waiter is not None:
                await self._await_auth(auth_context_id, auth_waiter, timeout)
            return event

    async def alter_context(
        self,
        contexts: tuple[ContextElement, ...],
        *,
        security: SecurityContext | None = None,
        auth_context_id: int | None = None,
        timeout: float | None = None,
    ) -> AlterContextAccepted:
        async with self._serial, self._handshake_auth(security) as auth_waiter:
            waiter = self._expect(_HANDSHAKE)
            await self._send(
                self.machine.alter_context(
                    contexts, security=security, auth_context_id=auth_context_id
                )
            )
            self._handshake_call = self.machine.last_call_id
            event = await self._wait(waiter, timeout)
            if not isinstance(event, AlterContextAccepted):
                raise ProtocolError(
                    f"unexpected answer to alter_context: {event!r}", structure="alter_context_resp"
                )
            if auth_waiter is not None and auth_context_id is not None:
                await self._await_auth(auth_context_id, auth_waiter, timeout)
            return event

    @contextlib.asynccontextmanager
    async def _handshake_auth(
        self, security: SecurityContext | None
    ) -> AsyncIterator[asyncio.Future[ClientEvent] | None]:
        """A waiter for the end of a new auth context's handshake, registered before the
        first leg goes out: Negotiate needs more legs (alter_context) after the bind_ack,
        and their answers may arrive before the caller looks."""
        if security is None:
            yield None
            return
        try:
            yield self._expect(_AUTH)
        finally:
            leftover = self._waiters.pop(_AUTH, None)
            if leftover is not None and leftover.done() and not leftover.cancelled():
                leftover.exception()  # the failure was raised through the handshake waiter
            self._handshake_call = None

    async def _await_auth(
        self, auth_context_id: int, waiter: asyncio.Future[ClientEvent], timeout: float | None
    ) -> None:
        """Make sure the auth context is usable before the first protected call.

        A three-leg handshake ends with our auth3, which the server does not answer: the
        context is complete on our side as soon as the machine has produced it. A wrong
        password therefore only shows on the first call (a fault), not here. Negotiate
        ends with the server's alter_context_resp (or a fault refusing the logon).
        """
        await self._flush()
        if not self.machine.auth_ready(auth_context_id):
            event = await self._wait(waiter, timeout)
            if isinstance(event, CallFault):
                raise AuthenticationFailed(
                    f"the server refused the security handshake (fault 0x{event.status:08X})",
                    host=self.endpoint.host,
                    stage="authentication",
                )
        if not self.machine.auth_ready(auth_context_id):
            raise AuthenticationFailed(
                "the security handshake did not complete",
                host=self.endpoint.host,
                stage="authentication",
            )

    # --- calls ------------------------------------------------------------------------

    async def call(
        self,
        context_id: int,
        opnum: int,
        stub: bytes,
        *,
        object_uuid: UUID | None = None,
        timeout: float | None = None,
    ) -> bytes:
        """Send one request and return the response stub; a fault raises RpcFault."""
        if self.machine.multiplexed:
            return await self._call(context_id, opnum, stub, object_uuid, timeout)
        async with self._serial:
            return await self._call(context_id, opnum, stub, object_uuid, timeout)

    async def _call(
        self,
        context_id: int,
        opnum: int,
        stub: bytes,
        object_uuid: UUID | None,
        timeout: float | None,
    ) -> bytes:
        self._raise_if_closed()
        data = self.machine.request(context_id, opnum, stub, object_uuid)
        call_id = self.machine.last_call_id
        waiter = self._expect(call_id)
        await self._send(data)
        event = await self._wait(waiter, timeout, call_id)
        if isinstance(event, CallFault):
            raise RpcFault(event.status, host=self.endpoint.host, stage=self.stage)
        if not isinstance(event, CallResponse):
            raise ProtocolError(f"unexpected answer to a request: {event!r}", structure="response")
        return event.stub

    # --- plumbing ---------------------------------------------------------------------

    def _expect(self, key: int) -> asyncio.Future[ClientEvent]:
        self._raise_if_closed()
        fut: asyncio.Future[ClientEvent] = asyncio.get_running_loop().create_future()
        self._waiters[key] = fut
        return fut

    async def _wait(
        self, fut: asyncio.Future[ClientEvent], timeout: float | None, call_id: int | None = None
    ) -> ClientEvent:
        try:
            return await asyncio.wait_for(fut, timeout)
        except TimeoutError as exc:
            if call_id is not None:
                self._waiters.pop(call_id, None)
                with contextlib.suppress(WuaError, OSError):
                    await self._send(self.machine.orphan(call_id))
            raise HostUnreachable(
                f"{self.endpoint} did not answer within {timeout} s",
                host=self.endpoint.host,
                stage=self.stage,
            ) from exc

    async def _send(self, data: bytes) -> None:
        self._raise_if_closed()
        self._writer.write(data)
        self.bytes_sent += len(data)
        await self._writer.drain()

    async def _flush(self) -> None:
        pending = self.machine.data_to_send()
        if pending:
            await self._send(pending)

    async def _read_loop(self) -> None:
        try:
            while True:
                data = await self._reader.read(_READ_SIZE)
                if not data:
                    raise HostUnreachable(
                        f"{self.endpoint} closed the connection",
                        host=self.endpoint.host,
                        stage=self.stage,
                    )
                self.machine.receive_data(data)
                while (event := self.machine.next_event()) is not None:
                    self._dispatch(event)
                await self._flush()
        except (WuaError, OSError) as exc:
            self._fail_all(
                exc
                if isinstance(exc, WuaError)
                else HostUnreachable(
                    f"connection to {self.endpoint} lost: {exc}",
                    host=self.endpoint.host,
                    stage=self.stage,
                )
            )
        except asyncio.CancelledError:
            self._fail_all(
                HostUnreachable("channel closed", host=self.endpoint.host, stage=self.stage)
            )
            raise

    def _dispatch(self, event: ClientEvent) -> None:
        if isinstance(event, CallFault) and event.call_id == self._handshake_call:
            key = _AUTH  # a fault answering a handshake leg (alter_context)
        elif isinstance(event, CallResponse | CallFault):
            key = event.call_id
        elif isinstance(event, AuthComplete):
            key = _AUTH
        elif isinstance(event, ShutdownRequested):
            return
        else:
            key = _HANDSHAKE
        fut = self._waiters.pop(key, None)
        if fut is not None and not fut.done():
            fut.set_result(event)

    def _fail_all(self, exc: BaseException) -> None:
        self._closed = exc
        for fut in self._waiters.values():
            if not fut.done():
                fut.set_exception(exc)
        self._waiters.clear()

    def _raise_if_closed(self) -> None:
        if self._closed is not None:
            raise self._closed

    async def close(self) -> None:
        self._pump.cancel()
        with contextlib.suppress(asyncio.CancelledError, WuaError):
            await self._pump
        self._writer.close()
        with contextlib.suppress(OSError):
            await self._writer.wait_closed()

    async def __aenter__(self) -> RpcChannel:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
