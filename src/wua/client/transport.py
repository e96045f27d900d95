"""The connections of one host session: TCP 135 (activation, pings) and a small pool of
authenticated connections to the exporter port.

Why a pool: a connection carries one call at a time (Windows' exporter is not asked for
PFC_CONC_MPX), and at 20 ms round trip a scan is bound by latency, so several
connections, each with its own NTLM context as Windows requires, carry calls side by
side. Errors name the stage that failed and the host.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from wua.dcom.interfaces import (
    IID_IDISPATCH,
    IID_IENUMVARIANT,
    IOBJECTEXPORTER,
    IREMOTESCMACTIVATOR,
    IREMUNKNOWN,
)
from wua.errors import AccessCause, AuthenticationFailed, HostUnreachable, WuaError
from wua.rpc.channel import Endpoint, RpcChannel, RpcFault
from wua.rpc.connection.client import ClientConfig
from wua.rpc.faults import NCA_S_FAULT_ACCESS_DENIED
from wua.rpc.presentation import NDR32, ContextElement, SyntaxId
from wua.rpc.security.base import AuthLevel, SecurityContext

# Stage ids: an error's `stage` is one of these, so code compares it and JSON keeps it
# whatever port was used (as `wua check` keeps its `tcp-135` key); people read
# `stage_title`, which names the port actually asked.
STAGE_RESOLVER = "TCP 135"
STAGE_AUTH = "authentication"
STAGE_ACTIVATION = "activation"
STAGE_EXPORTER = "exporter port"
STAGE_CALL = "call"
WINDOWS_RESOLVER_PORT = 135


def stage_title(stage: str, port: int = WINDOWS_RESOLVER_PORT) -> str:
    """The stage as a person reads it; `port` is the endpoint mapper port the host was
    asked on (`host:port`), so a failure on TCP 1135 does not claim TCP 135."""
    if stage == STAGE_RESOLVER:
        return f"TCP {port}, RPC endpoint mapper"
    return stage


SecurityMaker = Callable[[], SecurityContext]


def _context(context_id: int, iid: uuid.UUID) -> ContextElement:
    return ContextElement(context_id, SyntaxId(iid, 0, 0), (NDR32,))


# Presentation contexts of the exporter connections: every object the client uses is
# reached through IDispatch, its enumerators through IEnumVARIANT, references through
# IRemUnknown. One bind proposes them all, so no alter_context is needed later.
EXPORTER_CONTEXTS = (
    _context(0, IREMUNKNOWN.iid),
    _context(1, IID_IDISPATCH),
    _context(2, IID_IENUMVARIANT),
)
CONTEXT_OF = {IREMUNKNOWN.iid: 0, IID_IDISPATCH: 1, IID_IENUMVARIANT: 2}
ACTIVATOR_CONTEXT = _context(0, IREMOTESCMACTIVATOR.iid)
OXID_RESOLVER_CONTEXT = _context(1, IOBJECTEXPORTER.iid)


@dataclass(frozen=True)
class HostAddress:
    """What the user gave: a host and, with `host:port`, a non-standard activation port."""

    host: str
    port: int = WINDOWS_RESOLVER_PORT

    @classmethod
    def parse(cls, text: str) -> HostAddress:
        if text.startswith("[") and "]" in text:  # [v6]:port
            host, _, rest = text[1:].partition("]")
            return cls(host, int(rest[1:]) if rest.startswith(":") else WINDOWS_RESOLVER_PORT)
        if text.count(":") == 1:
            host, port = text.split(":")
            return cls(host, int(port))
        return cls(text)


def activation_refusal_cause(auth_level: int) -> AccessCause:
    """Why activation answered E_ACCESSDENIED, from the level the session asked for:
    hardened hosts (KB5004442) refuse anything below PKT_INTEGRITY with the same answer
    as a missing right, and the level is the likelier cause since the client chose it."""
    return "auth_level" if auth_level < AuthLevel.PKT_INTEGRITY else "rights"


def auth_error(fault: RpcFault, host: str) -> WuaError:
    """A first call refused with nca_s_fault_access_denied: NTLM's auth3 is not answered,
    so a wrong password or unknown account only shows here."""
    if fault.status == NCA_S_FAULT_ACCESS_DENIED:
        return AuthenticationFailed(
            "the host refused the logon (wrong password, unknown account, or an NT hash "
            "that does not match)",
            host=host,
            stage=STAGE_AUTH,
        )
    return fault


async def open_bound(
    endpoint: Endpoint,
    contexts: tuple[ContextElement, ...],
    security: SecurityContext,
    *,
    timeout: float | None,
    stage: str,
) -> RpcChannel:
    """Connect and bind with a new auth context; any failure names `stage`."""
    channel = await RpcChannel.open(endpoint, timeout=timeout, stage=stage, config=ClientConfig())
    try:
        await channel.bind(contexts, security=security, timeout=timeout)
    except HostUnreachable as exc:
        await channel.close()
        raise HostUnreachable(
            f"TCP {endpoint.port} on {endpoint.host} accepted the connection but did not "
            f"answer the bind within {timeout} s (a firewall dropping the port?)",
            host=endpoint.host,
            stage=stage,
        ) from exc
    except AuthenticationFailed as exc:
        await channel.close()
        raise AuthenticationFailed(
            exc.detail, hresult=exc.hresult, host=endpoint.host, stage=STAGE_AUTH
        ) from exc
    except BaseException:
        await channel.close()
        raise
    return channel


class ExporterPool:
    """Up to `size` bound connections to the exporter; a call leases an idle one."""

    def __init__(
        self, endpoint: Endpoint, security: SecurityMaker, *, size: int, timeout: float | None
    ) -> None:
        self.endpoint = endpoint
        self._security = security
        self._size = max(1, size)
        self._timeout = timeout
        self._idle: asyncio.Queue[RpcChannel] = asyncio.Queue()
        self._all: list[RpcChannel] = []
        self._opening = 0
        self.calls = 0

    async def _open(self) -> RpcChannel:
        channel = await open_bound(
            self.endpoint,
            EXPORTER_CONTEXTS,
            self._security(),
            timeout=self._timeout,
            stage=STAGE_EXPORTER,
        )
        self._all.append(channel)
        return channel

    async def start(self) -> None:
        """Open the first connection now, so an unreachable port fails `connect`."""
        await self._idle.put(await self._open())

    @contextlib.asynccontextmanager
    async def lease(self) -> AsyncIterator[RpcChannel]:
        channel = await self._take()
        try:
            yield channel
        finally:
            self._idle.put_nowait(channel)

    async def _take(self) -> RpcChannel:
        if self._idle.empty() and len(self._all) + self._opening < self._size:
            self._opening += 1
            try:
                return await self._open()
            finally:
                self._opening -= 1
        return await self._idle.get()

    @property
    def bytes_sent(self) -> int:
        return sum(channel.bytes_sent for channel in self._all)

    async def close(self) -> None:
        channels, self._all = self._all, []
        await asyncio.gather(*(channel.close() for channel in channels))
