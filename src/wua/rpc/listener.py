"""An asyncio driver for the sans-IO server machine: accept connections, run handlers.

Each accepted connection gets its own `ServerConnection`; each CallRequest runs in its own
task so a long call (a Search) does not hold up pings or other calls on a multiplexed
connection. A handler returns the response stub, raises `RpcFault` to fault the call, or
`ResetConnection` to drop the connection with a TCP RST instead of answering (how a test
host simulates a connection that dies mid-call). A stub the handler cannot decode
(`ProtocolError`) faults with RPC_X_BAD_STUB_DATA, as Windows' stubs answer; any other
failure of a handler is logged and faults the call, so one bad call never takes the
connection or the server down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import struct
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from wua.errors import ProtocolError, WuaError
from wua.rpc.channel import RpcFault
from wua.rpc.connection.events import (
    BindReceived,
    CallCancelled,
    CallOrphaned,
    CallRejected,
    CallRequest,
    ServerEvent,
)
from wua.rpc.connection.server import ServerConfig, ServerConnection
from wua.rpc.faults import NCA_S_PROTO_ERROR, RPC_S_CALL_FAILED, RPC_X_BAD_STUB_DATA
from wua.rpc.security.base import SecurityContext

log = logging.getLogger(__name__)

_READ_SIZE = 65536


class ResetConnection(Exception):
    """Raised by a handler: reset the connection (TCP RST) instead of answering."""


def reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP RST (SO_LINGER 0) rather than a FIN, as a crashed peer would."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


@dataclass
class Peer:
    """What a handler knows about the connection a call came on."""

    local: tuple[str, int]
    remote: tuple[str, int]
    machine: ServerConnection
    bound: dict[int, BindReceived] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)

    def security(self, auth_context_id: int | None) -> SecurityContext | None:
        if auth_context_id is None:
            return None
        return self.machine.security_context(auth_context_id)

    def interface_of(self, context_id: int) -> Any:
        """The abstract syntax bound to a presentation context."""
        accepted = self.machine.contexts.get(context_id)
        return None if accepted is None else accepted.abstract_syntax


CallHandler = Callable[[CallRequest, Peer], Awaitable[bytes]]


class Listener:
    """One listening socket and the connections accepted on it."""

    def __init__(self, config: ServerConfig, handler: CallHandler) -> None:
        self.config = config
        self.handler = handler
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self, host: str, port: int) -> tuple[str, int]:
        """Listen on host:port (port 0 picks one); returns the bound address."""
        self._server = await asyncio.start_server(self._serve, host, port)
        sock = self._server.sockets[0]
        bound: tuple[str, int] = sock.getsockname()[:2]
        return bound

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("not listening")
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def stop(self) -> None:
        """Stop listening and drop every connection (like a process that exits)."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        await self.drop_connections()

    async def drop_connections(self) -> None:
        """Abort every connection; each connection's task then ends by itself (its read
        fails), cancelling its calls. Cancelling the task instead would make asyncio's
        stream callback log the cancellation as an error."""
        for writer in list(self._writers):
            writer.transport.abort()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, WuaError, OSError):
                await task

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is None:  # asyncio runs every connection callback in a task
            raise RuntimeError("connection served outside a task")
        self._tasks.add(task)
        self._writers.add(writer)
        machine = ServerConnection(self.config)
        peer = Peer(
            writer.get_extra_info("sockname")[:2], writer.get_extra_info("peername")[:2], machine
        )
        calls: dict[int, asyncio.Task[None]] = {}
        try:
            while True:
                data = await reader.read(_READ_SIZE)
                if not data:
                    return
                try:
                    machine.receive_data(data)
                    while (event := machine.next_event()) is not None:
                        if self._on_event(event, peer, writer, calls):
                            return
                except WuaError as exc:
                    log.debug("closing connection from %s: %s", peer.remote, exc)
                    return
                finally:
                    out = machine.data_to_send()
                    if out:
                        writer.write(out)
                await writer.drain()
        except (ConnectionError, OSError):
            return
        finally:
            for call in calls.values():
                call.cancel()
            self._writers.discard(writer)
            self._tasks.discard(task)
            writer.close()

    def _on_event(
        self,
        event: ServerEvent,
        peer: Peer,
        writer: asyncio.StreamWriter,
        calls: dict[int, asyncio.Task[None]],
    ) -> bool:
        """Act on one event; True when the connection must close."""
        if isinstance(event, BindReceived):
            peer.bound[event.call_id] = event
        elif isinstance(event, CallRequest):
            calls[event.call_id] = asyncio.get_running_loop().create_task(
                self._run_call(event, peer, writer, calls)
            )
        elif isinstance(event, CallCancelled | CallOrphaned):
            running = calls.pop(event.call_id, None)
            if running is not None:
                running.cancel()
        elif isinstance(event, CallRejected):
            return event.close
        return False

    async def _run_call(
        self,
        call: CallRequest,
        peer: Peer,
        writer: asyncio.StreamWriter,
        calls: dict[int, asyncio.Task[None]],
    ) -> None:
        machine = peer.machine
        try:
            stub = await self.handler(call, peer)
            out = machine.respond(call.call_id, stub)
        except RpcFault as fault:
            out = machine.fault(call.call_id, fault.status)
        except ResetConnection as why:
            log.debug("resetting the connection from %s: %s", peer.remote, why)
            calls.pop(call.call_id, None)
            reset(writer)
            return
        except ProtocolError as exc:
            log.debug("call %d: bad stub data: %s", call.call_id, exc)
            out = machine.fault(call.call_id, RPC_X_BAD_STUB_DATA)
        except WuaError as exc:
            log.debug("call %d failed: %s", call.call_id, exc)
            out = machine.fault(call.call_id, NCA_S_PROTO_ERROR)
        except Exception:
            log.exception("call %d (opnum %d) failed in its handler", call.call_id, call.opnum)
            out = machine.fault(call.call_id, RPC_S_CALL_FAILED)
        finally:
            calls.pop(call.call_id, None)
        if not writer.is_closing():
            writer.write(out)
            with contextlib.suppress(ConnectionError):
                await writer.drain()
